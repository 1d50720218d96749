"""Personal numbers: encrypted at rest, found by keyed hash, masked for display and in logs."""
import logging

import pytest
from cryptography.exceptions import InvalidTag

from security.number_masking import PersonalNumberFilter
from security.sealing import Sealer, is_sealed, mask


def test_a_sealed_value_reveals_nothing_and_opens_with_its_key():
    sealer = Sealer(b"k" * 32)
    sealed = sealer.seal("11010519491231002X")
    assert is_sealed(sealed) and "11010519491231002X" not in sealed
    assert sealer.seal("11010519491231002X") != sealed  # a fresh nonce every time
    assert sealer.unseal(sealed) == "11010519491231002X"
    with pytest.raises(InvalidTag):
        Sealer(b"x" * 32).unseal(sealed)


def test_the_lookup_hash_is_stable_and_keyed():
    assert Sealer(b"k" * 32).lookup_hash("1") == Sealer(b"k" * 32).lookup_hash("1")
    assert Sealer(b"k" * 32).lookup_hash("1") != Sealer(b"j" * 32).lookup_hash("1")


@pytest.mark.parametrize("value, shown", [
    ("440106199901011234", "4401**********1234"),
    ("13800138000", "138****8000"),
    ("6222020200112233445", "6222***********3445"),
])
def test_masking(value, shown):
    assert mask(value) == shown


def test_log_lines_never_carry_a_whole_personal_number(caplog):
    logger = logging.getLogger("tests.masking")
    caplog.handler.addFilter(PersonalNumberFilter())
    logger.warning("looked up %s with phone %s, card 6222020200112233445, case TY5120261122000001",
                   "440106199901011234", "13800138000")
    assert "440106199901011234" not in caplog.text and "4401**********1234" in caplog.text
    assert "138****8000" in caplog.text and "6222***********3445" in caplog.text
    assert "TY5120261122000001" in caplog.text
