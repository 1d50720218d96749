"""What a notification says: the inbox title and text, and the facts its subscribe message shows,
rendered from the notification's stored facts with the active profile's labels."""
from datetime import date

from cases.context import Context
from catalog.china_time import as_utc
from cases.statuses import ARCHIVE_MISSING
from models import Notification
from notify import events
from security.number_masking import mask_in_staff_text

WHOLE_CASE = "退役军人服务“一件事”"
# What the `status` keyword (a WeChat phrase: at most five Chinese characters) says for each event.
STATUS_PHRASES = {
    events.SUBMITTED: "已提交",
    events.RESUBMITTED: "已重新提交",
    events.ARCHIVE_REVIEWED: "档案已审核",
    events.SUPPLEMENT_REQUESTED: "待补正",
    events.REJECTED: "不予受理",
    events.WITHDRAWN: "已撤回",
    events.ACCEPTED: "已受理",
    events.MATTER_DISPATCHED: "已转交",
    events.MATTER_PROCESSING: "办理中",
    events.MATTER_COMPLETED: "已办结",
    events.MATTER_RETURNED: "已退回",
    events.CASE_COMPLETED: "全部办结",
}
# A review that found the archive incomplete leads to a 补正 or a refusal, never straight to acceptance.
ARCHIVE_MISSING_TEXT = ("{window}审核了您的档案。{note}。窗口将一次性告知需要补正的内容，请留意后续通知。",
                        "档案缺失，请留意补正通知")
ARCHIVE_MISSING_PHRASE = "档案缺失"


def _applied_for_count(ctx: Context, facts: dict) -> int:
    """The matters applied for, not 四川's display-only one; messages kept before the keys were kept say
    what they counted then."""
    if "matter_keys" not in facts:
        return facts.get("matter_count", 0)
    return len(ctx.profile.applied_for([k for k in facts["matter_keys"] if k in ctx.profile.matters]))


def title_and_body(ctx: Context, notification: Notification) -> tuple[str, str]:
    """The inbox message: a short title and the full text, including the whole supplement list."""
    facts, key = masked(notification.facts), notification.event
    matter, department = _matter_label(ctx, facts), _department_label(ctx, facts)
    note, window = facts.get("note") or "", ctx.profile.window
    if key == events.SUBMITTED:
        after = ctx.profile.review_wording.get("after_submission", f"{window}将尽快审核。")
        return "申请已提交", f"您的{WHOLE_CASE}申请（{_applied_for_count(ctx, facts)}个事项）已提交。{after}"
    if key == events.RESUBMITTED:
        return "补正后已重新提交", f"您已按补正要求修改并重新提交申请，{window}将尽快审核。"
    if key == events.ARCHIVE_REVIEWED:
        return _status_phrase(key, facts), _archive_reviewed(ctx, facts)[0].format(note=note.rstrip("。"), window=window)
    if key == events.SUPPLEMENT_REQUESTED:
        lines = [f"{n}. {item['label']}：{item['reason']}" for n, item in enumerate(facts.get("items", []), 1)]
        text = f"{window}审核后，请一次性补正以下内容：\n" + "\n".join(lines)
        if note:
            text += f"\n说明：{note}"
        return "请补正申请", text + "\n请在小程序中修改后重新提交。"
    if key == events.REJECTED:
        return "申请不予受理", f"很抱歉，您的申请不予受理。原因：{_reason(facts)}。如有疑问，请联系{window}。"
    if key == events.WITHDRAWN:
        return "申请已撤回", f"您的申请已撤回（{note or '申请人撤回'}）。如需办理，可以重新提交申请。"
    if key == events.ACCEPTED:
        return "申请已受理", f"您的申请已受理，{_time_limit_text(ctx, facts)}{_where_sent(ctx, facts)}进展会及时通知您。"
    if key == events.MATTER_DISPATCHED and not facts.get("matter"):  # several at once
        count = len(facts["dispatched"])
        return (f"{count}个事项已转交{department}办理",
                f"以下事项已转交办理：{_dispatched_list(ctx, facts)}。进展会及时通知您。")
    if key == events.MATTER_DISPATCHED:
        return f"{matter}已转交{department}办理", f"“{matter}”已转交{department}办理，进展会及时通知您。"
    if key == events.MATTER_PROCESSING:
        return f"{matter}办理中", f"{department}{_taken_up(facts)}“{matter}”，办结后会及时通知您。"
    if key == events.MATTER_COMPLETED:
        return f"{matter}已办结", f"{department}已办结“{matter}”。办理结果：{facts.get('result') or '已办结'}"
    if key == events.MATTER_RETURNED:
        return f"{matter}被退回", f"{department}退回了“{matter}”：{note}。请按要求补充后联系{department}。"
    return "全部事项已办结", f"您申请的{WHOLE_CASE}全部事项已办结，感谢您的耐心等待。"


def template_facts(ctx: Context, notification: Notification) -> dict:
    """The facts a subscribe-message keyword may show (notify/events.py FACT_KINDS), unfitted."""
    facts, key = masked(notification.facts), notification.event
    created = as_utc(notification.created_at)
    return {
        "case_no": notification.case.case_no,
        "matter": _subject(ctx, key, facts),
        "status": _status_phrase(key, facts),
        "time": created.isoformat(),
        "remark": _remark(ctx, key, facts),
        "deadline": facts.get("deadline"),
        "reason": _reason(facts),
        "result": facts.get("result"),
        "department": _department_label(ctx, facts),
    }


