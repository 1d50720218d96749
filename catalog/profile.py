"""The active province profile: which matters, fields and materials apply, and who sees what.

Built once at app start by `catalog.loader`; read-only afterwards.
"""
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

ALL = "all"
ANY_WINDOW = "办理窗口"  # the reviewing window, where the province's documents give it no one name


@dataclass(frozen=True)
class Condition:
    """`when` of the catalog: every listed field must hold the listed value."""

    equals: dict

    def holds(self, values: dict) -> bool:
        return all(values.get(key) == expected for key, expected in self.equals.items())

    def undecided(self, values: dict) -> bool:
        """Not answered yet, and no answer so far rules it out."""
        return not self.holds(values) and all(values.get(key, expected) == expected
                                              for key, expected in self.equals.items())


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str
    options: tuple[str, ...] = ()
    needed_always: bool = False
    needed_for: frozenset[str] = frozenset()
    needed_when: Condition | None = None
    derived_from: tuple[str, ...] = ()
    default_from: str | None = None
    default_when: Condition | None = None
    personal: bool = False
    staff_only: bool = False
    max_length: int | None = None
    landline_allowed: bool = False
    person_name: bool = False  # a person's name: no digits, no 我/你/吗…
    as_on_id_card: bool = False  # a name that must read as on a resident ID card: in characters
    in_province: bool = False  # a place that must lie in the profile's province (where the veteran is placed)
    county_level: bool = False  # a place named down to its county (or a city with no county under it)
    prefecture_level: bool = False  # a city (市、州): a county given stands for the city it lies in
    address: bool = False  # a street address: some characters, not only digits
    free_text: bool = False  # a description: what a message leaves over belongs to it
    pattern: str | None = None  # a text's whole value must match this regular expression
    pattern_hint: str | None = None  # what `pattern` wants, with an example, for the message
    future_allowed: bool = False  # a date that may lie ahead; other dates must not be after today
    yes_label: str = "是"
    no_label: str = "否"

    def is_needed(self, matters: set[str], values: dict) -> bool:
        if self.derived_from or self.staff_only:
            return False
        if not (self.needed_always or self.needed_for & matters):
            return False
        return self.needed_when is None or self.needed_when.holds(values)


@dataclass(frozen=True)
class MaterialFileSpec:
    formats: tuple[str, ...] = ()
    min_kb: float | None = None
    max_kb: float | None = None
    min_exclusive: bool = False
    max_exclusive: bool = False
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Material:
    key: str
    label: str
    spec: str
    for_all: bool = False
    for_matters: frozenset[str] = frozenset()
    when: Condition | None = None
    generated: bool = False
    original_at_window: bool = False
    file: MaterialFileSpec | None = None
    after: frozenset[str] = frozenset()  # provided once these matters, when chosen, are done (吉林: 户口簿 after 落户)

    def is_required(self, matters: set[str], values: dict) -> bool:
        if not (self.for_all or self.for_matters & matters):
            return False
        return self.when is None or self.when.holds(values)


@dataclass(frozen=True)
class Grant:
    """What a department receives for one matter; `None` means everything."""

    fields: frozenset[str] | None
    materials: frozenset[str] | None


@dataclass(frozen=True)
class Matter:
    key: str
    label: str
    department: str
    mode: str
    grant: Grant
    depends_on: tuple[str, ...] = ()
    mandatory: bool = False
    display_only: bool = False
    in_person: str | None = None  # a visit the veteran must make (counted as one in the burden figures)
    offline: str | None = None  # handled offline, as the province says, without a visit of its own
    note: str | None = None  # told in the one-time notice when the matter is chosen
    only_for: tuple[tuple[str, frozenset[str]], ...] = ()  # (political_status, {中共党员, 中共预备党员})
    proposed_for: tuple[tuple[str, frozenset[str]], ...] = ()

    @property
    def deciding_fields(self) -> list[str]:
        return [key for key, _ in self.only_for + self.proposed_for]

    def ruled_out(self, values: dict) -> bool:
        """An answer given rules this matter out ("群众" for a party transfer)."""
        return any(key in values and values[key] not in allowed for key, allowed in self.only_for)

    def called_for(self, values: dict) -> bool:
        """The answers it depends on are given and call for it (proposed to the veteran)."""
        return all(values.get(key) in allowed for key, allowed in self.only_for + self.proposed_for)


