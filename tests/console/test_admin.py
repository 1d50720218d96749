"""Administrators: staff accounts of their region, failed pushes sent again and the pushes WeChat holds."""
from models import Notification, Staff, db
from models.notification import FAILED, PENDING
from tests.console.conftest import ConsoleClient, text_of
from tests.notify.conftest import drain, notifications, subscribe
from tests.notify.test_token_refusal import TOKEN_URL, refusal_runs_out

NEW_ACCOUNT = {"username": "li-police", "display_name": "李警官", "role": "department",
               "department": "public_security", "region": "成都市锦江区", "password": "long-enough-1"}


def test_an_administrator_opens_an_account_that_can_sign_in(app, console):
    console.as_role("admin")
    console.post("/console/admin/staff", NEW_ACCOUNT)
    assert "已开设账号 li-police" in text_of(console.get("/console/admin/staff"))
    with app.app_context():
        staff = db.session.query(Staff).filter_by(username="li-police").one()
        assert (staff.role, staff.department, staff.region) == ("department", "public_security", "510104")
    newcomer = ConsoleClient(app)
    assert newcomer.login("li-police", "long-enough-1").headers["Location"] == "/console/matters"


def test_a_taken_username_is_refused_and_the_account_kept(app, console):
    console.as_role("admin")
    console.post("/console/admin/staff", NEW_ACCOUNT)
    page = console.post("/console/admin/staff", {**NEW_ACCOUNT, "password": "another-pass-2"}, expect=409)
    assert "用户名“li-police”已被使用" in text_of(page)
    ConsoleClient(app).login("li-police", "long-enough-1")


def test_bad_account_details_are_refused_with_every_reason(console):
    console.as_role("admin")
    page = console.post("/console/admin/staff", {**NEW_ACCOUNT, "username": "李 警官", "department": "weather",
                                                 "password": "short"}, expect=422)
    text = text_of(page)
    assert "用户名应为1到64位字母" in text and "部门经办人员需要选择部门" in text and "初始密码至少8位" in text


def test_an_unknown_role_is_refused_with_the_roles_in_chinese(console):
    console.as_role("admin")
    page = text_of(console.post("/console/admin/staff", {**NEW_ACCOUNT, "role": "king"}, expect=422))
    assert "岗位应为综合窗口工作人员（window）、部门经办人员（department）、管理员（admin）之一" in page


def test_accounts_outside_the_administrators_region_are_refused(console):
    console.as_role("admin")  # 四川
    page = console.post("/console/admin/staff", {**NEW_ACCOUNT, "region": "440106"}, expect=422)
    assert "只能为您管辖的地区开设账号" in text_of(page)


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in(app, console):
    officer = ConsoleClient(app)
    staff = officer.staff("old-officer", "department", "public_security")
    officer.login("old-officer")
    console.as_role("admin")
    console.post(f"/console/admin/staff/{staff.id}/active", {"active": "0"})
    officer.get("/console/matters", expect=303)
    officer.login("old-officer", expect=401)
    console.post(f"/console/admin/staff/{staff.id}/active", {"active": "1", "password": "brand-new-pass-1"})
    officer.login("old-officer", "brand-new-pass-1")


def test_administrators_cannot_deactivate_themselves(app, console):
    console.as_role("admin")
    with app.app_context():
        me = db.session.query(Staff).filter_by(username="console-admin").one()
    page = console.post(f"/console/admin/staff/{me.id}/active", {"active": "0"}, expect=409)
    assert "不能停用自己正在使用的账号" in text_of(page)


def test_a_failed_push_is_listed_and_sent_again(app, api, console):
    case = api.accepted_case(api.veteran_token())
    with app.app_context():
        notification = db.session.query(Notification).filter_by(case_id=case["id"]).order_by(Notification.id).first()
        notification.push_status, notification.attempts, notification.last_error = FAILED, 6, "微信系统繁忙"
        db.session.commit()
        failed_id = notification.id
    page = text_of(console.as_role("admin").get("/console/admin/notifications"))
    assert case["case_no"] in page and "微信系统繁忙" in page and "推送失败" in page
    console.post(f"/console/admin/notifications/{failed_id}/retry", {"status": "failed"})
    with app.app_context():
        assert db.session.get(Notification, failed_id).push_status == PENDING
    assert "没有推送失败的消息" in text_of(console.get("/console/admin/notifications"))
    page = console.post(f"/console/admin/notifications/{failed_id}/retry", expect=409)
    assert "只有推送失败或被微信拒收的消息可以重新推送" in text_of(page)


