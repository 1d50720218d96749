"""Submitting the case from the chat ("确认提交"), and what the guide says of a case once it is in: its
number and time limit, where it stands, and what the veteran must still do."""
from bot import understanding as u
from bot.content import Content
from bot.mixed_messages import SUBMIT_PARTICLES, asks
from bot.saying import Turn, policy_answer, say
from bot.state import ChatState
from cases import drafts, form, queries, statuses, submission
from cases.context import Context
from cases.drafts import Draft
from cases.errors import CaseError
from models import Case, Veteran
from security.number_masking import mask_in_staff_text


def confirms_submission(content: Content, text: str) -> bool:
    """"确认提交", "好的，提交吧": confirming words and nothing else. The chat cannot take a submission
    back, so "先不提交", "嗯我想想", "有点问题" or a question ("…还是…") is no confirmation."""
    said = u.normalise(text)
    rest = content.cues["submit"].sub("", said)
    return rest != said and not SUBMIT_PARTICLES.sub("", rest)


def submit(ctx: Context, content: Content, veteran: Veteran, case: Case, draft: Draft, state: ChatState,
           replies: list, provided_materials) -> Case | None:
    """The case submitted, with its number and the materials still owed said; None when the submission
    finds problems, said with the first field asked again."""
    fields = ctx.profile.fields
    drafts.save_draft(ctx, case, draft)
    try:
        # Committed with the turn's record: one transaction, and nothing to read again after it.
        submitted = submission.submit_in_transaction(ctx, veteran, drafts.submission_payload(ctx, draft), case)
    except CaseError as exc:
        problems = "；".join(f"{fields[k].label if k in fields else k}：{v}" for k, v in exc.fields.items())
        replies.append(say(content.texts["submit_problems"].format(problems=problems or exc.message)))
        first = next((k for k in exc.fields if k in fields), None)
        state.pending = {"kind": "fields", "slots": [first]} if first else None
        return None
    owed = ctx.profile.materials_owed(submitted.matter_keys, draft.values, provided_materials(submitted))
    later = ctx.profile.materials_due_later(submitted.matter_keys, draft.values)
    replies.append({"type": "case", "text": submitted_text(ctx, content, submitted),
                    "data": {"case_id": submitted.id, "case_no": submitted.case_no,
                             "status": submitted.status,
                             "materials_owed": [{"key": m.key, "label": m.label} for m in owed]}})
    if owed:
        replies.append(say(content.texts["materials_owed"].format(labels="、".join(m.label for m in owed))))
    if later:
        replies.append(say(content.texts["materials_after"].format(
            items="；".join(f"{m.label}（{m.spec}）" for m in later))))
    return submitted


def submitted_text(ctx: Context, content: Content, case: Case) -> str:
    """The case number, what comes next and the time limit as the province states it."""
    profile, texts = ctx.profile, content.texts
    limit, excluded = profile.time_limit, profile.time_limit.excluded_for(case.matter_keys)
    return texts["submitted" if limit.stated else "submitted_untimed"].format(
        case_no=case.case_no, working_days=limit.working_days, province=profile.name,
        next_step=profile.review_wording.get("after_submission", texts["submitted_next_step"]),
        excluded=f"；{excluded}" if excluded else "")


def applies_again(qa, content: Content, text: str | None) -> bool:
    """"我要重新申请", "我刚退伍，要办哪些手续": a new application after the last one ended."""
    return bool(text) and (content.cues["apply_again"].search(text) is not None
                           or qa.classify(text).intent == "start_application")


def after_submission(ctx: Context, content: Content, qa, case: Case, text: str | None, provided_materials) -> Turn:
    """Where the case stands, for anything said about it; a policy question is answered instead.
    `provided_materials`: (case) -> the material keys uploaded or covered."""
    texts, cues, replies = content.texts, content.cues, []
    change = bool(text) and cues["change"].search(text) is not None
    about_case = bool(text) and (change or cues["about_the_case"].search(text) is not None)
    if text and not about_case and asks(content, text) and qa.classify(text).intent not in (
            "ask_progress", "greet", "thanks", "start_application", "human_help"):
        replies.append(policy_answer(qa, text))
        return Turn(replies, None, case.id)
    replies.append(say("\n".join(case_lines(ctx, content, case, provided_materials))))
    if text and case.status not in queries.FINISHED and cues["apply_again"].search(text):
        replies.append(say(texts["one_case_at_a_time"]))  # "重新申请" while this one is still open
        change = True
    if change:  # "地址写错了", "我想撤回", "我还要办驾驶证"
        replies.append(say(texts["change_before_acceptance" if case.status in statuses.OPEN_FOR_VETERAN
                                 else "change_after_acceptance"]))
    if text and cues["human_help"].search(text):
        replies.append(say(texts["human_help"]))
    if case.status in queries.FINISHED:
        replies.append(say(texts["apply_again"]))
    return Turn(replies, None, case.id)


def case_lines(ctx: Context, content: Content, case: Case, provided_materials) -> list[str]:
    """The case's state, what the veteran must do (first: a long reply on WeChat is cut in the middle),
    then each matter's and the deadline; what staff wrote, with personal numbers masked."""
    lines = [content.texts["already_submitted"].format(case_no=case.case_no, status=statuses.CASE_LABELS[case.status])]
    if case.status in statuses.OPEN_FOR_VETERAN:  # 受理 waits for the materials still owed
        owed = [m.label for m in ctx.profile.materials_owed(case.matter_keys, form.unseal(ctx, case.fields),
                                                            provided_materials(case))]
        if owed:
            lines.append(content.texts["materials_owed"].format(labels="、".join(owed)))
    if case.decision_reason:
        lines.append(f"原因：{mask_in_staff_text(case.decision_reason)}")
    if case.supplement:
        items = "；".join(f"{i['label']}：{mask_in_staff_text(i['reason'])}" for i in case.supplement["items"])
        note = case.supplement.get("note")
        lines.append(f"需要补正：{items}" + (f"。{mask_in_staff_text(note)}" if note else ""))
    for matter in case.matters if case.status not in (statuses.REJECTED, statuses.WITHDRAWN) else ():
        label = ctx.profile.matters[matter.key].label
        told = matter.note if matter.status == statuses.RETURNED else matter.result  # "缺少房产证明"
        lines.append(f"· {label}：{statuses.MATTER_LABELS[matter.status]}"
                     + (f"（{mask_in_staff_text(told)}）" if told else ""))
    if case.deadline and case.status in statuses.RUNNING:
        lines.append(f"办结期限：{case.deadline.isoformat()}")
    return lines