@dataclass(frozen=True)
class VeteranType:
    key: str
    label: str
    excluded_matters: frozenset[str] = frozenset()
    only_matters: frozenset[str] | None = None

    def allows(self, matter_key: str) -> bool:
        if self.only_matters is not None and matter_key not in self.only_matters:
            return False
        return matter_key not in self.excluded_matters


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    file: str


@dataclass(frozen=True)
class TimeLimit:
    working_days: int
    stated: bool
    excludes: dict[str, str] = field(default_factory=dict)  # matter key → the part of it not counted

    def excluded_for(self, matters: list[str]) -> str | None:
        """"补助金资金审批后的支付、…不计入办理时限", naming only what `matters` include."""
        parts = [part for key, part in self.excludes.items() if key in matters]
        return f"{'、'.join(parts)}不计入办理时限" if parts else None


@dataclass(frozen=True)
class SubscribeTemplate:
    """A WeChat subscribe-message template: which events it carries and which fact fills each keyword."""

    key: str  # the profile's name for it
    id: str  # the template id from the mini-program's WeChat console
    title: str
    long_term: bool  # a long-term grant is not used up by a message
    events: tuple[str, ...]
    data: dict[str, str]  # keyword ("thing1") -> fact ("matter"), see notify/events.py
    overrides: dict[str, dict[str, str]] = field(default_factory=dict)  # event -> keywords it fills differently

    def data_for(self, event: str) -> dict[str, str]:
        return {**self.data, **self.overrides.get(event, {})}


@dataclass(frozen=True)
class EmployerHandles:
    """Where a province states it (四川 三): the matters of a type with `only_matters` that the receiving
    employer sees to, and the province's words for it."""
    said: str
    matters: frozenset[str]


