"""Reads `dialogs/catalog.yaml` and one `dialogs/profiles/<province>.yaml` into a checked `Profile`.

Everything is validated at start: an unknown key, a matter pointing at a missing field or
department, or a bad reference fails with a `ProfileError` that names the file and the place.
"""
import re
from dataclasses import replace
from pathlib import Path

import yaml

from catalog.profile import (
    Condition, EmployerHandles, Field, Grant, Material, MaterialFileSpec, Matter, Profile, Source, SubscribeTemplate,
    TimeLimit, VeteranType,
)
from notify.events import EVENT_FACTS, FACT_KINDS
from notify.templates import can_carry, keyword_type

DIALOGS_DIR = Path(__file__).resolve().parent.parent / "dialogs"
FIELD_TYPES = {"text", "choice", "id_number", "phone", "date", "region", "bank_account", "yes_no"}
MATTER_MODES = {"online", "online_apply_offline_handle", "offline", "unstated"}


class ProfileError(ValueError):
    pass


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys silently; a profile must not."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ProfileError(f"{node.start_mark}: 键 {key!r} 重复")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.load(f, Loader=_UniqueKeyLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc


class _Reader:
    """Checks one YAML mapping at a time against the keys it may have."""

    def __init__(self, source: Path):
        self.source = source

    def fail(self, where: str, problem: str):
        raise ProfileError(f"{self.source.name} {where}: {problem}")

    def mapping(self, value, where: str, allowed: set[str], required: set[str] = frozenset()) -> dict:
        if not isinstance(value, dict):
            self.fail(where, "应为映射（key: value）")
        unknown = set(value) - allowed
        if unknown:
            self.fail(where, f"未知的键 {sorted(unknown)}")
        missing = set(required) - set(value)
        if missing:
            self.fail(where, f"缺少键 {sorted(missing)}")
        return value

    def keys_in(self, values, known, where: str, what: str) -> list:
        if not isinstance(values, list):
            self.fail(where, f"{what} 应为列表")
        unknown = [v for v in values if v not in known]
        if unknown:
            self.fail(where, f"未知的{what} {unknown}")
        return values

    def condition(self, value, fields: dict, where: str) -> Condition | None:
        if value is None:
            return None
        self.mapping(value, where, set(fields))
        return Condition(dict(value))


def load_profile(province: str, dialogs_dir: Path = DIALOGS_DIR) -> Profile:
    catalog_path = dialogs_dir / "catalog.yaml"
    profile_path = dialogs_dir / "profiles" / f"{province}.yaml"
    if not profile_path.exists():
        known = sorted(p.stem for p in (dialogs_dir / "profiles").glob("*.yaml"))
        raise ProfileError(f"没有省份配置 {province!r}，可选：{known}")
    catalog = _read_catalog(read_yaml(catalog_path), _Reader(catalog_path))
    return _apply_profile(catalog, read_yaml(profile_path), _Reader(profile_path))


def _read_catalog(doc, r: _Reader) -> dict:
    r.mapping(doc, "顶层", {"departments", "veteran_types", "option_lists", "fields", "materials", "matters"},
              {"departments", "veteran_types", "option_lists", "fields", "materials", "matters"})
    departments = dict(doc["departments"])
    option_lists = {k: tuple(v) for k, v in doc["option_lists"].items()}
    raw_fields = doc["fields"]
    fields = {key: _read_field(key, spec, option_lists, raw_fields, r) for key, spec in raw_fields.items()}
    materials = {key: _read_material(key, spec, fields, r) for key, spec in doc["materials"].items()}
    matters = {key: _read_matter(key, spec, departments, fields, materials, r)
               for key, spec in doc["matters"].items()}
    for matter in matters.values():
        r.keys_in(list(matter.depends_on), matters, f"matters.{matter.key}.depends_on", "事项")
    for field in fields.values():
        r.keys_in(sorted(field.needed_for), matters, f"fields.{field.key}.needed", "事项")
    for material in materials.values():
        r.keys_in(sorted(material.for_matters), matters, f"materials.{material.key}.for", "事项")
    veteran_types = {}
    for key, spec in doc["veteran_types"].items():
        where = f"veteran_types.{key}"
        r.mapping(spec, where, {"label", "excluded_matters", "only_matters"}, {"label"})
        only = spec.get("only_matters")
        veteran_types[key] = VeteranType(
            key, spec["label"],
            frozenset(r.keys_in(spec.get("excluded_matters", []), matters, where, "事项")),
            None if only is None else frozenset(r.keys_in(only, matters, where, "事项")),
        )
    return {"departments": departments, "fields": fields, "materials": materials,
            "matters": matters, "veteran_types": veteran_types}


