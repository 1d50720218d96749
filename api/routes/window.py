"""The 综合窗口: the queue of the staff member's region, review and decisions."""
from flask import Blueprint, g, jsonify

from api.body import load_args, load_json
from api.presenters import case_json, case_summary, e_licences
from api.schemas.requests import (
    AcceptSchema, ArchiveReviewSchema, RejectSchema, SupplementRequestSchema, WindowQueueQuerySchema,
)
from api.services import context
from cases import disclosure, queries, review
from catalog.china_time import today_in_china

bp = Blueprint("window", __name__, url_prefix="/api/v1/staff/cases")


@bp.get("")
def queue():
    """In the console's order (awaiting the window, then running by deadline, then the rest); filter by
    `status`, `veteran_type`, `overdue=true`, `due_within_days=N`."""
    args = load_args(WindowQueueQuerySchema())
    cases = queries.window_queue(g.staff, today_in_china(), **args)
    return jsonify({"items": [case_summary(context(), c) for c in cases]})


@bp.get("/<int:case_id>")
def get_case(case_id: int):
    """The whole case with its personal numbers in full: the look is written to its timeline."""
    ctx, case = context(), queries.case_for_window(g.staff, case_id)
    disclosure.shown_in_full_to_window(ctx, g.staff, case)
    return jsonify(case_json(ctx, case, for_staff=True, numbers_in_full=True))


@bp.post("/<int:case_id>/archive-reviewed")
def archive_reviewed(case_id: int):
    body = load_json(ArchiveReviewSchema())
    case = review.record_archive_review(context(), g.staff, case_id, body["archive_status"],
                                        body.get("archive_missing"), body.get("note"))
    return jsonify(case_json(context(), case, for_staff=True))


@bp.post("/<int:case_id>/accept")
def accept(case_id: int):
    body = load_json(AcceptSchema())
    case = review.accept(context(), e_licences(), g.staff, case_id, body.get("note"))
    return jsonify(case_json(context(), case, for_staff=True))


@bp.post("/<int:case_id>/reject")
def reject(case_id: int):
    body = load_json(RejectSchema())
    return jsonify(case_json(context(), review.reject(g.staff, case_id, body["reason"]), for_staff=True))


@bp.post("/<int:case_id>/request-supplement")
def request_supplement(case_id: int):
    body = load_json(SupplementRequestSchema())
    case = review.request_supplement(context(), e_licences(), g.staff, case_id, body["items"], body.get("note"))
    return jsonify(case_json(context(), case, for_staff=True))
