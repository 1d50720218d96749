
import pytest

from catalog.regions import Region, RegionAmbiguous, RegionDirectory, RegionNotFound, RegionOutside, short_name


@pytest.fixture(scope="module")
def regions():
    return RegionDirectory.load()


@pytest.mark.parametrize("text, code", [
    ("510104", "510104"),
    ("成都市锦江区", "510104"),
    ("四川省成都市锦江区", "510104"),
    ("锦江区", "510104"),
    ("锦江", "510104"),
    ("四川锦江", "510104"),
    ("四川成都", "510100"),
    ("成都", "510100"),
    ("成都市", "510100"),
    ("四川省", "510000"),
    ("四川", "510000"),
    ("广州市天河区", "440106"),
    ("天河", "440106"),
    ("天河区", "440106"),
    ("广东广州天河", "440106"),
    ("北京朝阳", "110105"),
    ("北京市朝阳区", "110105"),
    ("长春市朝阳区", "220104"),
    ("吉林朝阳", "220104"),
    ("辽宁朝阳", "211300"),
    ("上海浦东", "310115"),
    ("重庆城口", "500229"),
    ("湖北仙桃", "429004"),
    ("神农架", "429021"),
    ("凉山", "513400"),
    ("凉山州", "513400"),
    ("凉山彝族自治州", "513400"),
    ("广西", "450000"),
    ("内蒙古呼和浩特", "150100"),
    ("和县", "340523"),
    ("香港", "810000"),
])
def test_resolve_finds_codes_and_names_at_any_level(regions, text, code):
    assert regions.resolve(text).code == code


@pytest.mark.parametrize("text", ["５１０１０４", " 成都市 锦江区 ", "锦江区。", "锦江区.", "成都\u3000锦江"])
def test_resolve_ignores_spaces_trailing_stop_and_full_width_digits(regions, text):
    assert regions.resolve(text).code == "510104"


@pytest.mark.parametrize("code, name, full_name, level", [
    ("510104", "锦江区", "四川省成都市锦江区", "county"),
    ("510100", "成都市", "四川省成都市", "prefecture"),
    ("510000", "四川省", "四川省", "province"),
    ("110105", "朝阳区", "北京市朝阳区", "county"),
    ("500229", "城口县", "重庆市城口县", "county"),
    ("429004", "仙桃市", "湖北省仙桃市", "county"),
    ("810000", "香港特别行政区", "香港特别行政区", "province"),
])
def test_get_gives_name_full_name_and_level_without_placeholders(regions, code, name, full_name, level):
    assert regions.get(code) == Region(code, name, full_name, level)


@pytest.mark.parametrize("code", ["510101", "110100", "500200", "429000"])
def test_placeholders_like_shixiaqu_are_not_regions(regions, code):
    assert regions.get(code) is None


def test_name_shared_by_two_districts_is_ambiguous_and_lists_both(regions):
    with pytest.raises(RegionAmbiguous) as exc:
        regions.resolve("朝阳区")
    assert [r.code for r in exc.value.candidates] == ["110105", "220104"]
    message = str(exc.value)
    assert "有多个地方叫“朝阳区”" in message
    assert "北京市朝阳区" in message and "吉林省长春市朝阳区" in message
    assert message.endswith("请说得更具体一些")


def test_short_name_matching_districts_and_a_prefecture_is_ambiguous(regions):
    with pytest.raises(RegionAmbiguous) as exc:
        regions.resolve("朝阳")
    assert {r.code for r in exc.value.candidates} == {"110105", "211300", "220104"}


@pytest.mark.parametrize("within", ["22", "2201", "220000", "220100"])
def test_within_narrows_an_ambiguous_name(regions, within):
    assert regions.resolve("朝阳区", within=within).code == "220104"


def test_a_real_place_outside_the_area_is_said_to_be_outside_it_not_unknown(regions):
    for text in ("锦江区", "510104"):
        with pytest.raises(RegionOutside, match="“四川省成都市锦江区”不在广东省，请填写广东省内的地方"):
            regions.resolve(text, within="44")
    with pytest.raises(RegionNotFound):
        regions.resolve("火星市", within="44")


@pytest.mark.parametrize("text, code", [
    ("长沙", "430100"),     # the city, not the 长沙县 inside it
    ("长沙县", "430121"),
    ("南昌", "360100"),
    ("江西南昌", "360100"),
    ("吉林", "220000"),     # the province, not the 吉林市 inside it
    ("吉林省", "220000"),
    ("吉林市", "220200"),
    ("吉林吉林", "220200"),
    ("随州", "421300"),
    ("随州市", "421300"),
])
def test_same_named_levels_resolve_to_the_more_complete_or_enclosing_match(regions, text, code):
    assert regions.resolve(text).code == code


