"""The window's pages: the queue with its filters and badges, a case with masked numbers revealed on
request (and audited), materials, the review actions and the roster import."""
import html
import re
from datetime import timedelta
from io import BytesIO
from urllib.parse import quote

from catalog.china_time import today_in_china
from models import Case, CaseEvent, db
from tests.console.conftest import ConsoleClient, text_of
from tests.factories import id_number_for
from tests.materials.helpers import upload
from tests.materials.images import jpeg


def submitted_case(api, openid="openid-veteran-1", **form_args) -> tuple[dict, str]:
    token = api.veteran_token(openid)
    return api.submit(token, **form_args), token


def set_deadline(app, case_id, days_from_today):
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.deadline = today_in_china() + timedelta(days=days_from_today)
        db.session.commit()


def test_the_queue_lists_cases_with_masked_id_numbers(api, console):
    case, _ = submitted_case(api)
    page = text_of(console.as_role("window").get("/console/cases"))
    assert case["case_no"] in page and "王磊" in page and "已提交，待审核" in page
    assert "5101**********" in page and id_number_for("sichuan") not in page


def test_the_queue_filters_by_status_veteran_type_region_and_deadline(app, api, console):
    first, _ = submitted_case(api, "v1")
    second = api.accepted_case(api.veteran_token("v2"), veteran_type="assigned_job")
    third = api.accepted_case(api.veteran_token("v3"), veteran_type="demobilized_officer")
    set_deadline(app, second["id"], -1)
    set_deadline(app, third["id"], 0)
    console.as_role("window")

    def listed(query):
        page = text_of(console.get(f"/console/cases?{query}"))
        return {c["case_no"] for c in (first, second, third) if c["case_no"] in page}

    assert listed("status=submitted") == {first["case_no"]}
    assert listed("veteran_type=assigned_job") == {second["case_no"]}
    assert listed("due=overdue") == {second["case_no"]}
    assert listed("due=today") == {third["case_no"]}
    assert listed("region=510104") == {first["case_no"], second["case_no"], third["case_no"]}
    assert listed("region=510105") == set()
    page = console.get("/console/cases").get_data(as_text=True)
    assert "已超期</span>" in page and "今日到期</span>" in page


def test_a_bad_filter_is_refused_in_chinese(console):
    console.as_role("window")
    page = console.get("/console/cases?status=nonsense&region=44", expect=422)
    assert "筛选条件不正确：没有这个办理状态；只能选择您负责的地区" in text_of(page)


def test_the_case_page_masks_personal_numbers_until_revealed_and_records_each_look(app, api, console):
    case, _ = submitted_case(api)
    console.as_role("window")
    page = text_of(console.get(f"/console/cases/{case['id']}"))
    assert "5101**********" in page and id_number_for("sichuan") not in page and "6222020200112233445" not in page
    revealed = console.post(f"/console/cases/{case['id']}/reveal/id_number", expect=200,
                            headers={"Accept": "application/json"})
    assert revealed.get_json() == {"key": "id_number", "value": id_number_for("sichuan")}
    with app.app_context():
        event = db.session.query(CaseEvent).filter_by(case_id=case["id"]).order_by(CaseEvent.id.desc()).first()
        assert (event.actor, event.note) == ("staff:console-window", "查看了完整的身份证号码")
        assert event.from_status == event.to_status == "submitted"
    assert "查看了完整的身份证号码" in text_of(console.get(f"/console/cases/{case['id']}"))


def test_only_personal_fields_of_cases_in_reach_can_be_revealed(api, console):
    case, _ = submitted_case(api)
    console.as_role("window")
    console.post(f"/console/cases/{case['id']}/reveal/name", expect=404, headers={"Accept": "application/json"})
    console.post(f"/console/cases/{case['id'] + 99}/reveal/id_number", expect=404)
    console.post(f"/console/cases/{case['id']}/reveal/id_number", csrf=False, expect=400)


