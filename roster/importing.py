"""Importing the 接收安置名册 that window staff upload (CSV or XLSX).

Columns are catalog field keys or their Chinese labels, plus `veteran_type` (退役类型, 安置方式); see
roster/columns.py for the names rosters give them. Every row is checked with the form's own field checks,
options and types read in the words the chat takes (roster/option_words.py); a long number Excel cut to
15 digits is refused, never imported with other digits. A bad row is refused with its reasons (personal
numbers masked) and never blocks the good ones. A person already in the roster (same ID number) is
updated, not duplicated, and only within the importing staff member's region.
"""
import re
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cases import form
from cases.context import Context
from cases.errors import Conflict, InvalidForm
from catalog.field_values import FieldValueError, clean_value
from catalog.profile import Field, Profile
from models import RosterEntry, Staff, db
from roster import option_words
from roster.columns import REQUIRED, VETERAN_TYPE, columns, is_header
from roster.tables import Row, cell_text, lost_digits, read_table
from security.number_masking import mask_personal_numbers
from security.sealing import mask

IMPORTED, UPDATED, REFUSED = "imported", "updated", "refused"
# A date cell formatted with its time of day: in an XLSX (2024-09-01T10:30:00), or as Excel writes it into a CSV
# ("2019/9/1 0:00"). The date is the value.
TIME_OF_DAY = re.compile(r"(?<=[\d日])[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


@dataclass
class RowResult:
    row: int
    status: str
    name: str | None = None
    id_number: str | None = None  # masked
    reason: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportReport:
    rows: list[RowResult]
    ignored_columns: list[str]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def import_roster(ctx: Context, staff: Staff, data: bytes) -> ImportReport:
    """Import every good row of the file; a report line per data row."""
    header, rows = read_table(data, partial(is_header, ctx.profile))
    known, ignored = columns(ctx.profile, header)
    default_region = staff.region if len(staff.region) == 6 else None
    missing = [key for key in REQUIRED if key not in known.values()]
    if missing:
        names = "、".join(f"{ctx.profile.fields[k].label}（{k}）" for k in missing)
        raise InvalidForm("missing_columns", f"名册缺少必需的列：{names}", {"file": f"缺少列：{names}"})
    if not rows:
        raise InvalidForm("no_rows", "名册只有表头，没有要导入的数据行", {"file": "没有数据行"})
    results, seen = [], {}
    for row in rows:
        result, values, veteran_type = _check_row(ctx, staff, known, row, default_region)
        if result.status != REFUSED:
            id_hash = ctx.sealer.lookup_hash(values["id_number"])
            if id_hash in seen:
                result = _refused(result, "id_number", f"与第{seen[id_hash]}行的身份证号码相同，同一人只能出现一次")
            else:
                seen[id_hash] = row.number
                result = _save(ctx, staff, result, values, veteran_type, id_hash)
        results.append(result)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("roster_busy", "名册正在被其他人同时导入，请稍后重新导入") from None
    return ImportReport(results, ignored)


def _check_row(ctx: Context, staff: Staff, known: dict[int, str], row: Row, default_region: str | None):
    profile = ctx.profile
    values, errors, veteran_type = {}, {}, None
    for index, key in known.items():
        raw = row.cells[index] if index < len(row.cells) else None
        text = cell_text(raw)
        if not text:
            continue
        if lost_digits(raw):
            errors[key] = f"{_label(profile, key)}在 Excel 中存成了数字，后几位已丢失；请把这一列设为“文本”格式后重新填写"
            continue
        try:
            if key == VETERAN_TYPE:
                veteran_type = option_words.veteran_type(profile, text)
            else:
                values[key] = _value(ctx, profile.fields[key], text)
        except FieldValueError as exc:
            errors[key] = str(exc)
    if "handling_region" not in values and "handling_region" not in errors and default_region:
        region = ctx.regions.get(default_region)
        values["handling_region"] = {"code": region.code, "name": region.full_name}
    for key in REQUIRED:
        if key not in values and key not in errors:
            errors[key] = f"请填写{profile.fields[key].label}"
    errors.update({k: v for k, v in form.cross_field_problems(profile, values).items() if k not in errors})
    region = values.get("handling_region")
    if region and "handling_region" not in errors and not staff.covers(region["code"]):
        errors["handling_region"] = f"{region['name']}不在您负责的地区，不能导入"
    result = RowResult(row.number, IMPORTED if not errors else REFUSED, name=values.get("name") or None,
                       id_number=mask(values["id_number"]) if "id_number" in values else None)
    if errors:
        # A value in the wrong column is quoted back ("手机号码“5101…”不是…"): no full number in a report.
        result.fields = {k: mask_personal_numbers(v) for k, v in errors.items()}
        result.reason = "；".join(_labelled(_label(profile, k), v) for k, v in result.fields.items())
    return result, values, veteran_type


def _value(ctx: Context, spec: Field, text: str):
    if spec.key == "handling_region":
        return _handling_region(ctx, spec, text)
    if spec.type == "date":
        text = TIME_OF_DAY.sub("", text)
    if spec.type == "choice":
        text = option_words.option(ctx.profile, spec, text)
    return clean_value(spec, text, ctx.regions)


def _label(profile: Profile, key: str) -> str:
    return profile.fields[key].label if key in profile.fields else "退役类型"


def _handling_region(ctx: Context, spec: Field, text: str) -> dict:
    """The handling county, looked up within the province first; a place outside it is still found, so
    that the region check refuses it as outside the staff member's region, not as a place that does not exist."""
    try:
        return clean_value(spec, text, ctx.regions, ctx.profile.region_code)
    except FieldValueError as within:
        try:
            return clean_value(spec, text, ctx.regions)
        except FieldValueError:
            raise within from None


def _labelled(label: str, reason: str) -> str:
    """A row's reason with its column's label in front, once (most field checks already name it)."""
    return reason if reason.startswith(label) else f"{label}：{reason}"


def _save(ctx: Context, staff: Staff, result: RowResult, values: dict, veteran_type: str | None,
          id_hash: str) -> RowResult:
    entry = db.session.scalar(select(RosterEntry).where(RosterEntry.id_number_hash == id_hash))
    if entry is not None and not staff.covers(entry.handling_region):
        return _refused(result, "id_number", "此人已在其他地区的接收安置名册中，不能在此修改")
    if entry is None and "handling_region" not in values:
        return _refused(result, "handling_region", f"请填写{ctx.profile.fields['handling_region'].label}")
    sealed = form.seal(ctx, values)
    if entry is None:
        entry = RosterEntry(id_number_hash=id_hash, fields={})
        db.session.add(entry)
        result.status = IMPORTED
    else:
        result.status = UPDATED
    # A file with fewer columns updates what it has and keeps what the roster already knew.
    entry.fields = {**(entry.fields or {}), **sealed}
    entry.name = values["name"]
    if "handling_region" in values:  # else an update keeps the region the roster has
        entry.handling_region = values["handling_region"]["code"]
    entry.veteran_type = veteran_type or entry.veteran_type
    db.session.flush()
    return result


def _refused(result: RowResult, key: str, reason: str) -> RowResult:
    label = {"id_number": "身份证号码", "handling_region": "办理地"}[key]
    result.status, result.fields, result.reason = REFUSED, {key: reason}, f"{label}：{reason}"
    return result
