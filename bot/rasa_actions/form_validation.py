"""`validate_veteran_form`: Rasa's form validation with the same checks as the chat and the case API.

Each `validate_<slot>` accepts what the veteran said ("2019年9月", "是的", "锦江区", "我叫王磊") or a
tapped value, through bot.extraction and catalog.field_values: accepted → `{slot: stored value}`,
plus what it lets us derive (gender from the ID number, 服役时间 from the two dates, 户主 when
与户主关系 is 本人); rejected → the exact Chinese reason is uttered and `{slot: None}` makes the
form ask again. The form asks only what the chosen matters need (`required_slots`).
"""

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import understanding as u
from bot.content import Content
from bot.extraction import Extracted, extract, from_given
from bot.householder import FIELD as HOUSEHOLDER_RELATION, turn_round
from bot.rasa_actions import runtime
from bot.rasa_actions.tracker_values import oversized, too_long_reply, usable_slots, with_short_quotes
from cases.context import Context
from cases.form import cross_field_problems, derived_values, fill_defaults
from catalog.profile import Profile

# The slots asked before any field, with the names the veteran knows them by.
FORM_SLOTS = {"veteran_type": "退役类型", "matters": "办理事项"}


def _ask_type(profile: Profile) -> str:
    return "请选择退役类型：" + "、".join(t.label for t in profile.veteran_types.values())


def _ask_matters(profile: Profile) -> str:
    return "请选择要办理的事项：" + "、".join(m.label for m in profile.matters.values())


def choice_problems(profile: Profile, veteran_type, matters) -> dict[str, str]:
    """What keeps a type and a list of matter keys from being applied for, by slot, in the veteran's
    words (cases.form.check_choice answers API clients, in keys). Any JSON may come in a slot."""
    problems = {}
    if not isinstance(veteran_type, str) or veteran_type not in profile.veteran_types:
        problems["veteran_type"] = _ask_type(profile)
    if not isinstance(matters, list) or not all(isinstance(m, str) for m in matters):
        problems["matters"] = _ask_matters(profile)
    elif "veteran_type" not in problems:
        reasons = [reason for key in matters if key in profile.matters
                   and (reason := profile.refusal_reason(veteran_type, key))]
        if any(key not in profile.matters for key in matters):
            reasons.insert(0, f"{profile.name}“退役军人服务一件事”不包含所选的部分事项，" + _ask_matters(profile))
        if reasons:
            problems["matters"] = "；".join(reasons)
    return problems


def _chosen_matters(profile: Profile, tracker: Tracker) -> list[str]:
    """The full matter list of the tracker's type and choice, or [] while either is missing or invalid."""
    veteran_type, chosen = tracker.get_slot("veteran_type"), tracker.get_slot("matters")
    if choice_problems(profile, veteran_type, chosen):
        return []
    return profile.completed_matters(veteran_type, chosen)


def _known_values(ctx: Context, tracker: Tracker, leave_out: str | None = None) -> dict:
    """The form values already in the tracker's slots that pass the form's check."""
    raw = {key: value for key, value in usable_slots(tracker).items() if key in ctx.profile.fields and key != leave_out}
    return from_given(raw, ctx).values


def _unreadable(ctx: Context, kept: dict) -> set[str]:
    """The form slots among `kept` the form cannot read: of the wrong kind, too long, or failing the field's check."""
    fields = {k: v for k, v in kept.items() if k in ctx.profile.fields}
    readable = {k: v for k, v in fields.items() if not oversized(v)}
    unreadable = set(fields) - set(readable) | set(from_given(readable, ctx).problems)
    if not isinstance(kept.get("veteran_type", ""), str):
        unreadable.add("veteran_type")
    matters = kept.get("matters", [])
    keys = isinstance(matters, list) and all(isinstance(m, str) for m in matters)
    if not (keys or isinstance(matters, str)):  # a text is read by validate_matters
        unreadable.add("matters")
    return unreadable


