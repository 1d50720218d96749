"""The statistics page: tables, server-drawn charts, the before/after definition, CSV export."""
import re

from console.charts import bar_chart
from tests.console.conftest import text_of


def test_the_statistics_page_shows_regions_matters_and_the_burden_with_its_definition(api, console):
    api.submit(api.veteran_token(), matters=["report", "hukou", "id_card"])
    page = console.as_role("window").get("/console/stats")
    html, text = page.get_data(as_text=True), text_of(page)
    assert "四川省成都市锦江区" in text and "按时办结率" in text and "户口登记（退役军人恢复户口）" in text
    assert html.count("<svg") == 3 and "<script" not in html.split("</main>")[0]
    assert "逐项办理" in text and "到窗口核验原件合并为一次" in text


def test_the_tables_export_as_csv(api, console):
    api.submit(api.veteran_token())
    console.as_role("admin")
    regions = console.get("/console/stats/regions.csv?from=2020-01-01")
    assert regions.mimetype == "text/csv" and "attachment" in regions.headers["Content-Disposition"]
    assert regions.get_data(as_text=True).startswith("\ufeff区划代码")
    assert "事项代码" in console.get("/console/stats/matters.csv").get_data(as_text=True)
    console.get("/console/stats/weather.csv", expect=404)


def test_a_bad_period_is_refused_in_chinese(console):
    console.as_role("window")
    page = console.get("/console/stats?from=2026-13-01&to=yesterday", expect=422)
    assert "起始日期应为“年-月-日”" in text_of(page) and "截止日期应为“年-月-日”" in text_of(page)
    assert "截止日期不能早于起始日期" in text_of(console.get("/console/stats?from=2026-02-01&to=2026-01-01", expect=422))


def test_chart_bars_scale_to_the_largest_value_and_labels_are_escaped():
    svg = str(bar_chart("t", [("<b>甲</b>", [10, 5]), ("乙", [0, 0])], ["申请", "办结"]))
    assert "&lt;b&gt;甲&lt;/b&gt;" in svg and "<b>" not in svg
    assert svg.count("<rect") == 2 + 4  # the legend's two, then one per value
    bars = [float(w) for w in re.findall(r'<rect class="bar" x="190" y="[\d.]+" width="([\d.]+)"', svg)]
    assert bars == [370.0, 185.0, 0.0, 0.0]


def test_the_calendars_first_and_last_days_bound_nothing(api, console):
    api.submit(api.veteran_token())
    console.as_role("window")
    for period in ("to=9999-12-31", "from=0001-01-01", "from=0001-01-01&to=9999-12-31"):
        assert "四川省成都市锦江区" in text_of(console.get(f"/console/stats?{period}"))
        assert "510104" in console.get(f"/console/stats/regions.csv?{period}").get_data(as_text=True)
    assert "510104" not in console.get("/console/stats/regions.csv?from=9999-12-31").get_data(as_text=True)
    assert "510104" not in console.get("/console/stats/regions.csv?to=0001-01-01").get_data(as_text=True)


def test_unknown_parameters_are_ignored_and_the_period_kept_in_the_csv_links(console):
    console.as_role("window")
    for query in ("table=x", "_method=POST", "from=2026-01-01&table=regions"):
        console.get(f"/console/stats?{query}")
    html = console.get("/console/stats?from=2026-01-01&table=x&_method=POST").get_data(as_text=True)
    assert 'href="/console/stats/regions.csv?from=2026-01-01"' in html
    assert 'href="/console/stats/matters.csv?from=2026-01-01"' in html