def test_uploaded_materials_are_previewed_through_the_console(app, api, console):
    case, token = submitted_case(api)
    scan = jpeg(size=30 * 1024)
    upload(api, token, case["id"], "id_card_scan", scan)
    console.as_role("window")
    page = console.get(f"/console/cases/{case['id']}").get_data(as_text=True)
    preview = f"/console/files/cases/{case['id']}/materials/id_card_scan"
    assert f'src="{preview}"' in page
    file = console.get(preview)
    assert file.data == scan and file.mimetype == "image/jpeg"
    # saved under the material's name, as the API names it, not its key
    assert quote(f"{case['case_no']}-居民身份证.jpg") in file.headers["Content-Disposition"]
    console.get(f"/console/files/cases/{case['id']}/materials/photo", expect=404)


def test_archive_review_then_acceptance_dispatches_the_matters(api, console):
    case, token = submitted_case(api)
    upload(api, token, case["id"], "photo")
    console.as_role("window")
    console.post(f"/console/cases/{case['id']}/archive-review", {"archive_status": "完整"})
    console.post(f"/console/cases/{case['id']}/accept", {"note": ""})
    page = text_of(console.get(f"/console/cases/{case['id']}"))
    assert "已受理，各事项已推送到相关部门" in page and "已推送部门" in page
    assert api.get(f"/api/v1/staff/cases/{case['id']}", token=api.window_token())["status"] == "accepted"


def test_accepting_before_the_archive_review_is_refused_on_the_case_page(api, console):
    case, _ = submitted_case(api)
    page = console.as_role("window").post(f"/console/cases/{case['id']}/accept", {}, expect=409)
    assert "请先审档" in text_of(page) and case["case_no"] in text_of(page)


def test_a_rejection_needs_a_reason(api, console):
    case, _ = submitted_case(api)
    console.as_role("window")
    page = console.post(f"/console/cases/{case['id']}/reject", {"reason": "  "}, expect=422)
    assert "原因：必填" in text_of(page)
    console.post(f"/console/cases/{case['id']}/reject", {"reason": "不属于本地接收安置对象"})
    assert "不予受理" in text_of(console.get(f"/console/cases/{case['id']}"))


def test_a_supplement_lists_every_ticked_problem_at_once(app, api, console):
    case, token = submitted_case(api)
    console.as_role("window")
    console.post(f"/console/cases/{case['id']}/supplement", {
        "item": ["material:discharge_certificate", "field:address"],
        "reason:material:discharge_certificate": "扫描件不清晰", "reason:field:address": "",
        "note": "请一并补正"})
    view = api.get(f"/api/v1/cases/{case['id']}", token=token)
    assert view["status"] == "supplement_requested"
    assert [(i.get("material") or i.get("field"), i["reason"]) for i in view["supplement"]["items"]] == [
        ("discharge_certificate", "扫描件不清晰"), ("address", "请核对并更正")]
    assert view["supplement"]["note"] == "请一并补正"


def test_a_supplement_with_nothing_ticked_or_an_unknown_item_is_refused(api, console):
    case, _ = submitted_case(api)
    console.as_role("window")
    assert "请至少勾选一项" in text_of(console.post(f"/console/cases/{case['id']}/supplement", {}, expect=422))
    page = console.post(f"/console/cases/{case['id']}/supplement", {"item": "material:weather"}, expect=422)
    assert "没有这个填写项或材料：weather" in text_of(page)


def test_an_empty_supplement_reason_asks_to_upload_what_was_never_uploaded(api, console):
    case, token = submitted_case(api)
    upload(api, token, case["id"], "id_card_scan")
    console.as_role("window")
    page = console.get(f"/console/cases/{case['id']}").get_data(as_text=True)
    assert 'name="reason:material:photo" maxlength="200" placeholder="请上传此材料"' in page
    assert 'name="reason:material:id_card_scan" maxlength="200" placeholder="请重新提交清晰、完整的材料"' in page
    console.post(f"/console/cases/{case['id']}/supplement", {
        "item": ["material:photo", "material:id_card_scan"], "reason:material:photo": "\u200b",
        "reason:material:id_card_scan": ""})
    items = api.get(f"/api/v1/cases/{case['id']}", token=token)["supplement"]["items"]
    assert [(i["material"], i["reason"]) for i in items] == [
        ("photo", "请上传此材料"), ("id_card_scan", "请重新提交清晰、完整的材料")]


