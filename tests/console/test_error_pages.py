"""The console's own error pages, in Chinese, for mistyped addresses, refused values and its own failures."""
import pytest

from console import window
from models import Staff, db
from tests.console.conftest import ConsoleClient, text_of


@pytest.mark.parametrize("path", ["/console/matters/4x", "/console/cases/-1", "/console/no-such-page",
                                  "/console/cases/1/reject"])
def test_a_mistyped_console_address_gets_the_console_page_in_chinese(console, path):
    console.as_role("window")
    response = console.get(path, expect=(404, 405))
    assert response.mimetype == "text/html" and "没有找到" in text_of(response)
    assert "申请队列" in text_of(response)  # the console's own page, with its navigation


def test_a_failed_database_statement_gets_the_chinese_error_page(api, console, monkeypatch):
    def reject_failing_in_the_database(staff, case_id, reason):
        db.session.add(Staff(username=staff.username, role="window", region="51", password_hash="x"))
        db.session.flush()  # the username is taken: the statement fails, the transaction with it
    monkeypatch.setattr(window.review, "reject", reject_failing_in_the_database)
    case = api.submit(api.veteran_token())
    console.as_role("window")
    response = console.post(f"/console/cases/{case['id']}/reject", {"reason": "不符合条件"}, expect=500)
    assert "服务器内部错误，请稍后再试" in text_of(response) and "Internal Server Error" not in text_of(response)
    assert "已提交，待审核" in text_of(console.get(f"/console/cases/{case['id']}"))
