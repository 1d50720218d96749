"""Where the profile allows it (广东), a material an e-licence stands for is not asked for."""
from datetime import date, timedelta

import pytest

from api.services import context
from cases import form, review
from cases.errors import InvalidForm
from catalog.loader import ProfileError, load_profile
from demo.seed import demo_e_licences
from materials import e_licence, uploads
from materials.checklist import E_LICENCE, GENERATED, OWED, checklist
from models import Case, ELicence, db
from security.sealing import Sealer
from tests.console.conftest import ConsoleClient
from tests.factories import ApiClient
from tests.materials.helpers import upload
from tests.materials.images import PDF


def _with_demo_licences(app):
    with app.app_context():
        db.session.add_all(demo_e_licences(context()))
        db.session.commit()


def _statuses(case):
    return {m["key"]: m["status"] for m in case["materials_required"]}


def test_guangdong_marks_materials_an_e_licence_replaces(make_app, upload_dir):
    app = make_app("guangdong", UPLOAD_DIR=str(upload_dir))
    _with_demo_licences(app)
    api = ApiClient(app)
    token = api.veteran_token()
    case = api.submit(token)  # the demo roster's 王磊, who holds both e-licences
    statuses = _statuses(case)
    assert statuses["id_card_scan"] == "e_licence" and statuses["discharge_certificate"] == "e_licence"
    assert statuses["discharge_intro_letter"] == "owed"
    id_card = next(m for m in case["materials_required"] if m["key"] == "id_card_scan")
    assert id_card["e_licence"] == "居民身份证电子证照"
    provided = {m["kind"]: m for m in case["materials"]}
    assert provided["id_card_scan"]["source"] == "e_licence"
    error = upload(api, token, case["id"], "id_card_scan", PDF, expect=422)["error"]
    assert error["message"] == "已通过居民身份证电子证照获取“居民身份证”，无需上传"


def test_an_expired_e_licence_replaces_nothing(make_app, upload_dir):
    app = make_app("guangdong", UPLOAD_DIR=str(upload_dir))
    _with_demo_licences(app)
    with app.app_context():
        for licence in db.session.query(ELicence):
            licence.valid_until = date.today() - timedelta(days=2)
        db.session.commit()
    api = ApiClient(app)
    assert _statuses(api.submit(api.veteran_token()))["id_card_scan"] == "owed"


def test_what_an_e_licence_stood_for_at_acceptance_stays_so_when_it_lapses(make_app, upload_dir):
    app = make_app("guangdong", UPLOAD_DIR=str(upload_dir))
    _with_demo_licences(app)
    api = ApiClient(app)
    token = api.veteran_token()
    case = api.accepted_case(token)
    with app.app_context():  # accepted a week ago; the licences lapsed two days ago
        accepted = db.session.get(Case, case["id"])
        accepted.accepted_at -= timedelta(days=7)
        for licence in db.session.query(ELicence):
            licence.valid_until = date.today() - timedelta(days=2)
        db.session.commit()
    assert _statuses(api.get(f"/api/v1/cases/{case['id']}", token=token))["id_card_scan"] == "e_licence"


def test_a_supplement_cannot_ask_for_a_material_an_e_licence_stands_for(make_app, upload_dir):
    # the veteran could not upload it (refused above), nor resubmit without it: the case would be stuck
    app = make_app("guangdong", UPLOAD_DIR=str(upload_dir))
    _with_demo_licences(app)
    api = ApiClient(app)
    case = api.submit(api.veteran_token())
    checklist = ConsoleClient(app).as_role("window").get(f"/console/cases/{case['id']}").get_data(as_text=True)
    assert 'value="material:id_card_scan"' not in checklist and 'value="material:discharge_intro_letter"' in checklist
    url = f"/api/v1/staff/cases/{case['id']}/request-supplement"
    error = api.post(url, {"items": [{"material": "id_card_scan", "reason": "请补交"}]}, token=api.window_token(),
                     expect=422)["error"]
    assert error["fields"] == {"items.0": "居民身份证已通过居民身份证电子证照获取，申请人无需也无法上传"}
    asked = api.post(url, {"items": [{"material": "discharge_intro_letter", "reason": "请补交"}]}, token=api.window_token())
    assert asked["status"] == "supplement_requested"


def test_a_supplement_may_ask_for_exactly_the_materials_the_veteran_can_upload(make_app, upload_dir):
    app = make_app("guangdong", UPLOAD_DIR=str(upload_dir))
    _with_demo_licences(app)
    api = ApiClient(app)
    case_id = api.submit(api.veteran_token())["id"]
    with app.app_context():
        ctx, licences, case = context(), app.extensions["e_licences"], db.session.get(Case, case_id)
        values = form.unseal(ctx, case.fields)
        standing = checklist(ctx, licences, case, values)
        _, askable = review.supplement_choices(ctx, case, values, standing)
        assert {GENERATED, E_LICENCE, OWED} <= {item.status for item in standing}
        for item in standing:
            try:
                uploadable = uploads.uploadable_material(ctx, licences, case, item.material.key) is item.material
            except InvalidForm:
                uploadable = False
            assert uploadable == (item.material.key in askable), item


def test_provinces_without_e_licence_replacement_still_ask_for_the_material(make_app, upload_dir):
    app = make_app("sichuan", UPLOAD_DIR=str(upload_dir))
    _with_demo_licences(app)
    api = ApiClient(app)
    assert _statuses(api.submit(api.veteran_token()))["id_card_scan"] == "owed"


def test_licence_data_naming_a_material_the_profile_lacks_stops_the_start(tmp_path):
    bad = tmp_path / "e_licences.yaml"
    bad.write_text("licence_types:\n  passport: {label: 护照电子证照, replaces: passport_scan}\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="passport_scan"):
        e_licence.load(load_profile("guangdong"), Sealer(b"k" * 32), path=bad)


def test_a_source_can_be_plugged_in_by_name():
    licences = e_licence.load(load_profile("guangdong"), Sealer(b"k" * 32),
                              source=f"{__name__}:everyone_holds_an_id_card")
    assert licences.replacing("440106199903150112", date.today()) == {"id_card_scan": "居民身份证电子证照"}


class _EveryoneHoldsAnIdCard:
    def held(self, id_number, today):
        return {"resident_id_card"}


def everyone_holds_an_id_card(sealer):
    return _EveryoneHoldsAnIdCard()


def test_demo_load_adds_the_demo_e_licences_once(make_app, upload_dir):
    app = make_app("guangdong", UPLOAD_DIR=str(upload_dir))
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "load"])
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        assert db.session.query(ELicence).count() == 3
    api = ApiClient(app)
    case = api.submit(api.veteran_token())
    assert _statuses(case)["discharge_certificate"] == "e_licence"