def _read_field(key, spec, option_lists, raw_fields, r: _Reader) -> Field:
    where = f"fields.{key}"
    r.mapping(spec, where, {"label", "type", "options", "needed", "derived_from", "default_from", "personal",
                            "staff_only", "max_length", "landline_allowed", "yes_label", "no_label", "person_name",
                            "as_on_id_card", "in_province", "county_level", "prefecture_level",
                            "address", "free_text", "pattern", "pattern_hint", "future_allowed"},
              {"label", "type"})
    if spec["type"] not in FIELD_TYPES:
        r.fail(where, f"未知的字段类型 {spec['type']!r}")
    if ("pattern" in spec) != ("pattern_hint" in spec):
        r.fail(where, "pattern 与 pattern_hint 应同时给出")
    if "pattern" in spec:
        try:
            re.compile(spec["pattern"])
        except (re.error, TypeError) as exc:
            r.fail(where, f"pattern 不是有效的正则表达式：{exc}")
    options = ()
    if spec["type"] == "choice":
        if spec.get("options") not in option_lists:
            r.fail(where, f"选项表 {spec.get('options')!r} 不存在")
        options = option_lists[spec["options"]]
    needed = spec.get("needed")
    needed_always, needed_for, needed_when = needed == "always", frozenset(), None
    if isinstance(needed, dict):
        r.mapping(needed, f"{where}.needed", {"matters", "when"}, {"matters"})
        needed_for = frozenset(needed["matters"])
        needed_when = r.condition(needed.get("when"), raw_fields, f"{where}.needed.when")
    elif needed not in (None, "always"):
        r.fail(where, f"needed 应为 always 或 {{matters: [...]}}，而不是 {needed!r}")
    derived = spec.get("derived_from", ())
    derived = (derived,) if isinstance(derived, str) else tuple(derived)
    r.keys_in(list(derived), raw_fields, where, "字段")
    default = spec.get("default_from")
    default_from = default_when = None
    if default is not None:
        r.mapping(default, f"{where}.default_from", {"field", "when"}, {"field"})
        default_from = r.keys_in([default["field"]], raw_fields, where, "字段")[0]
        default_when = r.condition(default.get("when"), raw_fields, f"{where}.default_from.when")
    return Field(
        key=key, label=spec["label"], type=spec["type"], options=options,
        needed_always=needed_always, needed_for=needed_for, needed_when=needed_when,
        derived_from=derived, default_from=default_from, default_when=default_when,
        personal=bool(spec.get("personal")), staff_only=bool(spec.get("staff_only")),
        max_length=spec.get("max_length"), landline_allowed=bool(spec.get("landline_allowed")),
        person_name=bool(spec.get("person_name")), as_on_id_card=bool(spec.get("as_on_id_card")),
        in_province=bool(spec.get("in_province")), county_level=bool(spec.get("county_level")),
        prefecture_level=bool(spec.get("prefecture_level")),
        address=bool(spec.get("address")),
        free_text=bool(spec.get("free_text")),
        pattern=spec.get("pattern"), pattern_hint=spec.get("pattern_hint"),
        future_allowed=bool(spec.get("future_allowed")),
        yes_label=spec.get("yes_label", "是"), no_label=spec.get("no_label", "否"),
    )


def _read_file_spec(spec, r: _Reader, where: str) -> MaterialFileSpec:
    r.mapping(spec, where, {"formats", "min_kb", "max_kb", "min_exclusive", "max_exclusive", "width", "height"})
    return MaterialFileSpec(**{**spec, "formats": tuple(spec.get("formats", ()))})


def _read_material(key, spec, fields, r: _Reader) -> Material:
    where = f"materials.{key}"
    r.mapping(spec, where, {"label", "for", "spec", "when", "generated", "original_at_window", "file"},
              {"label", "for", "spec"})
    for_all = spec["for"] == "all"
    return Material(
        key=key, label=spec["label"], spec=spec["spec"], for_all=for_all,
        for_matters=frozenset() if for_all else frozenset(spec["for"]),
        when=r.condition(spec.get("when"), fields, f"{where}.when"),
        generated=bool(spec.get("generated")), original_at_window=bool(spec.get("original_at_window")),
        file=_read_file_spec(spec["file"], r, f"{where}.file") if "file" in spec else None,
    )


def _read_grant(spec, fields, materials, r: _Reader, where: str) -> Grant:
    if spec == "all":
        return Grant(None, None)
    r.mapping(spec, where, {"fields", "materials"}, {"fields", "materials"})
    return Grant(frozenset(r.keys_in(spec["fields"], fields, where, "字段")),
                 frozenset(r.keys_in(spec["materials"], materials, where, "材料")))


