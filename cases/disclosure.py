"""Showing a personal number (身份证号, 银行账号, phone numbers) in full to staff, one field at a time.

Pages show these masked; a staff member who needs the whole number asks for it, and each such look
is written to the case's timeline (who, which field, when) in the same transaction that returns it.
"""
from cases import form, queries
from cases.context import Context
from cases.errors import NotFound
from cases.review import window_actor
from models import Case, CaseEvent, Matter, Staff, db

FIELD_NOT_FOUND = NotFound("field_not_found", "没有这项个人信息")


def reveal_for_window(ctx: Context, staff: Staff, case_id: int, key: str) -> str:
    """The full value of personal field `key` of a case of the staff member's region, audited."""
    case = queries.case_for_window(staff, case_id)
    actor = window_actor(staff)
    return _reveal(ctx, case, None, key, actor.ref, actor.label)


def reveal_for_department(ctx: Context, staff: Staff, matter_id: int, key: str) -> str:
    """The same for a department officer, for a field granted to their department's matters only."""
    matter = queries.matter_for_department(staff, matter_id)
    own = [m.key for m in matter.case.matters if m.department == staff.department]
    grant = ctx.profile.grant_for(staff.department, own)
    if grant.fields is not None and key not in grant.fields:
        raise FIELD_NOT_FOUND
    return _reveal(ctx, matter.case, matter, key, f"staff:{staff.username}", ctx.profile.departments[staff.department])


def _reveal(ctx: Context, case: Case, matter: Matter | None, key: str, actor: str, actor_label: str) -> str:
    field = ctx.profile.fields.get(key)
    value = form.unseal(ctx, case.fields).get(key)
    if field is None or not field.personal or not isinstance(value, str):
        raise FIELD_NOT_FOUND
    # A timeline entry that changes no status: the veteran and the window both see who looked.
    status = matter.status if matter is not None else case.status
    db.session.add(CaseEvent(case=case, matter=matter, actor=actor, actor_label=actor_label,
                             from_status=status, to_status=status, note=f"查看了完整的{field.label}"))
    db.session.commit()
    return value
