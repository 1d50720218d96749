"""Personal numbers at rest: AES-GCM encryption, a keyed hash for look-ups, and masking for display."""
import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "sealed:v1:"


class Sealer:
    """Encrypts and decrypts single values; one master key yields separate keys for each use."""

    def __init__(self, master_key: bytes):
        self._aead = AESGCM(_derive(master_key, b"field-encryption"))
        self._hash_key = _derive(master_key, b"lookup-hash")

    def seal(self, value: str) -> str:
        nonce = os.urandom(12)
        ciphertext = self._aead.encrypt(nonce, value.encode(), None)
        return PREFIX + base64.urlsafe_b64encode(nonce + ciphertext).decode()

    def unseal(self, sealed: str) -> str:
        raw = base64.urlsafe_b64decode(sealed[len(PREFIX):])
        return self._aead.decrypt(raw[:12], raw[12:], None).decode()

    def lookup_hash(self, value: str) -> str:
        """The same value always gives the same hash, which tells nothing without the key."""
        return hmac.new(self._hash_key, value.encode(), hashlib.sha256).hexdigest()


def is_sealed(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def _derive(master_key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=purpose).derive(master_key)


def mask(value: str) -> str:
    """4401**********1234 for an ID number; keeps the first 4 and last 4 of anything long."""
    if len(value) <= 8:
        return value[:1] + "*" * (len(value) - 1) if len(value) > 1 else "*"
    if len(value) == 11:  # a mobile number: 138****0000
        return value[:3] + "****" + value[-4:]
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
