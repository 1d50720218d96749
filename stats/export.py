"""The statistics as CSV, for Excel: UTF-8 with a byte-order mark, so Chinese headers open correctly."""
import csv
import io

from stats.figures import Statistics


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def regions_csv(stats: Statistics) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["区划代码", "地区", "申请件数", "已受理", "服务人数", "已办结", "按时办结", "按时办结率", "平均办结工作日",
                     "当前超期", "材料份数（单独办理）", "材料份数（一件事）", "跑动次数（单独办理）", "跑动次数（一件事）"])
    for row in [*stats.regions, stats.total]:
        writer.writerow([row.code, row.name, row.cases, row.accepted, row.served, row.completed, row.completed_on_time,
                         _percent(row.on_time_rate), _number(row.average_working_days), row.overdue_now,
                         row.burden.materials_before, row.burden.materials_after,
                         row.burden.visits_before, row.burden.visits_after])
    return out.getvalue()


def matters_csv(stats: Statistics) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["事项代码", "事项", "部门", "申请量", "已办结", "办理中", "平均办理工作日"])
    for row in stats.matters:
        writer.writerow([row.key, row.label, row.department, row.applied, row.completed, row.in_hand,
                         _number(row.average_working_days)])
    return out.getvalue()
