"""The registration form (一表申请): checking a whole form, deriving what is never asked,
sealing personal numbers for storage and showing values to people."""
from cases.context import Context
from cases.errors import InvalidForm
from catalog.field_values import FieldValueError, clean_value, facts_from_id_number, service_length
from catalog.profile import Field, Profile
from security.number_masking import mask_in_staff_text
from security.sealing import is_sealed, mask

SEALED_TYPES = {"id_number", "bank_account"}


def check_choice(profile: Profile, veteran_type, matters) -> tuple[list[str], dict[str, str]]:
    """The full matter list for a type and a choice, or the reasons it cannot be applied for."""
    errors = {}
    if veteran_type not in profile.veteran_types:
        shown = "、".join(f"{k}（{t.label}）" for k, t in profile.veteran_types.items())
        errors["veteran_type"] = f"请选择退役类型：{shown}"
    if not isinstance(matters, list) or not all(isinstance(m, str) for m in matters):
        errors["matters"] = "请以事项代码列表的形式选择办理事项"
    elif "veteran_type" not in errors:
        reasons = [f"{key}：{reason}" for key in matters
                   if (reason := profile.refusal_reason(veteran_type, key))]
        if reasons:
            errors["matters"] = "；".join(reasons)
    if errors:
        return [], errors
    return profile.completed_matters(veteran_type, matters), {}


def clean_fields(ctx: Context, matters: list[str], raw) -> tuple[dict, dict[str, str]]:
    """Every value checked at once (一次告知): the cleaned form, and each problem by field key."""
    profile = ctx.profile
    if not isinstance(raw, dict):
        return {}, {"fields": "表单内容应为以字段代码为键的对象"}
    values, errors = {}, {}
    for key, value in raw.items():
        field = profile.fields.get(key)
        if field is None:
            errors[key] = "没有这个填写项"
        elif field.derived_from:
            errors[key] = f"{field.label}由系统根据{'、'.join(profile.fields[k].label for k in field.derived_from)}自动生成，无需填写"
        elif field.staff_only:
            errors[key] = f"{field.label}由窗口工作人员填写"
        else:
            try:
                values[key] = clean_value(field, value, ctx.regions, profile.region_scope(field))
            except FieldValueError as exc:
                errors[key] = str(exc)
    fill_defaults(profile, matters, values)
    needed = {f.key for f in profile.needed_fields(matters, values)}
    for key in needed - values.keys() - errors.keys():
        errors[key] = f"请填写{profile.fields[key].label}"
    wrong = set(errors)
    for key in values.keys() - needed:
        condition = profile.fields[key].needed_when
        if condition is None or not wrong & condition.equals.keys():  # "是否服预备役: 1" decides nothing yet
            errors[key] = f"所选事项无需填写{profile.fields[key].label}"
    errors.update(cross_field_problems(profile, values))
    ruled_out = [profile.matters[key] for key in matters if profile.matters[key].ruled_out(values)]
    if ruled_out:
        errors["matters"] = "；".join(_ruled_out_reason(profile, m, values) for m in ruled_out)
    if errors:
        return {}, errors
    values.update(derived_values(values))
    return values, {}


def _ruled_out_reason(profile: Profile, matter, values: dict) -> str:
    key, allowed = next((k, a) for k, a in matter.only_for if values[k] not in a)
    return (f"{matter.label}只为{profile.fields[key].label}为{'、'.join(sorted(allowed))}的人员办理，"
            f"您填写的是{values[key]}，请去掉此事项或更正{profile.fields[key].label}")


def require_clean(ctx: Context, veteran_type, matters, raw_fields) -> tuple[list[str], dict]:
    """The full matter list and cleaned fields, or InvalidForm listing every problem."""
    all_matters, errors = check_choice(ctx.profile, veteran_type, matters)
    values, field_errors = clean_fields(ctx, all_matters, raw_fields) if not errors else ({}, {})
    errors.update(field_errors)
    if errors:
        raise InvalidForm("invalid_form", f"申请表有{len(errors)}处需要修改", errors)
    return all_matters, values


def fill_defaults(profile: Profile, matters: list[str], values: dict, conditional_only: bool = False) -> None:
    """Prefill needed fields that default to another (收件人 = 本人, 户主 = 本人 …) when not given.

    `conditional_only` keeps to defaults that an answer already decided (户主 when 与户主关系 is 本人);
    the chat confirms the unconditional ones (the card recipient) with the veteran instead.
    """
    chosen = set(matters)
    for field in profile.fields.values():
        if conditional_only and field.default_when is None:
            continue
        if field.default_from and field.key not in values and field.default_from in values:
            if field.is_needed(chosen, values) and (field.default_when is None or field.default_when.holds(values)):
                values[field.key] = values[field.default_from]


def derived_values(values: dict) -> dict:
    derived = {}
    if "id_number" in values:
        derived["gender"] = facts_from_id_number(values["id_number"])["gender"]
    if "enlistment_date" in values and "discharge_date" in values:
        derived["service_length"] = service_length(values["enlistment_date"], values["discharge_date"])
    return derived


def before_birth(profile: Profile, values: dict) -> dict[str, str]:
    """Dates of the veteran's life earlier than the birth date their ID number states."""
    if not isinstance(values.get("id_number"), str) or len(values["id_number"]) != 18:
        return {}
    birth = facts_from_id_number(values["id_number"])["birth_date"]
    shown = f"{int(birth[:4])}年{int(birth[5:7])}月"
    return {key: f"{field.label}不能早于出生年月（身份证号码显示为{shown}）"
            for key, field in profile.fields.items()
            if field.type == "date" and isinstance(values.get(key), str) and values[key] < birth[:len(values[key])]}


def cross_field_problems(profile: Profile, values: dict) -> dict[str, str]:
    problems = before_birth(profile, values)
    enlisted, discharged = values.get("enlistment_date"), values.get("discharge_date")
    if enlisted and discharged and discharged[:7] < enlisted[:7]:
        problems["discharge_date"] = "退役时间不能早于入伍时间"
    if values.get("householder_relation") == "本人" and "name" in values:
        if values.get("householder_name", values["name"]) != values["name"]:
            problems["householder_name"] = "与户主关系为本人时，户主姓名应与本人姓名一致（可不填，自动填入）"
    if values.get("householder_relation") == "本人" and "id_number" in values:
        if values.get("householder_id_number", values["id_number"]) != values["id_number"]:
            problems["householder_id_number"] = "与户主关系为本人时，户主公民身份号码应与本人身份证号码一致"
    return problems


def seal(ctx: Context, values: dict) -> dict:
    """The form as stored: personal numbers encrypted."""
    return {key: ctx.sealer.seal(value) if _is_sealable(ctx.profile, key, value) else value
            for key, value in values.items()}


def unseal(ctx: Context, stored: dict) -> dict:
    return {key: ctx.sealer.unseal(value) if is_sealed(value) else value for key, value in stored.items()}


def _is_sealable(profile: Profile, key: str, value) -> bool:
    field = profile.fields.get(key)
    return field is not None and field.type in SEALED_TYPES and isinstance(value, str) and not is_sealed(value)


def masked(profile: Profile, values: dict) -> dict:
    """Personal values shown as 4401**********1234, for lists and logs; what the window typed into the form
    (缺失内容) with its numbers masked, as in the staff's other free text."""
    return {key: _shown(profile.fields.get(key), value) for key, value in values.items()}


def _shown(field: Field | None, value):
    if field is None or not isinstance(value, str):
        return value
    if field.personal:
        return mask(value)
    return mask_in_staff_text(value) if field.staff_only else value
