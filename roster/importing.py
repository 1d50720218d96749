"""Importing the 接收安置名册 that window staff upload (CSV or XLSX).

Columns are catalog field keys or their Chinese labels, plus `veteran_type` (退役类型, 安置方式).
Every row is checked with the form's own field checks; a bad row is refused with its reasons and
never blocks the good ones. A person already in the roster (same ID number) is updated, not
duplicated, and only within the importing staff member's region.
"""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cases import form
from cases.context import Context
from cases.errors import Conflict, InvalidForm
from catalog.field_values import FieldValueError, clean_value
from catalog.profile import Field, Profile
from models import RosterEntry, Staff, db
from roster.tables import Row, cell_text, read_table
from security.sealing import mask

IMPORTED, UPDATED, REFUSED = "imported", "updated", "refused"
VETERAN_TYPE = "veteran_type"
HEADER_ALIASES = {"退役类型": VETERAN_TYPE, "安置方式": VETERAN_TYPE, "身份证号": "id_number",
                  "公民身份号码": "id_number"}
REQUIRED = ("name", "id_number")


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
    header, rows = read_table(data)
    columns, ignored = _columns(ctx.profile, header)
    default_region = staff.region if len(staff.region) == 6 else None
    missing = [key for key in REQUIRED if key not in columns.values()]
    if missing:
        names = "、".join(f"{ctx.profile.fields[k].label}（{k}）" for k in missing)
        raise InvalidForm("missing_columns", f"名册缺少必需的列：{names}", {"file": f"缺少列：{names}"})
    results, seen = [], {}
    for row in rows:
        result, values, veteran_type = _check_row(ctx, staff, columns, row, default_region)
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


def _columns(profile: Profile, header: list[str]) -> tuple[dict[int, str], list[str]]:
    """{column index: field key} for the columns we know, and the headers left out (with why)."""
    by_name = {VETERAN_TYPE: VETERAN_TYPE, **HEADER_ALIASES}
    for f in profile.fields.values():
        by_name[f.key] = by_name[f.label] = f.key
    columns, ignored, taken = {}, [], {}
    for index, raw in enumerate(header):
        name = raw.replace("*", "").replace("＊", "").strip()
        key = by_name.get(name) or by_name.get(name.lower())
        if not name:
            continue
        if key is None:
            ignored.append(f"{name}（不认识的列）")
        elif key != VETERAN_TYPE and (profile.fields[key].derived_from or profile.fields[key].staff_only):
            ignored.append(f"{name}（由系统生成或由窗口填写，不从名册导入）")
        elif key in taken:
            raise InvalidForm("duplicate_column", f"“{name}”与“{taken[key]}”是同一列，请只保留一列",
                              {"file": f"列重复：{name}"})
        else:
            columns[index] = key
            taken[key] = name
    return columns, ignored


def _check_row(ctx: Context, staff: Staff, columns: dict[int, str], row: Row, default_region: str | None):
    profile = ctx.profile
    values, errors, veteran_type = {}, {}, None
    for index, key in columns.items():
        raw = row.cells[index] if index < len(row.cells) else None
        text = cell_text(raw)
        if not text:
            continue
        if key == VETERAN_TYPE:
            veteran_type = _veteran_type(profile, text, errors)
            continue
        spec = profile.fields[key]
        if spec.type == "id_number" and isinstance(raw, (int, float)):
            errors[key] = f"{spec.label}在 Excel 中存成了数字，后几位已丢失；请把这一列设为“文本”格式后重新填写"
            continue
        try:
            values[key] = _handling_region(ctx, spec, text) if key == "handling_region" else \
                clean_value(spec, text, ctx.regions)
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
        result.fields = errors
        result.reason = "；".join(_labelled(profile.fields[k].label if k in profile.fields else "退役类型", v)
                                  for k, v in errors.items())
    return result, values, veteran_type


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


def _veteran_type(profile: Profile, text: str, errors: dict) -> str | None:
    for key, kind in profile.veteran_types.items():
        if text in (key, kind.label):
            return key
    shown = "、".join(kind.label for kind in profile.veteran_types.values())
    errors[VETERAN_TYPE] = f"“{text}”不是退役类型，应为{shown}之一"
    return None


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
