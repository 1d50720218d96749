"""What a Rasa tracker brings, read safely: Rasa (or anyone who reaches the action server) may send
any JSON in a slot, the sender or the message, and of any size.

A value longer than the chat takes in one message is not read at all (matching a place name in
50,000 characters takes over a minute), and what a reply quotes of a value stays short.
"""
import json
import re

from rasa_sdk import Tracker

from bot.engine import MESSAGE_MAX_LENGTH

QUOTE_MAX_LENGTH = 30
QUOTED = re.compile(rf"“([^”]{{{QUOTE_MAX_LENGTH + 1},}})”")


def oversized(value) -> bool:
    """Whether a slot value (a message, or what Rasa stored) is longer than one chat message."""
    if isinstance(value, str):
        return len(value) > MESSAGE_MAX_LENGTH
    return len(json.dumps(value, ensure_ascii=False, default=str)) > MESSAGE_MAX_LENGTH


def too_long_reply(what: str) -> str:
    return f"您发来的内容太长了（超过{MESSAGE_MAX_LENGTH}个字），请简短地告诉我{what}。"


def with_short_quotes(text: str) -> str:
    """`text` with every quoted value (“…”) cut to its first characters."""
    return QUOTED.sub(lambda m: f"“{m[1][:QUOTE_MAX_LENGTH]}…”", text)


def usable_slots(tracker: Tracker) -> dict:
    """The slots that hold a value of a readable size."""
    return {k: v for k, v in tracker.slots.items() if v is not None and not oversized(v)}


def message_text(tracker: Tracker) -> str:
    """The latest message's text, or "" when Rasa sent none (or no text)."""
    text = tracker.latest_message.get("text")
    return text if isinstance(text, str) else ""


def message_id(tracker: Tracker) -> str | None:
    given = tracker.latest_message.get("message_id")
    return given if isinstance(given, str) and given else None
