"""The transactional outbox: a notification is added in the transaction of the status change, and
workers claim, send and settle it.

Delivery guarantee. The inbox copy commits with the change, so it is never lost or doubled. The
WeChat copy is sent at least once and at most twice: a worker that dies after WeChat accepted a
message but before it recorded the send leaves the row claimed; when its lease runs out another
worker sends it again (the one resend). A send WeChat never answered (read timeout, dropped
connection) may have been delivered just the same and counts alike (`claims_lost`). Should a second
send end unconfirmed as well, the row is failed ("无法确认是否已送达") instead of being sent a third time.
"""
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, select, text, update
from sqlalchemy.orm import selectinload

from cases.context import Context
from cases.errors import Conflict, NotFound
from cases.statuses import RETURNED
from models import Case, CaseEvent, Notification, db, paging
from models.base import utcnow
from models.notification import FAILED, INBOX_ONLY, PENDING, REFUSED, SENDING, SENT
from notify import events, messages, subscriptions
from notify.templates import render_data

log = logging.getLogger(__name__)

SENT_OK, RETRY, REFUSE, NO_GRANT = "sent", "retry", "refuse", "no_grant"
UNCONFIRMED = "unconfirmed"  # sent, no answer: WeChat may have delivered it
HOLD = "hold"  # not sent, not its fault (our access_token refused): no attempt spent


def enqueue(event: CaseEvent) -> Notification | None:
    """The veteran's notification of `event`, added to the session so it commits or rolls back with the
    change itself; None when the change is not one the veteran is told about."""
    key = events.event_for("matter" if event.matter is not None else "case", event.from_status, event.to_status)
    return None if key is None else _add(key, event)


def enqueue_dispatched(dispatches: list[CaseEvent], told: CaseEvent | None = None) -> Notification | None:
    """The veteran's one message about matters dispatched together (facts["dispatched"]), added to the
    session like enqueue's: the message of `told`, the change of this transaction that dispatched them
    (受理: "已受理……已转交"), says it; else a message of its own, on the first dispatch (matters a
    completion released). None when nothing was dispatched."""
    if not dispatches:
        return None
    dispatched = [{"matter": e.matter.key, "department": e.matter.department} for e in dispatches]
    notification = None
    if told is not None:
        db.session.flush()  # told's message gets its id
        notification = db.session.scalar(select(Notification).where(Notification.case_event_id == told.id))
    if notification is None:
        notification = _add(events.MATTER_DISPATCHED, dispatches[0])
    facts = {**notification.facts, "dispatched": dispatched}
    if notification.event == events.MATTER_DISPATCHED and len(dispatched) > 1:
        del facts["matter"]  # about them all, not the first one
        if len({d["department"] for d in dispatched}) > 1:
            del facts["department"]
    notification.facts = facts
    return notification


def _add(key: str, event: CaseEvent) -> Notification:
    case, now = event.case, utcnow()
    notification = Notification(veteran_id=case.veteran_id, case=case, case_event=event, event=key,
                                facts=_facts(key, event), created_at=now, next_attempt_at=now)
    db.session.add(notification)
    return notification


def _facts(key: str, event: CaseEvent) -> dict:
    """What is true now and will not be later (the supplement list is cleared on resubmission)."""
    case, matter = event.case, event.matter
    facts = {"note": event.note, "matter_keys": list(case.matter_keys or [])}
    if matter is not None:
        facts.update(matter=matter.key, department=matter.department)
    if case.deadline:
        facts.update(deadline=case.deadline.isoformat(), deadline_estimated=case.deadline_estimated)
    if key == events.SUPPLEMENT_REQUESTED and case.supplement:
        facts.update(items=[{"label": i["label"], "reason": i["reason"]} for i in case.supplement["items"]],
                     note=case.supplement.get("note"))
    if key == events.REJECTED:
        facts["reason"] = case.decision_reason or event.note
    if key == events.MATTER_COMPLETED:
        facts["result"] = matter.result
    if key == events.MATTER_PROCESSING and event.from_status == RETURNED:
        facts["resumed"] = True  # taken up again after the veteran brought what was missing
    if key == events.ARCHIVE_REVIEWED:
        facts["archive_status"] = case.fields.get("archive_status")
    return messages.masked(facts)


@dataclass(frozen=True)
class Delivery:
    """One claimed push, with everything the send and its settling need, so sending touches no database."""

    notification_id: int
    attempt: int
    veteran_id: int
    openid: str
    template_id: str
    grant_held: bool
    data: dict
    page: str | None
    unconfirmed: int  # earlier sends that may have reached WeChat unconfirmed (claims_lost)


@dataclass(frozen=True)
class Outcome:
    kind: str  # SENT_OK, RETRY, REFUSE, NO_GRANT, UNCONFIRMED or HOLD
    msgid: str | None = None
    errcode: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class Claim:
    rows: int  # how many due rows were taken, inbox-only ones included
    deliveries: list[Delivery]


