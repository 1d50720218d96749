"""The registration form (登记表) prints every personal number in full: the window's download is a look at
them and is written to the case's timeline, which the veteran sees; the veteran's own download is not."""


def _form_pdf(api, case_id, token):
    response = api.client.get(f"/api/v1/cases/{case_id}/form.pdf", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_the_window_s_download_of_the_form_is_on_the_timeline_and_the_veteran_s_is_not(api):
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)
    _form_pdf(api, case["id"], token)
    assert len(api.get(f"/api/v1/cases/{case['id']}", token=token)["timeline"]) == len(case["timeline"])
    _form_pdf(api, case["id"], window)
    last = api.get(f"/api/v1/cases/{case['id']}", token=token)["timeline"][-1]
    assert last["actor"] == "综合窗口"
    assert last["note"].startswith("下载了办理登记表，其中有完整的身份证号码、手机号码")