@dataclass(frozen=True)
class Profile:
    key: str
    name: str
    region_code: str
    departments: dict[str, str]
    veteran_types: dict[str, VeteranType]
    matters: dict[str, Matter]  # in the profile's order
    fields: dict[str, Field]
    materials: dict[str, Material]
    channels: tuple[str, ...]
    time_limit: TimeLimit
    archive_review_required: bool
    e_licence_replaces_materials: bool
    sources: tuple[Source, ...]
    notes: tuple[str, ...] = ()
    materials_note: str | None = None  # where the province's documents list no materials: whose list it is
    catalog_matters: frozenset[str] = frozenset()  # every matter the catalog knows, in any province
    subscribe_templates: dict[str, SubscribeTemplate] = field(default_factory=dict)
    employer_handles: EmployerHandles | None = None
    # the province's words for what follows submission; `window`: the name of the window that reviews
    review_wording: dict[str, str] = field(default_factory=dict)

    @property
    def departments_with_matters(self) -> dict[str, str]:
        """The departments some matter of the province goes to: the ones an officer's account can be for."""
        used = {m.department for m in self.matters.values()}
        return {key: label for key, label in self.departments.items() if key in used}

    @property
    def window(self) -> str:
        """The window that reviews the case and checks originals, by the name the province's documents give it."""
        return self.review_wording.get("window", ANY_WINDOW)

    def template_for_event(self, event: str) -> SubscribeTemplate | None:
        return next((t for t in self.subscribe_templates.values() if event in t.events), None)

    def template_by_id(self, template_id: str) -> SubscribeTemplate | None:
        return next((t for t in self.subscribe_templates.values() if t.id == template_id), None)

    def matters_for_type(self, veteran_type: str) -> list[Matter]:
        kind = self.veteran_types[veteran_type]
        return [m for m in self.matters.values() if kind.allows(m.key)]

    def handled_by_employer(self, veteran_type: str | None) -> list:
        """The matters the receiving employer handles for a type that cannot apply for them here (四川 三)."""
        employer, kind = self.employer_handles, self.veteran_types.get(veteran_type)
        if employer is None or kind is None or kind.only_matters is None:
            return []
        return [m for m in self.matters.values() if m.key in employer.matters and not kind.allows(m.key)]

    def refusal_reason(self, veteran_type: str, matter_key: str) -> str | None:
        """Why a matter cannot be applied for, in Chinese, or None when it can."""
        if matter_key not in self.matters:
            return f"{self.name}“退役军人服务一件事”不包含此事项"
        kind = self.veteran_types[veteran_type]
        if kind.allows(matter_key):
            return None
        label = self.matters[matter_key].label
        if self.matters[matter_key] in self.handled_by_employer(veteran_type):
            return f"{kind.label}的“{label}”{self.employer_handles.said}，无需在此申请"
        if label.startswith("自主就业"):
            return f"“{label}”仅适用于自主就业退役士兵，{kind.label}不能申请"
        allowed = "、".join(m.label for m in self.matters_for_type(veteran_type) if not m.display_only)
        return f"{kind.label}在“一件事”中可以办理的是：{allowed}；“{label}”请到当地退役军人服务中心咨询"

    def completed_matters(self, veteran_type: str, chosen: list[str]) -> list[str]:
        """The chosen matters plus the mandatory and display-only ones the type allows, in profile order."""
        wanted = set(chosen)
        for matter in self.matters_for_type(veteran_type):
            if matter.mandatory or matter.display_only:
                wanted.add(matter.key)
        return [key for key in self.matters if key in wanted]

    def applied_for(self, matters: list[str]) -> list[str]:
        """The matters without the display-only ones, which are shown but never applied for or offered."""
        return [key for key in matters if not self.matters[key].display_only]

    def region_scope(self, field: Field) -> str | None:
        """The code prefix a place of `field` must lie in, if any."""
        return self.region_code if field.in_province else None

    def needed_fields(self, matters: list[str], values: dict) -> list[Field]:
        chosen = set(matters)
        return [f for f in self.fields.values() if f.is_needed(chosen, values)]

    def required_materials(self, matters: list[str], values: dict) -> list[Material]:
        chosen = set(self.applied_for(matters))
        return [m for m in self.materials.values() if m.is_required(chosen, values)]

    def materials_due_now(self, matters: list[str], values: dict) -> list[Material]:
        """What to hand in with the application: neither generated nor provided after a chosen matter."""
        chosen = set(matters)
        return [m for m in self.required_materials(matters, values) if not m.generated and not m.after & chosen]

    def materials_owed(self, matters: list[str], values: dict, provided: AbstractSet[str]) -> list[Material]:
        """What is due now and not `provided` yet (uploaded, or covered by an e-licence)."""
        return [m for m in self.materials_due_now(matters, values) if m.key not in provided]

    def materials_due_later(self, matters: list[str], values: dict) -> list[Material]:
        chosen = set(matters)
        return [m for m in self.required_materials(matters, values) if m.after & chosen]

    def possible_materials(self, matters: list[str], values: dict) -> list[Material]:
        """Materials the matters will need if an answer still to come decides so (异地安置: kinship proof)."""
        chosen = set(self.applied_for(matters))
        return [m for m in self.materials.values()
                if m.when is not None and m.when.undecided(values) and m.is_required(chosen, {**values, **m.when.equals})]

    def dependencies(self, matter_key: str, chosen: list[str]) -> list[str]:
        """The chosen matters this one waits for ("depends on … when both chosen")."""
        return [dep for dep in self.matters[matter_key].depends_on if dep in chosen]

    def grant_for(self, department: str, matter_keys: list[str]) -> Grant:
        """The union of what `department` receives for its matters among `matter_keys`."""
        fields: set[str] = set()
        materials: set[str] = set()
        for key in matter_keys:
            matter = self.matters[key]
            if matter.department != department:
                continue
            if matter.grant.fields is None:
                return matter.grant
            fields |= matter.grant.fields
            materials |= matter.grant.materials
        return Grant(frozenset(fields), frozenset(materials))
