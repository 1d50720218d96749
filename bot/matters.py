"""The matters proposed for the type and the screening answers: agreed ("好的"), edited ("去掉培训",
"加上驾驶证"), refused when the type cannot have one, and proposed again when an answer deciding them
changes ("政治面貌改成群众", "户口注销了")."""
import re

from bot import understanding as u
from bot.content import Content
from bot.flow import Question, allowed_matters_of, matter_options, named_matters, proposed_matters
from bot.saying import NOT_UNDERSTOOD, say
from bot.screening import keep_screening, screening_answers, screening_slots
from cases.context import Context
from cases.drafts import Draft

LEADING_WORD = 2  # characters at least of the "好的" that opens an unpunctuated agreement ("好像不对" opens none)
# A field the choice of its matter answers: the screening asked it already ("有培训需求").
SET_BY_CHOOSING = {"training": ("training_need", True)}
NOT_AGREED = object()  # neither agreed nor changed: what the message says may answer other questions

def choose(ctx: Context, content: Content, draft: Draft, question: Question, text: str | None, value,
           replies: list):
    """The proposal kept ("好的", and then perhaps the answers to the question it leads to), changed
    ("去掉培训", "加上驾驶证") or replaced by the tapped selection. Agreed: the pieces left to answer the
    question it leads to (a list); None when the proposal stands asked again, NOT_UNDERSTOOD, or NOT_AGREED
    when nothing in it agrees or changes the matters (a changed screening answer is kept)."""
    allowed = [o["value"] for o in question.options]
    selected, rest = list(question.data["selected"]), []
    if value is not None:  # tapped: the list of matters ticked
        if not isinstance(value, list) or not all(isinstance(m, str) and m in allowed for m in value):
            return NOT_UNDERSTOOD
        selected = value
    elif text:
        if refuse(ctx, content, draft, question.options, text, replies):
            return None  # the proposal is asked again
        edited = _edited(content, question.options, selected, text)
        first, *others = u.segments(text) or [""]
        lead = u.split_leading_answer(first)
        if lead is not None and lead[0] and len(first) - len(lead[1]) >= LEADING_WORD:
            first, others = first[: len(first) - len(lead[1])], [lead[1], *others]  # "好的广州市天河区汉族…"
        if edited is not None:
            selected = edited
        elif u.find_yes_no(first) is True and others and not screening_answers(
                ctx, content, screening_slots(content), first, None, asked=False):  # "户口注销了的，…" is no "好的"
            # "好的，党员，红星路1号，…": agreed, to the proposal for the screening answers in it (党组织关系
            # 转接 for 党员), and the rest answers the question the agreement leads to
            if _rescreens(ctx, content, draft, text):
                selected = ctx.profile.applied_for(proposed_matters(ctx, content, draft))
            rest = others
        elif _rescreens(ctx, content, draft, text) and _proposal_changed(ctx, content, draft, question):
            replies.append(say(content.texts["matters_rescreened"]))  # "户口注销了，要恢复户口" after a "no"
            return None
        elif u.find_yes_no(first) is True:
            rest = others
        elif u.find_yes_no(first) is False:  # "不对", "户口没注销", "其实我不是党员": no agreement
            _rescreen(ctx, content, draft, question, text, replies)
            return None
        else:  # "朝阳区，汉族，初中": neither a yes nor a no ("未婚" is none)
            return NOT_AGREED
    agree(ctx, content, draft, selected, replies)
    return rest


def changes(ctx: Context, content: Content, draft: Draft, question: Question, text: str, replies: list) -> bool:
    """"把培训去掉" or "还要办驾驶证" once the matters are chosen, in the form or at the summary."""
    cues = content.cues
    if not (draft.dialogue.get("matters_confirmed") and question.kind in ("fields", "confirm")
            and question.type != "yes_no" and (cues["remove_matter"].search(text) or cues["add_matter"].search(text))):
        return False
    options = matter_options(ctx, draft)
    if cues["add_matter"].search(text) and refuse(ctx, content, draft, options, text, replies):
        return True
    edited = _edited(content, options, ctx.profile.applied_for(draft.matters), text)
    if edited is None:
        return False
    agree(ctx, content, draft, edited, replies)
    return True


