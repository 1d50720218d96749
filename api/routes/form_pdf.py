"""The generated registration form (办理登记表) of a case, as PDF: for its owner and the window."""
from urllib.parse import quote

from flask import Blueprint, g, make_response

from api.presenters import e_licences
from api.services import context
from cases import disclosure
from materials.access import case_for_reader
from paperwork import registration_form

bp = Blueprint("registration_form", __name__, url_prefix="/api/v1/cases")


@bp.get("/<int:case_id>/form.pdf")
def registration_form_pdf(case_id: int):
    """The “退役军人服务一件事”办理登记表, filled in and unmasked: a staff member's download is written to
    the case's timeline like any other look at the full numbers."""
    ctx = context()
    case = case_for_reader(g.get("veteran") or g.staff, case_id)
    pdf = registration_form.render(ctx.profile, registration_form.form_data(ctx, e_licences(), case))
    if g.get("veteran") is None:
        disclosure.form_given_to_window(ctx, g.staff, case)
    response = make_response(pdf)
    response.mimetype = "application/pdf"
    name = f"{case.case_no or '申请草稿'}-办理登记表.pdf"
    response.headers["Content-Disposition"] = _inline(name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _inline(filename: str) -> str:
    return f"inline; filename=\"registration-form.pdf\"; filename*=UTF-8''{quote(filename)}"
