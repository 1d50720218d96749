"""Command-line administration: `flask staff create …`, `flask demo load`."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from accounts import staff as accounts
from api.services import context
from cases.errors import CaseError
from models import ELicence, RosterEntry, Staff, db
from models.staff import ROLES
from demo.seed import DEMO_PASSWORD, demo_e_licences, demo_roster, demo_staff

staff_cli = AppGroup("staff", help="Staff accounts.")
demo_cli = AppGroup("demo", help="Demo data for a local run.")


def upsert_staff(username: str, role: str, department: str | None, region: str, password: str,
                 display_name: str = "") -> Staff:
    """Create or reset an account; the rules live in accounts/staff.py, shared with the console."""
    try:
        account = accounts.AccountInput(username, role, department, region, password, display_name)
        # The operator at the server may set a short password (a demo's); the console's administrators may not.
        return accounts.upsert_staff(context(), account, accounts.normalise_region(region), password_minimum=0)
    except CaseError as exc:
        raise click.BadParameter(exc.message) from None


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
    """Demo staff for every department, a few roster rows and their e-licences (safe to run again)."""
    ctx = context()
    for account in demo_staff(ctx.profile):
        upsert_staff(**account, password=DEMO_PASSWORD)
    for entry in demo_roster(ctx):
        existing = db.session.scalar(select(RosterEntry).where(RosterEntry.id_number_hash == entry.id_number_hash))
        if existing is None:
            db.session.add(entry)
    for licence in demo_e_licences(ctx):
        if db.session.scalar(select(ELicence).where(ELicence.id_number_hash == licence.id_number_hash,
                                                    ELicence.licence_type == licence.licence_type)) is None:
            db.session.add(licence)
    db.session.commit()
    click.echo(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for account in demo_staff(ctx.profile):
        click.echo(f"  {account['username']:<28} {account['display_name']}")
