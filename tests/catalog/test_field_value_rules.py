"""Rules found missing by exploratory testing: real ID numbers of older people, dates in the future,
non-answers and junk in text fields."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from catalog.field_values import FieldValueError, clean_value, example_id_number
from catalog.loader import load_profile
from catalog.regions import RegionDirectory

PROFILE = load_profile("sichuan")
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


@pytest.fixture(scope="module")
def regions():
    return RegionDirectory.load()


def clean(key, raw, regions):
    return clean_value(PROFILE.fields[key], raw, regions)


def id_number(county: str, birth: str, sequence: str = "011") -> str:
    return example_id_number(county, birth, int(sequence))


@pytest.mark.parametrize("county, birth", [
    ("510104", "19650412"),  # 锦江区 since 1990
    ("440106", "19840101"),  # 天河区 since 1985
    ("220104", "19621003"),  # 长春朝阳区 since 1983
    ("440305", "19700521"),  # 南山区 since 1990 (南头区办事处 1983–1989)
    ("110101", "19490101"),  # 北京东城区, undated
    ("510100", "19700101"),  # a prefecture code, as stdnum lists it
])
def test_a_county_code_newer_than_the_birth_year_is_accepted(county, birth, regions):
    number = id_number(county, birth)
    assert clean("id_number", number, regions) == number
    assert clean("householder_id_number", number, regions) == number


@pytest.mark.parametrize("county", ["330104", "110104"])  # 江干区 [1983-2021], 宣武区 [-2010]: abolished codes
def test_a_code_that_existed_once_is_accepted(county, regions):
    number = id_number(county, "19800101")
    assert clean("id_number", number, regions) == number


@pytest.mark.parametrize("county", ["990101", "519999", "510199"])
def test_a_code_that_never_existed_is_refused(county, regions):
    with pytest.raises(FieldValueError, match="前6位不是有效的地区代码"):
        clean("id_number", id_number(county, "19800101"), regions)


def test_a_birth_date_in_the_future_is_refused(regions):
    with pytest.raises(FieldValueError, match="身份证号码中的出生日期2030-03-15晚于今天"):
        clean("id_number", id_number("510104", "20300315"), regions)
    tomorrow = date.fromordinal(TODAY.toordinal() + 1)
    with pytest.raises(FieldValueError, match="晚于今天"):
        clean("householder_id_number", id_number("510104", tomorrow.strftime("%Y%m%d")), regions)
    born_today = id_number("510104", TODAY.strftime("%Y%m%d"))
    assert clean("id_number", born_today, regions) == born_today


@pytest.mark.parametrize("key", ["enlistment_date", "discharge_date", "first_insured_month"])
@pytest.mark.parametrize("raw", ["2035年9月", "2035-09-01", f"{TODAY.year + 1}-01"])
def test_dates_that_must_be_past_refuse_the_future(key, raw, regions):
    label = PROFILE.fields[key].label
    with pytest.raises(FieldValueError, match=f"{label}“{raw}”晚于今天"):
        clean(key, raw, regions)


def test_this_month_and_today_are_not_the_future(regions):
    assert clean("discharge_date", f"{TODAY.year}年{TODAY.month}月", regions) == TODAY.strftime("%Y-%m")
    assert clean("discharge_date", TODAY.isoformat(), regions) == TODAY.isoformat()
    tomorrow = date.fromordinal(TODAY.toordinal() + 1)
    with pytest.raises(FieldValueError, match="晚于今天"):
        clean("discharge_date", tomorrow.isoformat(), regions)


def test_the_coming_insurance_start_may_be_in_the_future(regions):
    assert clean("medical_insurance_start", f"{TODAY.year + 1}-01", regions) == f"{TODAY.year + 1}-01"


@pytest.mark.parametrize("key", ["address", "emergency_contact_name", "emergency_contact_relation", "unit_code",
                                 "discharge_cert_no", "service_branch", "bank_name", "mailing_address"])
@pytest.mark.parametrize("raw", ["不知道", "跳过", "不清楚", "保密", "不方便说", "没有", "无", "忘了", "随便",
                                 "我不知道啊", "没有。", "嗯"])
def test_a_non_answer_is_no_value(key, raw, regions):
    label = PROFILE.fields[key].label
    with pytest.raises(FieldValueError, match=f"^{label}是必填项，请填写；如暂时不清楚，可以回复“稍后再说”"):
        clean(key, raw, regions)


@pytest.mark.parametrize("key, raw", [
    ("address", "江苏省无锡市梁溪区中山路1号"), ("address", "没有路12号附近的无名小区3栋"),
    ("bank_name", "无锡农村商业银行"), ("emergency_contact_name", "武保密"), ("service_branch", "陆军"),
    ("emergency_contact_relation", "父子"),
])
def test_real_values_holding_those_words_are_kept(key, raw, regions):
    assert clean(key, raw, regions) == raw


@pytest.mark.parametrize("raw", ["32145部队", "61234", "中国人民解放军32145部队", "武警8710部队"])
def test_unit_codes_are_unit_designations(raw, regions):
    assert clean("unit_code", raw, regions) == raw


@pytest.mark.parametrize("raw", ["入的伍", "去年9月退伍", "321部队", "321456", "陆军"])
def test_junk_is_no_unit_code(raw, regions):
    with pytest.raises(FieldValueError, match="^退役时部队代号应为部队番号，如“32145部队”"):
        clean("unit_code", raw, regions)


@pytest.mark.parametrize("raw", ["2024090011", "JZ2019001", "2024-0011"])
def test_discharge_certificate_numbers_are_letters_and_digits(raw, regions):
    assert clean("discharge_cert_no", raw, regions) == raw


@pytest.mark.parametrize("raw", ["我想想", "证书在家里", "12"])
def test_words_are_no_discharge_certificate_number(raw, regions):
    with pytest.raises(FieldValueError, match="^退出现役证号应为"):
        clean("discharge_cert_no", raw, regions)


@pytest.mark.parametrize("raw", ["电话", "1380013800", "成都", "12-3 4"])
def test_too_short_or_digits_only_is_no_address(raw, regions):
    with pytest.raises(FieldValueError, match=f"^联系地址“{raw}”不像地址"):
        clean("address", raw, regions)


@pytest.mark.parametrize("raw", ["红星路1号", "成都市锦江区红星路1号", "四川省成都市武侯区人民南路4段1号"])
def test_real_addresses_are_kept(raw, regions):
    assert clean("address", raw, regions) == raw
