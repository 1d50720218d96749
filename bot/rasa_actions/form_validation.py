"""`validate_veteran_form`: Rasa's form validation with the same checks as the chat and the case API.

Each `validate_<slot>` accepts what the veteran said ("2019年9月", "是的", "锦江区", "我叫王磊") or a
tapped value, through bot.extraction and catalog.field_values: accepted → `{slot: stored value}`,
plus what it lets us derive (gender from the ID number, 服役时间 from the two dates, 户主 when
与户主关系 is 本人); rejected → the exact Chinese reason is uttered and `{slot: None}` makes the
form ask again. The form asks only what the chosen matters need (`required_slots`).
"""
from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import understanding as u
from bot.extraction import extract, from_given
from bot.rasa_actions import runtime
from cases.context import Context
from cases.form import check_choice, cross_field_problems, derived_values, fill_defaults
from catalog.profile import Profile

FORM_SLOTS = ("veteran_type", "matters")


def _chosen_matters(profile: Profile, tracker: Tracker) -> list[str]:
    """The full matter list of the tracker's type and choice, or [] while either is missing or invalid."""
    matters, problems = check_choice(profile, tracker.get_slot("veteran_type"), tracker.get_slot("matters"))
    return [] if problems else matters


def _known_values(ctx: Context, tracker: Tracker, leave_out: str | None = None) -> dict:
    """The form values already in the tracker's slots that pass the form's check."""
    raw = {key: value for key, value in tracker.slots.items()
           if key in ctx.profile.fields and key != leave_out and value is not None}
    return from_given(raw, ctx).values


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

    def validate_veteran_type(self, value, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> dict:
        """A type by its key, its label or an everyday name ("政府安排工作", "按月领退役金")."""
        with runtime.services() as s:
            kinds = s.ctx.profile.veteran_types
            words = s.content.synonyms["veteran_type"]
            found = u.find_choice(value, tuple(kinds), {k: (k, t.label, *words.get(k, ())) for k, t in kinds.items()}) \
                if isinstance(value, str) else None
            if found is None:
                dispatcher.utter_message(text="请选择退役类型：" + "、".join(t.label for t in kinds.values()))
                return {"veteran_type": None}
            return {"veteran_type": found[0]}

    def validate_matters(self, value, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        """Matters by key, label or part of a label ("户口登记", "社保卡"), as a list or one text
        ("退役报到、户口登记"); each must be open to the veteran's type."""
        with runtime.services() as s:
            profile = s.ctx.profile
            given = value if isinstance(value, list) else [value]
            items = [part for item in given if isinstance(item, str) for part in u.segments(item)]
            if not items:
                dispatcher.utter_message(text="请选择要办理的事项：" + "、".join(m.label for m in profile.matters.values()))
                return {"matters": None}
            found = [_matter_named(profile, item) for item in items]
            problems = [problem for _, problem in found if problem]
            matters = list(dict.fromkeys(key for key, _ in found if key))
            veteran_type = tracker.get_slot("veteran_type")
            if not problems and veteran_type in profile.veteran_types:  # else checked when the case is submitted
                problems = list(check_choice(profile, veteran_type, matters)[1].values())
            if problems:
                dispatcher.utter_message(text="；".join(problems))
                return {"matters": None}
            return {"matters": matters}

    def check_field(self, key: str, value, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        """One form field: its stored value and what it lets us fill, or None after saying what is wrong.

        A value in the form's own terms (a tapped button, "6222 0202 …") is taken as it is; anything
        else is read as a message ("我的手机是…", "19年9月"). A text field is always read as a
        message, so "我叫王磊" gives 王磊.
        """
        with runtime.services() as s:
            ctx = s.ctx
            is_message = isinstance(value, str)
            found = None if is_message and ctx.profile.fields[key].type == "text" else from_given({key: value}, ctx)
            if is_message and (found is None or key not in found.values):
                found = extract([key], value, ctx, s.content)
            values = _known_values(ctx, tracker, leave_out=key)
            if key in found.values:
                values[key] = found.values[key]
            problem = found.problems.get(key) or cross_field_problems(ctx.profile, values).get(key)
            if key not in found.values or problem:
                dispatcher.utter_message(text=problem or f"没有识别到{ctx.profile.fields[key].label}，请再说一遍")
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
