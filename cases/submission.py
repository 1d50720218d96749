"""The veteran's side of a case: submit the one form, resubmit after 补正, withdraw."""
import hashlib
import json
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from cases import form, queries, statuses
from cases.context import Context
from cases.errors import Conflict, InvalidForm
from cases.routing import create_matters
from cases.transitions import Actor, move_case
from catalog.china_time import as_utc, today_in_china
from materials.checklist import current_uploads
from models import Case, IdempotentSubmission, Veteran, db


def veteran_actor(veteran: Veteran) -> Actor:
    return Actor(f"veteran:{veteran.id}", "申请人")


def submit(ctx: Context, veteran: Veteran, payload: dict, idempotency_key: str | None = None) -> tuple[Case, bool]:
    """Validate the whole form and submit one case; (case, created).

    The same `idempotency_key` with the same body gives back the first case and creates nothing.
    """
    request_hash = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    _, unfinished = queries.veteran_with_unfinished_case(veteran.id)  # a double tap waits here for the first
    if idempotency_key:
        earlier = _earlier_submission(veteran, idempotency_key, request_hash)
        if earlier:
            return earlier, False
    case = submit_in_transaction(ctx, veteran, payload, unfinished)
    if idempotency_key:
        db.session.add(IdempotentSubmission(veteran_id=veteran.id, key=idempotency_key,
                                            request_hash=request_hash, case_id=case.id))
    try:
        db.session.commit()
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its case.
        db.session.rollback()
        earlier = _earlier_submission(veteran, idempotency_key, request_hash) if idempotency_key else None
        if earlier is None:
            raise
        return earlier, False
    return case, True


def submit_in_transaction(ctx: Context, veteran: Veteran, payload: dict, case: Case | None) -> Case:
    """`submit` without the commit, which the caller makes (the chat commits it with its turn).

    `case` is the veteran's unfinished case (`queries.unfinished_case_of_veteran`): a draft the veteran
    started in the chat becomes the submitted case.
    """
    matters, values = form.require_clean(ctx, payload.get("veteran_type"), payload.get("matters"),
                                         payload.get("fields"))
    if case is None:
        case = Case(veteran_id=veteran.id, province=ctx.profile.key, status=statuses.DRAFT)
        db.session.add(case)
    elif case.status != statuses.DRAFT:
        raise Conflict("case_exists", f"您已有一件正在办理的申请（编号 {case.case_no}），请在该申请中查看进度或补正")
    _refuse_a_second_case_for(ctx.sealer.lookup_hash(values["id_number"]))
    _fill(ctx, case, payload["veteran_type"], matters, values)
    move_case(case, statuses.SUBMITTED, veteran_actor(veteran), "提交申请")
    case.submitted_at = case.updated_at
    create_matters(ctx, case)
    if case.id is None:
        db.session.flush()  # a new case's number ends with its id
    case.case_no = f"TY{ctx.profile.region_code}{today_in_china(case.submitted_at):%Y%m%d}{case.id:06d}"
    return case


def _refuse_a_second_case_for(id_hash: str) -> None:
    """One person, one case under way, whichever WeChat account submits it (drafts are no case yet)."""
    if db.session.get_bind().dialect.name == "postgresql":  # two accounts at once: the second waits here
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(id_hash[:15], 16)})
    other = db.session.scalar(select(Case.id).where(
        Case.id_number_hash == id_hash, Case.status.not_in(queries.FINISHED | {statuses.DRAFT})).limit(1))
    if other is not None:
        raise Conflict("case_exists_for_id_number",
                       "这个身份证号码已有一件正在办理的申请，不能重复申请；如需帮助请到当地退役军人服务中心咨询")


def _earlier_submission(veteran: Veteran, key: str, request_hash: str) -> Case | None:
    record = db.session.scalar(select(IdempotentSubmission).where(
        IdempotentSubmission.veteran_id == veteran.id, IdempotentSubmission.key == key))
    if record is None:
        return None
    if record.request_hash != request_hash:
        raise Conflict("idempotency_key_reused", "这个 Idempotency-Key 已用于另一份不同的申请，请换一个")
    return db.session.get(Case, record.case_id)


def _fill(ctx: Context, case: Case, veteran_type: str, matters: list[str], values: dict) -> None:
    case.veteran_type = veteran_type
    case.matter_keys = matters
    case.handling_region = values["handling_region"]["code"]
    case.fields = form.seal(ctx, values)
    case.id_number_hash = ctx.sealer.lookup_hash(values["id_number"])


