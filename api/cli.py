"""Command-line administration: `flask staff create …`, `flask demo load`."""
import click
from flask.cli import AppGroup
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from api.services import context
from models import RosterEntry, Staff, db
from models.staff import ROLES
from demo.seed import DEMO_PASSWORD, demo_roster, demo_staff

staff_cli = AppGroup("staff", help="Staff accounts.")
demo_cli = AppGroup("demo", help="Demo data for a local run.")


def normalise_region(code: str) -> str:
    """"510000" → "51", "510100" → "5101": a region covers every code that starts with it."""
    if not code.isdigit() or len(code) not in (2, 4, 6):
        raise click.BadParameter("区划代码应为2、4或6位数字，如 51、5101、510104")
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def upsert_staff(username: str, role: str, department: str | None, region: str, password: str,
                 display_name: str = "") -> Staff:
    departments = context().profile.departments
    if role not in ROLES:
        raise click.BadParameter(f"role 应为 {', '.join(ROLES)}")
    if role == "department" and department not in departments:
        raise click.BadParameter(f"部门经办人员需要 --department，可选：{', '.join(departments)}")
    if role != "department" and department:
        raise click.BadParameter("只有部门经办人员（--role department）才有 --department")
    staff = db.session.scalar(select(Staff).where(Staff.username == username)) or Staff(username=username)
    staff.role, staff.department, staff.region = role, department, normalise_region(region)
    staff.password_hash = generate_password_hash(password)
    staff.display_name = display_name or staff.display_name or username
    staff.active = True
    db.session.add(staff)
    return staff


@staff_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(sorted(ROLES)))
@click.option("--department", default=None, help="department key, for --role department")
@click.option("--region", required=True, help="区划代码: 51 = 四川省, 5101 = 成都市")
@click.option("--password", required=True)
@click.option("--name", "display_name", default="")
def create_staff(username, role, department, region, password, display_name):
    """Create a staff account, or reset an existing one."""
    staff = upsert_staff(username, role, department, region, password, display_name)
    db.session.commit()
    click.echo(f"{staff.username}: {ROLES[staff.role]} {staff.department or ''} region {staff.region}")


@demo_cli.command("load")
def load_demo():
    """Demo staff for every department and a few roster rows (safe to run again)."""
    ctx = context()
    for account in demo_staff(ctx.profile):
        upsert_staff(**account, password=DEMO_PASSWORD)
    for entry in demo_roster(ctx):
        existing = db.session.scalar(select(RosterEntry).where(RosterEntry.id_number_hash == entry.id_number_hash))
        if existing is None:
            db.session.add(entry)
    db.session.commit()
    click.echo(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for account in demo_staff(ctx.profile):
        click.echo(f"  {account['username']:<28} {account['display_name']}")
