"""Each field type accepts what people really write and says exactly what is wrong otherwise."""
import pytest

from catalog.field_values import FieldValueError, clean_value, facts_from_id_number, service_length
from catalog.loader import load_profile
from catalog.regions import RegionDirectory

PROFILE = load_profile("sichuan")


@pytest.fixture(scope="module")
def regions():
    return RegionDirectory.load()


def clean(key, raw, regions, within=None):
    return clean_value(PROFILE.fields[key], raw, regions, within)


@pytest.mark.parametrize("raw, stored", [
    ("11010519491231002X", "11010519491231002X"),
    ("11010519491231002x", "11010519491231002X"),
    ("110105 19491231 002X", "11010519491231002X"),
])
def test_valid_id_numbers_are_normalised(raw, stored, regions):
    assert clean("id_number", raw, regions) == stored


@pytest.mark.parametrize("raw, message", [
    ("110105194912310021", "校验位不对"),
    ("11010519491331002X", "出生日期无效"),
    ("1101051949123100", "应为18位，现在是16位"),
    ("11010519491231002Y", "最后一位为数字或X"),
])
def test_bad_id_numbers_say_what_is_wrong(raw, message, regions):
    with pytest.raises(FieldValueError, match=message):
        clean("id_number", raw, regions)


def test_gender_and_birth_date_come_from_the_id_number():
    assert facts_from_id_number("11010519491231002X") == {"gender": "女", "birth_date": "1949-12-31"}
    assert facts_from_id_number("440106199901010010")["gender"] == "男"


@pytest.mark.parametrize("raw, stored", [("13800138000", "13800138000"), ("+86 138 0013 8000", "13800138000")])
def test_mobile_numbers(raw, stored, regions):
    assert clean("phone", raw, regions) == stored


def test_a_landline_is_allowed_for_the_emergency_contact_only(regions):
    assert clean("emergency_contact_phone", "028-86001234", regions) == "028-86001234"
    with pytest.raises(FieldValueError, match="11位手机号码"):
        clean("phone", "028-86001234", regions)


@pytest.mark.parametrize("raw", ["王磊", "欧阳娜娜", "阿卜杜热合曼·买买提明"])
def test_names_of_people_as_they_are_written(raw, regions):
    assert clean("emergency_contact_name", raw, regions) == raw


def test_a_chinese_name_typed_with_spaces_is_kept_without_them(regions):
    assert clean("emergency_contact_name", "王 磊", regions) == "王磊"
    assert clean("emergency_contact_name", "Wang Lei", regions) == "Wang Lei"


@pytest.mark.parametrize("key", ["name", "householder_name"])
def test_a_name_that_must_match_the_id_card_is_in_characters(key, regions):
    assert clean(key, "阿依古丽·买买提", regions) == "阿依古丽·买买提"
    assert clean(key, "刘䶮", regions) == "刘䶮" and clean(key, "王𬌗", regions) == "王𬌗"  # 生僻字 of real ID cards
    with pytest.raises(FieldValueError, match="请用汉字填写，与身份证上的姓名一致"):
        clean(key, "Wang Lei", regions)


@pytest.mark.parametrize("raw", ["你好", "我妈张丽", "退伍证号2020091234"])
def test_a_greeting_or_a_number_is_no_name(raw, regions):
    with pytest.raises(FieldValueError, match=f"紧急联系人姓名“{raw}”不像姓名"):
        clean("emergency_contact_name", raw, regions)


@pytest.mark.parametrize("raw, stored", [
    ("2018-09", "2018-09"), ("2018-9-1", "2018-09-01"), ("2018年9月", "2018-09"), ("2018.09", "2018-09"),
    ("2018/09/01", "2018-09-01"), ("2018年9月1日", "2018-09-01"),
])
def test_dates_as_year_month_or_full_date(raw, stored, regions):
    assert clean("enlistment_date", raw, regions) == stored


@pytest.mark.parametrize("raw", ["2018-13", "2018-02-30", "九月", "1900-01", 201809])
def test_impossible_dates_are_refused(raw, regions):
    with pytest.raises(FieldValueError, match="入伍时间"):
        clean("enlistment_date", raw, regions)


