"""Material files for the console's previews and the registration form: the same access rule as the API
(materials/access.py): the window of the case's region, or a department whose grant covers the material."""
from pathlib import Path

from flask import Blueprint, current_app, g, send_file

from api.routes.form_pdf import form_pdf_response
from api.services import context
from cases.errors import NotFound
from console import pages
from materials import access
from materials.storage import FileStore

bp = pages.setup(Blueprint("console_files", __name__, url_prefix="/console/files"))


@bp.get("/cases/<int:case_id>/materials/<kind>")
def material(case_id: int, kind: str):
    case, upload = access.readable_upload(context(), g.staff, case_id, kind)
    path = FileStore(Path(current_app.config["UPLOAD_DIR"])).path(upload.sha256)
    if not path.exists():
        current_app.logger.error("material file missing on disk: case %s kind %s", case.id, kind)
        raise NotFound("material_file_missing", "材料文件暂时无法读取，请联系系统管理员")
    response = send_file(path, mimetype=upload.content_type, etag=upload.sha256, conditional=True,
                         download_name=f"{case.case_no or case.id}-{kind}.{upload.extension}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/cases/<int:case_id>/form.pdf")
def registration_form(case_id: int):
    """The generated 登记表, unmasked, as the API gives it: written to the timeline as a look."""
    return form_pdf_response(g.staff, case_id)