def resubmit(ctx: Context, veteran: Veteran, case_id: int, payload: dict) -> Case:
    """After a supplement request: the corrected form goes back to the window's queue.

    `fields` in the body replace the earlier values of the same keys; the rest stay. Only what the 补正
    lists may change (and what its changes newly need); the type and the matters stay. A value left to
    default (收件人电话 = 手机号码, 户主 = 本人) follows its corrected source.
    """
    case = queries.case_of_veteran(veteran.id, case_id, lock=True)
    if case.status != statuses.SUPPLEMENT_REQUESTED:
        raise Conflict("not_awaiting_supplement", "这件申请当前不需要补正")
    corrections = payload.get("fields", {})
    if not isinstance(corrections, dict):
        corrections = None  # let the form check explain the shape
    stored = form.unseal(ctx, case.fields)
    # The window's own entries (审档 archive_status …) are not the veteran's to give again: kept as they are.
    windows = {k: v for k, v in stored.items() if ctx.profile.fields[k].staff_only}
    earlier = {k: v for k, v in stored.items() if not (ctx.profile.fields[k].derived_from or k in windows)}
    _keep_to_the_supplement(ctx, case, payload, earlier, corrections or {})
    merged = None if corrections is None else {**earlier, **_following_defaults(ctx, earlier, corrections), **corrections}
    veteran_type, chosen = case.veteran_type, ctx.profile.applied_for(case.matter_keys)
    matters, values = form.require_clean(ctx, veteran_type, chosen, merged)
    _fill(ctx, case, veteran_type, matters, {**values, **windows})
    case.matters.clear()
    db.session.flush()  # delete the old work items before the new ones take their (case, key)
    create_matters(ctx, case)
    told = "已按补正要求修改后重新提交" + _supplied(case.supplement["items"], earlier, values)
    move_case(case, statuses.SUBMITTED, veteran_actor(veteran), told)
    case.submitted_at = case.updated_at
    case.supplement = None
    db.session.commit()
    return case


def _keep_to_the_supplement(ctx: Context, case: Case, payload: dict, earlier: dict, corrections: dict) -> None:
    """Refuses a resubmission that changes what the 补正 did not ask about, or leaves out a listed file."""
    if payload.get("veteran_type", case.veteran_type) != case.veteran_type or (
            "matters" in payload and payload["matters"] != ctx.profile.applied_for(case.matter_keys)):
        raise Conflict("not_in_supplement", "补正时不能更改退役类型和办理事项；如需改动，请撤回后重新申请")
    items = case.supplement["items"]
    listed = {item["field"] for item in items if item.get("field")}
    unasked = {key: "不在补正清单中，不能在补正时修改" for key, value in corrections.items()
               if key in earlier and key not in listed and earlier[key] != value}
    if unasked:
        labels = "、".join(ctx.profile.fields[k].label for k in unasked if k in ctx.profile.fields) or "、".join(unasked)
        raise InvalidForm("not_in_supplement", f"补正只需修改窗口列出的内容；{labels}不在补正清单中", unasked)
    uploads = current_uploads(case.id)
    since = datetime.fromisoformat(case.supplement["requested_at"]) if "requested_at" in case.supplement else None
    stale = [item for item in items if item.get("material") and (
        item["material"] not in uploads or since is not None and as_utc(uploads[item["material"]].uploaded_at) < since)]
    if stale:
        labels = "、".join(item["label"] for item in stale)
        raise InvalidForm("material_not_replaced", f"请先按补正要求重新上传：{labels}",
                          {item["material"]: "请重新上传" for item in stale})


def _supplied(items: list[dict], earlier: dict, values: dict) -> str:
    """For the window's check of a resubmission: which listed fields changed and which files came again, and
    which listed fields were left as they were (the veteran may find one correct after all)."""
    fields = [item for item in items if item.get("field")]
    changed = [item["label"] for item in fields if values.get(item["field"]) != earlier.get(item["field"])]
    kept = [item["label"] for item in fields if values.get(item["field"]) == earlier.get(item["field"])]
    files = [item["label"] for item in items if item.get("material")]
    done = "，".join(([f"修改了{'、'.join(changed)}"] if changed else [])
                    + ([f"重新上传了{'、'.join(files)}"] if files else []))
    return (f"：{done}" if done else "") + (f"；{'、'.join(kept)}未修改" if kept else "")


def _following_defaults(ctx: Context, earlier: dict, corrections: dict) -> dict:
    """Values that were their source's copy (a default left as it was) and follow its correction."""
    return {f.key: corrections[f.default_from] for f in ctx.profile.fields.values()
            if f.default_from in corrections and f.key not in corrections and f.key in earlier
            and earlier[f.key] == earlier.get(f.default_from)}


def withdraw(veteran: Veteran, case_id: int, reason: str | None = None) -> Case:
    case = queries.case_of_veteran(veteran.id, case_id, lock=True)
    if case.status not in statuses.OPEN_FOR_VETERAN:
        label = statuses.CASE_LABELS[case.status]
        after = "；如需变更请联系办理窗口" if case.accepted_at else ""
        raise Conflict("cannot_withdraw", f"申请当前为“{label}”，不能撤回{after}")
    move_case(case, statuses.WITHDRAWN, veteran_actor(veteran), reason or "申请人撤回申请")
    db.session.commit()
    return case
