"""Showing a personal number (身份证号, 银行账号, phone numbers) in full to staff.

Pages and lists show these masked; a staff member who needs the whole number asks for it (one
field in the console, the whole case or matter through the API), and each such look is written to
the case's timeline (who, which fields, when) before it is returned.
"""
from cases import form, queries, statuses
from cases.context import Context
from cases.department_work import department_actor
from cases.errors import NotFound
from cases.review import window_actor
from cases.transitions import Actor
from catalog.profile import Grant
from models import Case, CaseEvent, Matter, Staff, db

FIELD_NOT_FOUND = NotFound("field_not_found", "没有这项个人信息")
HIDDEN_FROM_DEPARTMENTS = {statuses.WAITING, statuses.NOT_APPLICABLE}


def officer_matters(officer: Staff, case: Case) -> list[Matter]:
    """The case's matters `officer` works on: their department's, in their region, sent to them so far."""
    return [m for m in case.matters if m.department == officer.department and officer.covers(m.region)
            and m.status not in HIDDEN_FROM_DEPARTMENTS]


def department_grant(ctx: Context, case: Case, department: str) -> Grant:
    """What `department` receives of this case: the grants of its matters sent to it so far. A matter
    still waiting for another's result (社保卡 for 户口) gives it nothing until it is dispatched."""
    return ctx.profile.grant_for(department, [m.key for m in case.matters if m.department == department
                                              and m.status not in HIDDEN_FROM_DEPARTMENTS])


def reveal_for_window(ctx: Context, staff: Staff, case_id: int, key: str) -> str:
    """The full value of personal field `key` of a case of the staff member's region, audited."""
    case = queries.case_for_window(staff, case_id)
    return _reveal(ctx, case, None, key, window_actor(staff))


def reveal_for_department(ctx: Context, staff: Staff, matter_id: int, key: str) -> str:
    """The same for a department officer, for a field granted to their department's matters only."""
    matter = queries.matter_for_department(staff, matter_id)
    grant = department_grant(ctx, matter.case, staff.department)
    if grant.fields is not None and key not in grant.fields:
        raise FIELD_NOT_FOUND
    return _reveal(ctx, matter.case, matter, key, department_actor(ctx, staff))


def shown_in_full_to_window(ctx: Context, staff: Staff, case: Case) -> None:
    """Records that the window is being given the case's form with its personal numbers in full."""
    _record_look(case, None, _personal_labels(ctx, form.unseal(ctx, case.fields), None), window_actor(staff))


def form_given_to_staff(ctx: Context, staff: Staff, case: Case) -> None:
    """Records that a staff member is given the registration form (登记表), which prints every personal number in
    full: the window, or a department officer (under one of their matters, so their own timeline shows it too)."""
    labels = _personal_labels(ctx, form.unseal(ctx, case.fields), None)
    if staff.role == "department":
        matter, actor = officer_matters(staff, case)[0], department_actor(ctx, staff)
    else:
        matter, actor = None, window_actor(staff)
    _record_look(case, matter, labels, actor, looked="下载了办理登记表，其中有完整的")


def shown_in_full_to_department(ctx: Context, staff: Staff, matter: Matter) -> None:
    """The same for a department officer given a matter with its granted fields."""
    granted = department_grant(ctx, matter.case, staff.department).fields
    _record_look(matter.case, matter, _personal_labels(ctx, form.unseal(ctx, matter.case.fields), granted),
                 department_actor(ctx, staff))


def _personal_labels(ctx: Context, values: dict, granted: set[str] | None) -> list[str]:
    return [f.label for k, f in ctx.profile.fields.items()
            if f.personal and isinstance(values.get(k), str) and (granted is None or k in granted)]


def _reveal(ctx: Context, case: Case, matter: Matter | None, key: str, actor: Actor) -> str:
    field = ctx.profile.fields.get(key)
    value = form.unseal(ctx, case.fields).get(key)
    if field is None or not field.personal or not isinstance(value, str):
        raise FIELD_NOT_FOUND
    _record_look(case, matter, [field.label], actor)
    return value


def _record_look(case: Case, matter: Matter | None, labels: list[str], actor: Actor,
                 looked: str = "查看了完整的") -> None:
    if not labels:
        return
    # A timeline entry that changes no status: the veteran and the window both see who looked.
    status = matter.status if matter is not None else case.status
    db.session.add(CaseEvent(case=case, matter=matter, actor=actor.ref, actor_label=actor.label,
                             from_status=status, to_status=status, note=f"{looked}{'、'.join(labels)}"))
    db.session.commit()