def _read(key: str, said, ctx: Context, content: Content) -> Extracted:
    """The value of `key` in what was said. A value in the form's own terms (a tapped button, "6222 0202 …")
    is taken as it is; anything else is read as a message ("我的手机是…", "19年9月"), as the chat reads an
    answer to one question (a number field's problem is about the number said). A text
    field is always read as a message, so "我叫王磊" gives 王磊."""
    field = ctx.profile.fields[key]
    if not isinstance(said, str):
        return from_given({key: said}, ctx)
    found = None if field.type == "text" else from_given({key: said}, ctx)
    if found is None or key not in found.values:
        found = extract([key], said, ctx, content)
    return found


def _matter_named(profile: Profile, item: str) -> tuple[str | None, str | None]:
    """(matter key, None) for a key, a label or a part of exactly one label; else (None, why not)."""
    exact = [m.key for m in profile.matters.values() if item in (m.key, m.label)]
    partial = [m for m in profile.matters.values() if len(item) >= 2 and item in m.label]
    if exact or len(partial) == 1:
        return (exact or [partial[0].key])[0], None
    if partial:
        return None, f"“{item}”对应多个事项：{'、'.join(m.label for m in partial)}，请说得更具体一些"
    return None, f"没有“{item}”这个事项，可选：{'、'.join(m.label for m in profile.matters.values())}"


