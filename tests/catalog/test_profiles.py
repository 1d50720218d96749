"""The province profiles state CATALOG.md's facts, and a broken profile stops the start."""
import shutil

import pytest

from catalog.loader import DIALOGS_DIR, ProfileError, load_profile

GD_MATTERS = ["report", "lump_sum_subsidy", "training", "hukou", "id_card", "driving_license",
              "social_insurance_registration", "pension_transfer", "social_security_card",
              "medical_insurance_registration", "medical_insurance_transfer", "reserve_registration"]


@pytest.mark.parametrize("province, count", [("guangdong", 12), ("sichuan", 13), ("jilin", 11)])
def test_each_province_offers_its_number_of_matters(province, count):
    assert len(load_profile(province).matters) == count


def test_sichuan_replaces_driving_licence_with_party_and_league_transfers():
    sichuan = set(load_profile("sichuan").matters)
    assert sichuan == set(GD_MATTERS) - {"driving_license"} | {"party_transfer", "league_transfer"}


def test_jilin_is_guangdong_without_driving_licence():
    assert set(load_profile("jilin").matters) == set(GD_MATTERS) - {"driving_license"}


def test_jilin_routes_social_insurance_to_the_social_insurance_agency():
    jilin = load_profile("jilin")
    assert jilin.matters["social_insurance_registration"].department == "social_insurance_agency"
    assert jilin.matters["pension_transfer"].department == "social_insurance_agency"
    assert jilin.matters["social_security_card"].department == "human_resources"
    assert load_profile("sichuan").matters["social_insurance_registration"].department == "human_resources"


def test_sichuan_pension_transfer_is_display_only():
    assert load_profile("sichuan").matters["pension_transfer"].display_only
    assert not load_profile("guangdong").matters["pension_transfer"].display_only


@pytest.mark.parametrize("province", ["guangdong", "sichuan", "jilin"])
def test_assigned_job_veterans_get_only_report_hukou_id_card_and_reserve(province):
    allowed = {m.key for m in load_profile(province).matters_for_type("assigned_job")}
    assert allowed == {"report", "hukou", "id_card", "reserve_registration"}


@pytest.mark.parametrize("veteran_type", ["demobilized_officer", "monthly_pension"])
def test_subsidy_and_training_are_for_self_employed_only(veteran_type):
    profile = load_profile("sichuan")
    allowed = {m.key for m in profile.matters_for_type(veteran_type)}
    assert allowed == set(profile.matters) - {"lump_sum_subsidy", "training"}
    assert "自主就业" in profile.refusal_reason(veteran_type, "lump_sum_subsidy")


def test_photo_specs_follow_each_province():
    sichuan = load_profile("sichuan").materials["photo"].file
    jilin = load_profile("jilin").materials["photo"].file
    assert (sichuan.min_kb, sichuan.max_kb, sichuan.width) == (14, 60, None)
    assert (jilin.min_kb, jilin.max_kb, jilin.width, jilin.height) == (5, 50, 358, 441)
    assert jilin.min_exclusive and jilin.max_exclusive


def test_time_limits_are_seven_working_days_stated_only_in_sichuan():
    assert load_profile("sichuan").time_limit.working_days == 7 and load_profile("sichuan").time_limit.stated
    assert not load_profile("guangdong").time_limit.stated
    assert not load_profile("jilin").time_limit.stated


def test_archive_review_before_acceptance_in_sichuan_and_jilin_only():
    assert load_profile("sichuan").archive_review_required
    assert load_profile("jilin").archive_review_required
    assert not load_profile("guangdong").archive_review_required


def test_jilin_asks_for_its_extra_hukou_materials_and_kinship_proof_only_for_relocation():
    jilin = load_profile("jilin")
    base = {"settle_type": "回入伍前户籍地落户"}
    required = {m.key for m in jilin.required_materials(["report", "hukou", "id_card"], base)}
    assert {"hukou_cancellation_proof", "household_register"} <= required
    assert "kinship_proof" not in required
    relocating = {m.key for m in jilin.required_materials(["report", "hukou"], {"settle_type": "异地安置落户"})}
    assert "kinship_proof" in relocating


