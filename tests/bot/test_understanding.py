"""Values as people type them: dates in every common form, yes and no, choices, places, numbers."""
import pytest

from bot import understanding as u
from catalog.regions import RegionDirectory


@pytest.mark.parametrize("text, value", [
    ("2018年9月", "2018-09"), ("18年9月", "2018-09"), ("二〇一八年九月", "2018-09"), ("2018.9", "2018-09"),
    ("2018-09-01", "2018-09-01"), ("2018/9/1", "2018-09-01"), ("二〇二四年十二月三十一日", "2024-12-31"),
    ("我是2019年9月入伍的", "2019-09"), ("99年12月", "1999-12"),
])
def test_dates_in_every_common_form(text, value):
    assert u.find_date(text)[0] == value


@pytest.mark.parametrize("text", ["九月", "2018年13月", "去年", ""])
def test_not_a_date(text):
    assert u.find_date(text) is None


@pytest.mark.parametrize("text, value", [
    ("是的", True), ("对", True), ("有", True), ("嗯嗯", True), ("需要", True), ("没错", True),
    ("没有", False), ("不需要", False), ("不是", False), ("否", False), ("暂无需求", False), ("不要", False),
    ("户口注销了", True), ("随便", None), ("行", True), ("工商银行", None),
])
def test_yes_and_no_in_all_their_forms(text, value):
    assert u.find_yes_no(text) is value


SCREENING_TOPICS = [("户口", "注销"), ("驾照", "开车"), ("培训", "学"), ("预备役",)]


@pytest.mark.parametrize("text, parts", [
    ("对户口注销了有培训需求不服预备役", ["对户口注销了", "有培训需求", "不服预备役"]),
    ("户口没注销也不需要培训", ["户口没注销", "也不需要培训"]),
    ("户口注销了想学开车", ["户口注销了", "想学开车"]),  # learning to drive is no military licence
    ("户口注销了", ["户口注销了"]),
])
def test_voice_input_is_cut_where_the_next_topic_begins(text, parts):
    assert u.clauses(text, SCREENING_TOPICS) == parts


def test_choices_by_everyday_names():
    options = ("研究生", "大学本科", "大学专科", "中等专科", "普通高中", "初中")
    synonyms = {"普通高中": ("高中",), "大学专科": ("大专",)}
    assert u.find_choice("我是高中毕业", options, synonyms)[0] == "普通高中"
    assert u.find_choice("大专", options, synonyms)[0] == "大学专科"
    assert u.find_choice("大学本科", options, synonyms)[0] == "大学本科"
    assert u.find_choice("幼儿园", options, synonyms) is None


@pytest.fixture(scope="module")
def regions():
    return RegionDirectory.load()


@pytest.mark.parametrize("text, code", [
    ("广州市天河区", "440106"), ("天河", "440106"), ("四川成都", "510100"), ("我在成都市锦江区", "510104"),
    ("510104", "510104"), ("在锦江区办", "510104"),
])
def test_places_by_name_at_any_level(regions, text, code):
    assert u.find_region(text, regions).code == code


def test_numbers_inside_sentences():
    assert u.find_id_number("身份证号是510104199903150115哦")[0] == "510104199903150115"
    assert u.find_phone("电话：138 0013 8000")[0] == "13800138000"
    assert u.find_phone("座机028-86001234", landline_allowed=True)[0] == "028-86001234"
    assert u.find_bank_account("卡号6222 0202 0011 2233 445")[0] == "6222020200112233445"


def test_numbers_written_with_spaces_stay_one_piece():
    assert u.segments("手机 138 0013 8000，2018-09-01") == ["手机", "13800138000", "2018-09-01"]


def test_dates_counted_back_from_this_year():
    from catalog.china_time import today_in_china
    year = today_in_china().year
    assert u.find_date("前年9月入伍")[0] == f"{year - 2}-09" and u.find_date("去年十二月")[0] == f"{year - 1}-12"


def test_a_date_then_a_number_said_with_a_space_stay_two_values():
    assert u.segments("退役2024.9 32145部队") == ["退役2024.9", "32145部队"]
    assert u.segments("138 0013 8000") == ["13800138000"]


def test_dates_as_voice_input_mixes_digits_and_characters():
    assert u.find_date("2019年九月入伍")[0] == "2019-09" and u.find_date("二〇一九年9月")[0] == "2019-09"
    assert u.find_date("零九年十二月入伍")[0] == "2009-12" and u.find_date("一四年十二月")[0] == "2014-12"


def test_this_month_and_the_last_are_dates():
    from datetime import timedelta

    from catalog.china_time import today_in_china
    today = today_in_china()
    last = today.replace(day=1) - timedelta(days=1)
    assert u.find_date("本月")[0] == u.find_date("这个月")[0] == f"{today:%Y-%m}"
    assert u.find_date("上个月")[0] == f"{last:%Y-%m}"
