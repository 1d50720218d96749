"""A department officer's pages: own matters only, only the granted fields, transitions with results."""
from models import CaseEvent, db
from tests.console.conftest import ConsoleClient, text_of
from tests.factories import id_number_for


def hukou_of(api, case) -> dict:
    return next(m for m in case["matters"] if m["key"] == "hukou")


def test_the_police_see_their_dispatched_matters_and_nothing_waiting(api, console):
    case = api.accepted_case(api.veteran_token())
    page = text_of(console.as_role("department", "public_security").get("/console/matters"))
    assert case["case_no"] in page and "户口登记" in page
    assert "居民身份证申领" not in page  # waits for hukou
    assert "退役报到" not in page  # another department's


def test_the_matters_come_a_page_at_a_time_work_to_do_first_and_links_keep_the_filter(api, console, monkeypatch):
    monkeypatch.setattr("console.pages.PAGE_SIZE", 1)
    first = api.accepted_case(api.veteran_token("v1"))
    second = api.accepted_case(api.veteran_token("v2"))
    console.as_role("department", "public_security")
    console.post(f"/console/matters/{hukou_of(api, first)['id']}/transition", {"to": "processing"})
    console.post(f"/console/matters/{hukou_of(api, first)['id']}/transition", {"to": "completed", "result": "已恢复户口"})
    page = text_of(console.get("/console/matters"))
    assert "共 3 项 · 第 1/3 页" in page and "居民身份证申领" in page and "户口登记" not in page
    last = text_of(console.get("/console/matters?page=3"))  # the finished one after the work to do
    assert "第 3/3 页" in last and "户口登记" in last and first["case_no"] in last and second["case_no"] not in last
    page = console.get("/console/matters?status=completed")
    assert "共 1 项" in text_of(page) and first["case_no"] in text_of(page)
    listed = console.get("/console/matters?status=dispatched&page=2")
    assert 'href="/console/matters?status=dispatched&amp;page=1">上一页' in listed.get_data(as_text=True)
    for bad in ("0", "x", "3"):
        assert "筛选条件不正确" in text_of(console.get(f"/console/matters?status=dispatched&page={bad}", expect=422))


def test_the_matter_page_shows_only_the_granted_fields(api, console):
    case = api.accepted_case(api.veteran_token())
    page = text_of(console.as_role("department", "public_security").get(f"/console/matters/{hukou_of(api, case)['id']}"))
    assert "户主姓名" in page and "拟落户所在地" in page
    assert "银行账号" not in page and "6222" not in page and "紧急联系人" not in page
    assert id_number_for("sichuan") not in page and "5101**********" in page


def test_completing_hukou_with_a_result_dispatches_the_id_card(api, console):
    case = api.accepted_case(api.veteran_token())
    matter_id = hukou_of(api, case)["id"]
    console.as_role("department", "public_security")
    console.post(f"/console/matters/{matter_id}/transition", {"to": "processing"})
    console.post(f"/console/matters/{matter_id}/transition", {"to": "completed", "result": "已恢复户口"})
    assert "已将事项改为“已办结”" in text_of(console.get(f"/console/matters/{matter_id}"))
    listed = console.get("/console/matters").get_data(as_text=True)
    assert "居民身份证申领" in listed
    case_now = api.get(f"/api/v1/staff/cases/{case['id']}", token=api.window_token())
    assert {m["key"]: m["status"] for m in case_now["matters"]}["id_card"] == "dispatched"


def test_completing_without_a_result_or_moving_to_an_unknown_status_is_refused_in_chinese(api, console):
    case = api.accepted_case(api.veteran_token())
    matter_id = hukou_of(api, case)["id"]
    console.as_role("department", "public_security")
    console.post(f"/console/matters/{matter_id}/transition", {"to": "processing"})
    page = console.post(f"/console/matters/{matter_id}/transition", {"to": "completed"}, expect=422)
    assert "办结时请填写办理结果" in text_of(page)
    page = console.post(f"/console/matters/{matter_id}/transition", {"to": "waiting"}, expect=422)
    assert "办理状态应为开始办理、办结、退回之一" in text_of(page)


