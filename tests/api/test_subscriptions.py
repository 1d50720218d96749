"""The templates a veteran accepted: one-time grants are counted, long-term ones are not."""
import pytest

from models import SubscriptionGrant, db

PROGRESS, REVIEW, RESULT = "sc-tmpl-case-progress", "sc-tmpl-review-result", "sc-tmpl-matter-result"


def test_the_catalog_lists_the_templates_to_request(api):
    templates = {t["id"]: t for t in api.get("/api/v1/catalog")["subscribe_templates"]}
    assert set(templates) == {PROGRESS, REVIEW, RESULT}
    assert templates[PROGRESS]["long_term"] and not templates[RESULT]["long_term"]
    assert "accepted" in templates[PROGRESS]["events"] and templates[RESULT]["title"]


def test_each_report_of_a_one_time_template_allows_one_more_message(api):
    token = api.veteran_token()
    api.post("/api/v1/subscriptions", {"accepted": [RESULT, PROGRESS]}, token=token)
    grants = api.post("/api/v1/subscriptions", {"accepted": [RESULT, REVIEW]}, token=token)["items"]
    by_id = {g["template_id"]: g for g in grants}
    assert by_id[RESULT]["remaining"] == 2 and by_id[REVIEW]["remaining"] == 1
    assert by_id[PROGRESS]["remaining"] is None and by_id[PROGRESS]["long_term"]
    assert api.get("/api/v1/subscriptions", token=token)["items"] == grants


def test_a_template_named_twice_in_one_report_counts_once(api):
    token = api.veteran_token()
    grants = api.post("/api/v1/subscriptions", {"accepted": [RESULT, RESULT]}, token=token)["items"]
    assert grants[0]["remaining"] == 1


def test_grants_are_per_veteran(api):
    api.post("/api/v1/subscriptions", {"accepted": [RESULT]}, token=api.veteran_token("o_a"))
    assert api.get("/api/v1/subscriptions", token=api.veteran_token("o_b"))["items"] == []


def test_an_unknown_template_is_refused_and_nothing_is_counted(app, api):
    token = api.veteran_token()
    error = api.post("/api/v1/subscriptions", {"accepted": [RESULT, "someone-elses-template"]}, token=token,
                     expect=422)["error"]
    assert error["code"] == "unknown_template" and "someone-elses-template" in error["message"]
    assert "accepted" in error["fields"]
    with app.app_context():
        assert db.session.query(SubscriptionGrant).count() == 0


@pytest.mark.parametrize("body", [{}, {"accepted": "sc-tmpl-case-progress"}, {"accepted": [1]},
                                  {"accepted": [""]}, {"accepted": ["x"] * 21}, {"accepted": [], "extra": 1},
                                  [RESULT]])
def test_a_bad_body_is_refused_in_chinese(api, body):
    error = api.post("/api/v1/subscriptions", body, token=api.veteran_token(), expect=422)["error"]
    assert error["message"].startswith("提交的内容有误")


def test_an_empty_report_changes_nothing(api):
    assert api.post("/api/v1/subscriptions", {"accepted": []}, token=api.veteran_token())["items"] == []
