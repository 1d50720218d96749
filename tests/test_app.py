"""The app factory honours its config; production refuses to start unsafe; health and docs answer."""
import pytest

from api import create_app
from api.config import ConfigError
from tests.factories import ApiClient


def test_the_testing_config_is_honoured(app):
    assert app.config["TESTING"] and app.config["APP_ENV"] == "testing"
    assert app.extensions["context"].profile.key == "sichuan"


def test_production_refuses_to_start_without_real_secrets(monkeypatch):
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DATA_ENCRYPTION_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"APP_ENV": "production"})


def test_production_refuses_a_weak_secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "short")
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/x")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("DATA_ENCRYPTION_KEY", "A" * 44)
    with pytest.raises(ConfigError, match="at least 32"):
        create_app({"APP_ENV": "production"})


def test_an_unknown_province_stops_the_start():
    with pytest.raises(ValueError, match="hainan"):
        create_app({"APP_ENV": "testing", "PROVINCE": "hainan"})


def test_health_reports_database_and_redis(api):
    assert api.get("/healthz") == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_the_openapi_document_describes_the_contract(api):
    spec = api.get("/openapi.json")
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/staff/cases/{case_id}/accept",
                 "/api/v1/dept/matters/{matter_id}/transition", "/api/v1/auth/wechat-login"):
        assert path in spec["paths"], path
    body = spec["paths"]["/api/v1/cases"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body


def test_the_docs_page_serves_swagger_ui_without_a_cdn(api):
    page = api.client.get("/docs").get_data(as_text=True)
    assert "/openapi.json" in page and "http" not in page.split("<body>")[1]
    assert api.client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_the_catalog_lists_types_matters_fields_and_time_limit(api):
    catalog = api.get("/api/v1/catalog")
    assert catalog["province"] == "sichuan" and len(catalog["matters"]) == 13
    assert catalog["time_limit"]["working_days"] == 7
    assigned = next(t for t in catalog["veteran_types"] if t["key"] == "assigned_job")
    assert assigned["matters"] == ["report", "hukou", "id_card", "reserve_registration"]


def test_the_catalog_tells_which_materials_come_after_a_matter_and_which_originals_the_window_checks(make_app):
    jilin = {m["key"]: m for m in ApiClient(make_app("jilin")).get("/api/v1/catalog")["materials"]}
    assert jilin["household_register"]["after"] == ["hukou"] and jilin["id_card_scan"]["after"] == ["id_card"]
    sichuan = {m["key"]: m for m in ApiClient(make_app("sichuan")).get("/api/v1/catalog")["materials"]}
    assert sichuan["id_card_scan"]["original_at_window"] and sichuan["photo"]["after"] == []
