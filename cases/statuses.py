"""Status keys of the case and matter life cycles (CATALOG.md), their labels, and the only
transitions allowed between them."""

DRAFT = "draft"
SUBMITTED = "submitted"
ARCHIVE_REVIEWED = "archive_reviewed"
SUPPLEMENT_REQUESTED = "supplement_requested"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
ACCEPTED = "accepted"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"

CASE_LABELS = {
    DRAFT: "草稿",
    SUBMITTED: "已提交，待审核",
    ARCHIVE_REVIEWED: "已审档，待受理",
    SUPPLEMENT_REQUESTED: "待补正",
    REJECTED: "不予受理",
    WITHDRAWN: "已撤回",
    ACCEPTED: "已受理",
    IN_PROGRESS: "办理中",
    COMPLETED: "已办结",
}

CASE_TRANSITIONS = {
    DRAFT: {SUBMITTED, WITHDRAWN},
    SUBMITTED: {ARCHIVE_REVIEWED, ACCEPTED, SUPPLEMENT_REQUESTED, REJECTED, WITHDRAWN},
    # A 审档 recorded again corrects the one before: the unit's archive arrives later, or a finding was wrong.
    ARCHIVE_REVIEWED: {ARCHIVE_REVIEWED, ACCEPTED, SUPPLEMENT_REQUESTED, REJECTED, WITHDRAWN},
    # 不予受理 also when the veteran does not supply what the 补正 asked for (逾期未补正).
    SUPPLEMENT_REQUESTED: {SUBMITTED, REJECTED, WITHDRAWN},
    ACCEPTED: {IN_PROGRESS, COMPLETED},
    IN_PROGRESS: {COMPLETED},
    REJECTED: set(),
    WITHDRAWN: set(),
    COMPLETED: set(),
}

# Before acceptance the veteran may still change or withdraw the case.
OPEN_FOR_VETERAN = {DRAFT, SUBMITTED, ARCHIVE_REVIEWED, SUPPLEMENT_REQUESTED}
# Cases waiting for the window's decision (accept, reject or 补正).
AWAITING_WINDOW = {SUBMITTED, ARCHIVE_REVIEWED}
ARCHIVE_MISSING = "缺失"  # the 审档's finding (archive_status) that blocks acceptance
# Cases that are on a time limit and not finished.
RUNNING = {ACCEPTED, IN_PROGRESS}

WAITING = "waiting"
DISPATCHED = "dispatched"
PROCESSING = "processing"
RETURNED = "returned"
NOT_APPLICABLE = "not_applicable"

MATTER_LABELS = {
    WAITING: "等待中",
    DISPATCHED: "已推送部门",
    PROCESSING: "办理中",
    COMPLETED: "已办结",
    RETURNED: "已退回",
    NOT_APPLICABLE: "无需办理",
}

MATTER_TRANSITIONS = {
    WAITING: {DISPATCHED},
    DISPATCHED: {PROCESSING, RETURNED},
    PROCESSING: {COMPLETED, RETURNED},
    # The veteran brings what was missing to the department, which takes the matter up again.
    RETURNED: {PROCESSING},
    COMPLETED: set(),
    NOT_APPLICABLE: set(),
}

# What a department officer may ask for; the rest is moved by the system.
OFFICER_TARGETS = {PROCESSING, COMPLETED, RETURNED}
MATTER_DONE = {COMPLETED, NOT_APPLICABLE}