def test_the_accept_form_shows_only_when_the_archive_allows_acceptance(api, console):
    case, token = submitted_case(api)
    upload(api, token, case["id"], "photo")
    window, path = api.window_token(), f"/console/cases/{case['id']}"
    console.as_role("window")
    assert "受理意见" not in text_of(console.get(path))  # not reviewed yet
    api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed",
             {"archive_status": "缺失", "archive_missing": "缺少退出现役登记表"}, token=window)
    assert "受理意见" not in text_of(console.get(path))
    assert "档案缺失，不能受理" in text_of(console.post(f"{path}/accept", {}, expect=409))
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement",
             {"items": [{"field": "phone", "reason": "号码无法接通"}]}, token=window)
    api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"phone": "13900139000"}}, token=token)
    console.post(f"{path}/archive-review", {"archive_status": "完整"})
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement",
             {"items": [{"field": "phone", "reason": "号码仍无法接通"}]}, token=window)
    api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"phone": "13700137000"}}, token=token)
    page = text_of(console.get(path))  # the review kept across the resubmission counts
    assert "已提交，待审核" in page and "受理意见" in page
    console.post(f"{path}/accept", {})


def test_each_counter_chip_lists_the_cases_it_counts(api, console):
    submitted_case(api, "v1")
    reviewed, _ = submitted_case(api, "v2")
    accepted, _ = submitted_case(api, "v3", matters=["report"])
    window = api.window_token()
    for case in (reviewed, accepted):
        api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed", {"archive_status": "完整"}, token=window)
    api.post(f"/api/v1/staff/cases/{accepted['id']}/accept", {}, token=window)
    page = console.as_role("window").get("/console/cases").get_data(as_text=True)
    chips = {label.strip(): (html.unescape(href), count) for href, label, count
             in re.findall(r'<a class="chip[^"]*" href="([^"]+)">([^<]+)<b>(\d+)</b>', page)}
    assert chips["待审核"][1] == "2" and chips["办理中"][1] == "1"
    for label, (href, count) in chips.items():
        assert f"共 {count} 件" in text_of(console.get(href)), label


def test_the_archive_review_is_offered_again_until_acceptance(api, console):
    case, _ = submitted_case(api)
    path = f"/console/cases/{case['id']}"
    console.as_role("window")
    console.post(f"{path}/archive-review", {"archive_status": "缺失", "archive_missing": "缺少入伍审批表"})
    page = text_of(console.get(path))
    assert "已记录：档案缺失（缺少入伍审批表）" in page and "记录审档结果" in page
    console.post(f"{path}/archive-review", {"archive_status": "完整", "note": "部队已补送入伍审批表"})
    page = text_of(console.get(path))
    assert "已记录审档结果" in page and "已记录：档案完整" in page
    assert "档案缺失" in page and "部队已补送入伍审批表" in page  # both findings in the timeline


def test_the_accept_panel_lists_the_materials_still_to_upload(api, console):
    case, token = submitted_case(api)
    path = f"/console/cases/{case['id']}"
    console.as_role("window")
    console.post(f"{path}/archive-review", {"archive_status": "完整"})
    page = text_of(console.get(path))
    assert "材料不齐，不能受理。尚未上传： 制卡相片" in page and "受理意见" not in page
    refused = text_of(console.post(f"{path}/accept", {}, expect=409))
    assert "材料不齐，不能受理：尚未上传制卡相片；请一次性告知申请人补正" in refused
    upload(api, token, case["id"], "photo")
    assert "受理意见" in text_of(console.get(path))


def test_a_case_awaiting_its_supplement_can_be_rejected_on_its_page(api, console):
    case, token = submitted_case(api)
    path = f"/console/cases/{case['id']}"
    console.as_role("window")
    console.post(f"{path}/supplement", {"item": ["field:phone"]})
    page = console.get(path).get_data(as_text=True)
    assert f'action="{path}/reject"' in page and f'action="{path}/supplement"' not in page
    console.post(f"{path}/reject", {"reason": "逾期未补正"})
    assert api.get(f"/api/v1/cases/{case['id']}", token=token)["status"] == "rejected"


def test_the_supplement_checklist_does_not_offer_the_handling_county(api, console):
    case, _ = submitted_case(api)
    page = console.as_role("window").get(f"/console/cases/{case['id']}").get_data(as_text=True)
    assert 'value="field:phone"' in page and 'value="field:handling_region"' not in page