def _answers_listed(spec, fields, r: _Reader, where: str) -> tuple:
    """{field: [options]} as ((field, frozenset(options)), …)."""
    for key, allowed in r.mapping(spec, where, set(fields)).items():
        if not isinstance(allowed, list) or not set(allowed) <= set(fields[key].options):
            r.fail(where, f"{key} 应为其选项的列表")
    return tuple((key, frozenset(allowed)) for key, allowed in spec.items())


def _read_matter(key, spec, departments, fields, materials, r: _Reader) -> Matter:
    where = f"matters.{key}"
    r.mapping(spec, where, {"label", "department", "mode", "depends_on", "mandatory", "display_only",
                            "in_person", "grant", "only_for", "proposed_for"}, {"label", "department", "mode", "grant"})
    answers = {rule: _answers_listed(spec.get(rule, {}), fields, r, f"{where}.{rule}") for rule in ("only_for", "proposed_for")}
    if spec["department"] not in departments:
        r.fail(where, f"未知的部门 {spec['department']!r}")
    if spec["mode"] not in MATTER_MODES:
        r.fail(where, f"未知的办理方式 {spec['mode']!r}")
    return Matter(
        key=key, label=spec["label"], department=spec["department"], mode=spec["mode"],
        grant=_read_grant(spec["grant"], fields, materials, r, f"{where}.grant"),
        depends_on=tuple(spec.get("depends_on", ())), mandatory=bool(spec.get("mandatory")),
        display_only=bool(spec.get("display_only")), in_person=spec.get("in_person"),
        only_for=answers["only_for"], proposed_for=answers["proposed_for"],
    )


PROFILE_KEYS = {"key", "name", "region_code", "sources", "matters", "matter_overrides", "channels",
                "time_limit", "archive_review_required", "e_licence_replaces_materials", "materials",
                "material_overrides", "notes", "subscribe_templates", "employer_handles", "review_wording",
                "materials_note"}


def _apply_profile(catalog: dict, doc, r: _Reader) -> Profile:
    r.mapping(doc, "顶层", PROFILE_KEYS, PROFILE_KEYS - {"matter_overrides", "material_overrides", "notes", "materials_note",
                                                       "subscribe_templates", "employer_handles", "review_wording"})
    matters = catalog["matters"]
    chosen = r.keys_in(doc["matters"], matters, "matters", "事项")
    overrides = doc.get("matter_overrides", {})
    r.keys_in(list(overrides), chosen, "matter_overrides", "事项")
    profile_matters = {}
    for key in chosen:
        change = dict(r.mapping(overrides.get(key, {}), f"matter_overrides.{key}",
                                {"label", "department", "display_only", "in_person", "offline", "note", "grant_materials"}))
        if "department" in change and change["department"] not in catalog["departments"]:
            r.fail(f"matter_overrides.{key}", f"未知的部门 {change['department']!r}")
        if "grant_materials" in change:  # the materials the province's platform sends with the matter
            granted = r.keys_in(change.pop("grant_materials"), catalog["materials"],
                                f"matter_overrides.{key}.grant_materials", "材料")
            change["grant"] = replace(matters[key].grant, materials=frozenset(granted))
        profile_matters[key] = _replace(matters[key], change)
    material_keys = r.keys_in(doc["materials"], catalog["materials"], "materials", "材料")
    material_overrides = doc.get("material_overrides", {})
    r.keys_in(list(material_overrides), material_keys, "material_overrides", "材料")
    profile_materials = {}
    for key in material_keys:
        change = dict(r.mapping(material_overrides.get(key, {}), f"material_overrides.{key}",
                                {"label", "spec", "file", "original_at_window", "after", "for"}))
        if "for" in change:
            change["for_matters"] = frozenset(r.keys_in(change.pop("for"), chosen, f"material_overrides.{key}.for", "事项"))
        if "after" in change:
            change["after"] = frozenset(r.keys_in(change["after"], chosen, f"material_overrides.{key}.after", "事项"))
        if "file" in change:
            change["file"] = _read_file_spec(change["file"], r, f"material_overrides.{key}.file")
        profile_materials[key] = _replace(catalog["materials"][key], change)
    time_limit = r.mapping(doc["time_limit"], "time_limit", {"working_days", "stated", "excludes"},
                           {"working_days", "stated"})
    if not isinstance(time_limit["working_days"], int) or time_limit["working_days"] < 1:
        r.fail("time_limit.working_days", "应为正整数")
    r.keys_in(list(time_limit.get("excludes", {})), chosen, "time_limit.excludes", "事项")
    sources = [Source(**r.mapping(s, "sources", {"key", "title", "file"}, {"key", "title", "file"}))
               for s in doc["sources"]]
    region_code = str(doc["region_code"])
    if not (region_code.isdigit() and len(region_code) == 2):
        r.fail("region_code", "应为两位省级行政区划代码")
    return Profile(
        key=doc["key"], name=doc["name"], region_code=region_code,
        departments=catalog["departments"], veteran_types=catalog["veteran_types"],
        matters=profile_matters, fields=catalog["fields"], materials=profile_materials,
        channels=tuple(doc["channels"]), time_limit=TimeLimit(**time_limit),
        archive_review_required=bool(doc["archive_review_required"]),
        e_licence_replaces_materials=bool(doc["e_licence_replaces_materials"]),
        sources=tuple(sources), notes=tuple(doc.get("notes", ())), catalog_matters=frozenset(matters),
        materials_note=doc.get("materials_note"),
        subscribe_templates=_read_subscribe_templates(doc.get("subscribe_templates") or {}, r),
        review_wording=r.mapping(doc.get("review_wording", {}), "review_wording",
                                 {"window", "after_submission", "archive_reviewed", "archive_reviewed_remark",
                                  "archive_missing"}),
        employer_handles=_read_employer_handles(doc.get("employer_handles"), chosen, r),
    )


