"""The statistics page (after 广东 2020's table) and its CSV export; the figures come from stats/."""
from datetime import date

from flask import Blueprint, Response, g, render_template, request

from api.presenters import e_licences
from api.services import context
from catalog.china_time import today_in_china
from cases.errors import InvalidForm, NotFound
from console import charts, pages
from stats import export, figures

bp = pages.setup(Blueprint("console_stats", __name__, url_prefix="/console/stats"))


def _period() -> tuple[date | None, date | None]:
    """`from` and `to` (YYYY-MM-DD, inclusive) of the submission dates counted; both optional."""
    found, problems = [], {}
    for name, label in (("from", "起始日期"), ("to", "截止日期")):
        text = (request.args.get(name) or "").strip()
        try:
            found.append(date.fromisoformat(text) if text else None)
        except ValueError:
            problems[name] = f"{label}应为“年-月-日”，如 2026-01-31"
            found.append(None)
    if not problems and found[0] and found[1] and found[0] > found[1]:
        problems["to"] = "截止日期不能早于起始日期"
    if problems:
        raise InvalidForm("invalid_period", "统计期间不正确：" + "；".join(problems.values()), problems)
    return found[0], found[1]


def _statistics() -> figures.Statistics:
    since, until = _period()
    cases = figures.cases_in_scope(g.staff.region, since, until)
    return figures.compute(context(), e_licences(), cases, today_in_china())


@bp.get("")
def page():
    stats = _statistics()
    total = stats.total
    region_chart = charts.bar_chart("各地区申请与办结件数",
                                    [(r.name, [r.cases, r.completed]) for r in stats.regions], ["申请件数", "已办结"])
    matter_chart = charts.bar_chart("各事项申请量与办结量",
                                    [(m.label, [m.applied, m.completed]) for m in stats.matters], ["申请量", "已办结"])
    count = total.accepted or 1  # per person served: the burden counts the accepted cases
    burden_chart = charts.bar_chart(
        "人均提交材料份数与跑动次数",
        [("材料份数", [total.burden.materials_before / count, total.burden.materials_after / count]),
         ("跑动次数", [total.burden.visits_before / count, total.burden.visits_after / count])],
        ["逐项单独办理", "“一件事”联办"], label_width=90)
    period = {name: request.args[name] for name in ("from", "to") if request.args.get(name)}
    return render_template("console/stats.html", stats=stats, total=total, args=period,
                           region_chart=region_chart, matter_chart=matter_chart, burden_chart=burden_chart)


@bp.get("/<table>.csv")
def csv(table: str):
    if table not in ("regions", "matters"):
        raise NotFound("unknown_table", "没有这张统计表，可导出 regions（分地区）或 matters（分事项）")
    stats = _statistics()
    body = export.regions_csv(stats) if table == "regions" else export.matters_csv(stats)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=statistics-{table}-{today_in_china():%Y%m%d}.csv"})
