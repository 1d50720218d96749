"""Subscribe-message `data`: each template keyword filled from a fact and fitted to WeChat's limits
for its keyword type (shared/WECHAT.md), so WeChat never refuses a value with 47003."""
import re
from datetime import date, datetime, timezone

from catalog.china_time import CHINA, as_utc
from notify.events import CODE, DATE, DATETIME, FACT_KINDS, PHRASE, TEXT

KEYWORD = re.compile(r"(thing|phrase|character_string|number|letter|symbol|name|phone_number|amount|time|date|"
                     r"car_number)([1-9]\d*)")
# Which kinds of fact each keyword type can show; the other types (number, amount…) carry nothing we send.
CARRIES = {
    "thing": {TEXT, PHRASE, CODE, DATE, DATETIME},
    "phrase": {PHRASE},
    "character_string": {CODE},
    "time": {DATETIME, DATE},
    "date": {DATE, DATETIME},
}
THING_MAX = 20
PHRASE_MAX = 5
CODE_MAX = 32
_NOT_CHINESE = re.compile(r"[^\u4e00-\u9fff]")
_NOT_CODE = re.compile(r"[^\x21-\x7e]")


def keyword_type(key: str) -> str | None:
    """"thing1" → "thing"; None for a key that is not a WeChat keyword."""
    match = KEYWORD.fullmatch(key)
    return match.group(1) if match else None


def can_carry(key: str, fact: str) -> bool:
    return fact in FACT_KINDS and FACT_KINDS[fact] in CARRIES.get(keyword_type(key), ())


def render_data(mapping: dict[str, str], facts: dict) -> dict:
    """{"thing1": {"value": "…"}, …} for a template whose keywords carry the named facts."""
    return {key: {"value": fit(key, FACT_KINDS[fact], facts.get(fact))} for key, fact in mapping.items()}


def fit(key: str, kind: str, value) -> str:
    """`value` (a fact of `kind`, as stored in JSON) as text WeChat accepts for keyword `key`."""
    kw = keyword_type(key)
    if kind in (DATE, DATETIME):
        return _moment(kw, kind, value)
    text = " ".join(str(value or "").split())  # no line breaks anywhere
    if kw == "phrase":
        return _NOT_CHINESE.sub("", text)[:PHRASE_MAX] or "已更新"
    if kw == "character_string":
        return _NOT_CODE.sub("", text)[:CODE_MAX] or "-"
    if len(text) > THING_MAX:
        return text[:THING_MAX - 1] + "…"
    return text or "无"


def _moment(kw: str, kind: str, value) -> str:
    if kind == DATE:
        day = date.fromisoformat(value) if value else datetime.now(CHINA).date()
        return f"{day.year}年{day.month}月{day.day}日"
    moment = as_utc(datetime.fromisoformat(value) if value else datetime.now(timezone.utc)).astimezone(CHINA)
    day = f"{moment.year}年{moment.month}月{moment.day}日"
    return day if kw == "date" else f"{day} {moment:%H:%M}"