def test_prefecture_wins_over_same_named_county_elsewhere_only_when_text_says_shi():
    directory = RegionDirectory({
        "990000": "测试省", "990100": "甲乙市", "990200": "丙丁市", "990281": "甲乙市",
    })
    assert directory.resolve("甲乙市").code == "990100"
    assert directory.resolve("丙丁甲乙").code == "990281"
    with pytest.raises(RegionAmbiguous):
        directory.resolve("甲乙")


def test_ambiguous_message_names_at_most_five_candidates():
    names = {"990000": "测试省"}
    names.update({f"99{i:02d}00": f"地{i}市" for i in range(1, 8)})
    names.update({f"99{i:02d}01": "新华区" for i in range(1, 8)})
    with pytest.raises(RegionAmbiguous) as exc:
        RegionDirectory(names).resolve("新华区")
    assert len(exc.value.candidates) == 7
    assert str(exc.value).count("新华区") == 6  # the quoted text and five candidates
    assert "测试省地5市新华区等，" in str(exc.value)


@pytest.mark.parametrize("text", ["510102", "东城区成都", "崇文区", "999999"])
def test_abolished_or_unknown_regions_are_not_found(regions, text):
    with pytest.raises(RegionNotFound):
        regions.resolve(text)


def test_abolished_code_is_not_returned_by_get(regions):
    assert regions.get("510102") is None  # 东城区, abolished 1990
    assert regions.get("110103") is None  # 崇文区, abolished 2010


@pytest.mark.parametrize("text", ["火星基地", "abc", "", "12345"])
def test_nonsense_is_not_found_with_a_chinese_message(regions, text):
    with pytest.raises(RegionNotFound) as exc:
        regions.resolve(text)
    assert str(exc.value) == (
        f"没有找到“{text}”这个地方，请说出省、市、县（区）的名称或6位行政区划代码"
    )


@pytest.mark.parametrize("code, prefix, expected", [
    ("510104", "51", True),
    ("510104", "5101", True),
    ("510104", "510000", True),
    ("510104", "510104", True),
    ("510104", "44", False),
    ("510104", "5102", False),
])
def test_is_within_compares_code_prefixes(regions, code, prefix, expected):
    assert regions.is_within(code, prefix) is expected


@pytest.mark.parametrize("code, parents", [
    ("510104", ["510000", "510100"]),
    ("510100", ["510000"]),
    ("510000", []),
    ("110105", ["110000"]),   # no 110100 市辖区
    ("429004", ["420000"]),   # no 省直辖县级行政单位
])
def test_parent_codes_lists_province_then_prefecture(regions, code, parents):
    assert regions.parent_codes(code) == parents


@pytest.mark.parametrize("name, short", [
    ("锦江区", "锦江"),
    ("四川省", "四川"),
    ("凉山彝族自治州", "凉山"),
    ("双江拉祜族佤族布朗族傣族自治县", "双江"),
    ("积石山保安族东乡族撒拉族自治县", "积石山"),
    ("伊犁哈萨克自治州", "伊犁"),
    ("鄂温克族自治旗", "鄂温克"),
    ("广西壮族自治区", "广西"),
    ("新疆维吾尔自治区", "新疆"),
    ("香港特别行政区", "香港"),
    ("大兴安岭地区", "大兴安岭"),
    ("锡林郭勒盟", "锡林郭勒"),
    ("浦东新区", "浦东"),
    ("和县", "和县"),
    ("城区", "城区"),
])
def test_short_name_strips_suffixes_but_never_to_one_character(name, short):
    assert short_name(name) == short


def test_load_reads_current_name_from_periods_and_skips_abolished(tmp_path):
    path = tmp_path / "loc.dat"
    path.write_text(
        "# comment\n"
        '99 province="测试省"\n'
        '  0000 county="测试省"\n'
        '  0100 county="甲乙市"\n'
        '  0101 county="[1983-]市辖区"\n'
        '  0102 county="[1983-1986]郊区,[1987-]白云区"\n'
        '  0103 county="[-2010]旧城区"\n'
        '  0104 county="[1983-1990]东城区"\n',
        encoding="utf-8",
    )
    directory = RegionDirectory.load(path)
    assert directory.get("990102") == Region("990102", "白云区", "测试省甲乙市白云区", "county")
    assert directory.get("990101") is None
    assert directory.get("990103") is None
    assert directory.get("990104") is None
    with pytest.raises(RegionNotFound):
        directory.resolve("郊区")

