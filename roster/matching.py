"""Finding a veteran in the 接收安置名册, for the chat's identify step."""
import re

from sqlalchemy import select

from cases import form
from cases.context import Context
from catalog.field_values import FieldValueError, check_id_number
from models import RosterEntry, db


def lookup(ctx: Context, name, id_number) -> dict | None:
    """What the roster knows of the person with this name and ID number, unsealed, or None.

    The result is keyed by catalog field key (name, id_number, enlistment_date, handling_region …)
    and carries `veteran_type` too when the roster states it. Both name and ID number must match:
    an ID number alone reveals nothing.
    """
    if not isinstance(name, str):
        return None
    try:
        id_number = check_id_number(id_number)
    except FieldValueError:
        return None
    entry = db.session.scalar(select(RosterEntry).where(
        RosterEntry.id_number_hash == ctx.sealer.lookup_hash(id_number)))
    if entry is None or _plain(entry.name) != _plain(name):
        return None
    values = form.unseal(ctx, entry.fields)
    if entry.veteran_type:
        values["veteran_type"] = entry.veteran_type
    return values


def _plain(name: str) -> str:
    return re.sub(r"\s", "", name)
