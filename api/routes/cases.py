"""The veteran's own cases. Anyone else's case answers 404."""
from flask import Blueprint, g, jsonify, request

from api.body import idempotency_key, load_json
from api.presenters import case_json
from api.schemas.requests import CaseSubmissionSchema, ResubmissionSchema, WithdrawSchema
from api.services import context
from cases import queries, submission

bp = Blueprint("cases", __name__, url_prefix="/api/v1/cases")


@bp.post("")
def submit_case():
    """Submit the whole registration form (一表申请); honours Idempotency-Key."""
    case, created = submission.submit(context(), g.veteran, load_json(CaseSubmissionSchema()), idempotency_key())
    response = jsonify(case_json(context(), case, for_staff=False))
    response.status_code = 201
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("")
def list_cases():
    return jsonify({"items": [case_json(context(), c, for_staff=False)
                              for c in queries.cases_of_veteran(g.veteran.id)]})


@bp.get("/<int:case_id>")
def get_case(case_id: int):
    return jsonify(case_json(context(), queries.case_of_veteran(g.veteran.id, case_id), for_staff=False))


@bp.post("/<int:case_id>/resubmit")
def resubmit_case(case_id: int):
    case = submission.resubmit(context(), g.veteran, case_id, load_json(ResubmissionSchema()))
    return jsonify(case_json(context(), case, for_staff=False))


@bp.post("/<int:case_id>/withdraw")
def withdraw_case(case_id: int):
    body = load_json(WithdrawSchema()) if request.content_length else {}
    case = submission.withdraw(g.veteran, case_id, body.get("reason"))
    return jsonify(case_json(context(), case, for_staff=False))