def _read_employer_handles(spec, chosen: list[str], r: _Reader) -> EmployerHandles | None:
    if spec is None:
        return None
    r.mapping(spec, "employer_handles", {"said", "matters"}, {"said", "matters"})
    return EmployerHandles(spec["said"], frozenset(r.keys_in(spec["matters"], chosen, "employer_handles", "事项")))


def _read_subscribe_templates(doc, r: _Reader) -> dict[str, SubscribeTemplate]:
    """Templates by the profile's name for them; an event goes out through one template at most."""
    if not isinstance(doc, dict):
        r.fail("subscribe_templates", "应为映射（模板名: 设置）")
    templates, carried_by, ids = {}, {}, set()
    for name, spec in doc.items():
        where = f"subscribe_templates.{name}"
        r.mapping(spec, where, {"id", "title", "long_term", "events", "data", "overrides"},
                  {"id", "title", "events", "data"})
        template_id = spec["id"]
        if not isinstance(template_id, str) or not 1 <= len(template_id) <= 128:
            r.fail(f"{where}.id", "应为1到128个字符的模板 ID")
        if template_id in ids:
            r.fail(f"{where}.id", f"模板 ID {template_id!r} 重复")
        ids.add(template_id)
        if not isinstance(spec.get("long_term", False), bool):
            r.fail(f"{where}.long_term", "应为 true 或 false")
        events = r.keys_in(spec["events"], EVENT_FACTS, f"{where}.events", "事件")
        if not events:
            r.fail(f"{where}.events", "至少列出一个事件")
        for event in events:
            if event in carried_by:
                r.fail(f"{where}.events", f"事件 {event} 已由模板 {carried_by[event]} 发送，一个事件只能用一个模板")
            carried_by[event] = name
        data = _read_keywords(spec["data"], r, f"{where}.data")
        overrides = r.mapping(spec.get("overrides", {}), f"{where}.overrides", set(events))
        overrides = {event: _read_keywords(change, r, f"{where}.overrides.{event}", allowed=set(data))
                     for event, change in overrides.items()}
        template = SubscribeTemplate(name, template_id, str(spec["title"]), spec.get("long_term", False),
                                     tuple(events), data, overrides)
        for event in events:
            missing = sorted(f for f in set(template.data_for(event).values()) if f not in EVENT_FACTS[event])
            if missing:
                r.fail(where, f"事件 {event} 没有内容 {missing}（可用：{sorted(EVENT_FACTS[event])}），"
                              f"请在 overrides.{event} 中换用其他内容")
        templates[name] = template
    return templates


def _read_keywords(spec, r: _Reader, where: str, allowed: set[str] | None = None) -> dict[str, str]:
    if not isinstance(spec, dict) or not spec:
        r.fail(where, "应为非空映射（模板关键词: 内容）")
    for key, fact in spec.items():
        if keyword_type(str(key)) is None:
            r.fail(where, f"{key!r} 不是微信模板关键词（如 thing1、phrase2、time3）")
        if allowed is not None and key not in allowed:
            r.fail(where, f"模板没有关键词 {key}（data 中有：{sorted(allowed)}）")
        if fact not in FACT_KINDS:
            r.fail(where, f"未知的内容 {fact!r}，可选：{sorted(FACT_KINDS)}")
        if not can_carry(key, fact):
            r.fail(where, f"关键词 {key} 不能显示 {fact}（{FACT_KINDS[fact]}）")
    return dict(spec)


def _replace(item, change: dict):
    return replace(item, **change) if change else item