def test_an_impossible_transition_is_refused_with_the_current_status(api, console):
    case = api.accepted_case(api.veteran_token())
    matter_id = hukou_of(api, case)["id"]
    page = console.as_role("department", "public_security").post(
        f"/console/matters/{matter_id}/transition", {"to": "completed", "result": "x"}, expect=409)
    assert "事项当前为“已推送部门”，不能改为“已办结”" in text_of(page)


def test_another_departments_matter_does_not_exist_for_the_officer(app, api):
    case = api.accepted_case(api.veteran_token())
    console = ConsoleClient(app).as_role("department", "medical_security")
    assert "没有找到这个事项" in text_of(console.get(f"/console/matters/{hukou_of(api, case)['id']}", expect=404))


def test_officers_reveal_only_granted_personal_numbers_and_each_look_is_recorded(app, api, console):
    case = api.accepted_case(api.veteran_token())
    matter_id = hukou_of(api, case)["id"]
    console.as_role("department", "public_security")
    shown = console.post(f"/console/matters/{matter_id}/reveal/householder_id_number", expect=200)
    assert shown.get_json()["value"].startswith("5101")
    console.post(f"/console/matters/{matter_id}/reveal/bank_account", expect=404)
    with app.app_context():
        event = db.session.query(CaseEvent).order_by(CaseEvent.id.desc()).first()
        assert (event.matter_id, event.actor_label, event.note) == (matter_id, "公安部门", "查看了完整的户主公民身份号码")


def test_the_veterans_affairs_officer_opens_the_registration_form_and_the_police_cannot(app, api, console):
    case = api.accepted_case(api.veteran_token())
    report = next(m for m in case["matters"] if m["key"] == "report")
    form_path = f"/console/files/cases/{case['id']}/form.pdf"
    console.as_role("department", "veterans_affairs")
    assert f'href="{form_path}"' in console.get(f"/console/matters/{report['id']}").get_data(as_text=True)
    assert console.get(form_path).data.startswith(b"%PDF")
    assert "下载了办理登记表，其中有完整的身份证号码" in text_of(console.get(f"/console/matters/{report['id']}"))
    police = ConsoleClient(app).as_role("department", "public_security")
    assert form_path not in police.get(f"/console/matters/{hukou_of(api, case)['id']}").get_data(as_text=True)
    assert "没有找到这份材料" in text_of(police.get(form_path, expect=404))


def test_pressing_complete_twice_says_the_matter_is_already_completed(app, api, console):
    hukou = hukou_of(api, api.accepted_case(api.veteran_token()))
    console.as_role("department", "public_security")
    console.post(f"/console/matters/{hukou['id']}/transition", {"to": "processing"})
    console.post(f"/console/matters/{hukou['id']}/transition", {"to": "completed", "result": "已恢复户口"})
    page = console.post(f"/console/matters/{hukou['id']}/transition", {"to": "completed", "result": "已恢复户口"},
                        expect=409)
    assert "该事项已是“已办结”，无需重复操作" in text_of(page)
    with app.app_context():
        assert db.session.query(CaseEvent).filter_by(matter_id=hukou["id"], to_status="completed").count() == 1


def test_completing_again_with_another_result_shows_the_result_recorded_not_the_refused_one(api, console):
    hukou = hukou_of(api, api.accepted_case(api.veteran_token()))
    console.as_role("department", "public_security")
    console.post(f"/console/matters/{hukou['id']}/transition", {"to": "processing"})
    console.post(f"/console/matters/{hukou['id']}/transition", {"to": "completed", "result": "已恢复户口"})
    page = text_of(console.post(f"/console/matters/{hukou['id']}/transition",
                                {"to": "completed", "result": "户口簿已邮寄"}, expect=409))
    assert "已恢复户口" in page and "户口簿已邮寄" not in page