def test_an_id_beyond_the_id_column_is_the_case_pages_own_404(console):
    console.as_role("window")
    for row_id in (2**31, 10**20):
        assert "没有找到这件申请" in text_of(console.get(f"/console/cases/{row_id}", expect=404))


def test_the_registration_form_opens_as_pdf(api, console):
    case, _ = submitted_case(api)
    pdf = console.as_role("window").get(f"/console/files/cases/{case['id']}/form.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_cases_of_other_regions_do_not_exist_for_the_window(api, console):
    case, _ = submitted_case(api)
    console.staff("far-window", "window", region="5134")
    console.login("far-window")
    assert "没有找到这件申请" in text_of(console.get(f"/console/cases/{case['id']}", expect=404))


def test_the_roster_import_reports_each_row(console):
    console.as_role("window")
    rows = ("姓名,身份证号码,退役类型,办理市（州）县（市、区）\n"
            f"赵强,{id_number_for('sichuan', 41)},自主就业退役士兵,510104\n"
            "钱多,123,自主就业退役士兵,510104\n")
    page = console.post("/console/roster", {"file": (BytesIO(rows.encode()), "roster.csv")},
                        content_type="multipart/form-data", expect=200)
    text = text_of(page)
    assert "新增 1" in text and "未导入 1" in text and "赵强" in text and "身份证号码" in text
    again = text_of(console.post("/console/roster", {"file": (BytesIO(rows.encode()), "roster.csv")},
                                 content_type="multipart/form-data", expect=200))
    assert "更新 1" in again


def test_a_roster_import_without_a_file_or_with_a_bad_one_is_refused(console):
    console.as_role("window")
    assert "请选择要导入的名册文件" in text_of(console.post("/console/roster", {}, expect=422))
    page = console.post("/console/roster", {"file": (BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 64), "a.csv")},
                        content_type="multipart/form-data", expect=(400, 422))
    assert "请上传 CSV 或 XLSX" in text_of(page)


def test_page_links_keep_the_queues_filters_and_drop_unknown_parameters(api, console, monkeypatch):
    monkeypatch.setattr("console.pages.PAGE_SIZE", 1)
    submitted_case(api, "v1")
    submitted_case(api, "v2")
    page = console.as_role("window").get("/console/cases?status=submitted&_method=POST&table=x")
    html = page.get_data(as_text=True)
    assert "第 1/2 页" in text_of(page)
    assert 'href="/console/cases?status=submitted&amp;page=2">下一页' in html and "_method" not in html


def test_a_page_beyond_the_last_is_refused_like_page_zero(api, console, monkeypatch):
    monkeypatch.setattr("console.pages.PAGE_SIZE", 1)
    submitted_case(api, "v1")
    submitted_case(api, "v2")
    console.as_role("window")
    assert "第 2/2 页" in text_of(console.get("/console/cases?page=2"))
    page = console.get("/console/cases?page=3", expect=422)
    assert "筛选条件不正确：页码超出范围" in text_of(page) and "第 3/2 页" not in text_of(page)


def test_a_second_clerk_pressing_accept_on_a_stale_page_is_told_the_case_is_already_accepted(app, api, console):
    case = api.accepted_case(api.veteran_token())
    console.as_role("window")
    page = console.post(f"/console/cases/{case['id']}/accept", {}, expect=409)
    assert "该申请已是“已受理”，无需重复操作" in text_of(page)
    with app.app_context():
        accepted = db.session.query(CaseEvent).filter_by(case_id=case["id"], to_status="accepted").count()
    assert accepted == 1


def test_pressing_reject_twice_says_the_case_is_already_rejected(api, console):
    case, _ = submitted_case(api)
    console.as_role("window")
    console.post(f"/console/cases/{case['id']}/reject", {"reason": "不符合申请条件"})
    page = console.post(f"/console/cases/{case['id']}/reject", {"reason": "不符合申请条件"}, expect=409)
    assert "该申请已是“不予受理”，无需重复操作" in text_of(page)


def test_a_too_long_supplement_reason_names_the_item_it_belongs_to(api, console):
    case, _ = submitted_case(api)
    console.as_role("window")
    page = console.post(f"/console/cases/{case['id']}/supplement",
                        {"item": ["field:address", "field:phone"], "reason:field:phone": "长" * 201}, expect=422)
    assert "手机号码的补正原因：长度应为1到200个字符" in text_of(page) and "items." not in text_of(page)