def test_police_see_the_hukou_fields_but_not_the_bank_account():
    grant = load_profile("sichuan").grant_for("public_security", ["hukou", "id_card", "lump_sum_subsidy"])
    assert {"householder_id_number", "intended_hukou", "settle_type"} <= grant.fields
    assert "bank_account" not in grant.fields and "address" not in grant.fields
    assert grant.materials == frozenset()


def test_veterans_affairs_sees_everything():
    grant = load_profile("sichuan").grant_for("veterans_affairs", ["report"])
    assert grant.fields is None and grant.materials is None


def test_dependencies_apply_only_when_both_matters_are_chosen():
    profile = load_profile("sichuan")
    assert profile.dependencies("id_card", ["report", "hukou", "id_card"]) == ["hukou"]
    assert profile.dependencies("id_card", ["report", "id_card"]) == []
    assert profile.dependencies("medical_insurance_transfer",
                                ["medical_insurance_registration", "medical_insurance_transfer"]) == [
        "medical_insurance_registration"]


@pytest.fixture
def dialogs_copy(tmp_path):
    target = tmp_path / "dialogs"
    shutil.copytree(DIALOGS_DIR, target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unknown_key_in_a_profile_fails_the_start(dialogs_copy):
    _edit(dialogs_copy / "profiles" / "sichuan.yaml", "channels:", "chanels: []\nchannels:")
    with pytest.raises(ProfileError, match="chanels"):
        load_profile("sichuan", dialogs_copy)


def test_a_grant_naming_a_missing_field_fails_the_start(dialogs_copy):
    _edit(dialogs_copy / "catalog.yaml", "fields: [name, id_number, phone, reserve_service",
          "fields: [name, id_number, phone, reserve_servise")
    with pytest.raises(ProfileError, match="reserve_servise"):
        load_profile("sichuan", dialogs_copy)


def test_a_profile_naming_a_missing_matter_fails_the_start(dialogs_copy):
    _edit(dialogs_copy / "profiles" / "jilin.yaml", "matters: [report,", "matters: [reprot,")
    with pytest.raises(ProfileError, match="reprot"):
        load_profile("jilin", dialogs_copy)


def test_a_duplicated_key_fails_the_start(dialogs_copy):
    _edit(dialogs_copy / "profiles" / "sichuan.yaml", "archive_review_required: true",
          "archive_review_required: true\narchive_review_required: false")
    with pytest.raises(ProfileError, match="重复"):
        load_profile("sichuan", dialogs_copy)


def test_an_unknown_province_is_refused_with_the_choices():
    with pytest.raises(ProfileError, match="guangdong"):
        load_profile("hainan")


@pytest.mark.parametrize("old, new, message", [
    ("pattern: '", "pattern: '(", "pattern 不是有效的正则表达式"),  # the first pattern is the unit code's
    (", pattern_hint: 部队番号，如“32145部队”", "", "pattern 与 pattern_hint 应同时给出"),
])
def test_a_bad_text_pattern_fails_the_start(dialogs_copy, old, new, message):
    _edit(dialogs_copy / "catalog.yaml", old, new)
    with pytest.raises(ProfileError, match=f"fields.unit_code: {message}"):
        load_profile("sichuan", dialogs_copy)


def test_a_refused_matter_is_explained_by_what_the_province_states():
    sichuan, guangdong = load_profile("sichuan"), load_profile("guangdong")
    # 四川 三 names the matters the employer sees to; no other document does
    assert "协调接收单位负责办理" in sichuan.refusal_reason("assigned_job", "social_security_card")
    assert "协调接收单位" not in load_profile("jilin").refusal_reason("assigned_job", "social_security_card")
    licence = guangdong.refusal_reason("assigned_job", "driving_license")
    assert "协调接收单位" not in licence
    assert licence.startswith("安排工作退役士兵在“一件事”中可以办理的是：退役报到、户口登记")
    assert "仅适用于自主就业退役士兵" in guangdong.refusal_reason("monthly_pension", "training")


def test_jilin_names_jishiban_where_results_are_seen_not_as_a_way_to_apply():
    jilin = load_profile("jilin")  # 吉林 三(四): 申请人可以在“吉事办”…查询办理结果
    assert not any("吉事办" in channel for channel in jilin.channels)
    assert any("吉事办" in note for note in jilin.notes)
