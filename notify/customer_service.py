"""WeChat's rules for customer-service replies, kept in Redis: a user's message opens a window of 48
hours in which at most five replies may go out; and WeChat pushes a message again when our answer
was slow, which must not be answered twice."""
import time

WINDOW_SECONDS = 48 * 3600
MAX_REPLIES = 5
SEEN_SECONDS = 3600


def _window(openid: str) -> str:
    return f"wechat:cs-window:{openid}"


def first_delivery(redis, message_key: str) -> bool:
    """False when this message was already received (WeChat's retry of a push)."""
    return bool(redis.set(f"wechat:cs-seen:{message_key}", 1, nx=True, ex=SEEN_SECONDS))


def open_window(redis, openid: str, now: float | None = None) -> None:
    """The user wrote: a fresh window of 48 hours and five replies."""
    key = _window(openid)
    with redis.pipeline() as pipe:
        pipe.delete(key)
        pipe.hset(key, mapping={"opened": now or time.time(), "sent": 0})
        pipe.expire(key, WINDOW_SECONDS)
        pipe.execute()


def take_reply(redis, openid: str, now: float | None = None) -> bool:
    """Whether one more reply may go to `openid` now; counts it when it may."""
    key = _window(openid)
    with redis.pipeline() as pipe:
        pipe.hincrby(key, "sent", 1)
        pipe.hget(key, "opened")
        sent, opened = pipe.execute()
    if opened is None:  # no window: the count just made is a stray key
        redis.delete(key)
        return False
    return sent <= MAX_REPLIES and (now or time.time()) - float(opened) < WINDOW_SECONDS


def close_window(redis, openid: str) -> None:
    """WeChat said the window is over (45015) or used up (45047)."""
    redis.delete(_window(openid))
