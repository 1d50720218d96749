"""A department officer's matters: own department and region, granted fields only."""
from flask import Blueprint, g, jsonify

from api.body import load_args, load_json
from api.presenters import department_matter_json
from api.schemas.requests import DepartmentQueueQuerySchema, MatterTransitionSchema
from api.services import context
from cases import department_work, disclosure, queries

bp = Blueprint("department", __name__, url_prefix="/api/v1/dept/matters")


@bp.get("")
def list_matters():
    args = load_args(DepartmentQueueQuerySchema())
    matters = queries.matters_for_department(g.staff, **args)
    return jsonify({"items": [department_matter_json(context(), m, detailed=False) for m in matters]})


@bp.get("/<int:matter_id>")
def get_matter(matter_id: int):
    """The matter with its granted personal numbers in full: the look is written to the case's timeline."""
    ctx, matter = context(), queries.matter_for_department(g.staff, matter_id)
    disclosure.shown_in_full_to_department(ctx, g.staff, matter)
    return jsonify(department_matter_json(ctx, matter, detailed=True, numbers_in_full=True))


@bp.post("/<int:matter_id>/transition")
def transition(matter_id: int):
    body = load_json(MatterTransitionSchema())
    matter = department_work.officer_transition(context(), g.staff, matter_id, body["to"], body.get("note"),
                                                body.get("result"))
    return jsonify(department_matter_json(context(), matter, detailed=True))
