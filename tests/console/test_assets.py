"""Console and demo pages load everything from this server: they work offline, with no CDN."""
import re

from tests.console.conftest import ConsoleClient

REFERENCE = re.compile(r'\b(?:src|href)="([^"]*)"')


def references(html: str) -> list[str]:
    return REFERENCE.findall(html)


def test_console_pages_reference_only_this_server(app, api):
    api.submit(api.veteran_token())
    console = ConsoleClient(app).as_role("admin")
    for path in ("/console/login", "/console/cases", "/console/cases/1", "/console/stats", "/console/admin/staff"):
        html = console.get(path, expect=(200, 303)).get_data(as_text=True)
        for reference in references(html):
            assert reference.startswith(("/", "#", "javascript:")), (path, reference)


def test_the_demo_page_and_its_assets_are_served_here(make_app):
    client = make_app("sichuan", APP_ENV="development").test_client()
    html = client.get("/").get_data(as_text=True)
    found = references(html)
    assert "/console/static/demo.js" in found and "/console/static/demo.css" in found
    assert all(r.startswith(("/", "#")) for r in found), found
    for asset in ("demo.js", "demo.css", "console.js", "console.css"):
        assert client.get(f"/console/static/{asset}").status_code == 200
