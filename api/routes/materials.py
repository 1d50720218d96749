"""Materials of a case: the veteran uploads; the owner, the window of the region and the
departments whose grant covers a material download it. Anyone else gets 404."""
from pathlib import Path

from flask import Blueprint, Response, current_app, g, jsonify, request, send_file

from api.errors import ApiError
from api.multipart import uploaded_file
from api.presenters import e_licences, uploaded_material_json
from api.services import context
from cases.errors import NotFound
from materials import access, uploads
from materials.storage import FileStore
from models import Case, CaseMaterial

upload_bp = Blueprint("materials", __name__, url_prefix="/api/v1/cases")
download_bp = Blueprint("material_files", __name__, url_prefix="/api/v1/cases")


def file_store() -> FileStore:
    return FileStore(Path(current_app.config["UPLOAD_DIR"]))


@upload_bp.post("/<int:case_id>/materials")
def upload_material(case_id: int):
    """Upload one material: multipart `kind` (material key) and `file`; replaces that kind's file."""
    data, name = uploaded_file("file")
    kind = request.form.get("kind")
    if not kind:
        raise ApiError(422, "kind_missing", "请说明上传的是哪种材料（kind）", {"kind": "请填写材料种类"})
    upload = uploads.upload(context(), e_licences(), file_store(), g.veteran, case_id, kind, data, name,
                            current_app.config["MATERIAL_MAX_BYTES"])
    return jsonify(uploaded_material_json(context(), upload)), 201


@download_bp.get("/<int:case_id>/materials/<kind>")
def download_material(case_id: int, kind: str):
    """The current file of one material, for its owner, the window and granted departments."""
    case, upload = access.readable_upload(context(), g.get("veteran") or g.staff, case_id, kind)
    return material_file_response(case, upload, "材料文件暂时无法读取，请联系窗口工作人员")


def material_file_response(case: Case, upload: CaseMaterial, missing: str) -> Response:
    """The file, named for a person by the case and the material's label; `missing` says why there is none.
    The console serves it the same way."""
    path = file_store().path(upload.sha256)
    if not path.exists():
        current_app.logger.error("material file missing on disk: case %s kind %s sha256 %s", case.id, upload.kind,
                                 upload.sha256)
        raise NotFound("material_file_missing", missing)
    materials = context().profile.materials
    label = materials[upload.kind].label if upload.kind in materials else upload.kind
    response = send_file(path, mimetype=upload.content_type, etag=upload.sha256, conditional=True,
                         download_name=f"{case.case_no or case.id}-{label}.{upload.extension}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response
