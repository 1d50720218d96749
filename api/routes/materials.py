"""Materials of a case: the veteran uploads; the owner, the window of the region and the
departments whose grant covers a material download it. Anyone else gets 404."""
from pathlib import Path

from flask import Blueprint, current_app, g, jsonify, request, send_file

from api.errors import ApiError
from api.multipart import uploaded_file
from api.presenters import e_licences, uploaded_material_json
from api.services import context
from materials import access, uploads
from materials.storage import FileStore

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
    path = file_store().path(upload.sha256)
    if not path.exists():
        current_app.logger.error("material file missing on disk: case %s kind %s sha256 %s", case.id, kind,
                                 upload.sha256)
        raise ApiError(404, "material_file_missing", "材料文件暂时无法读取，请联系窗口工作人员")
    label = context().profile.materials[kind].label if kind in context().profile.materials else kind
    response = send_file(path, mimetype=upload.content_type, etag=upload.sha256, conditional=True,
                         download_name=f"{case.case_no or case.id}-{label}.{upload.extension}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response
