"""Helpers for the notification tests: run the worker until nothing is due, subscribe a veteran, and
make the fake WeChat check each template's exact keywords."""
import pytest

from api.services import context
from cases import statuses
from models import Notification, db
from notify.worker import NotifyWorker
from tests.materials.helpers import upload


def drain(app, **kwargs):
    """Run one worker in this process until no notification is due."""
    settings = {"concurrency": 4, "poll_interval": 0.01, "alert_interval": 3600, **kwargs}
    NotifyWorker(app, **settings).run(once=True)


def subscribe(api, token, times=1, ids=None):
    """The veteran accepts `ids` (default: every template of the profile) `times` times."""
    if ids is None:
        ids = [t["id"] for t in api.get("/api/v1/catalog")["subscribe_templates"]]
    for _ in range(times):
        api.post("/api/v1/subscriptions", {"accepted": ids}, token=token)


def notifications(app, **where):
    with app.app_context():
        query = db.session.query(Notification).filter_by(**where).order_by(Notification.id)
        rows = query.all()
        db.session.expunge_all()
        return rows


def sent_ids(fake):
    """The notification ids of the subscribe messages the fake WeChat took, in the order it took them."""
    return [int(message["page"].split("id=")[1]) for message in fake.sent_subscribe_messages()]


@pytest.fixture
def strict_fake(app, fake_wechat):
    """The fake WeChat knows exactly the profile's templates and their keywords: a wrong id is 40037,
    a missing or extra keyword 47003."""
    with app.app_context():
        fake_wechat.template_ids = {t.id: set(t.data) for t in context().profile.subscribe_templates.values()}
    return fake_wechat


SUPPLEMENT = {"items": [{"field": "name", "reason": "与身份证上的姓名不一致"},
                        {"material": "discharge_certificate", "reason": "证书扫描件不清晰"}], "note": "请一次改好"}
RESULT = "社保卡已寄出，顺丰单号SF1234567890123，请注意查收"


class Life:
    """Moves one veteran's case through its life over the API (四川: archive review before acceptance)."""

    def __init__(self, api, token):
        self.api, self.token, self.window = api, token, api.window_token()
        self.case = None

    def submit(self):
        self.case = self.api.submit(self.token, matters=["report", "hukou", "id_card"])

    def staff(self, action, body=None):
        self.case = self.api.post(f"/api/v1/staff/cases/{self.case['id']}/{action}", body or {}, token=self.window)

    def archive(self):
        self.staff("archive-reviewed", {"archive_status": "完整"})

    def resubmit(self):
        """The supplement done: the listed file uploaded again, the listed name given."""
        upload(self.api, self.token, self.case["id"], "discharge_certificate")
        self.api.post(f"/api/v1/cases/{self.case['id']}/resubmit", {"fields": {"name": "王磊"}}, token=self.token)

    def accept(self):
        self.submit()
        self.archive()
        self.staff("accept")

    def open_matters(self):
        case = self.api.get(f"/api/v1/cases/{self.case['id']}", token=self.token)
        return [m for m in case["matters"] if m["status"] in (statuses.DISPATCHED, statuses.PROCESSING)]

    def open_matter(self, key):
        (matter,) = [m for m in self.open_matters() if m["key"] == key]
        return matter

    def move(self, matter, to, **body):
        officer = self.api.officer_token(matter["department"])
        self.api.post(f"/api/v1/dept/matters/{matter['id']}/transition", {"to": to, **body}, token=officer)

    def complete(self, matter):
        if matter["status"] == statuses.DISPATCHED:
            self.move(matter, statuses.PROCESSING)
        self.move(matter, statuses.COMPLETED, result=RESULT)

    def all_but_one_completed(self):
        self.accept()
        while True:
            case = self.api.get(f"/api/v1/cases/{self.case['id']}", token=self.token)
            undone = [m for m in case["matters"] if m["status"] not in statuses.MATTER_DONE]
            if len(undone) == 1 and undone[0]["status"] == statuses.DISPATCHED:
                return
            self.complete(self.open_matters()[0])
