"""The whole story in a browser, against a real server: a veteran applies on the demo page, the
window reviews and accepts in the console, the police complete 户口 (which releases the ID card),
and the veteran sees the progress and the message."""
import json
import re

from playwright.sync_api import expect

from demo.seed import DEMO_PASSWORD
from tests.bot.scripted_veteran import Persona
from tests.materials.images import jpeg

CONSOLE_SCREEN = {"width": 1366, "height": 768}


def wait_for_turn(page) -> dict | None:
    page.wait_for_selector('#composer[data-busy="0"]')
    return json.loads(page.get_attribute("#composer", "data-expecting"))


def tap(page, text: str) -> None:
    page.locator("#choices button", has_text=text).first.click()


def type_answer(page, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")


def chat_to_a_submitted_case(page, persona: Persona, tmp_path, upload_now: bool = True) -> str:
    """Answer every question as the scripted veteran would, tapping buttons where there are some;
    without `upload_now`, "稍后上传" at the first material."""
    tap(page, "我刚退伍，要办理退役手续")
    uploads = 0
    for _ in range(60):
        expecting = wait_for_turn(page)
        if expecting is None:
            break
        kind, options = expecting["type"], expecting.get("options") or []
        labels = [o if isinstance(o, str) else o["label"] for o in options]
        if kind == "file" and not upload_now:
            tap(page, "稍后上传")
        elif kind == "file":  # every material, so the window can accept (a 40KB 358×441 JPEG meets the photo spec too)
            scan = tmp_path / "scan.jpg"
            scan.write_bytes(jpeg(size=40 * 1024))
            page.set_input_files("#extra input[type=file]", str(scan))
            page.click("#extra button:has-text('上传')")
            uploads += 1
            expect(page.locator(".bubble.note", has_text="已上传")).to_have_count(uploads)
        elif kind == "multi_choice":
            page.click("#extra button:has-text('确定所选事项')")  # the proposed matters, preselected
        elif expecting["slot"] == "confirm" and "确认提交" in labels:
            tap(page, "确认提交")
        elif kind == "yes_no" and len(expecting.get("slots", [expecting["slot"]])) == 1:
            tap(page, "是")
        else:
            type_answer(page, persona.answer(expecting))
    case_bubble = page.locator(".bubble.case")
    expect(case_bubble).to_contain_text("申请已提交")
    return re.search(r"TY\d+", case_bubble.inner_text()).group(0)


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button:has-text('登录')")


def test_a_veteran_applies_staff_accept_police_complete_hukou_and_the_veteran_sees_it(
        live_server, browser, screenshot, tmp_path):
    persona = Persona("sichuan")

    # 1. The veteran chats to a submitted case on the demo page.
    veteran = browser.new_page(viewport={"width": 1000, "height": 860})
    veteran.goto(live_server + "/")
    veteran.fill("#openid", "browser-veteran")
    veteran.click("#login-form button")
    case_no = chat_to_a_submitted_case(veteran, persona, tmp_path)
    screenshot(veteran, "01-veteran-submitted")

    # 2. The window signs in, reviews the archive and accepts.
    window = browser.new_context(viewport=CONSOLE_SCREEN).new_page()
    sign_in(window, live_server, "window")
    expect(window.locator("h1")).to_contain_text("申请队列")
    row = window.locator("tr", has_text=case_no)
    expect(row).to_contain_text("已提交，待审核")
    expect(row).to_contain_text("5101**********0117")  # masked in the list
    screenshot(window, "02-console-queue")
    window.click(f"a:has-text('{case_no}')")
    expect(window.locator("#value-id_number")).to_have_text("5101**********0117")
    screenshot(window, "03-console-case")
    window.click("button.reveal[data-target=value-id_number]")
    expect(window.locator("#value-id_number")).to_have_text(persona.id_number)
    expect(window.locator("img.preview").first).to_be_visible()  # the uploaded ID card scan
    screenshot(window, "03b-console-case-revealed")
    window.click("button:has-text('记录审档结果')")
    expect(window.locator(".notice")).to_contain_text("已记录审档结果")
    window.click("button:has-text('受理')")
    expect(window.locator(".notice")).to_contain_text("已受理")
    expect(window.locator("h1 .status")).to_have_text("已受理")
    screenshot(window, "04-console-accepted", full_page=True)

    # 3. A police officer completes 户口; the ID card, which waited for it, is dispatched.
    police = browser.new_context(viewport=CONSOLE_SCREEN).new_page()
    sign_in(police, live_server, "dept-public_security")
    hukou_row = police.locator("tr", has_text="户口登记")
    expect(hukou_row).to_contain_text(case_no)
    expect(police.locator("tr", has_text="居民身份证申领")).to_have_count(0)  # still waiting for hukou
    hukou_row.locator("a").first.click()
    expect(police.locator("dl.fields")).not_to_contain_text("银行账号")  # not granted to the police
    screenshot(police, "05-police-matter")
    police.click("button:has-text('开始办理')")
    expect(police.locator("h1 .status")).to_have_text("办理中")
    police.fill("textarea[name=result]", "已恢复户口，请到锦江区红星路派出所领取户口簿")
    police.click("button:has-text('办结')")
    expect(police.locator("h1 .status")).to_have_text("已办结")
    police.click("a:has-text('返回事项列表')")
    expect(police.locator("tr", has_text="居民身份证申领")).to_contain_text("已推送部门")
    screenshot(police, "06-police-queue")

    # 4. The veteran's page shows the progress, and the inbox the messages.
    veteran.click(".tabs button[data-tab=cases]")
    hukou = veteran.locator(".case-card li[data-matter=hukou]")
    expect(hukou).to_contain_text("已办结")
    expect(hukou).to_contain_text("红星路派出所")
    expect(veteran.locator(".case-card li[data-matter=id_card]")).to_contain_text("已推送部门")
    screenshot(veteran, "07-veteran-progress")
    veteran.click(".tabs button[data-tab=inbox]")
    expect(veteran.locator("#inbox")).to_contain_text("红星路派出所")
    expect(veteran.locator("#inbox li.unread").first).to_be_visible()
    screenshot(veteran, "08-veteran-inbox")


def test_materials_left_for_later_are_uploaded_from_my_cases_and_the_window_accepts(
        live_server, browser, screenshot, tmp_path):
    veteran = browser.new_page(viewport={"width": 1000, "height": 860})
    veteran.goto(live_server + "/")
    veteran.fill("#openid", "browser-later")
    veteran.click("#login-form button")
    case_no = chat_to_a_submitted_case(veteran, Persona("sichuan"), tmp_path, upload_now=False)
    expect(veteran.locator(".bubble", has_text="以下材料还需上传").first).to_be_visible()

    veteran.click(".tabs button[data-tab=cases]")
    card = veteran.locator(".case-card", has_text=case_no)
    expect(card).to_contain_text("待上传材料")
    owed = card.locator(".upload-row")
    count = owed.count()
    assert count >= 2  # the ID card scan and the photo at least
    scan = tmp_path / "later.jpg"
    scan.write_bytes(jpeg(size=40 * 1024))
    for left in range(count, 0, -1):
        row = veteran.locator(".case-card", has_text=case_no).locator(".upload-row").first
        row.locator("input[type=file]").set_input_files(str(scan))
        row.locator("button:has-text('上传')").click()
        # The upload is checked and stored before the card is read again: on a loaded 2-core machine that has
        # taken longer than expect's 5 seconds.
        expect(veteran.locator(".case-card", has_text=case_no).locator(".upload-row")).to_have_count(
            left - 1, timeout=20_000)
    expect(veteran.locator(".case-card", has_text=case_no)).not_to_contain_text("待上传材料")
    screenshot(veteran, "09-veteran-uploaded-later")

    window = browser.new_context(viewport=CONSOLE_SCREEN).new_page()
    sign_in(window, live_server, "window")
    window.click(f"a:has-text('{case_no}')")
    window.click("button:has-text('记录审档结果')")
    window.click("button:has-text('受理')")
    expect(window.locator("h1 .status")).to_have_text("已受理")
