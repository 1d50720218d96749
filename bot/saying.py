"""What the guide says back: one turn's replies, a value as the veteran reads it, a policy answer, and
the question asked next (the summary of what will be submitted, the roster's record, the choices)."""
from collections.abc import Callable
from dataclasses import dataclass

from bot.content import Content
from bot.flow import Question, named_matters
from cases.context import Context
from cases.drafts import Draft
from cases.form import masked

NOT_UNDERSTOOD = object()  # an answer that answers nothing: tried another way, or said not to be understood


@dataclass
class Turn:
    replies: list[dict]
    expecting: dict | None
    case_id: int | None
    # Writes the dialogue state to Redis: called by whoever commits the turn, once it is committed, so a
    # turn rolled back (a lost race on a retried message) leaves the state as it was.
    remember: Callable[[], None] = lambda: None


def say(text: str) -> dict:
    return {"type": "text", "text": text}


def shown(ctx: Context, key: str, value) -> str:
    """`value` of the field `key` as the veteran reads it: masked, a region by its name, a yes by its label."""
    value = masked(ctx.profile, {key: value})[key]
    if isinstance(value, dict):
        return value["name"]
    if isinstance(value, bool):
        field = ctx.profile.fields[key]
        return field.yes_label if value else field.no_label
    return str(value)


def policy_answer(qa, text: str, prediction=None) -> dict:
    """The FAQ's answer to `text` (or to the classifier's `prediction` of it), with its sources."""
    answer = (qa.answer_for(prediction) if prediction else qa.answer(text)) or qa.out_of_scope_reply()
    return {"type": "text", "text": answer.text, "data": {"faq": answer.id, "sources": answer.sources}}


def ask(ctx: Context, content: Content, question: Question, draft: Draft, provided: Callable[[], set]) -> dict:
    """The question, with the one a "yes" leads to after it. `provided`: the materials already in."""
    reply = _question_reply(ctx, content, question, draft, provided)
    if question.then is not None:
        yes = content.texts["agree_matters" if question.kind == "matters" else "agree"]
        reply["text"] += f"\n{content.texts['together'].format(yes=yes)}\n{question.then.prompt}"
    return reply


def _question_reply(ctx: Context, content: Content, question: Question, draft: Draft, provided) -> dict:
    profile = ctx.profile
    if question.kind == "confirm":
        # What will be submitted: not the bank account of a type changed to one without the subsidy
        needed = {f.key for f in profile.needed_fields(draft.matters, draft.values)}
        rows = [{"key": k, "label": f.label, "value": shown(ctx, k, draft.values[k])}
                for k, f in profile.fields.items() if k in draft.values and (k in needed or f.derived_from)]
        matters = [profile.matters[m].label for m in draft.matters]
        owed = [m.label for m in profile.materials_owed(draft.matters, draft.values, provided())]
        text = "\n".join([question.prompt, f"办理事项：{named_matters(ctx, content, draft.matters)}",
                          *(f"{r['label']}：{r['value']}" for r in rows),
                          *([f"还需上传的材料：{'、'.join(owed)}"] if owed else [])])
        return {"type": "summary", "text": text, "options": question.options,
                "data": {"fields": rows, "matters": matters, "materials_owed": owed}}
    if question.kind == "roster":
        rows = [f"{profile.fields[k].label}：{shown(ctx, k, draft.values[k])}"
                for k in question.data["prefill"] if k in draft.values]
        kind = draft.dialogue.get("roster_type")
        if kind:
            rows.insert(0, f"退役类型：{profile.veteran_types[kind].label}")
        return {"type": "choices", "text": question.prompt + "\n" + "\n".join(rows) + "\n信息是否正确？",
                "options": question.options}
    if question.options:
        reply = {"type": "choices", "text": question.prompt, "options": question.options}
        if question.data:
            reply["data"] = question.data
        return reply
    return {"type": "text", "text": question.prompt}
