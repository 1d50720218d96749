"""Messages typed in traditional characters (自主就業, 戶口, 錦江區) read as simplified, the characters the
guide's words, the place names and the household register use (OpenCC's t2s)."""
from opencc import OpenCC

_T2S = OpenCC("t2s")
# Standard simplified characters that t2s would still change: 乾 (李乾), 於 (the surname), 昇 (in names).
KEPT = frozenset("乾於昇")


def simplified(text: str) -> str:
    converted = _T2S.convert(text)
    if len(converted) != len(text):
        return converted
    return "".join(old if old in KEPT else new for old, new in zip(text, converted))
