"""Option values and 退役类型 as clerks write them ("高中", "党员", "自主就业", "复员干部",
"退役士兵（自主就业）"), read with the chat guide's own reader and words (dialogs/questions.yaml
`synonyms`), so that what the chat takes from a veteran the roster import takes from a clerk."""
from functools import lru_cache

from bot.content import Content, load_content
from bot.understanding import find_choice
from catalog.field_values import FieldValueError
from catalog.loader import DIALOGS_DIR, load_profile
from catalog.profile import Field, Profile


def option(profile: Profile, spec: Field, text: str) -> str:
    """The option of the choice field `spec` that `text` names, or `text` itself for the field check to refuse."""
    found = find_choice(text, spec.options, _guide_words(profile.key).synonyms.get(spec.key, {}))
    return found[0] if found else text


def veteran_type(profile: Profile, text: str) -> str:
    """The type key `text` names, or FieldValueError naming the four; "士兵" or "军官" alone names none."""
    content = _guide_words(profile.key)
    kinds, words = profile.veteran_types, content.synonyms["veteran_type"]
    found = find_choice(text, tuple(kinds), {k: (k, kind.label, *words.get(k, ())) for k, kind in kinds.items()})
    # "复员士兵": 复员 is the officers' 安置方式 only; a soldier is 自主就业 or 安排工作 (as the chat reads it).
    soldier_said_demobilized = found and found[0] == "demobilized_officer" and \
        content.cues["soldier"].search(text) and not content.cues["officer"].search(text)
    if found and not soldier_said_demobilized:
        return found[0]
    shown = "、".join(kind.label for kind in kinds.values())
    raise FieldValueError(f"“{text}”不是退役类型，应为{shown}之一")


@lru_cache(maxsize=None)
def _guide_words(province: str) -> Content:
    """The guide's content, read once per province: the import runs without the chat guide."""
    return load_content(DIALOGS_DIR / "questions.yaml", load_profile(province))
