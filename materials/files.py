"""What an uploaded file really is (from its bytes, never its name or header) and whether it
meets its material's spec. Every refusal says in Chinese exactly what is off."""
import math
from dataclasses import dataclass
from io import BytesIO

import filetype
from PIL import Image
from pypdf import PdfReader

from cases.errors import CaseError, InvalidForm
from catalog.profile import Material, MaterialFileSpec

# format name as profiles write it → (MIME type, extension, what people call it)
FORMATS = {"jpeg": ("image/jpeg", "jpg", "JPG"), "png": ("image/png", "png", "PNG"),
           "pdf": ("application/pdf", "pdf", "PDF")}
IMAGE_FORMATS = {"jpeg", "png"}
DEFAULT_FORMATS = ("jpeg", "png", "pdf")  # scans, where the profile states no format
MAX_PIXELS = 40_000_000  # far beyond any scan or photo; refuses decompression bombs before decoding
TURNED = {5, 6, 7, 8}  # EXIF orientations shown turned by a quarter: the stored width is the shown height


class FileTooLarge(CaseError):
    status = 413


@dataclass(frozen=True)
class CheckedFile:
    format: str
    content_type: str
    extension: str
    size: int
    width: int | None = None
    height: int | None = None


def check(material: Material, data: bytes, max_bytes: int) -> CheckedFile:
    """The file's real type and size, or a refusal (422, or 413 over `max_bytes`)."""
    spec = material.file or MaterialFileSpec()
    allowed = spec.formats or DEFAULT_FORMATS
    noun = "照片" if set(allowed) <= IMAGE_FORMATS else "文件"
    if not data:
        raise _invalid("empty_file", "上传的文件是空的，请重新选择文件")
    if len(data) > max_bytes:
        raise FileTooLarge("file_too_large", f"{noun}大小为 {_kb(len(data), up=True)}，超过上限 {_kb(max_bytes)}",
                           {"file": "文件过大"})
    kind = filetype.guess(data)
    found = _format_name(kind)
    if found not in allowed:
        wanted = "、".join(FORMATS[f][2] if f in FORMATS else f.upper() for f in allowed)
        if kind is None:
            raise _invalid("unsupported_file_type", f"无法识别{noun}的格式（按文件内容判断，与文件名无关），要求 {wanted}")
        shown = FORMATS[found][2] if found in FORMATS else kind.extension.upper()
        raise _invalid("unsupported_file_type", f"{noun}格式为 {shown}，要求 {wanted}")
    width = height = None
    if found in IMAGE_FORMATS:
        width, height = _decoded_size(data, noun)
    if found == "pdf":
        _check_pdf(data)
    problems = _size_problems(spec, len(data), noun) + _dimension_problems(spec, width, height, noun)
    if problems:
        raise _invalid("file_spec_not_met", "；".join(problems))
    content_type, extension, _ = FORMATS[found]
    return CheckedFile(found, content_type, extension, len(data), width, height)


def _invalid(code: str, message: str) -> InvalidForm:
    return InvalidForm(code, message, {"file": message})


def _format_name(kind) -> str | None:
    if kind is None:
        return None
    return {"jpg": "jpeg"}.get(kind.extension, kind.extension)


def _decoded_size(data: bytes, noun: str) -> tuple[int, int]:
    try:
        with Image.open(BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _invalid("image_too_large", f"{noun}尺寸为 {width}×{height} 像素，过大，无法处理")
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
            if image.getexif().get(0x0112) in TURNED:  # a phone photo as every viewer shows it
                width, height = height, width
    except InvalidForm:
        raise
    except Exception:  # Pillow reports corrupt data as OSError, SyntaxError, ValueError, …
        raise _invalid("undecodable_image", f"{noun}无法打开，文件可能已损坏，请重新拍摄或导出后上传") from None
    return width, height


def _check_pdf(data: bytes) -> None:
    """A PDF the window can open, with pages and without scripts that would run when it is opened."""
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        pages = len(reader.pages)
        root = reader.trailer["/Root"]
        scripted = "/OpenAction" in root or "/AA" in root or "/JavaScript" in root.get("/Names", {})
    except Exception:  # pypdf reports broken files with many exception types
        raise _invalid("unreadable_pdf", "PDF 文件无法打开，文件可能已损坏，请重新扫描或导出后上传") from None
    if pages == 0:
        raise _invalid("unreadable_pdf", "PDF 文件没有任何页面，请重新扫描或导出后上传")
    if scripted:
        raise _invalid("scripted_pdf", "PDF 文件含有打开时自动运行的脚本，不能接收，请重新扫描或导出后上传")


def _size_problems(spec: MaterialFileSpec, size: int, noun: str) -> list[str]:
    kb = size / 1024
    too_small = spec.min_kb is not None and (kb <= spec.min_kb if spec.min_exclusive else kb < spec.min_kb)
    too_big = spec.max_kb is not None and (kb >= spec.max_kb if spec.max_exclusive else kb > spec.max_kb)
    if not (too_small or too_big):
        return []
    return [f"{noun}大小为 {_kb(size, up=too_big)}，要求{_size_rule(spec)}"]


def _size_rule(spec: MaterialFileSpec) -> str:
    low, high = spec.min_kb, spec.max_kb
    if low is not None and high is not None and not (spec.min_exclusive or spec.max_exclusive):
        return f" {low:g}KB–{high:g}KB"
    parts = []
    if low is not None:
        parts.append(f"大于 {low:g}KB" if spec.min_exclusive else f"不小于 {low:g}KB")
    if high is not None:
        parts.append(f"小于 {high:g}KB" if spec.max_exclusive else f"不超过 {high:g}KB")
    return "、".join(parts)


def _kb(size: int, up: bool = False) -> str:
    """One decimal, rounded away from the limit, so "60.04KB" never shows as an allowed "60KB"."""
    unit, divisor = ("MB", 1024 * 1024) if size >= 1024 * 1024 else ("KB", 1024)
    tenths = size * 10 / divisor
    value = (math.ceil(tenths) if up else math.floor(tenths)) / 10
    return f"{value:.1f}".removesuffix(".0") + unit


def _dimension_problems(spec: MaterialFileSpec, width, height, noun: str) -> list[str]:
    if width is None or (spec.width in (None, width) and spec.height in (None, height)):
        return []
    if spec.width is not None and spec.height is not None:
        return [f"{noun}尺寸为 {width}×{height} 像素，要求 {spec.width}×{spec.height} 像素"]
    if spec.width is not None:
        return [f"{noun}宽度为 {width} 像素，要求 {spec.width} 像素"]
    return [f"{noun}高度为 {height} 像素，要求 {spec.height} 像素"]
