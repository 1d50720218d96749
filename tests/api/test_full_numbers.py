"""Staff get personal numbers in full only from a case's or a matter's own page, and each such look is
in the case's timeline, which the veteran sees too. Everything else they are given shows them masked."""
from tests.factories import id_number_for


def _last_note(timeline):
    return timeline[-1]["note"]


def test_the_window_s_look_at_a_case_is_in_full_and_on_its_timeline(api):
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)
    reviewed = api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed", {"archive_status": "完整"},
                        token=window)
    assert reviewed["fields"]["id_number"] != id_number_for("sichuan") and "*" in reviewed["fields"]["phone"]
    view = api.get(f"/api/v1/staff/cases/{case['id']}", token=window)
    assert view["fields"]["id_number"] == id_number_for("sichuan")
    assert _last_note(view["timeline"]).startswith("查看了完整的身份证号码、手机号码")
    own = api.get(f"/api/v1/cases/{case['id']}", token=token)
    assert _last_note(own["timeline"]) == _last_note(view["timeline"]) and own["timeline"][-1]["actor"] == "综合窗口"


def test_a_department_s_look_lists_only_the_numbers_granted_to_it(api):
    case = api.accepted_case(api.veteran_token())
    party = api.officer_token("party_org")
    matter = next(m for m in case["matters"] if m["key"] == "party_transfer")
    view = api.get(f"/api/v1/dept/matters/{matter['id']}", token=party)
    assert view["fields"]["id_number"] == id_number_for("sichuan") and "bank_account" not in view["fields"]
    note = _last_note(view["timeline"])
    assert note.startswith("查看了完整的身份证号码") and "银行账号" not in note
    moved = api.post(f"/api/v1/dept/matters/{matter['id']}/transition", {"to": "processing"}, token=party)
    assert "*" in moved["fields"]["id_number"]
