"""Reading one uploaded file from a multipart/form-data request, with Chinese refusals."""
from flask import request

from api.errors import ApiError


def uploaded_file(field: str = "file") -> tuple[bytes, str | None]:
    """(the file's bytes, the name the client gave it), or a 4xx saying what is missing."""
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "multipart_required", "请以 multipart/form-data 格式上传文件")
    upload = request.files.get(field)
    if upload is None:
        raise ApiError(422, "file_missing", "请选择要上传的文件", {field: "请选择要上传的文件"})
    data = upload.read()
    if not data:
        raise ApiError(422, "empty_file", "上传的文件是空的，请重新选择文件", {field: "文件是空的"})
    return data, upload.filename
