"""A veteran uploads the materials their matters need; the case shows where each stands."""
import hashlib
from io import BytesIO

from sqlalchemy import select

from models import Case, CaseMaterial, db
from tests.materials.helpers import upload
from tests.materials.images import PDF, jpeg, png


def _required(case, key):
    return next(m for m in case["materials_required"] if m["key"] == key)


def test_an_upload_is_stored_by_its_hash_and_listed_on_the_case(api, upload_dir):
    token = api.veteran_token()
    case = api.submit(token)
    assert _required(case, "id_card_scan")["status"] == "owed"
    data = jpeg(size=30 * 1024)
    body = upload(api, token, case["id"], "id_card_scan", data, "身份证.jpg")
    digest = hashlib.sha256(data).hexdigest()
    assert body["sha256"] == digest and body["size"] == len(data) and body["source"] == "upload"
    assert (upload_dir / digest[:2] / digest).read_bytes() == data
    case = api.get(f"/api/v1/cases/{case['id']}", token=token)
    assert _required(case, "id_card_scan")["status"] == "uploaded"
    assert _required(case, "registration_form")["status"] == "generated"
    assert _required(case, "photo")["status"] == "owed"
    [listed] = case["materials"]
    assert (listed["kind"], listed["label"], listed["sha256"], listed["source"]) == (
        "id_card_scan", "居民身份证", digest, "upload")
    assert listed["uploaded_at"] and listed["size"] == len(data)


def test_reuploading_replaces_the_file_and_keeps_the_earlier_one_on_record(api, app):
    token = api.veteran_token()
    case = api.submit(token)
    first = upload(api, token, case["id"], "id_card_scan", PDF, "a.pdf")
    second = upload(api, token, case["id"], "id_card_scan", png(), "b.png")
    listed = api.get(f"/api/v1/cases/{case['id']}", token=token)["materials"]
    assert [(m["kind"], m["sha256"]) for m in listed] == [("id_card_scan", second["sha256"])]
    with app.app_context():
        rows = db.session.scalars(select(CaseMaterial).order_by(CaseMaterial.id)).all()
        assert [(r.sha256, r.replaced_at is not None) for r in rows] == [(first["sha256"], True),
                                                                         (second["sha256"], False)]


def test_the_same_file_twice_changes_nothing(api, app):
    token = api.veteran_token()
    case = api.submit(token)
    first = upload(api, token, case["id"], "id_card_scan", PDF)
    again = upload(api, token, case["id"], "id_card_scan", PDF)
    assert again["uploaded_at"] == first["uploaded_at"]
    with app.app_context():
        assert db.session.query(CaseMaterial).count() == 1


def test_a_photo_off_spec_gets_the_exact_reason(api):
    token = api.veteran_token()
    case = api.submit(token)
    error = upload(api, token, case["id"], "photo", jpeg(size=72 * 1024), "photo.jpg", expect=422)["error"]
    assert error["message"] == "照片大小为 72KB，要求 14KB–60KB"
    assert error["fields"] == {"file": "照片大小为 72KB，要求 14KB–60KB"}


def test_a_generated_or_unknown_or_unneeded_material_cannot_be_uploaded(api):
    token = api.veteran_token()
    case = api.submit(token, matters=["report"], veteran_type="assigned_job")
    generated = upload(api, token, case["id"], "registration_form", PDF, expect=422)["error"]
    assert generated["message"] == "“退役军人服务一件事”办理登记表由系统生成，无需上传"  # its quotes once
    unknown = upload(api, token, case["id"], "passport", PDF, expect=422)["error"]
    assert unknown["code"] == "unknown_material" and "id_card_scan（居民身份证）" in unknown["fields"]["kind"]
    unneeded = upload(api, token, case["id"], "photo", jpeg(size=30 * 1024), expect=422)["error"]
    assert unneeded["message"] == "所选办理事项不需要提交“制卡相片”"


def test_bad_requests_get_chinese_4xx(api):
    token = api.veteran_token()
    case = api.submit(token)
    path = f"/api/v1/cases/{case['id']}/materials"
    no_file = api.post(path, token=token, expect=422, data={"kind": "id_card_scan"}, content_type="multipart/form-data")
    assert no_file["error"]["fields"] == {"file": "请选择要上传的文件"}
    empty = api.post(path, token=token, expect=422, content_type="multipart/form-data",
                     data={"kind": "id_card_scan", "file": (BytesIO(b""), "x.jpg")})
    assert empty["error"]["code"] == "empty_file"
    no_kind = api.post(path, token=token, expect=422, content_type="multipart/form-data",
                       data={"file": (BytesIO(PDF), "x.pdf")})
    assert no_kind["error"]["fields"] == {"kind": "请填写材料种类"}
    as_json = api.post(path, {"kind": "id_card_scan"}, token=token, expect=415)
    assert as_json["error"]["message"] == "请以 multipart/form-data 格式上传文件"
    text = upload(api, token, case["id"], "id_card_scan", b"just some text, named .jpg" * 9, "x.jpg", expect=422)
    assert text["error"]["code"] == "unsupported_file_type"
    broken = upload(api, token, case["id"], "id_card_scan", jpeg(900, 900)[:700], expect=422)
    assert broken["error"]["code"] == "undecodable_image"