def test_bank_accounts_are_12_to_19_digits(regions):
    assert clean("bank_account", "6222 0202 0011 2233 445", regions) == "6222020200112233445"
    with pytest.raises(FieldValueError, match="12到19位数字"):
        clean("bank_account", "62220202", regions)


def test_choices_must_come_from_the_options(regions):
    assert clean("ethnicity", "彝族", regions) == "彝族"
    with pytest.raises(FieldValueError, match="不在可选范围内"):
        clean("ethnicity", "火星族", regions)


def test_regions_resolve_names_to_code_and_full_name(regions):
    assert clean("birthplace", "成都市锦江区", regions) == {"code": "510104", "name": "四川省成都市锦江区"}
    assert clean("birthplace", {"code": "440106"}, regions)["name"] == "广东省广州市天河区"


def test_training_need_understands_the_form_wording(regions):
    assert clean("training_need", "有需求", regions) is True
    assert clean("training_need", "暂无需求", regions) is False
    with pytest.raises(FieldValueError, match="有需求或暂无需求"):
        clean("training_need", "也许", regions)


def test_text_over_its_length_is_refused(regions):
    with pytest.raises(FieldValueError, match="最多30个字"):
        clean("name", "王" * 31, regions)


def test_service_length_from_dates():
    assert service_length("2019-09", "2024-09") == "5年"
    assert service_length("2019-09", "2021-12-01") == "2年3个月"
    assert service_length("2022-09-20", "2024-09-05") == "1年11个月"  # the last month not served to its day
    assert service_length("2022-09-05", "2024-09-05") == "2年"


@pytest.mark.parametrize("key, raw, stored", [
    ("bank_account", "６２２２０２０２００１１２２３３４４５", "6222020200112233445"),
    ("phone", "１３８００１３８０００", "13800138000"),
])
def test_full_width_digits_are_stored_as_digits(key, raw, stored, regions):
    assert clean(key, raw, regions) == stored


@pytest.mark.parametrize("key", ["address", "mailing_address", "enlistment_address"])
def test_every_address_must_look_like_one(key, regions):
    with pytest.raises(FieldValueError, match="不像地址"):
        clean(key, "123", regions)
    assert clean(key, "红星路1号", regions) == "红星路1号"


def test_what_one_is_is_no_name(regions):
    with pytest.raises(FieldValueError, match="不像姓名"):
        clean("name", "退役军人", regions)


@pytest.mark.parametrize("raw, stored", [("成都市锦江区", {"code": "510100", "name": "四川省成都市"}),
                                         ("成都", {"code": "510100", "name": "四川省成都市"}),
                                         ("510104", {"code": "510100", "name": "四川省成都市"})])
def test_the_card_city_is_the_city_of_the_county_given(raw, stored, regions):
    assert clean("card_city", raw, regions, "51") == stored


def test_a_province_is_no_card_city(regions):
    with pytest.raises(FieldValueError, match="请选择到市（州）一级，“四川省”是省级"):
        clean("card_city", "四川省", regions, "51")


def test_an_x_inside_an_id_number_is_told_where_it_is(regions):
    with pytest.raises(FieldValueError, match="^身份证号码第16位“X”不对：前17位应为数字，最后一位为数字或X$"):
        clean("id_number", "510104199903150X17", regions)


@pytest.mark.parametrize("raw, level", [("四川省成都市锦江区", "县（市、区）"), ("成都市锦江区", "县（市、区）"),
                                        ("广东省广州市", "市（州）")])
def test_a_place_without_its_street_is_no_address(raw, level, regions):
    with pytest.raises(FieldValueError, match=f"^联系地址“{raw}”只写到了{level}，请写明路"):
        clean("address", raw, regions)


@pytest.mark.parametrize("raw", ["跟身份证上一样", "和户口本上的相同", "同上"])
def test_an_address_said_to_be_the_same_as_another_is_asked_for(raw, regions):
    with pytest.raises(FieldValueError, match=f"^联系地址请直接写出来，不能写“{raw}”"):
        clean("address", raw, regions)