def test_the_supplement_checklist_comes_with_the_materials_still_to_upload_ticked(api, console):
    case, token = submitted_case(api)
    upload(api, token, case["id"], "id_card_scan")
    page = console.as_role("window").get(f"/console/cases/{case['id']}").get_data(as_text=True)
    assert 'name="item" value="material:photo" checked' in page
    assert 'name="item" value="material:id_card_scan">' in page


def test_a_second_supplement_on_a_stale_page_shows_the_list_the_veteran_was_actually_sent(api, console):
    case, token = submitted_case(api)
    console.as_role("window")
    console.post(f"/console/cases/{case['id']}/supplement", {"item": "field:address", "reason:field:address": "地址不详"})
    page = text_of(console.post(f"/console/cases/{case['id']}/supplement",
                                {"item": "field:phone", "reason:field:phone": "号码错误"}, expect=409))
    assert "该申请已是“待补正”，无需重复操作" in page
    assert "联系地址：地址不详" in page and "号码错误" not in page
    assert [i["reason"] for i in api.get(f"/api/v1/cases/{case['id']}", token=token)["supplement"]["items"]] == ["地址不详"]


def test_a_clerk_finds_a_walk_in_veterans_case_by_case_number_name_or_id_number(api, console):
    first, token = submitted_case(api, "v1")
    second, _ = submitted_case(api, "v2", name="李娜")
    console.as_role("window")

    def found(query):
        page = text_of(console.get(f"/console/cases?q={quote(query)}"))
        return {c["case_no"] for c in (first, second) if c["case_no"] in page}

    assert found(second["case_no"]) == found(second["case_no"][-6:]) == found("李娜") == {second["case_no"]}
    assert found(id_number_for("sichuan", api.sequences[token])) == {first["case_no"]}
    assert found("张三") == set()
    assert 'name="q" value="李娜"' in console.get("/console/cases?q=李娜").get_data(as_text=True)
    assert "查找内容过长" in text_of(console.get(f"/console/cases?q={'1' * 41}", expect=422))


def test_the_queue_flags_a_case_whose_matter_a_department_returned(app, api):
    returned = api.accepted_case(api.veteran_token("v1"))
    untouched = api.accepted_case(api.veteran_token("v2"))
    hukou = next(m for m in returned["matters"] if m["key"] == "hukou")
    police = ConsoleClient(app).as_role("department", "public_security")
    police.post(f"/console/matters/{hukou['id']}/transition", {"to": "returned", "note": "缺少户口迁移证"})
    html = ConsoleClient(app).as_role("window").get("/console/cases").get_data(as_text=True)
    rows = {c["case_no"]: re.search(rf"{c['case_no']}.*?</tr>", html, re.S).group(0) for c in (returned, untouched)}
    assert "有事项被退回" in rows[returned["case_no"]] and "有事项被退回" not in rows[untouched["case_no"]]


def test_after_a_resubmission_the_timeline_says_which_listed_items_the_veteran_changed(api, console):
    case, token = submitted_case(api)
    console.as_role("window")
    console.post(f"/console/cases/{case['id']}/supplement",
                 {"item": ["field:phone", "field:address", "material:id_card_scan"]})
    upload(api, token, case["id"], "id_card_scan")
    api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"phone": "13900139000"}}, token=token)
    page = text_of(console.get(f"/console/cases/{case['id']}"))
    assert "已按补正要求修改后重新提交：修改了手机号码，重新上传了居民身份证；联系地址未修改" in page


def test_pressing_record_archive_review_twice_records_it_and_tells_the_veteran_once(app, api, console):
    case, token = submitted_case(api)
    path = f"/console/cases/{case['id']}"
    console.as_role("window")
    console.post(f"{path}/archive-review", {"archive_status": "完整", "note": "档案已到"})
    page = console.post(f"{path}/archive-review", {"archive_status": "完整", "note": "档案已到"}, expect=409)
    assert "已记录过同样的审档结果（档案完整），无需重复记录" in text_of(page)
    with app.app_context():
        assert db.session.query(CaseEvent).filter_by(case_id=case["id"], to_status="archive_reviewed").count() == 1
    assert [m["title"] for m in api.get("/api/v1/messages", token=token)["items"]].count("档案已审核") == 1
