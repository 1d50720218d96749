"""The window: archive review where required, accept, reject, 补正 and resubmission, withdrawal."""
import pytest

from tests.conftest import on_postgres
from tests.factories import ApiClient
from tests.materials.helpers import upload
from tests.materials.images import jpeg


@pytest.fixture
def upload_dir(tmp_path):
    return str(tmp_path / "uploads")


@pytest.fixture
def app(make_app, upload_dir):
    return make_app("sichuan", UPLOAD_DIR=upload_dir)


def test_sichuan_needs_the_archive_reviewed_before_acceptance(api):
    token = api.veteran_token()
    case = api.submit(token)
    window = api.window_token()
    error = api.post(f"/api/v1/staff/cases/{case['id']}/accept", {}, token=window, expect=409)["error"]
    assert "审档" in error["message"]
    reviewed = api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed", {"archive_status": "完整"}, token=window)
    assert reviewed["status"] == "archive_reviewed" and reviewed["fields"]["archive_status"] == "完整"
    upload(api, token, case["id"], "photo")
    accepted = api.post(f"/api/v1/staff/cases/{case['id']}/accept", {}, token=window)
    assert accepted["status"] == "accepted" and accepted["deadline"]


def test_a_missing_archive_must_say_what_is_missing(api):
    case = api.submit(api.veteran_token())
    error = api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed", {"archive_status": "缺失"},
                     token=api.window_token(), expect=422)["error"]
    assert "archive_missing" in error["fields"]


def test_guangdong_accepts_without_a_separate_archive_review(make_app, upload_dir):
    api = ApiClient(make_app("guangdong", UPLOAD_DIR=upload_dir))
    token = api.veteran_token()
    case = api.submit(token, matters=["report"])
    window = api.window_token()
    api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed", {"archive_status": "完整"}, token=window,
             expect=409)
    for kind in ("id_card_scan", "discharge_certificate", "discharge_intro_letter"):  # no e-licence in this test
        upload(api, token, case["id"], kind)
    assert api.post(f"/api/v1/staff/cases/{case['id']}/accept", {}, token=window)["status"] == "accepted"


def test_acceptance_starts_the_time_limit_and_dispatches_independent_matters(api):
    case = api.accepted_case(api.veteran_token())
    status = {m["key"]: m["status"] for m in case["matters"]}
    assert status["report"] == "dispatched" and status["hukou"] == "dispatched"
    assert status["party_transfer"] == "dispatched" and status["league_transfer"] == "dispatched"
    assert status["id_card"] == "waiting" and status["lump_sum_subsidy"] == "waiting"
    assert status["social_security_card"] == "waiting" and status["medical_insurance_transfer"] == "waiting"
    assert status["pension_transfer"] == "not_applicable"
    waiting = {m["key"]: m["waits_for"] for m in case["matters"] if m["status"] == "waiting"}
    assert waiting["id_card"] == ["hukou"] and waiting["social_security_card"] == ["social_insurance_registration"]
    assert case["time_limit_working_days"] == 7 and case["deadline"] > case["accepted_at"][:10]


def test_a_rejection_carries_its_reason_to_the_veteran(api):
    token = api.veteran_token()
    case = api.submit(token)
    api.post(f"/api/v1/staff/cases/{case['id']}/reject", {"reason": "不属于本地接收安置对象"}, token=api.window_token())
    seen = api.get(f"/api/v1/cases/{case['id']}", token=token)
    assert seen["status"] == "rejected" and seen["decision_reason"] == "不属于本地接收安置对象"
    assert seen["timeline"][-1]["note"] == "不属于本地接收安置对象"


def test_a_rejection_needs_a_reason(api):
    case = api.submit(api.veteran_token())
    error = api.post(f"/api/v1/staff/cases/{case['id']}/reject", {}, token=api.window_token(), expect=422)["error"]
    assert error["fields"] == {"reason": "必填"}


