"""Values are fitted to WeChat's keyword limits before sending, whatever the facts hold."""
import pytest

from catalog.loader import load_profile
from notify.events import DATE, DATETIME, EVENT_FACTS, FACT_KINDS, PHRASE, TEXT
from notify.templates import fit, render_data
from tests.fakes.wechat_server import valid_value

NASTY_TEXT = ["", None, "短", "退" * 21, "第一行\n第二行\r\n第三行", "  空格  很多  ", "🎖️军人优待证" * 5,
              "TY51202611220000123456789012345678901234", 12345]


@pytest.mark.parametrize("value", NASTY_TEXT)
@pytest.mark.parametrize("key", ["thing1", "phrase2", "character_string3"])
def test_any_text_fits_its_keyword(key, value):
    assert valid_value(key, fit(key, TEXT if key != "phrase2" else PHRASE, value))


def test_a_long_thing_is_cut_to_twenty_characters_with_an_ellipsis():
    assert fit("thing1", TEXT, "社会保障卡已寄出，顺丰单号SF1234567890123") == "社会保障卡已寄出，顺丰单号SF1234…"
    assert len(fit("thing1", TEXT, "退" * 20)) == 20 and fit("thing1", TEXT, "退" * 20) == "退" * 20


def test_line_breaks_become_spaces():
    assert fit("thing1", TEXT, "缺少\n户口本") == "缺少 户口本"


def test_a_phrase_keeps_at_most_five_chinese_characters():
    assert fit("phrase1", PHRASE, "已办结") == "已办结"
    assert fit("phrase1", PHRASE, "已提交，待审核") == "已提交待审"


def test_a_character_string_keeps_only_ascii_and_32_characters():
    assert fit("character_string1", TEXT, "TY-51 编号2026") == "TY-512026"
    assert len(fit("character_string1", TEXT, "A" * 40)) == 32


def test_times_and_dates_are_written_the_chinese_way_in_china_time():
    assert fit("time1", DATETIME, "2026-11-22T02:30:00+00:00") == "2026年11月22日 10:30"
    assert fit("time1", DATETIME, "2026-11-22T02:30:00") == "2026年11月22日 10:30"  # SQLite drops the zone
    assert fit("date1", DATETIME, "2026-11-22T17:30:00+00:00") == "2026年11月23日"
    assert fit("time1", DATE, "2026-12-01") == "2026年12月1日"
    assert fit("thing1", DATE, "2026-12-01") == "2026年12月1日"
    assert valid_value("time1", fit("time1", DATETIME, None))


@pytest.mark.parametrize("province", ["guangdong", "sichuan", "jilin"])
def test_every_template_of_every_profile_renders_valid_data_for_its_events(province):
    facts = {"case_no": "TY51202611220001", "matter": "退役军人服务“一件事”联办申请的全部事项", "status": "全部办结",
             "time": "2026-11-22T02:30:00+00:00", "remark": "x" * 50, "deadline": "2026-12-01",
             "reason": "需补正：姓名、照片\n请一次改好", "result": "已办结", "department": "退役军人事务部门"}
    assert set(facts) == set(FACT_KINDS)
    for template in load_profile(province).subscribe_templates.values():
        for event in template.events:
            data = render_data(template.data_for(event), {k: v for k, v in facts.items() if k in EVENT_FACTS[event]})
            assert all(valid_value(key, item["value"]) for key, item in data.items()), (template.key, event, data)
