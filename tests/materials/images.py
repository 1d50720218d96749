"""Test files with exact properties: a JPEG of a given pixel size padded to an exact byte size."""
from io import BytesIO

from PIL import Image


def jpeg(width: int = 358, height: int = 441, size: int | None = None) -> bytes:
    """A valid JPEG; with `size`, padded to exactly that many bytes with comment segments."""
    out = BytesIO()
    Image.new("RGB", (width, height), (250, 250, 250)).save(out, "JPEG", quality=80)
    data = out.getvalue()
    if size is None:
        return data
    missing = size - len(data)
    assert missing >= 0 and missing != 1 and missing != 2 and missing != 3, f"{len(data)} bytes already"
    segments = b""
    while missing > 0:
        body = min(missing - 4, 65533)
        if missing - (body + 4) in (1, 2, 3):  # leave room for one more whole segment
            body -= 4
        segments += b"\xff\xfe" + (body + 2).to_bytes(2, "big") + b"x" * body
        missing -= body + 4
    return data[:2] + segments + data[2:]  # comments right after SOI


def png(width: int = 100, height: int = 100) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), (250, 250, 250)).save(out, "PNG")
    return out.getvalue()


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
