"""The veteran's type and the screening answers ("户口注销了，有培训需求", "我是党员") that decide which
matters are proposed: asked, said early beside other answers, or said anew at the summary."""
import re

from bot import understanding as u
from bot.content import Content
from bot.copies import keep_given
from bot.mixed_messages import asks
from bot.pinyin import respelled
from bot.saying import NOT_UNDERSTOOD, say, shown
from cases.context import Context
from cases.drafts import Draft
from catalog.field_values import FieldValueError, clean_value


def veteran_type_in(ctx: Context, content: Content, text: str) -> str | None:
    found = _type_named(ctx, content, text)
    return found[0] if found else None


def _type_named(ctx: Context, content: Content, text: str) -> tuple[str, tuple[int, int]] | None:
    """The type `text` names and where."""
    words = content.synonyms["veteran_type"]
    types = ctx.profile.veteran_types
    names = {k: (t.label, *words.get(k, ())) for k, t in types.items()}
    found = u.find_choice(text, tuple(types), names)
    if found is None:  # "自主就页" typed by pinyin: the type that sounds the same
        found = u.find_choice(respelled(text, [w for ws in names.values() for w in ws]), tuple(types), names)
    if found and found[0] == "demobilized_officer" and content.cues["soldier"].search(text) \
            and not content.cues["officer"].search(text):
        return None  # "义务兵复员回来的": no officer
    return found


def type_taken(ctx: Context, content: Content, kind: str) -> dict:
    return say(content.texts["type_taken"].format(label=ctx.profile.veteran_types[kind].label))


def type_not_taken(content: Content, text: str, replies: list):
    """Why a typed answer is no type: another kind of veteran, or a soldier saying 复员; else not understood."""
    for cue, key in (("other_kinds", "other_kinds"), ("soldier", "soldier_not_officer")):
        if content.cues[cue].search(text):
            replies.append(say(content.texts[key]))
            return None
    return NOT_UNDERSTOOD


def screening_slots(content: Content) -> list[str]:
    return [f"need_{key}" for key in content.screening] + list(content.screening_field_words)


def keep_screening(draft: Draft, answers: dict) -> None:
    for slot, answer in answers.items():
        if slot.startswith("need_"):
            draft.dialogue.setdefault("need", {})[slot.removeprefix("need_")] = answer
        else:
            draft.values[slot] = answer


def screening_answers(ctx: Context, content: Content, slots: list[str], text: str | None, given: dict | None,
                      asked: bool = True) -> dict:
    """need_<matter> booleans and field values from one combined answer ("户口注销了，有培训需求").
    When `asked`, a lone "是" or "没有" answers the first of `slots`, and naming one ("有培训") is a
    yes; unasked, only a piece that says yes or no counts ("户口在锦江区" is no answer)."""
    fields = ctx.profile.fields
    if given:
        raw = {slot: value for slot, value in given.items() if slot in slots}
    else:
        topics = {slot: (content.screening[slot.removeprefix("need_")].words if slot.startswith("need_")
                         else content.screening_field_words.get(slot, ())) for slot in slots}
        raw, pieces = {}, [c for p in u.segments(text) for c in u.clauses(p, list(topics.values()))]
        for slot in slots:
            words = topics[slot]
            if slot in fields and fields[slot].type == "choice":
                found = u.find_choice(text, fields[slot].options, content.synonyms.get(slot, {}))
                if found:
                    raw[slot] = found[0]
                continue
            piece = next((p for p in pieces if any(w in p for w in words)), None)
            if piece is not None:
                pieces.remove(piece)
                # "服预备役" said as the field's own name is a yes, asked or not
                yes = True if piece in content.field_aliases.get(slot, ()) else u.find_yes_no(piece)
                if yes is not None or (asked and not u.is_unsure(piece)):  # "户口不清楚" is asked again
                    raw[slot] = True if yes is None else yes  # naming it without a "no" means yes
        if asked and not raw:  # "是", or "是，否，否" / "1是2否3否" in the order of the list shown
            yes_no = [s for s in slots if s.startswith("need_") or fields[s].type == "yes_no"]
            said = [u.find_yes_no(a) for a in u.listed_answers(text)]
            in_order = slots[:len(said)]  # the rest are asked next
            if said and len(said) <= len(slots) and None not in said and set(in_order) <= set(yes_no):
                raw.update(zip(in_order, said))
    answers = {}
    for slot, value in raw.items():
        if slot.startswith("need_"):
            yes = value if isinstance(value, bool) else u.find_yes_no(str(value))
            if yes is not None:
                answers[slot] = yes
            continue
        try:
            answers[slot] = clean_value(fields[slot], value, ctx.regions, ctx.profile.region_scope(fields[slot]))
        except FieldValueError:
            continue
    return answers


def take_early(ctx: Context, content: Content, draft: Draft, text: str, replies: list) -> str:
    """"我叫李强，…，我是复员军官，户口注销了，不服预备役" before the type is asked: the type and the
    screening answers are kept, not asked again. A question ("想问下培训有没有") answers nothing.
    Returns the text without the pieces that only named the type (no ID number "自主就业")."""
    if asks(content, text) or content.cues["asking"].search(text):
        return text
    kind = veteran_type_in(ctx, content, text)
    if kind:
        draft.veteran_type = kind
        replies.append(type_taken(ctx, content, kind))
    pieces, rest = u.segments(text), []
    for piece in pieces:
        named = _type_named(ctx, content, piece)
        if named is None:
            rest.append(piece)
        elif re.search(r"\d", piece):  # "…身份证5101…成都市锦江区自主就业" (voice input): the rest of it
            rest.append(piece[:named[1][0]] + piece[named[1][1]:])
    if rest != pieces:
        text = "，".join(rest)  # "自主就业" holds 就业, a word of the training need: no answer to it
    need = draft.dialogue.get("need", {})
    slots = [f"need_{key}" for key in content.screening if key not in need]
    slots += [key for key in content.screening_field_words if key not in draft.values]
    keep_screening(draft, screening_answers(ctx, content, slots, text, None, asked=False))
    return text


def restates_screening(ctx: Context, content: Content, draft: Draft, text: str, replies: list) -> bool:
    """At the summary, "我不服预备役" or "我不是党员，是团员": a screening answer said anew corrects the
    one given (as "政治面貌改成团员" would), never a policy question. A question, a named change and a
    change of matters ("不要预备役登记") are left to their own ways."""
    if asks(content, text) or content.cues["asking"].search(text) or any(
            content.cues[cue].search(text) for cue in ("change", "corrected_to", "remove_matter", "add_matter")):
        return False
    answers = screening_answers(ctx, content, list(content.screening_field_words), text, None, asked=False)
    changed = {key: value for key, value in answers.items() if draft.values.get(key) != value}
    keep_given(draft, changed)
    for key, value in changed.items():
        replies.append(say(content.texts["corrected"].format(
            label=ctx.profile.fields[key].label, value=shown(ctx, key, value))))
    return bool(changed)