def claim_due(ctx: Context, worker: str, limit: int, lease: timedelta, page: str | None = None,
              now: datetime | None = None) -> Claim:
    """Claim up to `limit` due notifications for `worker` until `now + lease`, and commit.

    Rows other workers hold are skipped (FOR UPDATE SKIP LOCKED on PostgreSQL). Those without a
    template for their event, or whose veteran has no grant, settle as inbox-only here.
    """
    now = now or utcnow()
    query = (select(Notification).where(Notification.push_status == PENDING, Notification.next_attempt_at <= now)
             .order_by(Notification.id).limit(limit).with_for_update(skip_locked=True)
             .options(selectinload(Notification.case), selectinload(Notification.veteran)))
    rows = db.session.scalars(query).all()
    templates = {n.id: ctx.profile.template_for_event(n.event) for n in rows}
    may_send = _grants_for(rows, templates)
    deliveries = []
    for notification in rows:
        template = templates[notification.id]
        if not may_send[notification.id]:
            _release_grant(notification)
            notification.push_status = INBOX_ONLY
            notification.last_error = "该消息没有订阅消息模板" if template is None else "用户未订阅该模板，仅站内消息"
            continue
        notification.grant_held = not template.long_term
        notification.template_id = template.id
        notification.push_status = SENDING
        notification.attempts += 1
        notification.claimed_by = worker
        notification.claimed_until = now + lease
        facts = messages.template_facts(ctx, notification)
        deliveries.append(Delivery(notification.id, notification.attempts, notification.veteran_id,
                                   notification.veteran.openid, template.id, notification.grant_held,
                                   render_data(template.data_for(notification.event), facts),
                                   f"{page}?id={notification.id}" if page else None, notification.claims_lost))
    db.session.commit()
    return Claim(len(rows), deliveries)


def _grants_for(rows: list[Notification], templates: dict) -> dict[int, bool]:
    """Which claimed rows the veteran's grants allow to be sent, taking one-time grants for them."""
    pairs = {n.id: (n.veteran_id, t.id) for n in rows if (t := templates[n.id]) is not None}
    long_term = subscriptions.long_term_granted({pairs[n.id] for n in rows if n.id in pairs
                                                 and templates[n.id].long_term})
    wanted = Counter(pairs[n.id] for n in rows if n.id in pairs and not templates[n.id].long_term
                     and not n.grant_held)
    available = subscriptions.take_one_time(wanted)
    may_send = {}
    for n in rows:  # in id order: the oldest messages get the grants
        pair = pairs.get(n.id)
        if pair is None:
            may_send[n.id] = False
        elif n.grant_held or pair in long_term:
            may_send[n.id] = True
        else:
            may_send[n.id] = available.get(pair, 0) > 0
            if may_send[n.id]:
                available[pair] -= 1
    return may_send


def settle(results: list[tuple[Delivery, Outcome]], retry_delays: list[float], now: datetime | None = None) -> None:
    """Record what WeChat answered to the sends that came back, in one transaction.

    A result whose claim has been replaced by a newer one (its lease ran out and another worker took
    the row) is not recorded: the newer claim decides. A held push gets its attempt back.
    """
    now = now or utcnow()
    if db.session.get_bind().dialect.name == "postgresql":
        # Safe not to wait for the disk here: a settlement lost in a database crash leaves its row
        # claimed, and the lease sends it once more, as after a worker crash. Claims stay durable.
        db.session.execute(text("SET LOCAL synchronous_commit TO off"))
    plain, with_grant = [], []
    for delivery, outcome in results:
        status, next_attempt = _next_status(delivery, outcome, retry_delays, now)
        error = outcome.error
        if outcome.kind == UNCONFIRMED:
            error += "，重新发送（可能重复一次）" if status == PENDING else "，无法确认是否已送达，不再自动重发"
        row = {"n_id": delivery.notification_id, "n_attempt": delivery.attempt, "n_status": status,
               "n_sent_at": now if status == SENT else None, "n_msgid": outcome.msgid,
               "n_grant_held": delivery.grant_held and status == PENDING, "n_next": next_attempt,
               "n_errcode": outcome.errcode, "n_error": error and error[:300],
               "n_unspent": int(outcome.kind == HOLD), "n_unconfirmed": int(outcome.kind == UNCONFIRMED)}
        # A grant WeChat did not use goes back to the veteran; after 43101 there was none to begin with, and
        # an unconfirmed send may well have used it.
        if outcome.kind == NO_GRANT or (delivery.grant_held and status in (FAILED, REFUSED)
                                        and outcome.kind != UNCONFIRMED):
            with_grant.append((delivery, outcome, row))
        else:
            plain.append(row)
    if plain:  # one statement for the usual outcomes
        settled = db.session.execute(_SETTLE, plain).rowcount
        if settled != len(plain):
            log.warning("%s of %s outcomes not recorded: their claims were taken over", len(plain) - settled,
                        len(plain))
    for delivery, outcome, row in with_grant:
        if not db.session.execute(_SETTLE, row).rowcount:
            log.warning("notification %s: claim %s was taken over", delivery.notification_id, delivery.attempt)
        elif outcome.kind == NO_GRANT:
            subscriptions.drop(delivery.veteran_id, delivery.template_id)
        else:
            subscriptions.give_back(delivery.veteran_id, delivery.template_id)
    db.session.commit()


