"""The “退役军人服务一件事”办理登记表 as a PDF, laid out after 四川 附件1.

Rendered with reportlab's built-in CID font STSong-Light, which needs no font file: the PDF names
the font and the reader supplies it (every Chinese system has one). Values are printed as given:
the form is only for the applicant, the window and the 退役军人事务部门, who see everything
(materials.access.receives_registration_form).
"""
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cases import form
from cases.context import Context
from catalog.china_time import as_utc, today_in_china
from catalog.profile import Field, Profile
from materials.checklist import E_LICENCE, GENERATED, STATUS_LABELS, UPLOADED, MaterialStatus, checklist
from materials.e_licence import ELicences
from models import Case

FONT = "STSong-Light"
DECLARATION = ("本人承诺填写内容和提交的材料均真实有效，如存在隐瞒事实、弄虚作假等行为，愿承担法律责任，"
               "并承担由此造成的后果。")
BASIC_ROWS = [
    ("name", "gender", "id_number"),
    ("political_status", "ethnicity", "phone"),
    ("health_status", "marital_status", "education"),
    ("address",),
    ("emergency_contact_name", "emergency_contact_relation", "emergency_contact_phone"),
    ("enlistment_date", "discharge_date", "service_length"),
    ("unit_code", "discharge_cert_no", "service_branch"),
    ("enlistment_place", "enlistment_address"),
    ("service_region",),
]
# 附件1's order of matters; matters of other provinces not listed here follow in profile order.
FORM_ORDER = ["report", "lump_sum_subsidy", "training", "hukou", "id_card", "driving_license",
              "social_insurance_registration", "pension_transfer", "social_security_card",
              "medical_insurance_registration", "medical_insurance_transfer", "reserve_registration",
              "party_transfer", "league_transfer"]
# 附件1 gives these matters one section between them, and these sections shorter titles.
SHARED_SECTIONS = {("medical_insurance_registration", "medical_insurance_transfer"): "医保参保转移接续",
                   ("party_transfer", "league_transfer"): "党（团）组织关系转接"}
SECTION_TITLES = {"hukou": "户口登记", "social_insurance_registration": "社保参保"}

PAGE_WIDTH = A4[0] - 30 * mm
SECTION_W, LABEL_W = 23 * mm, 22 * mm
VALUE_W = (PAGE_WIDTH - SECTION_W - 3 * LABEL_W) / 3
COLUMNS = [SECTION_W, LABEL_W, VALUE_W, LABEL_W, VALUE_W, LABEL_W, VALUE_W]
PAD = 2  # points inside every cell
SIZE = 8.5  # points, the table's text


@dataclass(frozen=True)
class FormData:
    """What the form prints: the unsealed values and everything about the case it needs."""

    case_no: str | None
    veteran_type_label: str
    matter_keys: list[str]
    values: dict
    materials: list[MaterialStatus]
    dated: date


def form_data(ctx: Context, e_licences: ELicences, case: Case) -> FormData:
    """Everything the form prints for `case`, personal numbers unsealed; dated the day it was submitted."""
    values = form.unseal(ctx, case.fields)
    kind = ctx.profile.veteran_types.get(case.veteran_type)
    submitted = case.submitted_at and as_utc(case.submitted_at)
    return FormData(case_no=case.case_no, veteran_type_label=kind.label if kind else "",
                    matter_keys=list(case.matter_keys or []), values=values,
                    materials=checklist(ctx, e_licences, case, values), dated=today_in_china(submitted))


def render(profile: Profile, data: FormData) -> bytes:
    """The registration form as PDF bytes, under the name the province gives it (吉林: 申请表)."""
    _register_font()
    title = profile.materials["registration_form"].label
    out = BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=12 * mm,
                            bottomMargin=14 * mm, title=title, author=profile.name, subject=data.case_no or "")
    story = [Paragraph(title, _style(16, TA_CENTER, leading=22)), Spacer(1, 2 * mm), _heading(data),
             Spacer(1, 2 * mm), _table(profile, data)]
    doc.build(story, onFirstPage=_footer(data), onLaterPages=_footer(data))
    return out.getvalue()


@lru_cache(maxsize=1)
def _register_font() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@lru_cache(maxsize=None)
def _style(size: float = 8.5, align=TA_LEFT, leading: float | None = None) -> ParagraphStyle:
    return ParagraphStyle(f"s{size}{align}", fontName=FONT, fontSize=size, leading=leading or size * 1.3,
                          alignment=align, wordWrap="CJK")


