"""The registration form PDF carries the whole form, unmasked, for the owner, the window and the 退役军人事务部门 only."""
import re
from io import BytesIO

from pypdf import PdfReader

from tests.factories import ApiClient
from tests.materials.helpers import upload
from tests.materials.images import PDF


def _pdf_text(api, token, case_id, expect=200) -> str:
    response = api.client.get(f"/api/v1/cases/{case_id}/form.pdf", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == expect, response.get_data(as_text=True)[:300]
    if expect != 200:
        return response.get_json()["error"]["code"]
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)


def test_the_owner_gets_every_value_unmasked(api):
    token = api.veteran_token()
    body = api.form(emergency_contact_phone="0755-86001234", discharge_cert_no="2019-000123")
    case = api.submit(token, body)
    text = _pdf_text(api, token, case["id"])
    fields = body["fields"]
    assert "“退役军人服务一件事”办理登记表" in text
    for value in (fields["name"], fields["id_number"], fields["phone"], fields["bank_account"],
                  fields["unit_code"], fields["address"], fields["householder_name"],
                  "0755-86001234", "2019-000123",  # numbers that look like dates stay numbers
                  "自主就业退役士兵", "四川省成都市锦江区", "2019年9月", "2024年9月"):
        assert value in text, value
    assert "服役时间5年" in re.sub(r"\s+", "", text)
    assert "*" not in text  # nothing masked
    assert "本人承诺填写内容和提交的材料均真实有效" in text and "申请人（签字）" in text


def test_chosen_matters_are_ticked_and_the_rest_left_empty(api):
    token = api.veteran_token()
    case = api.submit(token, matters=["report", "hukou", "lump_sum_subsidy"])
    text = re.sub(r"\s+", "", _pdf_text(api, token, case["id"]))
    for label in ("退役报到", "户口登记（退役军人恢复户口）", "自主就业一次性经济补助金的给付"):
        assert "☑" + label in text, label
    for label in ("居民身份证申领", "预备役登记", "社会保险登记", "团组织关系转接"):
        assert "□" + label in text, label
    assert "本人银行开户行" in text and "入伍前户口所在地" in text
    assert "发卡地市州" not in text  # no section for a matter not chosen


def test_materials_show_what_was_handed_in(api):
    token = api.veteran_token()
    case = api.submit(token, matters=["report"])
    upload(api, token, case["id"], "id_card_scan", PDF)
    text = re.sub(r"\s+", "", _pdf_text(api, token, case["id"]))
    assert "☑居民身份证（已上传，原件到窗口核验）" in text and "□退出现役证书（待提交，原件到窗口核验）" in text


def test_the_window_of_the_region_gets_it_and_others_do_not(api):
    token = api.veteran_token()
    case = api.submit(token)
    assert api.form()["fields"]["id_number"] in _pdf_text(api, api.window_token(), case["id"])
    assert _pdf_text(api, api.veteran_token("openid-other"), case["id"], expect=404) == "case_not_found"
    elsewhere = api.staff_token("window-mianyang", region="5107")
    assert _pdf_text(api, elsewhere, case["id"], expect=404) == "case_not_found"
    # not yet accepted: nothing of it has been sent to a department (tests/api/test_form_download_audit.py)
    assert _pdf_text(api, api.officer_token("veterans_affairs"), case["id"], expect=404) == "material_not_found"


def test_the_archive_review_is_ticked_once_the_window_records_it(api):
    token = api.veteran_token()
    case = api.submit(token)
    window = api.window_token()
    api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed",
             {"archive_status": "缺失", "archive_missing": "入伍登记表"}, token=window)
    text = re.sub(r"\s+", "", _pdf_text(api, window, case["id"]))
    assert "□完整☑缺失缺失内容入伍登记表" in text


def test_guangdong_s_form_has_no_archive_row_its_window_could_never_fill(make_app, upload_dir):
    """广东's documents have no 审档 (the window accepts at once, archive_review_not_required): an 档案情况 row
    would stay □完整 □缺失 on every accepted case, as if the archive had never been checked."""
    api = ApiClient(make_app("guangdong", UPLOAD_DIR=str(upload_dir)))
    token = api.veteran_token()
    case = api.accepted_case(token)
    text = re.sub(r"\s+", "", _pdf_text(api, api.window_token(), case["id"]))
    assert "证明材料" in text and "档案情况" not in text and "缺失内容" not in text


def test_a_draft_prints_with_what_it_has(api, app):
    from models import Case, Veteran, db
    token = api.veteran_token()
    with app.app_context():
        veteran = db.session.query(Veteran).one()
        draft = Case(veteran_id=veteran.id, province="sichuan", status="draft", matter_keys=["report"],
                     fields={"name": "王磊"})
        db.session.add(draft)
        db.session.commit()
        draft_id = draft.id
    text = _pdf_text(api, token, draft_id)
    assert "王磊" in text and "（尚未提交）" in text


def test_jilin_s_form_carries_its_own_name(make_app):
    api = ApiClient(make_app("jilin"))
    token = api.veteran_token()
    text = _pdf_text(api, token, api.submit(token)["id"])
    assert "吉林省退役军人服务“一件事”申请表" in text and "办理登记表" not in text