def test_a_file_over_the_limit_is_413(make_app, upload_dir):
    from tests.factories import ApiClient
    api = ApiClient(make_app("sichuan", UPLOAD_DIR=str(upload_dir), MATERIAL_MAX_BYTES=20 * 1024))
    token = api.veteran_token()
    case = api.submit(token)
    error = upload(api, token, case["id"], "id_card_scan", jpeg(size=30 * 1024), expect=413)["error"]
    assert error["message"] == "文件大小为 30KB，超过上限 20KB"


def test_a_request_over_the_request_limit_is_413_json(make_app, upload_dir):
    from tests.factories import ApiClient
    api = ApiClient(make_app("sichuan", UPLOAD_DIR=str(upload_dir), MAX_CONTENT_LENGTH=10 * 1024))
    token = api.veteran_token()
    case = api.submit(token)
    error = upload(api, token, case["id"], "id_card_scan", jpeg(size=30 * 1024), expect=413)["error"]
    assert error["message"].startswith("提交的内容过大：一次提交不能超过 0.0097")
    assert error["message"].endswith("（上传的每份材料不超过 8MB）")


def test_uploads_are_closed_once_the_case_is_accepted(api):
    token = api.veteran_token()
    case = api.accepted_case(token)
    error = upload(api, token, case["id"], "id_card_scan", PDF, expect=409)["error"]
    assert error["code"] == "materials_closed" and "已受理" in error["message"]


def test_uploads_stay_open_during_a_supplement_request(api):
    token = api.veteran_token()
    case = api.submit(token)
    window = api.window_token()
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement",
             {"items": [{"material": "photo", "reason": "照片不清晰"}]}, token=window)
    upload(api, token, case["id"], "photo", jpeg(size=30 * 1024), "photo.jpg")


def test_a_draft_takes_the_materials_every_case_needs(api, app):
    token = api.veteran_token()
    with app.app_context():
        from models import Veteran
        veteran = db.session.scalar(select(Veteran))
        draft = Case(veteran_id=veteran.id, province="sichuan", status="draft", matter_keys=[], fields={})
        db.session.add(draft)
        db.session.commit()
        draft_id = draft.id
    upload(api, token, draft_id, "id_card_scan", PDF)
    refused = upload(api, token, draft_id, "photo", jpeg(size=30 * 1024), expect=422)["error"]
    assert refused["code"] == "material_not_wanted"


def test_someone_elses_case_is_404(api):
    case = api.submit(api.veteran_token())
    other = api.veteran_token("openid-someone-else")
    assert upload(api, other, case["id"], "id_card_scan", PDF, expect=404)["error"]["code"] == "case_not_found"


def test_the_chat_learns_which_materials_are_already_provided(api, app):
    from api.services import context
    from materials.checklist import provided_kinds
    token = api.veteran_token()
    case = api.submit(token)
    upload(api, token, case["id"], "id_card_scan", PDF)
    with app.app_context():
        assert provided_kinds(context(), app.extensions["e_licences"], db.session.get(Case, case["id"])) == {
            "id_card_scan"}


def test_the_chat_reads_provided_materials_once_a_transaction_and_sees_a_new_upload(api, app):
    from sqlalchemy import event

    from api.services import _provided_materials
    token = api.veteran_token()
    case = api.submit(token)
    with app.app_context():
        queries = []
        event.listen(db.engine, "before_cursor_execute", lambda *args: queries.append(args[2]))
        submitted = db.session.get(Case, case["id"])
        provided = _provided_materials(submitted)
        assert "id_card_scan" not in provided and "id_card_scan" not in _provided_materials(submitted)
        assert sum("case_materials" in q for q in queries) == 1  # asked twice, read once
        db.session.commit()
    upload(api, token, case["id"], "id_card_scan", PDF)
    with app.app_context():
        assert "id_card_scan" in _provided_materials(db.session.get(Case, case["id"]))


def test_a_file_named_with_a_personal_number_is_listed_with_the_number_masked(api):
    """People name scans after their ID number: the lists of materials show the name, so it is masked there."""
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)
    id_number = api.form()["fields"]["id_number"]
    shown = f"王磊身份证{id_number[:4]}{'*' * 10}{id_number[-4:]}.jpg"
    assert upload(api, token, case["id"], "id_card_scan", name=f"王磊身份证{id_number}.jpg")["original_name"] == shown
    for seen in (api.get(f"/api/v1/cases/{case['id']}", token=token),
                 api.get(f"/api/v1/staff/cases/{case['id']}", token=window)):
        assert [m["original_name"] for m in seen["materials"]] == [shown]