def _p(text: str, size: float = 8.5, align=TA_LEFT) -> Paragraph:
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped, _style(size, align))


def _heading(data: FormData) -> Table:
    region = data.values.get("handling_region")
    cells = [[_p(f"退役类型：{data.veteran_type_label}", 10),
              _p(f"办理市（州）县（市、区）：{show(region)}", 10),
              _p(f"日期：{data.dated.year}年{data.dated.month}月{data.dated.day}日", 10)]]
    table = Table(cells, colWidths=[PAGE_WIDTH * 0.3, PAGE_WIDTH * 0.45, PAGE_WIDTH * 0.25])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _footer(data: FormData):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(15 * mm, 8 * mm, f"申请编号：{data.case_no or '（尚未提交）'}")
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, f"第 {doc.page} 页")
        canvas.restoreState()
    return draw


class _Grid:
    """Rows of the one big table, with their spans, filled top to bottom."""

    def __init__(self):
        self.rows: list[list] = []
        self.commands: list[tuple] = []

    def add(self, cells: dict[int, object], spans: list[tuple[int, int]] = ()) -> int:
        row = [cells.get(i, "") for i in range(len(COLUMNS))]
        self.rows.append(row)
        y = len(self.rows) - 1
        for start, end in spans:
            self.commands.append(("SPAN", (start, y), (end, y)))
        return y

    def section(self, title: str, first: int) -> None:
        """The section title in the first column, down all rows added since `first`."""
        self.rows[first][0] = _p(title, SIZE, TA_CENTER)
        self.commands.append(("SPAN", (0, first), (0, len(self.rows) - 1)))


def _table(profile: Profile, data: FormData) -> Table:
    grid, values, fields = _Grid(), data.values, profile.fields
    first = len(grid.rows)
    for keys in BASIC_ROWS:
        _field_row(grid, [fields[k] for k in keys], values)
    grid.section("基本信息", first)

    chosen = set(data.matter_keys)
    ordered = _form_order(profile)
    boxes = [(profile.matters[k].label, k in chosen) for k in ordered if not profile.matters[k].display_only]
    grid.add({0: _p("办理事项", SIZE, TA_CENTER), 1: _options(boxes, 3, _inner(1, 6))}, [(1, 6)])

    shown: set[str] = set()
    for title, group in _sections(profile, ordered, chosen):
        section_fields = [f for f in profile.fields.values()
                          if f.needed_for & set(group) and f.key in values and f.key not in shown]
        if not section_fields:
            continue
        shown.update(f.key for f in section_fields)
        first = len(grid.rows)
        for pair in [section_fields[i:i + 2] for i in range(0, len(section_fields), 2)]:
            _field_row(grid, pair, values)
        grid.section(title, first)

    provided = [(f"{m.material.label}（{_material_note(m)}）", m.status in (UPLOADED, E_LICENCE))
                for m in data.materials if m.status != GENERATED]
    grid.add({0: _p("证明材料", SIZE, TA_CENTER), 1: _options(provided, 2, _inner(1, 6)) if provided
              else _p("无")}, [(1, 6)])

    if profile.archive_review_required:  # 广东's documents have no 审档: a row there would stay empty for good
        archive = values.get("archive_status")
        grid.add({0: _p(fields["archive_status"].label, SIZE, TA_CENTER),
                  1: _options([("完整", archive == "完整"), ("缺失", archive == "缺失")], 2, _inner(1, 2)),
                  3: _p(fields["archive_missing"].label, SIZE, TA_CENTER), 4: _p(values.get("archive_missing", ""))},
                 [(1, 2), (4, 6)])

    line = ("LINEBELOW", 0.6, colors.black)
    signature = Table([[_p("申请人（签字）：", 10), "", "", "", _p("年", 10), "", _p("月", 10), "", _p("日", 10)]],
                      colWidths=[32 * mm, 50 * mm, 8 * mm, 14 * mm, 6 * mm, 9 * mm, 6 * mm, 9 * mm, 6 * mm],
                      style=[(line[0], (x, 0), (x, 0), *line[1:]) for x in (1, 3, 5, 7)]
                      + [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                         ("VALIGN", (0, 0), (-1, -1), "BOTTOM")],
                      hAlign="RIGHT")
    declaration = [_p(DECLARATION, 10), Spacer(1, 5 * mm), signature]
    grid.add({0: declaration}, [(0, 6)])

    table = Table(grid.rows, colWidths=COLUMNS, repeatRows=0)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), PAD), ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, -1), (-1, -1), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
        ("LEFTPADDING", (0, -1), (-1, -1), 8), ("RIGHTPADDING", (0, -1), (-1, -1), 8),
        *grid.commands,
    ]))
    return table