def test_supplement_lists_every_problem_and_the_corrected_case_returns_to_the_queue(api):
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)
    items = [{"field": "phone", "reason": "号码无法接通"}, {"material": "photo", "reason": "照片不是白底"}]
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement", {"items": items, "note": "请一并修改"},
             token=window)
    seen = api.get(f"/api/v1/cases/{case['id']}", token=token)
    assert seen["status"] == "supplement_requested"
    assert [i["label"] for i in seen["supplement"]["items"]] == ["手机号码", "制卡相片"]
    assert "手机号码：号码无法接通；制卡相片：照片不是白底" in seen["timeline"][-1]["note"]
    error = api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"phone": "13900139000"}}, token=token,
                     expect=422)["error"]
    assert error["message"] == "请先按补正要求重新上传：制卡相片"
    upload(api, token, case["id"], "photo", jpeg(size=30 * 1024))
    resubmitted = api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"phone": "13900139000"}}, token=token)
    assert resubmitted["status"] == "submitted" and resubmitted["supplement"] is None
    staff_view = api.get(f"/api/v1/staff/cases/{case['id']}", token=window)
    assert staff_view["fields"]["phone"] == "13900139000"
    assert staff_view["fields"]["recipient_phone"] == "13900139000"  # left to default: it follows
    assert staff_view["fields"]["id_number"] == api.form()["fields"]["id_number"]
    queue = api.get("/api/v1/staff/cases?status=submitted", token=window)["items"]
    assert [c["id"] for c in queue] == [case["id"]]


def test_after_the_archive_review_a_supplement_can_still_be_resubmitted(api):
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)  # 四川: 审档 first
    api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed", {"archive_status": "完整"}, token=window)
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement",
             {"items": [{"field": "phone", "reason": "号码无法接通"}]}, token=window)
    resubmitted = api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"phone": "13900139000"}}, token=token)
    assert resubmitted["status"] == "submitted"
    staff_view = api.get(f"/api/v1/staff/cases/{case['id']}", token=window)
    assert staff_view["fields"]["archive_status"] == "完整" and staff_view["fields"]["phone"] == "13900139000"


def test_a_resubmission_is_checked_like_a_submission(api):
    token = api.veteran_token()
    case = api.submit(token)
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement",
             {"items": [{"field": "phone", "reason": "号码错误"}]}, token=api.window_token())
    error = api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"phone": "12345"}}, token=token,
                     expect=422)["error"]
    assert "phone" in error["fields"]


def test_a_supplement_item_must_name_a_known_field_or_material(api):
    case = api.submit(api.veteran_token())
    window = api.window_token()
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement",
             {"items": [{"field": "shoe_size", "reason": "?"}]}, token=window, expect=422)
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement",
             {"items": [{"reason": "没有指明"}]}, token=window, expect=422)
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement", {"items": []}, token=window, expect=422)


def test_resubmitting_without_a_supplement_request_is_a_conflict(api):
    token = api.veteran_token()
    case = api.submit(token)
    api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {}}, token=token, expect=409)


def test_the_veteran_may_withdraw_before_acceptance_only(api):
    token = api.veteran_token()
    case = api.submit(token)
    assert api.post(f"/api/v1/cases/{case['id']}/withdraw", {}, token=token)["status"] == "withdrawn"
    again = api.post(f"/api/v1/cases/{case['id']}/withdraw", {}, token=token, expect=409)["error"]
    assert again["message"] == "申请当前为“已撤回”，不能撤回"  # a double tap is not told it was accepted
    api.post(f"/api/v1/staff/cases/{case['id']}/accept", {}, token=api.window_token(), expect=409)
    accepted = api.accepted_case(token)
    error = api.post(f"/api/v1/cases/{accepted['id']}/withdraw", {}, token=token, expect=409)["error"]
    assert error["message"] == "申请当前为“已受理”，不能撤回；如需变更请联系办理窗口"


def test_window_staff_see_only_their_region(api):
    case = api.submit(api.veteran_token())
    elsewhere = api.staff_token("window-zigong", region="5103")
    api.get(f"/api/v1/staff/cases/{case['id']}", token=elsewhere, expect=404)
    assert api.get("/api/v1/staff/cases", token=elsewhere)["items"] == []
    province_wide = api.staff_token("window-province", region="51")
    assert [c["id"] for c in api.get("/api/v1/staff/cases", token=province_wide)["items"]] == [case["id"]]


