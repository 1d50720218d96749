"""The veteran's inbox: every status push, newest first, with read state; nobody else's."""
import pytest

from tests.notify.conftest import notifications


@pytest.fixture
def veteran_with_messages(api):
    token = api.veteran_token("o_inbox")
    case = api.submit(token)
    api.post(f"/api/v1/staff/cases/{case['id']}/reject", {"reason": "不属于本地接收安置"}, token=api.window_token())
    return token


def test_the_inbox_lists_messages_newest_first_with_their_read_state(api, veteran_with_messages):
    inbox = api.get("/api/v1/messages", token=veteran_with_messages)
    assert [m["event"] for m in inbox["items"]] == ["rejected", "submitted"]
    assert inbox["unread_count"] == 2
    first = inbox["items"][0]
    assert first["title"] == "申请不予受理" and not first["read"] and first["read_at"] is None
    assert first["case_no"].startswith("TY51") and first["event_label"] == "不予受理"


def test_marking_one_message_read(api, veteran_with_messages):
    message = api.get("/api/v1/messages", token=veteran_with_messages)["items"][1]
    read = api.post(f"/api/v1/messages/{message['id']}/read", token=veteran_with_messages)
    assert read["read"] and read["read_at"]
    inbox = api.get("/api/v1/messages", token=veteran_with_messages)
    assert inbox["unread_count"] == 1
    assert [m["event"] for m in api.get("/api/v1/messages?unread=true", token=veteran_with_messages)["items"]] == [
        "rejected"]


def test_marking_everything_read(api, veteran_with_messages):
    assert api.post("/api/v1/messages/read-all", token=veteran_with_messages)["marked"] == 2
    assert api.get("/api/v1/messages", token=veteran_with_messages)["unread_count"] == 0
    assert api.post("/api/v1/messages/read-all", token=veteran_with_messages)["marked"] == 0


def test_paging_back_with_before_and_limit(api, veteran_with_messages):
    first = api.get("/api/v1/messages?limit=1", token=veteran_with_messages)
    assert first["next_before"] == first["items"][0]["id"]
    older = api.get(f"/api/v1/messages?before={first['next_before']}", token=veteran_with_messages)
    assert [m["event"] for m in first["items"] + older["items"]] == ["rejected", "submitted"]
    assert older["next_before"] is None


def test_the_message_a_push_opens_is_read_by_its_id(api, veteran_with_messages):
    newest = api.get("/api/v1/messages?limit=1", token=veteran_with_messages)["items"][0]
    assert api.get(f"/api/v1/messages/{newest['id']}", token=veteran_with_messages) == newest


def test_another_veterans_message_is_not_found(app, api, veteran_with_messages):
    other = api.veteran_token("o_someone_else")
    assert api.get("/api/v1/messages", token=other)["items"] == []
    message_id = notifications(app)[0].id
    assert api.get(f"/api/v1/messages/{message_id}", token=other, expect=404)["error"]["code"] == "message_not_found"
    error = api.post(f"/api/v1/messages/{message_id}/read", token=other, expect=404)["error"]
    assert error["code"] == "message_not_found" and error["message"]
    assert notifications(app)[0].read_at is None


@pytest.mark.parametrize("query", ["limit=0", "limit=500", "before=abc", "before=99999999999999", "unread=maybe",
                                   "colour=red"])
def test_a_bad_query_is_refused_in_chinese(api, veteran_with_messages, query):
    error = api.get(f"/api/v1/messages?{query}", token=veteran_with_messages, expect=422)["error"]
    assert error["fields"] and error["message"].startswith("提交的内容有误")