def _field(key: str):
    def validate(self, value, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        return self.check_field(key, value, dispatcher, tracker)

    validate.__name__ = f"validate_{key}"
    validate.__doc__ = f"Checks the `{key}` slot like the form does."
    return validate


class ValidateVeteranForm(FormValidationAction):
    def name(self) -> str:
        return "validate_veteran_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        """Type and matters first, then the fields those matters need, in the catalog's order."""
        with runtime.services() as s:
            values = _known_values(s.ctx, tracker)
            needed = s.ctx.profile.needed_fields(_chosen_matters(s.ctx.profile, tracker), values)
            return [*FORM_SLOTS, *(f.key for f in needed)]

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list:
        """Rasa keeps whatever JSON it was sent in a slot: a kept value the form cannot read (a list for the
        type, a number for a place) goes to its validate_ method again, which refuses it, so it is asked again."""
        kept = {k: v for k, v in tracker.slots.items() if v is not None}
        with runtime.services() as s:
            return [SlotSet(key, kept[key]) for key in _unreadable(s.ctx, kept)]

    def validate_veteran_type(self, value, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> dict:
        """A type by its key, its label or an everyday name ("政府安排工作", "按月领退役金")."""
        if oversized(value):
            dispatcher.utter_message(text=too_long_reply(FORM_SLOTS["veteran_type"]))
            return {"veteran_type": None}
        with runtime.services() as s:
            kinds = s.ctx.profile.veteran_types
            words = s.content.synonyms["veteran_type"]
            found = u.find_choice(value, tuple(kinds), {k: (k, t.label, *words.get(k, ())) for k, t in kinds.items()}) \
                if isinstance(value, str) else None
            if found is None:
                dispatcher.utter_message(text=_ask_type(s.ctx.profile))
                return {"veteran_type": None}
            return {"veteran_type": found[0]}

    def validate_matters(self, value, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        """Matters by key, label or part of a label ("户口登记", "社保卡"), as a list or one text
        ("退役报到、户口登记"); each must be open to the veteran's type."""
        if oversized(value):
            dispatcher.utter_message(text=too_long_reply(FORM_SLOTS["matters"]))
            return {"matters": None}
        with runtime.services() as s:
            profile = s.ctx.profile
            given = value if isinstance(value, list) else [value]
            items = [part for item in given if isinstance(item, str) for part in u.segments(item)]
            if not items:
                dispatcher.utter_message(text=_ask_matters(profile))
                return {"matters": None}
            found = [_matter_named(profile, item) for item in items]
            problems = [problem for _, problem in found if problem]
            matters = list(dict.fromkeys(key for key, _ in found if key))
            veteran_type = tracker.get_slot("veteran_type")
            if not problems and isinstance(veteran_type, str) and veteran_type in profile.veteran_types:
                problems = list(choice_problems(profile, veteran_type, matters).values())  # else checked at submission
            if problems:
                dispatcher.utter_message(text=with_short_quotes("；".join(problems)))
                return {"matters": None}
            return {"matters": matters}

    def check_field(self, key: str, value, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        """One form field: its stored value and what it lets us fill, or None after saying what is wrong."""
        with runtime.services() as s:
            ctx = s.ctx
            label = ctx.profile.fields[key].label
            if oversized(value):
                dispatcher.utter_message(text=too_long_reply(label))
                return {key: None}
            values = _known_values(ctx, tracker, leave_out=key)
            if key == HOUSEHOLDER_RELATION and isinstance(value, str):  # "户主是我爸": 子, as the 户口簿 has it
                turned = turn_round(value, derived_values(values).get("gender"), s.content)
                value = turned.text if turned else value
            found = _read(key, value, ctx, s.content)
            if key in found.values:
                values[key] = found.values[key]
            problem = found.problems.get(key) or cross_field_problems(ctx.profile, values).get(key)
            if key not in found.values or problem:
                dispatcher.utter_message(text=with_short_quotes(problem or f"没有识别到{label}，请再说一遍"))
                return {key: None}
            filled = {key: values[key]}
            derived = derived_values(values)
            filled.update((k, v) for k, v in derived.items() if key in ctx.profile.fields[k].derived_from)
            with_defaults = dict(values)
            fill_defaults(ctx.profile, _chosen_matters(ctx.profile, tracker), with_defaults, conditional_only=True)
            filled.update((k, v) for k, v in with_defaults.items() if k not in values and tracker.get_slot(k) is None)
            return filled

    # Every field a veteran fills (catalog fields that are neither derived nor staff-only).
    validate_handling_region = _field("handling_region")
    validate_name = _field("name")
    validate_id_number = _field("id_number")  # also sets gender
    validate_political_status = _field("political_status")
    validate_ethnicity = _field("ethnicity")
    validate_phone = _field("phone")
    validate_health_status = _field("health_status")
    validate_marital_status = _field("marital_status")
    validate_education = _field("education")
    validate_address = _field("address")
    validate_emergency_contact_name = _field("emergency_contact_name")
    validate_emergency_contact_relation = _field("emergency_contact_relation")
    validate_emergency_contact_phone = _field("emergency_contact_phone")
    validate_enlistment_date = _field("enlistment_date")  # with discharge_date: service_length
    validate_discharge_date = _field("discharge_date")
    validate_unit_code = _field("unit_code")
    validate_discharge_cert_no = _field("discharge_cert_no")
    validate_enlistment_place = _field("enlistment_place")
    validate_enlistment_address = _field("enlistment_address")
    validate_service_branch = _field("service_branch")
    validate_service_region = _field("service_region")
    validate_bank_name = _field("bank_name")
    validate_bank_account = _field("bank_account")
    validate_training_need = _field("training_need")
    validate_training_detail = _field("training_detail")
    validate_pre_enlistment_hukou = _field("pre_enlistment_hukou")
    validate_intended_hukou = _field("intended_hukou")
    validate_birthplace = _field("birthplace")
    validate_native_place = _field("native_place")
    validate_settle_type = _field("settle_type")
    validate_rural_to_urban = _field("rural_to_urban")
    validate_hukou_business_type = _field("hukou_business_type")
    validate_householder_relation = _field("householder_relation")  # 本人: also the householder's name and ID
    validate_householder_name = _field("householder_name")
    validate_householder_id_number = _field("householder_id_number")
    validate_social_insurance_place = _field("social_insurance_place")
    validate_card_city = _field("card_city")
    validate_card_bank = _field("card_bank")
    validate_recipient_name = _field("recipient_name")
    validate_recipient_phone = _field("recipient_phone")
    validate_mailing_address = _field("mailing_address")
    validate_medical_insurance_place = _field("medical_insurance_place")
    validate_medical_insurance_start = _field("medical_insurance_start")
    validate_first_insured_month = _field("first_insured_month")
    validate_medical_transfer_place = _field("medical_transfer_place")
    validate_reserve_service = _field("reserve_service")
    validate_reserve_place = _field("reserve_place")
    validate_org_transfer_place = _field("org_transfer_place")
    validate_military_license_no = _field("military_license_no")