def test_the_queue_masks_personal_numbers(api):
    api.submit(api.veteran_token())
    item = api.get("/api/v1/staff/cases", token=api.window_token())["items"][0]
    assert item["id_number"].count("*") == 10 and item["name"] == "王磊"
    assert "fields" not in item


def test_a_supplement_cannot_ask_for_what_the_veteran_can_never_supply(api):
    token = api.veteran_token()
    case = api.submit(token, matters=["report"])
    items = [{"field": "gender", "reason": "性别有误"}, {"field": "service_length", "reason": "服役时间有误"},
             {"field": "archive_status", "reason": "档案情况请补"},
             {"material": "registration_form", "reason": "请重新上传登记表"},
             {"field": "military_license_no", "reason": "驾驶证号"}, {"material": "photo", "reason": "请上传照片"},
             {"field": "phone", "reason": "号码无法接通"}]
    error = api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement", {"items": items},
                     token=api.window_token(), expect=422)["error"]
    assert error["fields"] == {
        "items.0": "性别由系统自动生成，申请人无法补正", "items.1": "服役时间由系统自动生成，申请人无法补正",
        "items.2": "档案情况由窗口工作人员填写，申请人无法补正",
        "items.3": "“退役军人服务一件事”办理登记表由系统生成，申请人无法补正",
        "items.4": "所申请的事项不需要军队机动车驾驶证号", "items.5": "所申请的事项不需要制卡相片"}
    assert all(reason in error["message"] for reason in error["fields"].values())
    assert api.get(f"/api/v1/cases/{case['id']}", token=token)["status"] == "submitted"


def test_a_missing_archive_is_not_accepted_until_a_review_finds_it_complete(api):
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)
    staff_case = f"/api/v1/staff/cases/{case['id']}"
    api.post(f"{staff_case}/archive-reviewed", {"archive_status": "缺失", "archive_missing": "缺少退出现役登记表"},
             token=window)
    error = api.post(f"{staff_case}/accept", {}, token=window, expect=409)["error"]
    assert "档案缺失" in error["message"] and "补正" in error["message"] and "不予受理" in error["message"]
    api.post(f"{staff_case}/request-supplement", {"items": [{"field": "phone", "reason": "号码无法接通"}]},
             token=window)
    api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"phone": "13900139000"}}, token=token)
    assert api.post(f"{staff_case}/accept", {}, token=window, expect=409)["error"]["code"] == "archive_incomplete"
    reviewed = api.post(f"{staff_case}/archive-reviewed", {"archive_status": "完整"}, token=window)
    assert reviewed["fields"]["archive_status"] == "完整" and "archive_missing" not in reviewed["fields"]
    upload(api, token, case["id"], "photo")
    assert api.post(f"{staff_case}/accept", {}, token=window)["status"] == "accepted"


def test_the_default_acceptance_note_claims_no_check_nobody_made(api):
    case = api.accepted_case(api.veteran_token())
    assert [e["note"] for e in case["timeline"] if e["to"] == "accepted" and e["matter"] is None] == ["予以受理"]


# What a case of 退役报到 alone still has to upload there: 四川 checks the ID card and certificates as originals.
OWED_FOR_REPORT = {"sichuan": [], "jilin": ["id_card_scan", "discharge_certificate"]}


def _report_case_handed_in(app, province):
    """A submitted case of 退役报到 alone with everything uploaded: (api, veteran token, window token, case)."""
    api = ApiClient(app)
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token, matters=["report"])
    for kind in OWED_FOR_REPORT[province]:
        upload(api, token, case["id"], kind)
    return api, token, window, case


