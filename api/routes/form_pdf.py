"""The generated registration form (办理登记表) of a case, as PDF: for its owner, the window and the department
that receives it (materials.access.receives_registration_form)."""
from urllib.parse import quote

from flask import Blueprint, Response, g, make_response

from api.presenters import e_licences
from api.services import context
from cases import disclosure
from materials.access import case_for_form
from models import Staff, Veteran
from paperwork import registration_form

bp = Blueprint("registration_form", __name__, url_prefix="/api/v1/cases")


@bp.get("/<int:case_id>/form.pdf")
def registration_form_pdf(case_id: int):
    """The 登记表 as PDF, unmasked: for the owner, the window and the 退役军人事务部门 of the case's matters."""
    return form_pdf_response(g.get("veteran") or g.staff, case_id)


def form_pdf_response(reader: Veteran | Staff, case_id: int) -> Response:
    """The “退役军人服务一件事”办理登记表, filled in and unmasked: a staff member's download is written to
    the case's timeline like any other look at the full numbers. The console serves it the same way."""
    ctx = context()
    case = case_for_form(ctx, reader, case_id)
    pdf = registration_form.render(ctx.profile, registration_form.form_data(ctx, e_licences(), case))
    if isinstance(reader, Staff):
        disclosure.form_given_to_staff(ctx, reader, case)
    response = make_response(pdf)
    response.mimetype = "application/pdf"
    name = f"{case.case_no or '申请草稿'}-办理登记表.pdf"
    response.headers["Content-Disposition"] = _inline(name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _inline(filename: str) -> str:
    return f"inline; filename=\"registration-form.pdf\"; filename*=UTF-8''{quote(filename)}"
