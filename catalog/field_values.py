"""Checks and normalises one field value by its catalog type.

Used by the case API and the chat alike, so a value means the same whichever way it came in.
Messages are in Chinese and say exactly what is wrong.
"""
import re
import unicodedata
from datetime import date

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from catalog.china_time import today_in_china
from catalog.profile import Field
from catalog.regions import RegionAmbiguous, RegionDirectory, RegionNotFound

MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")
DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?|月)?")
YES = {True, "是", "有", "有需求", "yes", "true", "1"}
NO = {False, "否", "无", "没有", "暂无需求", "no", "false", "0"}

# Chinese characters, with the rare ones of names on ID cards (刘䶮, 王𬌗: the CJK extensions).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003347f"
PERSON_NAME = re.compile(rf"[{HAN}A-Za-z·•. ]{{2,30}}")  # with the "·" of minority names
ID_CARD_NAME = re.compile(rf"[{HAN}·•.]{{2,30}}")
HAN_GAP = re.compile(rf"(?<=[{HAN}])\s+(?=[{HAN}])")  # "王 磊" typed with a space
# "你好", "我妈张丽", "退役军人" are no names; "王磊今年刚退伍": the name ends before them
NEVER_IN_NAMES = re.compile(r"[你我您咱的吗呢吧啊啥呀]|退役|退伍|军人|士兵|军官|干部|党员|群众|今年|去年|前年|刚退|刚从|已经|现在")
# A whole answer that gives nothing ("不知道", "保密", "无"); "无锡市…" merely holds such a word.
NON_ANSWER = re.compile(
    r"(?:我|我也|也|还|暂时|现在)?(?:不知道|不清楚|不太清楚|不记得|记不清|忘了|忘记了|跳过|保密|不方便说|不方便|"
    r"不想说|不告诉你|没有|没|无|暂无|随便|不详|未知|不填|嗯+|呃+)(?:了|啊|呀|呢|吧|哦|嘛)?[。.!！?？~…]*")
ADDRESS_MIN_LENGTH = 5  # "红星路1号"
SAME_AS = re.compile(r"一样|相同|一致|同上")  # "跟身份证上一样": no address
LEVEL_NAMES = {"province": "省", "prefecture": "市（州）", "county": "县（市、区）"}


NUMBER_TYPES = {"id_number", "phone", "bank_account", "date"}


class FieldValueError(ValueError):
    """A value that cannot be accepted; str(exc) is the Chinese reason."""


