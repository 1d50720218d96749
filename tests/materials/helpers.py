from io import BytesIO

from tests.materials.images import jpeg


def upload(api, token, case_id, kind, data=None, name="scan.jpg", expect=201):
    """POST a material as the mini-program does (multipart `kind`, `file`)."""
    body = {"kind": kind, "file": (BytesIO(jpeg(size=30 * 1024) if data is None else data), name)}
    return api.post(f"/api/v1/cases/{case_id}/materials", token=token, expect=expect, data=body,
                    content_type="multipart/form-data")

