"""A material is served to its owner, the window of its region and the departments granted it;
everyone else is told it does not exist."""
from tests.materials.helpers import upload
from tests.materials.images import PDF, jpeg


def _matter(case, key):
    return next(m for m in case["matters"] if m["key"] == key)


def _download(api, token, case_id, kind, expect=200):
    response = api.client.get(f"/api/v1/cases/{case_id}/materials/{kind}",
                              headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == expect, response.get_data(as_text=True)[:300]
    return response


def _case_with_files(api):
    token = api.veteran_token()
    case = api.submit(token)
    photo = jpeg(size=30 * 1024)
    upload(api, token, case["id"], "id_card_scan", PDF, "id.pdf")
    upload(api, token, case["id"], "photo", photo, "photo.jpg")
    upload(api, token, case["id"], "org_intro_letter", PDF + b"%letter", "letter.pdf")
    return token, case, photo


def test_the_owner_and_the_regions_window_can_download(api):
    token, case, photo = _case_with_files(api)
    mine = _download(api, token, case["id"], "photo")
    assert mine.data == photo and mine.mimetype == "image/jpeg"
    assert mine.headers["X-Content-Type-Options"] == "nosniff"
    assert _download(api, api.window_token(), case["id"], "photo").data == photo


def test_other_veterans_and_other_regions_get_404(api):
    _, case, _ = _case_with_files(api)
    _download(api, api.veteran_token("openid-other"), case["id"], "photo", expect=404)
    elsewhere = api.staff_token("window-mianyang", region="5107")
    _download(api, elsewhere, case["id"], "photo", expect=404)


def test_a_material_not_uploaded_is_404(api):
    token, case, _ = _case_with_files(api)
    error = _download(api, token, case["id"], "discharge_certificate", expect=404).get_json()["error"]
    assert error["code"] == "material_not_found"


def test_a_department_downloads_only_what_its_grant_includes(api):
    token, case, photo = _case_with_files(api)
    window = api.window_token()
    api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed", {"archive_status": "完整"}, token=window)
    case = api.post(f"/api/v1/staff/cases/{case['id']}/accept", {}, token=window)
    party, police = api.officer_token("party_org"), api.officer_token("public_security")
    assert _download(api, party, case["id"], "org_intro_letter").data.endswith(b"%letter")
    _download(api, party, case["id"], "id_card_scan", expect=404)
    _download(api, police, case["id"], "id_card_scan", expect=404)  # 附件3: the police get no materials
    hr = api.officer_token("human_resources")
    _download(api, hr, case["id"], "photo", expect=404)  # its matters still wait for the hukou
    for key, officer in (("hukou", police), ("social_insurance_registration", hr)):
        for step in ({"to": "processing"}, {"to": "completed", "result": "已办结"}):
            api.post(f"/api/v1/dept/matters/{_matter(case, key)['id']}/transition", step, token=officer)
        if key == "hukou":  # the card photo is the card's, which waits for the registration
            _download(api, hr, case["id"], "photo", expect=404)
    assert _download(api, hr, case["id"], "photo").data == photo
    _download(api, hr, case["id"], "org_intro_letter", expect=404)
    elsewhere = api.officer_token("human_resources", region="5107")
    _download(api, elsewhere, case["id"], "photo", expect=404)


def test_the_department_view_lists_granted_materials_with_status_and_link(api):
    token, case, _ = _case_with_files(api)
    window = api.window_token()
    api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed", {"archive_status": "完整"}, token=window)
    case = api.post(f"/api/v1/staff/cases/{case['id']}/accept", {}, token=window)
    party = api.officer_token("party_org")
    matter = api.get(f"/api/v1/dept/matters/{_matter(case, 'party_transfer')['id']}", token=party)
    [letter] = matter["materials"]
    assert (letter["key"], letter["status"]) == ("org_intro_letter", "uploaded")
    assert letter["url"] == f"/api/v1/cases/{case['id']}/materials/org_intro_letter"
    va = api.officer_token("veterans_affairs")
    report = api.get(f"/api/v1/dept/matters/{_matter(case, 'report')['id']}", token=va)
    statuses = {m["key"]: m["status"] for m in report["materials"]}
    assert statuses["registration_form"] == "generated" and statuses["discharge_certificate"] == "owed"
    # the department granted the whole case receives the 登记表 too (tests/api/test_form_download_audit.py)
    form = next(m for m in report["materials"] if m["key"] == "registration_form")
    assert form["url"] == f"/api/v1/cases/{case['id']}/form.pdf"