def _field_row(grid: _Grid, row_fields: list[Field], values: dict) -> None:
    """One, two or three label/value pairs across the row; the last value takes what is left."""
    cells, spans = {}, []
    starts = {1: [1], 2: [1, 4], 3: [1, 3, 5]}[len(row_fields)]
    for n, (field, x) in enumerate(zip(row_fields, starts)):
        end = 6 if n == len(row_fields) - 1 else starts[n + 1] - 1
        cells[x] = _p(field.label, SIZE, TA_CENTER)
        cells[x + 1] = _value(field, values.get(field.key), _inner(x + 1, end))
        if end > x + 1:
            spans.append((x + 1, end))
    grid.add(cells, spans)


def _value(field: Field, value, width: float):
    if field.type == "yes_no":
        return _options([(field.yes_label, value is True), (field.no_label, value is False)], 2, width)
    return _p(show(value, field.type))


def _inner(first: int, last: int) -> float:
    """The room for content in a cell spanning columns first..last."""
    return sum(COLUMNS[first:last + 1]) - 2 * PAD


def show(value, field_type: str | None = None) -> str:
    """A stored value as a person reads it on paper: a date field's 2019-09 as 2019年9月, while a
    landline (0755-86001234) or a certificate number (2019-000123) stays as written."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return value.get("name", "")
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value)
    parts = text.split("-")
    if field_type == "date" and len(parts) in (2, 3) and all(p.isdigit() for p in parts):
        return f"{parts[0]}年{int(parts[1])}月" + (f"{int(parts[2])}日" if len(parts) == 3 else "")
    return text


def _material_note(item: MaterialStatus) -> str:
    if item.status == E_LICENCE:
        return f"{item.licence}"
    note = STATUS_LABELS[item.status]
    return note + ("，原件到窗口核验" if item.material.original_at_window else "")


def _form_order(profile: Profile) -> list[str]:
    known = [k for k in FORM_ORDER if k in profile.matters]
    return known + [k for k in profile.matters if k not in known]


def _sections(profile: Profile, ordered: list[str], chosen: set[str]) -> list[tuple[str, tuple[str, ...]]]:
    """(title, matters) for every chosen matter, in form order, sharing a section where 附件1 does."""
    sections, done = [], set()
    for key in ordered:
        if key not in chosen or key in done:
            continue
        group = next((g for g in SHARED_SECTIONS if key in g), (key,))
        members = tuple(k for k in group if k in chosen)
        done.update(members)
        title = SHARED_SECTIONS[group] if len(members) > 1 else SECTION_TITLES.get(key, profile.matters[key].label)
        sections.append((title, members))
    return sections


def _options(options: list[tuple[str, bool]], per_row: int, width: float) -> Table:
    """Tick boxes with their labels, `per_row` to a line."""
    cell_w = width / per_row
    cells = [[Table([[_Checkbox(checked), _p(label)]], colWidths=[4.5 * mm, cell_w - 4.5 * mm],
                    style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 1), ("TOPPADDING", (0, 0), (-1, -1), 1),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
              for label, checked in options[i:i + per_row]] for i in range(0, len(options), per_row)]
    for row in cells:
        row.extend([""] * (per_row - len(row)))
    return Table(cells, colWidths=[cell_w] * per_row,
                 style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])


class _Checkbox(Flowable):
    """□ or ☑ drawn as lines, so it prints with any reader's font; the glyph is also written as
    invisible text, so copying or extracting the text still reads □/☑."""

    SIZE = 3.2 * mm

    def __init__(self, checked: bool):
        super().__init__()
        self.checked = checked

    def wrap(self, available_width, available_height):
        return self.SIZE, self.SIZE

    def draw(self):
        c, s = self.canv, self.SIZE
        c.setLineWidth(0.6)
        c.rect(0, 0, s, s)
        if self.checked:
            c.setLineWidth(1.1)
            path = c.beginPath()
            path.moveTo(s * 0.18, s * 0.52)
            path.lineTo(s * 0.42, s * 0.22)
            path.lineTo(s * 0.85, s * 0.85)
            c.drawPath(path, stroke=1, fill=0)
        text = c.beginText(0, s * 0.12)
        text.setTextRenderMode(3)
        text.setFont(FONT, s)
        text.textOut("☑" if self.checked else "□")
        c.drawText(text)