def _remark(ctx: Context, key: str, facts: dict) -> str:
    stated = ctx.profile.time_limit.stated
    return {
        events.SUBMITTED: f"请等待{ctx.profile.window}审核",
        events.RESUBMITTED: f"请等待{ctx.profile.window}审核",
        events.ARCHIVE_REVIEWED: _archive_reviewed(ctx, facts)[1],
        events.SUPPLEMENT_REQUESTED: "请在小程序中查看并补正",
        events.REJECTED: _reason(facts),
        events.WITHDRAWN: "如需办理可重新申请",
        events.ACCEPTED: f"预计{_deadline_text(facts)}前办结" if stated else "已分送相关部门办理",
        events.MATTER_DISPATCHED: f"已转交{_department_label(ctx, facts)}办理",
        events.MATTER_PROCESSING: _department_label(ctx, facts) + _taken_up(facts),
        events.MATTER_COMPLETED: facts.get("result") or "已办结",
        events.MATTER_RETURNED: facts.get("note") or "请按要求补充材料",
        events.CASE_COMPLETED: "感谢您的耐心等待",
    }[key]


def masked(facts: dict) -> dict:
    """`facts` with personal numbers masked in the staff's free text, which the push and the inbox show: on
    enqueueing, and again on rendering for notifications stored before."""
    facts = dict(facts)
    for key in ("note", "reason", "result"):
        if facts.get(key):
            facts[key] = mask_in_staff_text(facts[key])
    if facts.get("items"):
        facts["items"] = [{**item, "reason": mask_in_staff_text(item["reason"])} for item in facts["items"]]
    return facts


def _status_phrase(key: str, facts: dict) -> str:
    """The status in a few words; a 审档 that found the archive incomplete says so, not "档案已审核"."""
    if key == events.ARCHIVE_REVIEWED and facts.get("archive_status") == ARCHIVE_MISSING:
        return ARCHIVE_MISSING_PHRASE
    return STATUS_PHRASES[key]


def _archive_reviewed(ctx: Context, facts: dict) -> tuple[str, str]:
    """(the inbox text, the push's remark) after a 审档, in the province's own words."""
    wording = ctx.profile.review_wording
    if facts.get("archive_status") == ARCHIVE_MISSING:
        return wording.get("archive_missing", ARCHIVE_MISSING_TEXT[0]), ARCHIVE_MISSING_TEXT[1]
    return (wording.get("archive_reviewed", "您的档案已审核（{note}）。"),
            wording.get("archive_reviewed_remark", "请留意后续通知"))


def _time_limit_text(ctx: Context, facts: dict) -> str:
    """The time limit as the province's documents give it, or, where they give none, as what it is: ours."""
    limit = ctx.profile.time_limit
    if limit.stated:
        excluded = limit.excluded_for(facts.get("matter_keys", []))  # 四川 附件4: the subsidy's payment …
        return f"办理时限为{limit.working_days}个工作日，预计{_deadline_text(facts)}前办结" + (
            f"（{excluded}）。" if excluded else "。")
    return (f"{ctx.profile.name}的政策文件没有规定办理时限，本系统按受理后{limit.working_days}个工作日"
            f"（{_deadline_text(facts)}）跟踪，具体以窗口告知为准。")


def _reason(facts: dict) -> str:
    if facts.get("items"):
        return "需补正：" + "、".join(item["label"] for item in facts["items"])
    return facts.get("reason") or facts.get("note") or "详见小程序"


def _deadline_text(facts: dict) -> str:
    if not facts.get("deadline"):
        return "时限内"
    day = date.fromisoformat(facts["deadline"])
    return f"{day.year}年{day.month}月{day.day}日" + ("（估算）" if facts.get("deadline_estimated") else "")


def _where_sent(ctx: Context, facts: dict) -> str:
    """On acceptance: which matters went to which department, and what each of the others waits for."""
    if "dispatched" not in facts:  # nothing could be sent yet, or a message kept from before this was told
        return "各事项已分送相关部门，"
    sent = {d["matter"] for d in facts["dispatched"]}
    chosen = [k for k in facts.get("matter_keys", []) if k in ctx.profile.matters]
    waiting = "".join(f"；{_label(ctx, key)}待{'、'.join(_label(ctx, d) for d in ctx.profile.dependencies(key, chosen))}"
                      "办结后转交" for key in ctx.profile.applied_for(chosen) if key not in sent)
    return f"已转交相关部门办理：{_dispatched_list(ctx, facts)}{waiting}。"


def _dispatched_list(ctx: Context, facts: dict) -> str:
    """"户口登记（公安部门）、退役报到（退役军人事务部门）": the matters dispatched with the message."""
    return "、".join(f"{_label(ctx, d['matter'])}（{_department_label(ctx, d)}）" for d in facts["dispatched"])


def _taken_up(facts: dict) -> str:
    return "已重新开始办理" if facts.get("resumed") else "已开始办理"


def _subject(ctx: Context, key: str, facts: dict) -> str:
    """What the message is about, in a few words: a matter, matters dispatched together, or the whole case."""
    if key == events.MATTER_DISPATCHED and not facts.get("matter"):
        return f"{_label(ctx, facts['dispatched'][0]['matter'])}等{len(facts['dispatched'])}个事项"
    return _matter_label(ctx, facts)


def _label(ctx: Context, matter_key: str) -> str:
    matter = ctx.profile.matters.get(matter_key)
    return matter.label if matter else matter_key


def _matter_label(ctx: Context, facts: dict) -> str:
    return _label(ctx, facts["matter"]) if facts.get("matter") else WHOLE_CASE


def _department_label(ctx: Context, facts: dict) -> str:
    return ctx.profile.departments.get(facts.get("department"), "相关部门")

