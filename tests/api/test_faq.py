"""GET /api/v1/faq/search: anyone may ask; answers carry their sources, and nothing is invented."""
import pytest

SICHUAN_PLAN = "四川省优化“退役军人服务一件事”联办工作实施方案"


def test_a_policy_question_gets_the_province_answer_with_its_sources(api):
    items = api.get("/api/v1/faq/search", query_string={"q": "社保卡的照片有什么要求？"})["items"]
    first = items[0]
    assert set(first) == {"id", "question", "answer", "sources"}
    assert first["id"] == "photo_spec" and "14KB-60KB" in first["answer"]
    assert first["sources"][0]["title"] == SICHUAN_PLAN and first["sources"][0]["section"]


def test_the_answer_follows_the_active_province(make_app):
    from tests.factories import ApiClient

    api = ApiClient(make_app("jilin"))
    first = api.get("/api/v1/faq/search", query_string={"q": "照片要求"})["items"][0]
    assert "358×441" in first["answer"]
    assert "吉军厅联发〔2024〕14号" in first["sources"][0]["title"]


@pytest.mark.parametrize("q", ["退役金每月发多少", "附近有什么好吃的"])
def test_an_uncovered_question_gets_one_honest_item_and_no_figure(api, q):
    items = api.get("/api/v1/faq/search", query_string={"q": q})["items"]
    assert len(items) == 1
    assert items[0]["id"] == "out_of_scope" and items[0]["question"] == q and items[0]["sources"] == []
    assert "没有说明" in items[0]["answer"] and "退役军人服务中心" in items[0]["answer"]


@pytest.mark.parametrize("query, field", [({}, "q"), ({"q": ""}, "q"), ({"q": "   "}, "q"), ({"q": "照" * 101}, "q"),
                                          ({"q": "照片", "x": "1"}, "x")])
def test_a_missing_empty_or_oversized_question_gets_422_in_chinese(api, query, field):
    error = api.get("/api/v1/faq/search", query_string=query, expect=422)["error"]
    assert error["code"] == "invalid" and field in error["fields"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["fields"][field])


def test_the_search_is_described_in_the_openapi_document(api):
    operation = api.get("/openapi.json")["paths"]["/api/v1/faq/search"]["get"]
    assert "security" not in operation and operation["parameters"]