@pytest.mark.parametrize("province", ["sichuan", "jilin"])
def test_an_archive_review_kept_across_a_supplement_still_counts(make_app, upload_dir, province):
    api, token, window, case = _report_case_handed_in(make_app(province, UPLOAD_DIR=upload_dir), province)
    staff_case = f"/api/v1/staff/cases/{case['id']}"
    api.post(f"{staff_case}/archive-reviewed", {"archive_status": "完整"}, token=window)
    api.post(f"{staff_case}/request-supplement", {"items": [{"field": "phone", "reason": "号码无法接通"}]},
             token=window)
    api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"phone": "13900139000"}}, token=token)
    assert api.post(f"{staff_case}/accept", {}, token=window)["status"] == "accepted"
    titles = [m["title"] for m in api.get("/api/v1/messages", token=token)["items"]]
    assert titles.count("档案已审核") == 1, titles


def _supplement(api, items):
    token, window = api.veteran_token(), api.window_token()
    body = api.form(householder_relation="本人")
    for left_to_default in ("householder_name", "householder_id_number", "recipient_name"):
        del body["fields"][left_to_default]
    case = api.submit(token, body)
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement", {"items": items}, token=window)
    return token, window, case


def test_a_resubmission_changes_only_what_the_supplement_lists(api):
    token, _, case = _supplement(api, [{"field": "phone", "reason": "号码无法接通"}])
    error = api.post(f"/api/v1/cases/{case['id']}/resubmit",
                     {"fields": {"phone": "13900139000", "bank_account": "6222020200112233446"}},
                     token=token, expect=422)["error"]
    assert error["code"] == "not_in_supplement" and error["message"].endswith("银行账号不在补正清单中")
    matters = api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"phone": "13900139000"}, "matters": ["report"]},
                       token=token, expect=409)["error"]
    assert matters["message"] == "补正时不能更改退役类型和办理事项；如需改动，请撤回后重新申请"


def test_a_corrected_name_carries_the_householder_who_is_the_veteran_along(api):
    token, window, case = _supplement(api, [{"field": "name", "reason": "与身份证不一致"}])
    api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"name": "王雷"}}, token=token)
    fields = api.get(f"/api/v1/staff/cases/{case['id']}", token=window)["fields"]
    assert (fields["name"], fields["householder_name"], fields["recipient_name"]) == ("王雷", "王雷", "王雷")


@pytest.mark.parametrize("province", ["sichuan", "jilin"])
def test_an_archive_review_is_recorded_again_when_the_missing_part_arrives(make_app, upload_dir, province):
    """The unit, not the veteran, sends the archive (四川 附件3, 吉林 二): a part arriving later is recorded as a
    review again, not as a 补正; each finding stays in the timeline and is told to the veteran."""
    api, token, window, case = _report_case_handed_in(make_app(province, UPLOAD_DIR=upload_dir), province)
    staff_case = f"/api/v1/staff/cases/{case['id']}"
    api.post(f"{staff_case}/archive-reviewed", {"archive_status": "缺失", "archive_missing": "缺少入伍审批表",
                                                "note": "已联系部队补寄。"}, token=window)
    again = api.post(f"{staff_case}/archive-reviewed", {"archive_status": "完整"}, token=window)
    assert again["status"] == "archive_reviewed"
    assert again["fields"]["archive_status"] == "完整" and "archive_missing" not in again["fields"]
    assert [e["note"] for e in again["timeline"] if e["to"] == "archive_reviewed"] == ["档案缺失：缺少入伍审批表。已联系部队补寄。",
                                                                                          "重新审档，档案完整"]
    titles = [m["title"] for m in api.get("/api/v1/messages", token=token)["items"]]
    assert titles.count("档案缺失") == 1 and titles.count("档案已审核") == 1, titles
    told = next(m["body"] for m in api.get("/api/v1/messages", token=token)["items"] if m["title"] == "档案缺失")
    window_name = {"sichuan": "综合窗口", "jilin": "退役军人服务中心“一件事”窗口"}[province]
    assert told.startswith(f"{window_name}审核了您的档案。档案缺失：缺少入伍审批表。已联系部队补寄。窗口将") and "。。" not in told
    assert api.post(f"{staff_case}/accept", {}, token=window)["status"] == "accepted"
    after = api.post(f"{staff_case}/archive-reviewed", {"archive_status": "完整"}, token=window, expect=409)["error"]
    assert after["message"] == "申请当前为“已受理”，不能审档"


