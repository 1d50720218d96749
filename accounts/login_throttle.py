"""Limits failed logins per username and client address, counted in Redis so every web process
shares the count: after `limit` failures in `window` seconds, further attempts are refused until
the window runs out."""
import hashlib

from redis import Redis


class LoginThrottle:
    def __init__(self, redis: Redis, limit: int, window: int, prefix: str = "login-failures"):
        self.redis, self.limit, self.window, self.prefix = redis, limit, window, prefix

    def _key(self, username: str, address: str) -> str:
        # Hashed: usernames typed by strangers do not become readable Redis keys.
        digest = hashlib.sha256(f"{username.strip().lower()}\n{address}".encode()).hexdigest()[:32]
        return f"{self.prefix}:{digest}"

    def blocked(self, username: str, address: str) -> bool:
        return int(self.redis.get(self._key(username, address)) or 0) >= self.limit

    def retry_after(self, username: str, address: str) -> int:
        """Seconds until the count for this username and address is forgotten."""
        return max(int(self.redis.ttl(self._key(username, address))), 0)

    def failed(self, username: str, address: str) -> int:
        """Count one failure; returns the failures in the current window."""
        key = self._key(username, address)
        with self.redis.pipeline() as pipe:
            pipe.set(key, 0, ex=self.window, nx=True)  # the window starts with the first failure
            pipe.incr(key)
            _, count = pipe.execute()
        return int(count)

    def succeeded(self, username: str, address: str) -> None:
        self.redis.delete(self._key(username, address))