def clean_value(field: Field, raw, regions: RegionDirectory, within_region: str | None = None):
    """The stored form of `raw` for `field`, or FieldValueError saying what is wrong."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise FieldValueError(f"请填写{field.label}")
    if isinstance(raw, str) and field.type in NUMBER_TYPES:
        raw = unicodedata.normalize("NFKC", raw)  # "１３８…" typed with full-width digits is stored as 138…
    cleaner = _CLEANERS[field.type]
    return cleaner(field, raw, regions, within_region)


def _words(field: Field, raw) -> str:
    if not isinstance(raw, str):
        raise FieldValueError(f"{field.label}应为文字")
    value = " ".join(raw.split())
    if field.max_length and len(value) > field.max_length:
        raise FieldValueError(f"{field.label}最多{field.max_length}个字，现在是{len(value)}个字")
    return value


def _text(field: Field, raw, regions: RegionDirectory, *_):
    value = _words(field, raw)
    if NON_ANSWER.fullmatch(value):
        raise FieldValueError(f"{field.label}是必填项，请填写；如暂时不清楚，可以回复“稍后再说”，想好了再继续")
    if field.person_name:
        value = HAN_GAP.sub("", value)
    if field.person_name and (not PERSON_NAME.fullmatch(value) or NEVER_IN_NAMES.search(value)):
        raise FieldValueError(f"{field.label}“{value}”不像姓名，请填写2到30个字的姓名（少数民族姓名可含“·”）")
    if field.as_on_id_card and not ID_CARD_NAME.fullmatch(value):
        raise FieldValueError(f"{field.label}“{value}”请用汉字填写，与身份证上的姓名一致")
    if field.address:
        _check_address(field, value, regions)
    if field.pattern and not re.fullmatch(field.pattern, value):
        raise FieldValueError(f"{field.label}应为{field.pattern_hint}，您填写的是“{value}”")
    return value


def _check_address(field: Field, value: str, regions: RegionDirectory) -> None:
    """An address names a place below the county: "四川省成都市锦江区" is where it lies, not the address;
    "跟身份证上一样" points at an address the form does not hold."""
    asked = "请写明路（街、村）和门牌号，如“××路1号”"
    if SAME_AS.search(value) and not re.search(r"\d", value):
        raise FieldValueError(f"{field.label}请直接写出来，不能写“{value}”：{asked}")
    if len(value) < ADDRESS_MIN_LENGTH or not re.search(r"[\u4e00-\u9fff]", value):
        raise FieldValueError(f"{field.label}“{value}”不像地址，{asked}")
    try:
        level = LEVEL_NAMES[regions.resolve(value).level]
    except RegionNotFound:
        return
    except RegionAmbiguous:
        level = LEVEL_NAMES["county"]
    raise FieldValueError(f"{field.label}“{value}”只写到了{level}，{asked}")


def _choice(field: Field, raw, *_):
    value = _words(field, raw)
    if value not in field.options:
        shown = "、".join(field.options[:8]) + ("等" if len(field.options) > 8 else "")
        raise FieldValueError(f"{field.label}“{value}”不在可选范围内，请从{shown}中选择")
    return value


def check_id_number(raw) -> str:
    """A valid 18-digit 公民身份号码 (GB 11643), upper-case, or FieldValueError."""
    if not isinstance(raw, str):
        raise FieldValueError("身份证号码应为18位文字")
    value = re.sub(r"\s", "", raw).upper()
    if len(value) != 18:
        raise FieldValueError(f"身份证号码应为18位，现在是{len(value)}位")
    wrong = next((i for i, c in enumerate(value) if not c.isdigit() and (i, c) != (17, "X")), None)
    if wrong is not None:  # "510104199903150X17": say which one
        raise FieldValueError(f"身份证号码第{wrong + 1}位“{value[wrong]}”不对：前17位应为数字，最后一位为数字或X")
    try:
        birth = ric.get_birth_date(value)
    except InvalidComponent:
        raise FieldValueError("身份证号码中的出生日期无效，请核对第7到14位") from None
    if birth > today_in_china():
        raise FieldValueError(f"身份证号码中的出生日期{birth.isoformat()}晚于今天，请核对第7到14位")
    if not _known_county(value[:6]):
        raise FieldValueError("身份证号码前6位不是有效的地区代码，请核对")
    if ric.calc_check_digit(value) != value[17]:
        raise FieldValueError("身份证号校验位不对，请核对最后一位")
    return value


def example_id_number(region: str, birth: str, sequence: int) -> str:
    """A well-formed made-up 身份证号 (valid check digit), e.g. for birth "19980101": demo data and examples."""
    body = f"{region}{birth}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def _known_county(code: str) -> bool:
    """Whether stdnum's code list names `code` in any period: the code is where the number was issued,
    often years after the birth date, so a county newer than the holder still counts."""
    return any("county" in props for _, props in numdb.get("cn/loc").info(code))


def _id_number(field: Field, raw, *_):
    return check_id_number(raw)


def _phone(field: Field, raw, *_):
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        raise FieldValueError(f"{field.label}应为号码")
    value = re.sub(r"[\s()（）]", "", str(raw))
    value = re.sub(r"^(\+?86)(?=1\d{10}$)", "", value)
    if MOBILE.fullmatch(value):
        return value
    if field.landline_allowed and LANDLINE.fullmatch(value):
        return value
    kind = "手机号码或固定电话（如 028-12345678）" if field.landline_allowed else "11位手机号码"
    raise FieldValueError(f"{field.label}“{value}”不是有效的{kind}")


def _date(field: Field, raw, *_):
    if not isinstance(raw, str):
        raise FieldValueError(f"{field.label}应写成年月（如 2018-09）或日期（如 2018-09-01）")
    match = DATE.fullmatch(raw.strip())
    if not match:
        raise FieldValueError(f"{field.label}应写成年月（如 2018-09）或日期（如 2018-09-01）")
    year, month, day = int(match[1]), int(match[2]), match[3]
    if not 1950 <= year <= 2100:
        raise FieldValueError(f"{field.label}的年份{year}不合理")
    try:
        when = date(year, month, int(day) if day else 1)
    except ValueError:
        raise FieldValueError(f"{field.label}“{raw}”不是有效的日期") from None
    today = today_in_china()
    if not field.future_allowed and (when > today if day else (year, month) > (today.year, today.month)):
        raise FieldValueError(f"{field.label}“{raw.strip()}”晚于今天，请填写已经过去的日期")
    return f"{year:04d}-{month:02d}" + (f"-{int(day):02d}" if day else "")


def _region(field: Field, raw, regions: RegionDirectory, within_region):
    text = raw.get("code") if isinstance(raw, dict) else raw
    if not isinstance(text, str):
        raise FieldValueError(f"{field.label}应为地名或6位行政区划代码")
    try:
        region = regions.resolve(text, within=within_region)
    except ValueError as exc:
        raise FieldValueError(f"{field.label}：{exc}") from None
    if field.county_level and not regions.is_county_level(region.code):
        level = "省级" if region.level == "province" else "市（州）级"
        raise FieldValueError(f"{field.label}：请选择到县（市、区）一级，“{region.full_name}”是{level}")
    if field.prefecture_level:
        region = regions.prefecture_of(region)
        if region.level == "province":
            raise FieldValueError(f"{field.label}：请选择到市（州）一级，“{region.full_name}”是省级")
    return {"code": region.code, "name": region.full_name}


def _bank_account(field: Field, raw, *_):
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        raise FieldValueError(f"{field.label}应为12到19位数字")
    value = re.sub(r"[\s-]", "", str(raw))
    if not value.isdigit() or not 12 <= len(value) <= 19:
        raise FieldValueError(f"{field.label}应为12到19位数字，现在是“{value[:4]}…”共{len(value)}位")
    return value


def _yes_no(field: Field, raw, *_):
    if not isinstance(raw, (str, bool)):
        raise FieldValueError(f"{field.label}请回答{field.yes_label}或{field.no_label}")
    value = raw.strip().lower() if isinstance(raw, str) else raw
    if value in YES or value == field.yes_label:
        return True
    if value in NO or value == field.no_label:
        return False
    raise FieldValueError(f"{field.label}请回答{field.yes_label}或{field.no_label}")


_CLEANERS = {
    "text": _text, "choice": _choice, "id_number": _id_number, "phone": _phone, "date": _date,
    "region": _region, "bank_account": _bank_account, "yes_no": _yes_no,
}


def facts_from_id_number(id_number: str) -> dict:
    """Gender and birth date that a valid ID number states (GB 11643: 17th digit odd = 男)."""
    birth = ric.get_birth_date(id_number)
    return {"gender": "男" if int(id_number[16]) % 2 else "女", "birth_date": birth.isoformat()}


def service_length(enlisted: str, discharged: str) -> str:
    """服役时间 from two stored dates, e.g. "2年" or "4年3个月": whole months, so when both dates have
    their day, a month not served to its day does not count (2022-09-20 to 2024-09-05: 1年11个月)."""
    (y1, m1, *d1), (y2, m2, *d2) = (map(int, enlisted.split("-")), map(int, discharged.split("-")))
    months = (y2 - y1) * 12 + (m2 - m1) - (1 if d1 and d2 and d2[0] < d1[0] else 0)
    years, rest = divmod(months, 12)
    return (f"{years}年" if years else "") + (f"{rest}个月" if rest else "") or "不满1个月"
