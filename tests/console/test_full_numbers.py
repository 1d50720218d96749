"""Personal numbers in the console: masked in what staff typed into the timeline (办理记录), and the
registration form, which prints them in full, recorded there as a look when the window opens it."""
from tests.console.conftest import ConsoleClient, text_of
from tests.factories import id_number_for


def test_numbers_staff_typed_show_masked_in_the_timeline(app, api, console):
    case = api.accepted_case(api.veteran_token())
    hukou = next(m for m in case["matters"] if m["key"] == "hukou")
    officer = ConsoleClient(app).as_role("department", "public_security")
    officer.post(f"/console/matters/{hukou['id']}/transition", {"to": "processing"})
    officer.post(f"/console/matters/{hukou['id']}/transition",
                 {"to": "returned", "note": f"身份证{id_number_for('sichuan')}与户口簿不符，请致电13800138000"})
    for page in (text_of(officer.get(f"/console/matters/{hukou['id']}")),
                 text_of(console.as_role("window").get(f"/console/cases/{case['id']}"))):
        assert "与户口簿不符" in page and "138****8000" in page
        assert id_number_for("sichuan") not in page and "13800138000" not in page


def test_opening_the_registration_form_is_recorded_in_the_timeline(api, console):
    case = api.submit(api.veteran_token())
    console.as_role("window")
    pdf = console.get(f"/console/files/cases/{case['id']}/form.pdf")
    assert pdf.mimetype == "application/pdf"
    page = text_of(console.get(f"/console/cases/{case['id']}"))
    assert "下载了办理登记表，其中有完整的身份证号码" in page
