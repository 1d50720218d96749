"""Reading an uploaded table, CSV or XLSX, into rows of text. The kind is told from the bytes:
an XLSX is a zip; anything else must be CSV in UTF-8 (with or without BOM) or GBK, which is what
Excel in China saves."""
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

import filetype
from openpyxl import load_workbook

from cases.errors import InvalidForm

MAX_ROWS = 5000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet numbers it: the header is row 1
    cells: list  # text, or what openpyxl gives (numbers, dates) for XLSX


def read_table(data: bytes) -> tuple[list[str], list[Row]]:
    """(header, data rows) with blank rows dropped, or a refusal saying what is wrong with the file."""
    if not data:
        raise _refuse("上传的文件是空的")
    if data.startswith(OLE_MAGIC):
        raise _refuse("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 或 CSV 后再上传")
    kind = filetype.guess(data)
    if kind is not None and kind.extension not in ("xlsx", "zip"):
        raise _refuse(f"这是 {kind.extension.upper()} 文件，请上传 CSV 或 XLSX 格式的名册")
    rows = _xlsx_rows(data) if data.startswith(b"PK\x03\x04") else _csv_rows(data)
    numbered = [Row(n, cells) for n, cells in enumerate(rows, start=1)
                if any(cell_text(c) for c in cells)]
    if not numbered:
        raise _refuse("文件中没有内容")
    if len(numbered) - 1 > MAX_ROWS:
        raise _refuse(f"一次最多导入{MAX_ROWS}行，这个文件有{len(numbered) - 1}行，请分批导入")
    header = [cell_text(c) for c in numbered[0].cells]
    return header, numbered[1:]


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise _refuse("无法识别文件格式，请上传 CSV 或 XLSX 文件")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise _refuse(f"CSV 文件格式有误：{exc}") from None


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    else:
        encodings = ["utf-8", "gb18030"]  # GB 18030 reads every GBK file
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse("无法识别文件的文字编码，请将 CSV 以 UTF-8 或 GBK 编码保存后再上传")


def _xlsx_rows(data: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a bad zip, missing parts, malformed XML: openpyxl says it in many ways
        raise _refuse("无法读取这个 Excel 文件，它可能已损坏，或不是 .xlsx 格式") from None
    try:
        if not workbook.worksheets:
            raise _refuse("Excel 文件中没有工作表")
        rows, filled = [], 0
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(list(values))
            filled += any(cell_text(c) for c in values)
            if filled > MAX_ROWS + 1:  # enough to refuse the file; read no further
                break
        return rows
    except InvalidForm:
        raise
    except Exception:
        raise _refuse("无法读取这个 Excel 文件，它可能已损坏") from None
    finally:
        workbook.close()


def cell_text(cell) -> str:
    """A cell as text; numbers without a spurious ".0", dates as ISO."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _refuse(message: str) -> InvalidForm:
    return InvalidForm("unreadable_file", message, {"file": message})
