"""Material files for the console's previews and the registration form: the same access rule as the API
(materials/access.py): the window of the case's region, or a department whose grant covers the material."""
from flask import Blueprint, g

from api.routes.form_pdf import form_pdf_response
from api.routes.materials import material_file_response
from api.services import context
from console import pages
from materials import access

bp = pages.setup(Blueprint("console_files", __name__, url_prefix="/console/files"))


@bp.get("/cases/<int:case_id>/materials/<kind>")
def material(case_id: int, kind: str):
    case, upload = access.readable_upload(context(), g.staff, case_id, kind)
    return material_file_response(case, upload, "材料文件暂时无法读取，请联系系统管理员")


@bp.get("/cases/<int:case_id>/form.pdf")
def registration_form(case_id: int):
    """The generated 登记表, unmasked, as the API gives it: written to the timeline as a look."""
    return form_pdf_response(g.staff, case_id)
