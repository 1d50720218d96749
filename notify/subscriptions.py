"""Subscription grants: what each veteran accepted in wx.requestSubscribeMessage, one message per
one-time grant; a long-term template, once accepted, is never used up."""
from sqlalchemy import bindparam, delete, select, tuple_, update

from catalog.profile import Profile
from cases.errors import InvalidForm
from models import SubscriptionGrant, db
from models.base import utcnow
from notify import upsert


def record_accepted(profile: Profile, veteran_id: int, template_ids: list[str]) -> list[SubscriptionGrant]:
    """Count one grant for each accepted template (once per template in one report), and commit.

    Raises InvalidForm naming every template id the profile does not know, counting nothing.
    """
    unknown = [t for t in template_ids if profile.template_by_id(t) is None]
    if unknown:
        raise InvalidForm("unknown_template", f"不认识的订阅消息模板：{'、'.join(map(str, unknown))}",
                          {"accepted": "可选的模板见 GET /api/v1/catalog 的 subscribe_templates"})
    for template_id in dict.fromkeys(template_ids):
        count = 0 if profile.template_by_id(template_id).long_term else 1
        insert = upsert.insert(SubscriptionGrant).values(veteran_id=veteran_id, template_id=template_id,
                                                         remaining=count, accepted_at=utcnow())
        db.session.execute(insert.on_conflict_do_update(
            index_elements=["veteran_id", "template_id"],
            set_={"remaining": SubscriptionGrant.remaining + insert.excluded.remaining,
                  "accepted_at": insert.excluded.accepted_at}))
    db.session.commit()
    return grants_of(veteran_id)


def record_choices(profile: Profile, veteran_id: int, choices: list[tuple[str, str]], in_settings: bool) -> None:
    """The veteran's choices in WeChat, (template id, "accept" or "reject") as its event push reports them, and
    commit; template ids the profile does not know are ignored.

    An accept counts like a report to POST /subscriptions (counted twice when the mini-program reports it
    too: harmless, WeChat's 43101 then forgets the grant). A reject in the settings (`in_settings`), or of a
    long-term template, forgets the grant; a one-time template rejected in the popup only allows nothing
    new, the messages accepted before still stand.
    """
    known = [(t, choice) for t, choice in choices if profile.template_by_id(t) is not None]
    for template_id, choice in known:
        if choice == "reject" and (in_settings or profile.template_by_id(template_id).long_term):
            drop(veteran_id, template_id)
    record_accepted(profile, veteran_id, [t for t, choice in known if choice == "accept"])


def grants_of(veteran_id: int) -> list[SubscriptionGrant]:
    query = select(SubscriptionGrant).where(SubscriptionGrant.veteran_id == veteran_id).order_by(SubscriptionGrant.id)
    return list(db.session.scalars(query.execution_options(populate_existing=True)))


def long_term_granted(pairs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which (veteran id, long-term template id) pairs the veterans accepted, in one query."""
    if not pairs:
        return set()
    query = select(SubscriptionGrant.veteran_id, SubscriptionGrant.template_id).where(
        tuple_(SubscriptionGrant.veteran_id, SubscriptionGrant.template_id).in_(list(pairs)))
    return {tuple(row) for row in db.session.execute(query)}


def take_one_time(wanted: dict[tuple[int, str], int]) -> dict[tuple[int, str], int]:
    """Take up to n one-time grants for each (veteran id, template id); how many each could have.

    The grant rows stay locked until the transaction ends, so two workers never spend the same grant.
    """
    if not wanted:
        return {}
    grants = SubscriptionGrant.__table__
    rows = db.session.execute(
        select(grants.c.id, grants.c.veteran_id, grants.c.template_id, grants.c.remaining)
        .where(tuple_(grants.c.veteran_id, grants.c.template_id).in_(list(wanted)), grants.c.remaining > 0)
        .order_by(grants.c.id).with_for_update()).all()  # in id order: workers lock alike, never deadlock
    taken = {(r.veteran_id, r.template_id): min(r.remaining, wanted[(r.veteran_id, r.template_id)]) for r in rows}
    if rows:
        db.session.execute(grants.update().where(grants.c.id == bindparam("g_id"))
                           .values(remaining=grants.c.remaining - bindparam("g_taken")),
                           [{"g_id": r.id, "g_taken": taken[(r.veteran_id, r.template_id)]} for r in rows])
    return taken


def give_back(veteran_id: int, template_id: str) -> None:
    """Return a reserved one-time grant WeChat did not use (the message was refused or never sent)."""
    db.session.execute(update(SubscriptionGrant)
                       .where(SubscriptionGrant.veteran_id == veteran_id, SubscriptionGrant.template_id == template_id)
                       .values(remaining=SubscriptionGrant.remaining + 1)
                       .execution_options(synchronize_session=False))


def drop(veteran_id: int, template_id: str) -> None:
    """WeChat says the veteran has no grant (43101): forget ours, until they accept again."""
    db.session.execute(delete(SubscriptionGrant)
                       .where(SubscriptionGrant.veteran_id == veteran_id, SubscriptionGrant.template_id == template_id)
                       .execution_options(synchronize_session=False))
