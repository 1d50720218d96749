"""Test factories with sensible defaults, and a client that asserts the status it expects."""
from werkzeug.security import generate_password_hash

from api.auth import issue_token
from api.services import context
from catalog.field_values import example_id_number
from models import Staff, Veteran, db
from tests.materials.helpers import upload

COUNTY = {"guangdong": "440106", "sichuan": "510104", "jilin": "220104"}
PASSWORD = "test-password-1"

SAMPLE_VALUES = {
    "text": "测试内容", "phone": "13800138000", "date": "2019-09", "bank_account": "6222020200112233445",
    "yes_no": True,
}
SPECIFIC = {
    "name": "王磊", "address": "四川省成都市锦江区红星路1号", "emergency_contact_name": "王建国",
    "enlistment_address": "成都市锦江区红星路1号", "mailing_address": "四川省成都市锦江区红星路1号",
    "emergency_contact_relation": "父子", "emergency_contact_phone": "028-86001234",
    "enlistment_date": "2019-09", "discharge_date": "2024-09", "unit_code": "32145部队",
    "discharge_cert_no": "2024090011", "service_branch": "陆军", "bank_name": "中国工商银行成都锦江支行",
    "training_detail": "希望参加电工技能培训", "householder_relation": "父亲", "householder_name": "王建国",
    "medical_insurance_start": "2024-10", "first_insured_month": "2019-09", "military_license_no": "JZ2019001",
    "political_status": "中共党员", "ethnicity": "汉族", "health_status": "健康或良好", "marital_status": "未婚",
    "education": "普通高中", "settle_type": "回入伍前户籍地落户", "hukou_business_type": "恢复户口",
    "card_bank": "中国建设银行",
}


def id_number_for(province: str, sequence: int = 11) -> str:
    return example_id_number(COUNTY[province], "19990315", sequence)


def complete_form(veteran_type: str = "self_employed", matters: list[str] | None = None, **overrides) -> dict:
    """A valid submission body for the active profile; `matters` defaults to all the type may have."""
    profile = context().profile
    if matters is None:
        matters = [m.key for m in profile.matters_for_type(veteran_type) if not m.display_only]
    chosen = profile.completed_matters(veteran_type, matters)
    county = COUNTY[profile.key]
    values = {"id_number": id_number_for(profile.key), "householder_id_number": example_id_number(county, "19920101", 15)}
    fields = {}
    # Two passes: `needed_when` conditions depend on values chosen in the first.
    for _ in range(2):
        for field in profile.needed_fields(chosen, {**fields, **overrides}):
            if field.key in fields:
                continue
            if field.key in SPECIFIC:
                fields[field.key] = SPECIFIC[field.key]
            elif field.key in values:
                fields[field.key] = values[field.key]
            elif field.type == "region":
                fields[field.key] = county
            elif field.type == "choice":
                fields[field.key] = field.options[0]
            else:
                fields[field.key] = SAMPLE_VALUES[field.type]
    fields.update(overrides)
    return {"veteran_type": veteran_type, "matters": matters, "fields": fields}


class ApiClient:
    """Calls the app like a client would and checks the status: `api.post(path, json, token, expect=201)`."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.sequences = {}  # token → the sequence of its veteran's own ID number

    def call(self, method, path, json=None, token=None, expect=200, headers=None, **kwargs):
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = self.client.open(path, method=method, json=json, headers=headers, **kwargs)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.get_data(as_text=True)[:800]}"
        self.last = response
        return response.get_json()

    def get(self, path, token=None, expect=200, **kwargs):
        return self.call("GET", path, token=token, expect=expect, **kwargs)

    def post(self, path, json=None, token=None, expect=200, **kwargs):
        return self.call("POST", path, json=json, token=token, expect=expect, **kwargs)

    def pages(self, path, token) -> list[list[dict]]:
        """Every page of a list paged newest first, following `next_before` to the end."""
        pages, query = [], ""
        while True:
            page = self.get(f"{path}{query}", token=token)
            pages.append(page["items"])
            if page["next_before"] is None:
                return pages
            query = f"?before={page['next_before']}"

    # --- people -------------------------------------------------------------
    def veteran_token(self, openid: str = "openid-veteran-1") -> str:
        """A veteran's token; each veteran submits with an ID number of their own (one person, one case
        under way), the first one with `id_number_for(province)`."""
        with self.app.app_context():
            veteran = db.session.query(Veteran).filter_by(openid=openid).one_or_none()
            if veteran is None:
                veteran = Veteran(openid=openid)
                db.session.add(veteran)
                db.session.commit()
            token = issue_token("veteran", veteran.id)[0]
        self.sequences[token] = 11 if openid == "openid-veteran-1" else 12 + veteran.id % 800
        return token

    def staff_token(self, username: str, role: str = "window", department: str | None = None,
                    region: str | None = None) -> str:
        with self.app.app_context():
            if db.session.query(Staff).filter_by(username=username).one_or_none() is None:
                province = context().profile.key
                db.session.add(Staff(username=username, role=role, department=department,
                                     region=region or COUNTY[province][:4],
                                     password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")))
                db.session.commit()
        return self.post("/api/v1/staff/login", {"username": username, "password": PASSWORD})["token"]

    def window_token(self) -> str:
        return self.staff_token("window-clerk")

    def officer_token(self, department: str, region: str | None = None) -> str:
        return self.staff_token(f"officer-{department}-{region or 'home'}", "department", department, region)

    # --- a case's life ---------------------------------------------------------
    def form(self, veteran_type: str = "self_employed", matters=None, **overrides) -> dict:
        with self.app.app_context():
            return complete_form(veteran_type, matters, **overrides)

    def submit(self, token: str, body: dict | None = None, **form_args) -> dict:
        if body is None and "id_number" not in form_args and token in self.sequences:
            with self.app.app_context():
                form_args["id_number"] = id_number_for(context().profile.key, self.sequences[token])
        return self.post("/api/v1/cases", body or self.form(**form_args), token=token, expect=201)

    def hand_in_owed_materials(self, veteran_token: str, case: dict) -> None:
        """Uploads what the window needs before 受理: each material owed whose original is not checked there."""
        for material in case["materials_required"]:
            if material["status"] == "owed" and not material["original_at_window"]:
                upload(self, veteran_token, case["id"], material["key"])

    def accepted_case(self, veteran_token: str, **form_args) -> dict:
        case = self.submit(veteran_token, **form_args)
        self.hand_in_owed_materials(veteran_token, case)
        window = self.window_token()
        with self.app.app_context():
            needs_review = context().profile.archive_review_required
        if needs_review:
            self.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed", {"archive_status": "完整"}, token=window)
        return self.post(f"/api/v1/staff/cases/{case['id']}/accept", {}, token=window)