def test_a_case_whose_supplement_never_came_is_rejected_and_the_veteran_told(api):
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement",
             {"items": [{"field": "phone", "reason": "号码无法接通"}]}, token=window)
    api.post(f"/api/v1/staff/cases/{case['id']}/reject", {"reason": "逾期未补正"}, token=window)
    seen = api.get(f"/api/v1/cases/{case['id']}", token=token)
    assert seen["status"] == "rejected" and seen["decision_reason"] == "逾期未补正"
    assert seen["supplement"] is None  # no longer asked for
    latest = api.get("/api/v1/messages", token=token)["items"][0]
    assert latest["title"] == "申请不予受理" and "原因：逾期未补正" in latest["body"]
    api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"phone": "13900139000"}}, token=token, expect=409)


def test_acceptance_waits_for_the_materials_still_to_upload(api):
    """四川 四（二）: 受理 when 材料齐全, otherwise 补正. What the window checks as an original (ID card,
    certificates, letters) does not hold it up; the 制卡相片 for the social security card does."""
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)
    staff_case = f"/api/v1/staff/cases/{case['id']}"
    api.post(f"{staff_case}/archive-reviewed", {"archive_status": "完整"}, token=window)
    error = api.post(f"{staff_case}/accept", {}, token=window, expect=409)["error"]
    assert error["code"] == "materials_owed" and error["fields"] == {"photo": "尚未上传制卡相片"}
    assert error["message"] == "材料不齐，不能受理：尚未上传制卡相片；请一次性告知申请人补正"
    assert api.get(f"/api/v1/cases/{case['id']}", token=token)["status"] == "archive_reviewed"
    upload(api, token, case["id"], "photo")
    assert api.post(f"{staff_case}/accept", {}, token=window)["status"] == "accepted"


def test_materials_provided_after_the_matter_do_not_hold_up_acceptance(make_app, upload_dir):
    """吉林 三（一）4–5: the ID card of one applying for it and the 户口簿 of one settling come afterwards."""
    api = ApiClient(make_app("jilin", UPLOAD_DIR=upload_dir))
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token, veteran_type="assigned_job")
    staff_case = f"/api/v1/staff/cases/{case['id']}"
    api.post(f"{staff_case}/archive-reviewed", {"archive_status": "完整"}, token=window)
    error = api.post(f"{staff_case}/accept", {}, token=window, expect=409)["error"]
    assert set(error["fields"]) == {"discharge_certificate", "hukou_cancellation_proof"}
    for kind in error["fields"]:
        upload(api, token, case["id"], kind)
    assert api.post(f"{staff_case}/accept", {}, token=window)["status"] == "accepted"


def test_a_supplement_cannot_move_the_case_to_another_county(api):
    """The county that reviewed the case keeps it: its 审档 does not count for another county's window."""
    case = api.submit(api.veteran_token())
    error = api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement",
                     {"items": [{"field": "handling_region", "reason": "请确认办理地"}]},
                     token=api.window_token(), expect=422)["error"]
    assert "不能通过补正更改" in error["fields"]["items.0"] and "不予受理" in error["fields"]["items.0"]


def test_a_supplement_lists_each_problem_once(api):
    token = api.veteran_token()
    case = api.submit(token)
    items = [{"field": "phone", "reason": "号码无法接通"}, {"field": "phone", "reason": "号码错误"}]
    error = api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement", {"items": items},
                     token=api.window_token(), expect=422)["error"]
    assert error["fields"] == {"items.1": "手机号码重复列出，请合并为一项"}
    assert api.get(f"/api/v1/cases/{case['id']}", token=token)["status"] == "submitted"


@on_postgres  # SQLite ignores a VARCHAR's width
def test_a_clerk_with_the_longest_username_allowed_leaves_their_name_on_the_timeline(api):
    token = api.veteran_token()
    case = api.submit(token)
    clerk = api.staff_token("w" * 64)  # usernames may be 64 characters; the timeline writes "staff:" before it
    api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed", {"archive_status": "完整"}, token=clerk)
    timeline = api.get(f"/api/v1/cases/{case['id']}", token=token)["timeline"]
    assert timeline[-1]["to"] == "archive_reviewed"
