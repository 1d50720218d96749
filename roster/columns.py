r"""Which column of a roster is which field. Headers are catalog field keys or labels, or a name rosters
use for one ("公民身份证号码", "退伍时间", "安置方式"), written as clerks write them: with spaces or line
breaks ("姓 名", "身份\n证号码"), half-width brackets ("办理市(州)县(市、区)"), a "*" for required, and a
note in brackets after the name that says how to fill it in ("身份证号码(18位)", "入伍时间（年月）") or names the
same field ("退役类型（安置方式）"); any other note may change the meaning ("身份证号码（户主）"), so the column
stays unknown."""
import re

from cases.errors import InvalidForm
from catalog.profile import Profile

VETERAN_TYPE = "veteran_type"
REQUIRED = ("name", "id_number")
# Only names that can mean one field: "证件号码", "电话" or "部别" could be several and stay unknown.
HEADER_ALIASES = {
    "退役类型": VETERAN_TYPE, "安置方式": VETERAN_TYPE, "安置类别": VETERAN_TYPE, "安置类型": VETERAN_TYPE,
    "身份证号": "id_number", "身份证": "id_number", "公民身份号码": "id_number", "公民身份证号码": "id_number",
    "公民身份证号": "id_number",
    "入伍年月": "enlistment_date", "入伍日期": "enlistment_date",
    "退伍时间": "discharge_date", "退役年月": "discharge_date", "退伍年月": "discharge_date",
    "退役日期": "discharge_date", "退伍日期": "discharge_date",
    "部队代号": "unit_code", "原部队代号": "unit_code",
    "退出现役证书编号": "discharge_cert_no", "退出现役证编号": "discharge_cert_no", "退出现役证书号": "discharge_cert_no",
    "退伍证号": "discharge_cert_no",
    "手机号": "phone", "手机": "phone", "联系电话": "phone",
    "办理地": "handling_region", "办理县区": "handling_region", "办理县（市、区）": "handling_region",
    "军种": "service_branch", "银行卡号": "bank_account", "开户行": "bank_name", "开户银行": "bank_name",
}
MARKS = re.compile(r"[\s*＊]")
FULL_WIDTH_BRACKETS = str.maketrans("()", "（）")
NOTE = re.compile(r"（([^（）]*)）$")
HOW_TO_FILL = re.compile(r".*(?:\d|必填|选填|格式|年月|日期).*")


def columns(profile: Profile, header: list[str]) -> tuple[dict[int, str], list[str]]:
    """{column index: field key} for the columns we know, and the headers left out (with why)."""
    names = _names(profile)
    found, ignored, taken = {}, [], {}
    for index, raw in enumerate(header):
        name = MARKS.sub("", raw)
        if not name:
            continue
        key = _key(names, name)
        if key is None:
            ignored.append(f"{name}（不认识的列）")
        elif key != VETERAN_TYPE and (profile.fields[key].derived_from or profile.fields[key].staff_only):
            ignored.append(f"{name}（由系统生成或由窗口填写，不从名册导入）")
        elif key in taken:
            raise InvalidForm("duplicate_column", f"“{name}”与“{taken[key]}”是同一列，请只保留一列",
                              {"file": f"列重复：{name}"})
        else:
            found[index] = key
            taken[key] = name
    return found, ignored


def is_header(profile: Profile, row: list[str]) -> bool:
    """Whether a row names every required column: the header, not a title or a data row."""
    names = _names(profile)
    return set(REQUIRED) <= {_key(names, MARKS.sub("", cell)) for cell in row}


def _names(profile: Profile) -> dict[str, str]:
    names = {VETERAN_TYPE: VETERAN_TYPE, **HEADER_ALIASES}
    for f in profile.fields.values():
        names[f.key] = names[f.label] = f.key
    return names


def _key(names: dict[str, str], name: str) -> str | None:
    name = name.translate(FULL_WIDTH_BRACKETS).lower()
    if name in names:
        return names[name]
    note = NOTE.search(name)
    key = note and names.get(name[:note.start()])
    if key and (HOW_TO_FILL.fullmatch(note[1]) or names.get(note[1]) == key):
        return key
    return None
