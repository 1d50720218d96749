"""Reading an uploaded table, CSV or XLSX, into rows of text. The kind is told from the bytes:
an XLSX is a zip; anything else must be CSV in UTF-8 (with or without BOM) or GBK, which is what
Excel in China saves.

A roster often has a title row ("2024年锦江区…接收安置名册") above its header, and an XLSX often
an instructions sheet ("填表说明") before the roster: the header is looked for among the first rows
of each sheet in turn.
"""
import csv
import io
import re
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import filetype
from openpyxl import load_workbook

from cases.errors import InvalidForm

MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10  # a title, a subtitle ("填报单位：…"), notes: the header is never further down
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
# Excel keeps 15 significant digits of a number: a longer number typed into a cell not formatted as
# text loses the rest, shown as "6.22202E+18" and saved to CSV as that or as 6222020200112230000.
EXCEL_DIGITS = 15
SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E\+\d+", re.IGNORECASE)
# Three zeros or more after the 15th digit: a real number ends so once in a thousand at most.
ZEROED_TAIL = re.compile(rf"\d{{{EXCEL_DIGITS}}}000+")


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet numbers it
    cells: list  # text, or what openpyxl gives (numbers, dates) for XLSX


def read_table(data: bytes, is_header: Callable[[list[str]], bool]) -> tuple[list[str], list[Row]]:
    """(header, data rows) with blank rows dropped, or a refusal saying what is wrong with the file.

    The header is the first row `is_header` takes among the first rows of a sheet, the sheets read in
    order; without one, the first row of the first sheet, so that the caller can say what it lacks.
    """
    if not data:
        raise _refuse("上传的文件是空的")
    if data.startswith(OLE_MAGIC):
        raise _refuse("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 或 CSV 后再上传")
    kind = filetype.guess(data)
    if kind is not None and kind.extension not in ("xlsx", "zip"):
        raise _refuse(f"这是 {kind.extension.upper()} 文件，请上传 CSV 或 XLSX 格式的名册")
    if data.startswith(b"PK\x03\x04"):
        with _workbook(data) as workbook:
            return _table((_filled(_capped(sheet.iter_rows(values_only=True))) for sheet in workbook.worksheets),
                          is_header)
    return _table([_filled(_csv_rows(data))], is_header)


def _table(sheets: Iterable[list[Row]], is_header) -> tuple[list[str], list[Row]]:
    first = None
    for rows in sheets:
        first = first or rows
        for at, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if is_header(_texts(row)):
                return _header_and_data(rows, at)
    if not first:
        raise _refuse("文件中没有内容")
    return _header_and_data(first, 0)


def _header_and_data(rows: list[Row], at: int) -> tuple[list[str], list[Row]]:
    data = rows[at + 1:]
    if len(data) > MAX_ROWS:
        raise _refuse(f"一次最多导入{MAX_ROWS}行，这个文件有{len(data)}行，请分批导入")
    return _texts(rows[at]), data


def _texts(row: Row) -> list[str]:
    return [cell_text(c) for c in row.cells]


def _filled(rows: Iterable[list]) -> list[Row]:
    return [Row(n, list(cells)) for n, cells in enumerate(rows, start=1) if any(cell_text(c) for c in cells)]


def _capped(rows: Iterable[tuple]) -> Iterable[tuple]:
    """The rows up to one more filled row than a file may have: enough to refuse it; read no further."""
    filled = 0
    for values in rows:
        yield values
        filled += any(cell_text(c) for c in values)
        if filled > HEADER_SEARCH_ROWS + MAX_ROWS + 1:
            return


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise _refuse("无法识别文件格式，请上传 CSV 或 XLSX 文件")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        # The one error the csv module raises on such text: a field over its limit, which is nearly always
        # a quotation mark left open that swallowed the rest of the file.
        raise _refuse(f"CSV 文件中有一格超过{csv.field_size_limit()}个字符，"
                      "通常是某格中的引号（\"）没有成对；请检查后重新保存再上传") from None


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


@contextmanager
def _workbook(data: bytes):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a bad zip, missing parts, malformed XML: openpyxl says it in many ways
        raise _refuse("无法读取这个 Excel 文件，它可能已损坏，或不是 .xlsx 格式") from None
    try:
        if not workbook.worksheets:
            raise _refuse("Excel 文件中没有工作表")
        yield workbook
    except InvalidForm:
        raise
    except Exception:  # a sheet's XML is read only while its rows are
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


def lost_digits(cell) -> bool:
    """Whether the cell holds a long number as Excel keeps it, its digits past the 15th lost: a number
    cell that long, or text as Excel writes such a number ("5.10104E+17", "510104199903150000")."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return abs(cell) >= 10 ** EXCEL_DIGITS
    text = cell_text(cell)
    return bool(SCIENTIFIC.fullmatch(text) or ZEROED_TAIL.fullmatch(text))


def _refuse(message: str) -> InvalidForm:
    return InvalidForm("unreadable_file", message, {"file": message})
