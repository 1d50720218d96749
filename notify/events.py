"""The status changes a veteran is told about, and the facts each message can carry.

Pure data, so the profile loader can check subscribe-template mappings against it at start.
"""
from cases import statuses

SUBMITTED = "submitted"
RESUBMITTED = "resubmitted"
ARCHIVE_REVIEWED = "archive_reviewed"
SUPPLEMENT_REQUESTED = "supplement_requested"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
ACCEPTED = "accepted"
MATTER_DISPATCHED = "matter_dispatched"
MATTER_PROCESSING = "matter_processing"
MATTER_COMPLETED = "matter_completed"
MATTER_RETURNED = "matter_returned"
CASE_COMPLETED = "case_completed"

EVENT_LABELS = {
    SUBMITTED: "申请已提交",
    RESUBMITTED: "补正后重新提交",
    ARCHIVE_REVIEWED: "档案已审核",
    SUPPLEMENT_REQUESTED: "需要补正",
    REJECTED: "不予受理",
    WITHDRAWN: "申请已撤回",
    ACCEPTED: "申请已受理",
    MATTER_DISPATCHED: "事项已转交部门",
    MATTER_PROCESSING: "事项办理中",
    MATTER_COMPLETED: "事项已办结",
    MATTER_RETURNED: "事项被退回",
    CASE_COMPLETED: "全部办结",
}

# Facts a template keyword can carry, and the kind of value each is.
TEXT, PHRASE, CODE, DATE, DATETIME = "text", "phrase", "code", "date", "datetime"
FACT_KINDS = {
    "case_no": CODE,       # 申请编号
    "matter": TEXT,        # 事项名称 (for the whole case: 退役军人服务“一件事”)
    "status": PHRASE,      # 办理状态, at most five Chinese characters
    "time": DATETIME,      # when it happened
    "remark": TEXT,        # what to do next, or the outcome, in one line
    "deadline": DATE,      # 办结时限
    "reason": TEXT,        # why: rejection, what to supplement, what a department misses
    "result": TEXT,        # a completed matter's result (mailing number, where to collect)
    "department": TEXT,    # the department handling a matter
}
_COMMON = {"case_no", "matter", "status", "time", "remark"}
EVENT_FACTS = {
    SUBMITTED: _COMMON,
    RESUBMITTED: _COMMON,
    ARCHIVE_REVIEWED: _COMMON,
    SUPPLEMENT_REQUESTED: _COMMON | {"reason"},
    REJECTED: _COMMON | {"reason"},
    WITHDRAWN: _COMMON | {"reason"},
    ACCEPTED: _COMMON | {"deadline"},
    MATTER_DISPATCHED: _COMMON | {"deadline", "department"},
    MATTER_PROCESSING: _COMMON | {"deadline", "department"},
    MATTER_COMPLETED: _COMMON | {"deadline", "result", "department"},
    MATTER_RETURNED: _COMMON | {"deadline", "reason", "department"},
    CASE_COMPLETED: _COMMON | {"deadline"},
}


def event_for(entity: str, from_status: str | None, to_status: str) -> str | None:
    """The event a case ("case") or matter ("matter") moving between statuses is, or None when the change
    has no message of its own: a case under way (the matter change that put it there is told) and a matter
    dispatched (matters dispatched together are told in one message, outbox.enqueue_dispatched)."""
    if entity == "matter":
        return {statuses.PROCESSING: MATTER_PROCESSING, statuses.COMPLETED: MATTER_COMPLETED,
                statuses.RETURNED: MATTER_RETURNED}.get(to_status)
    if to_status == statuses.SUBMITTED:
        return RESUBMITTED if from_status == statuses.SUPPLEMENT_REQUESTED else SUBMITTED
    if to_status == statuses.WITHDRAWN:
        return WITHDRAWN if from_status != statuses.DRAFT else None  # nothing was ever sent in
    return {
        statuses.ARCHIVE_REVIEWED: ARCHIVE_REVIEWED,
        statuses.SUPPLEMENT_REQUESTED: SUPPLEMENT_REQUESTED,
        statuses.REJECTED: REJECTED,
        statuses.ACCEPTED: ACCEPTED,
        statuses.COMPLETED: CASE_COMPLETED,
    }.get(to_status)