def _rescreen(ctx: Context, content: Content, draft: Draft, question: Question, text: str, replies: list) -> None:
    """A screening answer said with the "no" changes the proposal; else the veteran is asked what to change."""
    keep_screening(draft, screening_answers(ctx, content, screening_slots(content), text, None, asked=False))
    changed = _proposal_changed(ctx, content, draft, question)
    replies.append(say(content.texts["matters_rescreened" if changed else "which_matters"]))


def _proposal_changed(ctx: Context, content: Content, draft: Draft, question: Question) -> bool:
    return ctx.profile.applied_for(proposed_matters(ctx, content, draft)) != question.data["selected"]


def _rescreens(ctx: Context, content: Content, draft: Draft, text: str) -> bool:
    """Keeps the screening answers in `text` that differ from those given before; whether there were any."""
    need = draft.dialogue.get("need", {})
    answers = screening_answers(ctx, content, screening_slots(content), text, None, asked=False)
    changed = {slot: answer for slot, answer in answers.items()
               if (need.get(slot.removeprefix("need_")) if slot.startswith("need_") else draft.values.get(slot))
               != answer}
    keep_screening(draft, changed)
    return bool(changed)


def _edited(content: Content, options: list[dict], selected: list[str], text: str) -> list[str] | None:
    """The selection after "去掉培训" or "加上驾驶证"; None when the message changes none."""
    named = [o["value"] for o in options if mentions(content, text, o["label"], o["value"])]
    if named and content.cues["remove_matter"].search(text):
        return [m for m in selected if m not in named]
    if named and content.cues["add_matter"].search(text):
        return selected + [m for m in named if m not in selected]
    return None


def refuse(ctx: Context, content: Content, draft: Draft, options: list[dict], text: str, replies: list) -> bool:
    """"还要申请一次性补助金" from a 复员军官: a matter the type cannot have is asked for, and told why."""
    offered = {o["value"] for o in options}
    if content.cues["remove_matter"].search(text):
        return False
    reasons = [reason for m in ctx.profile.matters.values()
               if m.key not in offered and not m.display_only and mentions(content, text, m.label, m.key)
               and (reason := ctx.profile.refusal_reason(draft.veteran_type, m.key))]
    if reasons:
        replies.append(say("；".join(reasons) + "。"))
    return bool(reasons)


def agree(ctx: Context, content: Content, draft: Draft, selected: list[str], replies: list) -> None:
    keep(ctx, draft, selected)
    replies.append(say(content.texts["matters_agreed"].format(matters=named_matters(ctx, content, draft.matters))))


def keep(ctx: Context, draft: Draft, selected: list[str]) -> None:
    draft.matters = completed(ctx, draft, selected)
    draft.dialogue["matters_confirmed"] = True
    draft.dialogue["matters_for"] = _deciding_answers(ctx, draft)
    for matter, (key, value) in SET_BY_CHOOSING.items():
        if matter in draft.matters:
            draft.values.setdefault(key, value)


def _deciding_answers(ctx: Context, draft: Draft) -> dict:
    """The answers some matter is only for (政治面貌 for the party and league transfers)."""
    return {key: draft.values.get(key) for matter in allowed_matters_of(ctx, draft) for key in matter.deciding_fields}


def propose_again_for_new_answers(ctx: Context, content: Content, draft: Draft, replies: list) -> None:
    """"政治面貌改成群众" once the matters are chosen: they are proposed again for the new answer (no
    党组织关系转接; 团组织关系转接 for a 共青团员), and the one-time notice follows the new choice."""
    dialogue = draft.dialogue
    if not dialogue.get("matters_confirmed"):
        return
    deciding = _deciding_answers(ctx, draft)
    if dialogue.setdefault("matters_for", deciding) != deciding:
        dialogue.pop("matters_confirmed")
        dialogue.pop("matters_for")
        replies.append(say(content.texts["matters_rescreened"]))


def completed(ctx: Context, draft: Draft, selected: list[str]) -> list[str]:
    return ctx.profile.completed_matters(draft.veteran_type, selected)


def mentions(content: Content, text: str, label: str, key: str) -> bool:
    words = {label, label.split("（")[0]} | {part for part in re.split(r"[（）()、和及]", label) if len(part) >= 2}
    return any(w and w in text for w in words | set(content.matter_aliases.get(key, ())))