def _next_status(delivery: Delivery, outcome: Outcome, retry_delays: list[float],
                 now: datetime) -> tuple[str, datetime]:
    if outcome.kind == SENT_OK:
        return SENT, now
    if outcome.kind == HOLD:  # due again at once: what held it back keeps it from being claimed meanwhile
        return PENDING, now
    if outcome.kind == REFUSE or outcome.kind == NO_GRANT:
        return REFUSED, now
    if delivery.attempt > len(retry_delays) or (outcome.kind == UNCONFIRMED and delivery.unconfirmed):
        return FAILED, now
    return PENDING, now + timedelta(seconds=retry_delays[delivery.attempt - 1])


_TABLE = Notification.__table__  # plain statements: the ORM's bulk machinery costs more than the queries
# Settles one claim: only while it is still the latest claim of its row. claimed_by stays: who settled it.
_SETTLE = _TABLE.update().where(
    _TABLE.c.id == bindparam("n_id"), _TABLE.c.attempts == bindparam("n_attempt"),
    or_(_TABLE.c.push_status == SENDING, _TABLE.c.push_status == PENDING),  # IN () cannot take executemany
).values(push_status=bindparam("n_status"), sent_at=bindparam("n_sent_at"), msgid=bindparam("n_msgid"),
         grant_held=bindparam("n_grant_held"), next_attempt_at=bindparam("n_next"), claimed_until=None,
         last_errcode=bindparam("n_errcode"), last_error=bindparam("n_error"),
         attempts=_TABLE.c.attempts - bindparam("n_unspent"),
         claims_lost=_TABLE.c.claims_lost + bindparam("n_unconfirmed"))


def release_lost_claims(now: datetime | None = None) -> int:
    """Claims whose lease ran out belong to a worker that died: send them once more, or, when that
    already happened once, fail them rather than risk a third copy. Returns how many were released."""
    now = now or utcnow()
    lost = (Notification.push_status == SENDING, Notification.claimed_until < now)
    failed = db.session.execute(
        update(Notification).where(*lost, Notification.claims_lost >= 1)
        .values(push_status=FAILED, claims_lost=Notification.claims_lost + 1, claimed_by=None, claimed_until=None,
                last_error="发送中工作进程两次中断，无法确认是否已送达，不再自动重发")
        .execution_options(synchronize_session=False)).rowcount
    again = db.session.execute(
        update(Notification).where(*lost)
        .values(push_status=PENDING, claims_lost=Notification.claims_lost + 1, claimed_by=None, claimed_until=None,
                next_attempt_at=Notification.claimed_until, last_error="发送中工作进程中断，重新发送（可能重复一次）")
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if failed or again:
        log.warning("released %s lost claims, failed %s claimed twice", again, failed)
    return failed + again


def retry(notification_id: int, region: str, now: datetime | None = None) -> Notification:
    """An administrator sends a failed or refused push again, from a fresh start."""
    notification = db.session.get(Notification, notification_id, with_for_update=True)
    if notification is None or not (notification.case.handling_region or "").startswith(region):
        raise NotFound("notification_not_found", "没有找到这条消息")
    if notification.push_status not in (FAILED, REFUSED):
        raise Conflict("not_failed", "只有推送失败或被微信拒收的消息可以重新推送")
    notification.push_status, notification.next_attempt_at = PENDING, now or utcnow()
    notification.attempts = notification.claims_lost = 0
    notification.last_errcode = notification.last_error = None
    db.session.commit()
    return notification


def failed_for_admin(region: str, statuses: tuple[str, ...] = (FAILED,), before: int | None = None,
                     limit: int = 50) -> tuple[list[Notification], int | None]:
    """(a page of the region's pushes in `statuses`, newest first; the `before` of the next page, or None)."""
    query = (select(Notification).join(Case).where(Notification.push_status.in_(statuses),
                                                   Case.handling_region.startswith(region))
             .options(selectinload(Notification.case)))
    return paging.newest_first(query, Notification.id, before, limit)


def _release_grant(notification: Notification) -> None:
    if notification.grant_held:
        subscriptions.give_back(notification.veteran_id, notification.template_id)
        notification.grant_held = False
