"""Test files with exact properties: a JPEG of a given pixel size padded to an exact byte size."""
from io import BytesIO

from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript


def jpeg(width: int = 358, height: int = 441, size: int | None = None, orientation: int | None = None) -> bytes:
    """A valid JPEG; with `size`, padded to exactly that many bytes with comment segments; with
    `orientation`, the EXIF tag a phone writes when it stores the picture turned."""
    out = BytesIO()
    image = Image.new("RGB", (width, height), (250, 250, 250))
    exif = image.getexif()
    if orientation:
        exif[0x0112] = orientation
    image.save(out, "JPEG", quality=80, exif=exif)
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


def pdf(pages: int = 1, script: bool = False) -> bytes:
    """A PDF of blank A4 pages; `script`: one that runs JavaScript when opened."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if script:
        writer.add_open_action(JavaScript("app.alert('x');"))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = pdf()
