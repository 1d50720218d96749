"""串并联办理: matters start on acceptance, each as soon as the chosen matters it depends on are done."""
from cases import statuses
from cases.context import Context
from cases.transitions import SYSTEM, move_case, move_matter
from models import Case, CaseEvent, Matter, db
from notify import outbox


def create_matters(ctx: Context, case: Case) -> None:
    """One work item per chosen matter; display-only ones (四川 养老保险转接) need no work."""
    for key in case.matter_keys:
        matter = ctx.profile.matters[key]
        status = statuses.NOT_APPLICABLE if matter.display_only else statuses.WAITING
        # Matter(case=...) rather than case.matters.append: a draft's (empty) matters need not be loaded first.
        db.session.add(Matter(case=case, key=key, department=matter.department, region=case.handling_region,
                              status=status))


def dispatch_ready(ctx: Context, case: Case, told: CaseEvent | None = None) -> list[Matter]:
    """Push to their departments the waiting matters whose dependencies are done, and tell the veteran in
    one message: `told`'s (the acceptance that released them), or one of their own."""
    done = {m.key for m in case.matters if m.status in statuses.MATTER_DONE}
    ready = [m for m in case.matters if m.status == statuses.WAITING
             and set(ctx.profile.dependencies(m.key, case.matter_keys)) <= done]
    outbox.enqueue_dispatched([move_matter(matter, statuses.DISPATCHED, SYSTEM,
                                           "已推送至" + ctx.profile.departments[matter.department])
                               for matter in ready], told)
    return ready


def after_matter_change(ctx: Context, case: Case) -> None:
    """Keep the case in step with its matters: under way, released dependents, completed."""
    if case.status == statuses.ACCEPTED:
        move_case(case, statuses.IN_PROGRESS, SYSTEM)
    dispatch_ready(ctx, case)
    if all(m.status in statuses.MATTER_DONE for m in case.matters):
        move_case(case, statuses.COMPLETED, SYSTEM, "全部事项已办结")
        case.completed_at = case.updated_at
