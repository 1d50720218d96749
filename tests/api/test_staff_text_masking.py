"""Numbers staff type into a reason, note or result (even a third person's ID number) reach the veteran,
lists and the answers to staff actions masked; a tracking number stays readable. Only the staff's audited
look at one case or matter shows them as written."""
from tests.factories import id_number_for

OTHER_PERSON = "510104198001010012"  # someone else's ID number, e.g. the householder's
NUMBERS = f"身份证{OTHER_PERSON}，电话13977778888"
MASKED = "身份证5101**********0012，电话139****8888"


def test_a_rejection_reason_and_the_archive_note_are_masked_for_the_veteran_and_in_the_answers(api):
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)
    reviewed = api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed",
                        {"archive_status": "完整", "note": f"核对{NUMBERS}"}, token=window)
    assert reviewed["timeline"][-1]["note"] == f"核对{MASKED}"
    rejected = api.post(f"/api/v1/staff/cases/{case['id']}/reject", {"reason": f"{NUMBERS}与名册不符"}, token=window)
    assert rejected["decision_reason"] == f"{MASKED}与名册不符" == rejected["timeline"][-1]["note"]
    own = api.get(f"/api/v1/cases/{case['id']}", token=token)
    assert own["decision_reason"] == f"{MASKED}与名册不符"
    assert [e["note"] for e in own["timeline"][-2:]] == [f"核对{MASKED}", f"{MASKED}与名册不符"]
    assert OTHER_PERSON not in str(api.get("/api/v1/cases", token=token))
    audited = api.get(f"/api/v1/staff/cases/{case['id']}", token=window)
    assert audited["decision_reason"] == f"{NUMBERS}与名册不符"


def test_the_veteran_is_told_what_the_archive_lacks_with_numbers_masked(api):
    """审档 缺失: what the clerk wrote is missing reaches the timeline and the inbox, the note after it, as a 补正's
    list does; numbers masked for the veteran, in full in the window's audited look."""
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)
    api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed",
             {"archive_status": "缺失", "archive_missing": "缺少入伍审批表，已请部队经办人13977778888补寄",
              "note": f"户主{OTHER_PERSON}"}, token=window)
    told = "档案缺失：缺少入伍审批表，已请部队经办人139****8888补寄。户主5101**********0012"
    own = api.get(f"/api/v1/cases/{case['id']}", token=token)
    assert own["timeline"][-1]["note"] == told
    assert own["fields"]["archive_missing"] == "缺少入伍审批表，已请部队经办人139****8888补寄"
    message = next(m for m in api.get("/api/v1/messages", token=token)["items"] if m["event"] == "archive_reviewed")
    assert f"综合窗口审核了您的档案。{told}。" in message["body"] and "13977778888" not in str(message)
    audited = api.get(f"/api/v1/staff/cases/{case['id']}", token=window)
    assert audited["fields"]["archive_missing"] == "缺少入伍审批表，已请部队经办人13977778888补寄"


def test_supplement_reasons_are_masked_for_the_veteran(api):
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)
    asked = api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement",
                     {"items": [{"field": "phone", "reason": "13977778888无法接通"}], "note": f"户主{OTHER_PERSON}"},
                     token=window)
    own = api.get(f"/api/v1/cases/{case['id']}", token=token)
    for seen in (asked, own):
        assert seen["supplement"]["items"][0]["reason"] == "139****8888无法接通"
        assert seen["supplement"]["note"] == "户主5101**********0012"
        assert seen["timeline"][-1]["note"] == "请补正：手机号码：139****8888无法接通。户主5101**********0012"


def test_a_department_s_result_is_masked_for_the_veteran_and_in_lists_but_not_its_tracking_number(api):
    token = api.veteran_token()
    case = api.accepted_case(token)
    police = api.officer_token("public_security")
    hukou = next(m for m in case["matters"] if m["key"] == "hukou")
    api.post(f"/api/v1/dept/matters/{hukou['id']}/transition", {"to": "processing", "note": f"户主{OTHER_PERSON}"},
             token=police)
    done = api.post(f"/api/v1/dept/matters/{hukou['id']}/transition",
                    {"to": "completed", "result": f"已恢复户口，{NUMBERS}，户口簿EMS 1100123456789"}, token=police)
    result = f"已恢复户口，{MASKED}，户口簿EMS 1100123456789"
    notes = {e["to"]: e["note"] for e in done["timeline"] if e["matter"] == "hukou"}
    assert done["result"] == result == notes["completed"] and notes["processing"] == "户主5101**********0012"
    listed = next(m for m in api.get("/api/v1/dept/matters", token=police)["items"] if m["id"] == hukou["id"])
    assert listed["result"] == result
    own = api.get(f"/api/v1/cases/{case['id']}", token=token)
    assert next(m for m in own["matters"] if m["key"] == "hukou")["result"] == result
    assert OTHER_PERSON not in str(own) and id_number_for("sichuan") not in str(own)
    audited = api.get(f"/api/v1/dept/matters/{hukou['id']}", token=police)
    assert audited["result"] == f"已恢复户口，{NUMBERS}，户口簿EMS 1100123456789"
