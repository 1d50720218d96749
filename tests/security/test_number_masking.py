"""Personal numbers in the forms the chat guide accepts are masked in the chat history and in the log,
tracebacks included."""
import logging
from urllib.parse import quote

import pytest
from sqlalchemy.exc import DataError

from security.number_masking import PersonalNumberFilter
from tests.factories import id_number_for

ID_NUMBER = id_number_for("sichuan")
MASKED_ID = ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


@pytest.mark.parametrize("typed, kept", [
    (f"身份证{ID_NUMBER[:6]} {ID_NUMBER[6:14]} {ID_NUMBER[14:]}", f"身份证{MASKED_ID}"),
    ("身份证" + " ".join(ID_NUMBER[i:i + 4] for i in range(0, 18, 4)), f"身份证{MASKED_ID}"),
    (f"身份证{_full_width(ID_NUMBER)}", f"身份证{MASKED_ID}"),
    (f"身份证{ID_NUMBER}，电话{_full_width('13912345678')}", f"身份证{MASKED_ID}，电话139****5678"),
    (f"身份证{ID_NUMBER}，电话13912 345678", f"身份证{MASKED_ID}，电话139****5678"),
    (f"身份证{ID_NUMBER}，电话+86 139-1234-5678", f"身份证{MASKED_ID}，电话+86 139****5678"),
    (f"身份证{ID_NUMBER}，电话幺三九幺二三四五六七八", f"身份证{MASKED_ID}，电话139****5678"),
])
def test_the_chat_history_masks_numbers_however_they_are_typed(api, typed, kept):
    token = api.veteran_token()
    api.post("/api/v1/chat/messages", {"text": f"我叫王磊，{typed}，四川省成都市锦江区"}, token=token)
    sent = [i["text"] for i in api.get("/api/v1/chat/messages", token=token)["items"] if i["from"] == "veteran"]
    assert sent == [f"我叫王磊，{kept}，四川省成都市锦江区"]


def test_the_traceback_of_a_failed_request_is_logged_with_its_numbers_masked(api, monkeypatch, caplog):
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)
    reason = f"身份证号{ID_NUMBER}与名册不符，请致电13812345678"

    def database_refuses(staff, case_id, reason):
        raise DataError("UPDATE cases SET decision_reason=%(decision_reason)s", {"decision_reason": reason},
                        Exception("PostgreSQL text fields cannot contain NUL (0x00) bytes"))
    monkeypatch.setattr("cases.review.reject", database_refuses)
    caplog.handler.addFilter(PersonalNumberFilter())
    api.post(f"/api/v1/staff/cases/{case['id']}/reject", {"reason": reason}, token=window, expect=500)
    assert "Traceback" in caplog.text and "decision_reason" in caplog.text
    assert ID_NUMBER not in caplog.text and "13812345678" not in caplog.text
    assert MASKED_ID in caplog.text and "138****5678" in caplog.text


def test_the_sql_log_masks_numbers_inside_json_columns(api, caplog):
    """SQL logged at INFO shows a JSON column as ASCII JSON: a number right after an escaped character
    ("\\u53f7510104…") is a number all the same."""
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)
    caplog.handler.addFilter(PersonalNumberFilter())
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement",
             {"items": [{"field": "name", "reason": f"身份证号{ID_NUMBER}与姓名不符"}], "note": "请致电13812345678"},
             token=window)
    assert "UPDATE cases" in caplog.text
    assert ID_NUMBER not in caplog.text and "13812345678" not in caplog.text
    assert MASKED_ID in caplog.text and "138****5678" in caplog.text


def test_a_request_line_with_a_percent_encoded_query_is_logged_masked(caplog):
    """The development server logs each request line as sent: a number typed into a search follows "%81"."""
    caplog.handler.addFilter(PersonalNumberFilter())
    line = "GET /api/v1/faq/search?q=" + quote(f"我的身份证{ID_NUMBER}电话13812345678") + " HTTP/1.1"
    logging.getLogger("werkzeug").warning('127.0.0.1 - - "%s" %s -', line, 200)
    assert ID_NUMBER not in caplog.text and "13812345678" not in caplog.text
    assert MASKED_ID in caplog.text and "138****5678" in caplog.text


def test_gunicorns_access_log_masks_a_number_in_the_request_line(app, tmp_path):
    access = logging.getLogger("gunicorn.access")  # as gunicorn sets it up for `--access-logfile`
    handler = logging.FileHandler(tmp_path / "access.log", encoding="utf-8")
    access.addHandler(handler)
    access.propagate, level = False, access.level
    access.setLevel(logging.INFO)
    try:
        access.info('127.0.0.1 - - "GET /api/v1/faq/search?q=%s HTTP/1.1" 200', ID_NUMBER)
    finally:
        access.removeHandler(handler)
        access.propagate = True
        access.setLevel(level)
        handler.close()
    logged = (tmp_path / "access.log").read_text(encoding="utf-8")
    assert ID_NUMBER not in logged and f"q={MASKED_ID}" in logged
