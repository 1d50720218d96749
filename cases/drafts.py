"""The draft case the chat writes every accepted answer into, so nothing depends on Redis."""
import copy
from dataclasses import dataclass, field

from cases import form, statuses
from cases.context import Context
from models import Case, Veteran, db
from security.sealing import is_sealed


@dataclass
class Draft:
    """A draft's content in plain values (personal numbers unsealed)."""

    values: dict = field(default_factory=dict)
    dialogue: dict = field(default_factory=dict)
    veteran_type: str | None = None
    matters: list = field(default_factory=list)
    # key → (plain value, stored ciphertext) of the sealed values as opened: an unchanged one is stored
    # again as it was, instead of being encrypted anew (a new nonce would rewrite the row for nothing).
    sealed: dict = field(default_factory=dict, repr=False, compare=False)


def open_draft(ctx: Context, case: Case) -> Draft:
    # Deep copies: SQLAlchemy sees a JSON change only when the new value differs from the loaded one.
    values = form.unseal(ctx, case.fields)
    sealed = {key: (values[key], stored) for key, stored in case.fields.items() if is_sealed(stored)}
    return Draft(values=_copy(values), dialogue=_copy(case.dialogue or {}), veteran_type=case.veteran_type,
                 matters=list(case.matter_keys or []), sealed=sealed)


def _copy(value):
    """A deep copy of JSON data (dicts, lists, scalars), several times faster than copy.deepcopy."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    if value is None or isinstance(value, (str, int, float)):
        return value
    return copy.deepcopy(value)


def draft_case(veteran: Veteran, province: str) -> Case:
    """A new draft, for a veteran with no case under way (`queries.unfinished_case_of_veteran` is None)."""
    case = Case(veteran_id=veteran.id, province=province, status=statuses.DRAFT, fields={}, dialogue={},
                matter_keys=[])
    db.session.add(case)
    db.session.flush()
    return case


def save_draft(ctx: Context, case: Case, draft: Draft) -> None:
    """Write the draft in the current transaction (the caller commits with the rest of the turn)."""
    kept = {key: stored for key, (plain, stored) in draft.sealed.items() if draft.values.get(key) == plain}
    case.fields = form.seal(ctx, {key: kept.get(key, value) for key, value in draft.values.items()})
    case.dialogue = dict(draft.dialogue)
    case.veteran_type = draft.veteran_type
    case.matter_keys = list(draft.matters)
    region = draft.values.get("handling_region")
    case.handling_region = region["code"] if region else None
    case.id_number_hash = ctx.sealer.lookup_hash(draft.values["id_number"]) if "id_number" in draft.values else None


def submission_payload(ctx: Context, draft: Draft) -> dict:
    """The draft as the body of `POST /api/v1/cases`, so the chat submits through the same code."""
    chosen = ctx.profile.applied_for(draft.matters)
    values = {k: v for k, v in draft.values.items()
              if not ctx.profile.fields[k].derived_from and not ctx.profile.fields[k].staff_only}
    needed = {f.key for f in ctx.profile.needed_fields(draft.matters, values)}
    return {"veteran_type": draft.veteran_type, "matters": chosen,
            "fields": {k: v for k, v in values.items() if k in needed}}
