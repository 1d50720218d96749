"""Showing a personal number (身份证号, 银行账号, phone numbers) in full to staff.

Pages and lists show these masked; a staff member who needs the whole number asks for it (one
field in the console, the whole case or matter through the API), and each such look is written to
the case's timeline (who, which fields, when) before it is returned.
"""
from cases import form, queries, statuses
from cases.context import Context
from cases.errors import NotFound
from cases.review import window_actor
from catalog.profile import Grant
from models import Case, CaseEvent, Matter, Staff, db

FIELD_NOT_FOUND = NotFound("field_not_found", "没有这项个人信息")
HIDDEN_FROM_DEPARTMENTS = {statuses.WAITING, statuses.NOT_APPLICABLE}


def department_grant(ctx: Context, case: Case, department: str) -> Grant:
    """What `department` receives of this case: the grants of its matters sent to it so far. A matter
    still waiting for another's result (社保卡 for 户口) gives it nothing until it is dispatched."""
    return ctx.profile.grant_for(department, [m.key for m in case.matters if m.department == department
                                              and m.status not in HIDDEN_FROM_DEPARTMENTS])


def reveal_for_window(ctx: Context, staff: Staff, case_id: int, key: str) -> str:
    """The full value of personal field `key` of a case of the staff member's region, audited."""
    case = queries.case_for_window(staff, case_id)
    actor = window_actor(staff)
    return _reveal(ctx, case, None, key, actor.ref, actor.label)


def reveal_for_department(ctx: Context, staff: Staff, matter_id: int, key: str) -> str:
    """The same for a department officer, for a field granted to their department's matters only."""
    matter = queries.matter_for_department(staff, matter_id)
    grant = department_grant(ctx, matter.case, staff.department)
    if grant.fields is not None and key not in grant.fields:
        raise FIELD_NOT_FOUND
    return _reveal(ctx, matter.case, matter, key, *_department_actor(ctx, staff))


def shown_in_full_to_window(ctx: Context, staff: Staff, case: Case) -> None:
    """Records that the window is being given the case's form with its personal numbers in full."""
    actor = window_actor(staff)
    _record_look(case, None, _personal_labels(ctx, form.unseal(ctx, case.fields), None), actor.ref, actor.label)


def form_given_to_window(ctx: Context, staff: Staff, case: Case) -> None:
    """Records that the window is given the registration form (登记表), which prints the personal numbers in full."""
    actor = window_actor(staff)
    _record_look(case, None, _personal_labels(ctx, form.unseal(ctx, case.fields), None), actor.ref, actor.label,
                 looked="下载了办理登记表，其中有完整的")


def shown_in_full_to_department(ctx: Context, staff: Staff, matter: Matter) -> None:
    """The same for a department officer given a matter with its granted fields."""
    granted = department_grant(ctx, matter.case, staff.department).fields
    _record_look(matter.case, matter, _personal_labels(ctx, form.unseal(ctx, matter.case.fields), granted),
                 *_department_actor(ctx, staff))


def _department_actor(ctx: Context, staff: Staff) -> tuple[str, str]:
    return f"staff:{staff.username}", ctx.profile.departments[staff.department]


def _personal_labels(ctx: Context, values: dict, granted: set[str] | None) -> list[str]:
    return [f.label for k, f in ctx.profile.fields.items()
            if f.personal and isinstance(values.get(k), str) and (granted is None or k in granted)]


def _reveal(ctx: Context, case: Case, matter: Matter | None, key: str, actor: str, actor_label: str) -> str:
    field = ctx.profile.fields.get(key)
    value = form.unseal(ctx, case.fields).get(key)
    if field is None or not field.personal or not isinstance(value, str):
        raise FIELD_NOT_FOUND
    _record_look(case, matter, [field.label], actor, actor_label)
    return value


def _record_look(case: Case, matter: Matter | None, labels: list[str], actor: str, actor_label: str,
                 looked: str = "查看了完整的") -> None:
    if not labels:
        return
    # A timeline entry that changes no status: the veteran and the window both see who looked.
    status = matter.status if matter is not None else case.status
    db.session.add(CaseEvent(case=case, matter=matter, actor=actor, actor_label=actor_label,
                             from_status=status, to_status=status, note=f"{looked}{'、'.join(labels)}"))
    db.session.commit()