def test_a_region_code_that_names_no_region_is_refused(app, console):
    console.as_role("admin")
    for code in ("5199", "519988"):
        page = console.post("/console/admin/staff", {**NEW_ACCOUNT, "region": code}, expect=422)
        assert "没有这个行政区划代码" in text_of(page)
    with app.app_context():
        assert db.session.query(Staff).filter_by(username="li-police").one_or_none() is None
    console.post("/console/admin/staff", {**NEW_ACCOUNT, "region": "510104"})


def test_a_blank_password_or_one_with_surrounding_spaces_is_refused(app, console):
    console.as_role("admin")
    for password in (" " * 8, " long-enough-1 "):
        page = console.post("/console/admin/staff", {**NEW_ACCOUNT, "password": password}, expect=422)
        assert "密码不能为空白，首尾不能有空格" in text_of(page)
    with app.app_context():
        assert db.session.query(Staff).filter_by(username="li-police").one_or_none() is None


def test_a_password_longer_than_a_login_reads_is_refused(app, console):
    console.as_role("admin")
    page = console.post("/console/admin/staff", {**NEW_ACCOUNT, "password": "x" * 129}, expect=422)
    assert "密码最长128位" in text_of(page)
    with app.app_context():
        assert db.session.query(Staff).filter_by(username="li-police").one_or_none() is None


def test_waiting_pushes_are_listed_and_a_refused_token_is_announced_with_what_to_fix(app, api, console, fake_wechat):
    token = api.veteran_token("o_console_held")
    subscribe(api, token)
    case = api.submit(token)
    console.as_role("admin")
    waiting = text_of(console.get("/console/admin/notifications?status=pending"))  # not sent yet, nothing wrong
    assert case["case_no"] in waiting and "待推送" in waiting and "下次尝试" in waiting
    assert "微信拒绝" not in waiting and "微信拒绝" not in text_of(console.get("/console/admin/notifications"))

    fake_wechat.fail_always(TOKEN_URL, 40164)  # the server's IP is not on the whitelist: every push is held
    drain(app)
    held = len(notifications(app, push_status=PENDING))
    page = text_of(console.get("/console/admin/notifications"))
    assert "没有推送失败的消息" in page  # where an administrator looked before, and found nothing
    assert "微信拒绝了我们的 access_token 请求（40164：服务器的出口 IP 不在小程序后台的 IP 白名单中；" \
           "微信原文：invalid ip 203.0.113.7" in page and f"本辖区有{held}条消息等待推送" in page
    waiting = console.get("/console/admin/notifications?status=pending")
    assert "微信拒绝了我们的 access_token 请求" in text_of(waiting)
    assert case["case_no"] in text_of(waiting) and "[40164]" in text_of(waiting)
    assert "/retry" not in waiting.get_data(as_text=True)  # they go out by themselves once it is fixed

    fake_wechat.clear_failures()  # the IP is whitelisted
    refusal_runs_out(app)
    drain(app)
    page = text_of(console.get("/console/admin/notifications?status=pending"))
    assert "微信拒绝" not in page and "没有待推送的消息" in page


def test_an_officer_account_is_offered_and_made_only_for_a_department_with_matters_in_the_province(console):
    console.as_role("admin")  # 四川: 社会保险 goes to 人社, so its 社会保险事业管理部门 gets no matter
    form = console.get("/console/admin/staff").get_data(as_text=True)
    assert 'value="human_resources"' in form and 'value="social_insurance_agency"' not in form
    page = console.post("/console/admin/staff", {**NEW_ACCOUNT, "department": "social_insurance_agency"}, expect=422)
    assert "部门经办人员需要选择部门" in text_of(page) and "社会保险事业管理部门" not in text_of(page).split("可选：")[1]
