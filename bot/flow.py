"""What to ask next, worked out from the draft alone: losing the chat state loses no position.

Order: identify → roster check → type → screening → matters → one-time notice → form groups
(with one-confirmation defaults for places and the card recipient) → materials → summary.
"""
from dataclasses import dataclass, field

from bot.content import Content
from cases.context import Context
from cases.drafts import Draft
from catalog.profile import Field, Matter
from security.sealing import mask

MERGE_BELOW = 4   # join the next group while the question asks for fewer answers than this
MAX_SLOTS = 7
# Yes/no confirmations; they, and the matters proposal, also carry the question a "yes" leads to
# ("对，户口注销了，有培训需求", "好的，未婚，健康，…").
CONFIRMATIONS = ("roster", "places", "recipient")
LEADS_ON = CONFIRMATIONS + ("matters",)
# The card's recipient: each defaults to (default_from, in the catalog) the veteran's own, with one confirmation.
RECIPIENT = ("recipient_name", "recipient_phone", "mailing_address")
EXPECTING_TYPE = {"text": "text", "choice": "choice", "id_number": "id_number", "phone": "phone", "date": "date",
                  "region": "region", "bank_account": "bank_account", "yes_no": "yes_no"}


@dataclass
class Question:
    kind: str              # identify, roster, veteran_type, need, matters, places, recipient, fields, material, confirm
    slots: list[str]
    type: str
    prompt: str
    options: list | None = None
    data: dict = field(default_factory=dict)
    then: "Question | None" = None  # asked in the same message after a confirmation

    @property
    def slot(self) -> str:
        return self.slots[0]

    @property
    def every_slot(self) -> list[str]:
        return self.slots + (self.then.slots if self.then else [])

    def expecting(self) -> dict:
        slots = self.every_slot
        body = {"slot": self.slot, "type": self.type}
        if len(slots) > 1:
            body["slots"] = list(slots)
        if self.options is not None:
            body["options"] = self.options
        return body


def allowed_matters_of(ctx: Context, draft: Draft) -> list[Matter]:
    return ctx.profile.matters_for_type(draft.veteran_type)


def allowed_matters(ctx: Context, draft: Draft) -> list[str]:
    return [m.key for m in allowed_matters_of(ctx, draft)]


def screened_matters(ctx: Context, content: Content, draft: Draft) -> list[str]:
    """Optional matters the screening decides, in the order they are asked."""
    allowed = allowed_matters(ctx, draft)
    return [m for m in content.screening if m in allowed]


def screening_slots(ctx: Context, content: Content, draft: Draft) -> list[str]:
    """What is still to be asked before the matters can be proposed: need_<matter> answers, the
    political status (party/league transfers) and, with reserve registration, the reserve service."""
    allowed = set(allowed_matters(ctx, draft))
    slots = []
    for matter in allowed_matters_of(ctx, draft):  # 政治面貌 decides the party and league transfers
        slots += [key for key in matter.deciding_fields if key not in draft.values and key not in slots]
    need = draft.dialogue.get("need", {})
    slots += [f"need_{key}" for key in screened_matters(ctx, content, draft) if key not in need]
    if "reserve_registration" in allowed and "reserve_service" not in draft.values:
        slots.append("reserve_service")
    return slots


def proposed_matters(ctx: Context, content: Content, draft: Draft) -> list[str]:
    """The matters the guide proposes from the type and the screening answers."""
    need = draft.dialogue.get("need", {})
    proposed = []
    for matter in allowed_matters_of(ctx, draft):
        if matter.key in content.screening:
            wanted = need.get(matter.key, False)
        elif matter.key == "id_card":
            wanted = need.get("hukou", False)  # the ID card is reissued with the restored household register
        else:
            wanted = matter.called_for(draft.values)
        if wanted:
            proposed.append(matter.key)
    return ctx.profile.completed_matters(draft.veteran_type, proposed)


def named_matters(ctx: Context, content: Content, keys: list[str]) -> str:
    """The matters as the guide names them: those it will handle, then a note on the display-only ones."""
    matters = [ctx.profile.matters[key] for key in keys]
    handled = "、".join(m.label for m in matters if not m.display_only)
    shown = "、".join(m.label for m in matters if m.display_only)
    return handled + (content.texts["display_only"].format(matters=shown) if shown else "")


def matter_options(ctx: Context, draft: Draft) -> list[dict]:
    return [{"value": m.key, "label": m.label} for m in ctx.profile.matters_for_type(draft.veteran_type)
            if not m.display_only]


def missing_fields(ctx: Context, draft: Draft) -> list[Field]:
    return [f for f in ctx.profile.needed_fields(draft.matters, draft.values) if f.key not in draft.values]


def field_question(ctx: Context, content: Content, slots: list[str]) -> Question:
    fields = [ctx.profile.fields[s] for s in slots]
    group = content.group_of(slots[0])
    if group and list(group.slots) == slots:
        prompt = group.prompt
    elif len(fields) == 1 and f"ask_{slots[0]}" in content.texts:
        prompt = content.texts[f"ask_{slots[0]}"]
    elif len(fields) == 1 and fields[0].type == "choice":
        prompt = f"请选择{fields[0].label}：{'、'.join(fields[0].options)}。"
    else:
        prompt = "请告诉我" + "、".join(f.label + content.texts.get(f"hint_{f.key}", "") for f in fields) + "。"
    prompt = prompt.format(**{f"{key}_options": "、".join(ctx.profile.fields[key].options)
                              for key in ("settle_type", "card_bank")})
    first = fields[0]
    options = list(first.options) if first.type == "choice" else None
    if first.type == "yes_no":
        options = [first.yes_label, first.no_label]
    return Question("fields", slots, EXPECTING_TYPE[first.type], prompt, options)


def next_slots(content: Content, missing: list[Field]) -> list[str]:
    """The first group with something missing, joined by the next ones while the question stays short:
    a group with one or two answers left is not worth a message of its own."""
    missing_keys = [f.key for f in missing]
    slots: list[str] = []
    for group in content.groups:
        left = [s for s in group.slots if s in missing_keys]
        if not left:
            continue
        if slots and (len(slots) >= MERGE_BELOW or len(slots) + len(left) > MAX_SLOTS):
            break
        slots += left
    return slots


def next_question(ctx: Context, content: Content, draft: Draft, provided_materials: set[str]) -> Question:
    profile, values, dialogue = ctx.profile, draft.values, draft.dialogue
    texts = content.texts
    if "name" not in values or "id_number" not in values:
        identify = content.group_of("name").slots
        return field_question(ctx, content, [s for s in identify if s not in values])
    if dialogue.get("roster") == "offered":
        return Question("roster", ["confirm"], "yes_no", texts["ask_roster"], ["是", "否"],
                        {"prefill": dialogue.get("roster_fields", [])})
    if not draft.veteran_type:
        options = [{"value": t.key, "label": t.label} for t in profile.veteran_types.values()]
        return Question("veteran_type", ["veteran_type"], "choice", texts["ask_type"], options)
    screening = screening_slots(ctx, content, draft)
    if screening:
        asks = [content.screening[s.removeprefix("need_")].ask if s.startswith("need_")
                else f"{profile.fields[s].label}（{'、'.join(profile.fields[s].options[:4])}等）"
                if profile.fields[s].type == "choice" else f"{profile.fields[s].label}（是/否）" for s in screening]
        prompt = texts["screening_intro"] + "".join(f"\n{i}. {ask}" for i, ask in enumerate(asks, 1))
        first = screening[0]
        kind = "yes_no" if first.startswith("need_") else EXPECTING_TYPE[profile.fields[first].type]
        options = ["是", "否"] if kind == "yes_no" else list(profile.fields[first].options)
        return Question("screening", screening, kind, prompt, options)
    if not dialogue.get("matters_confirmed"):
        proposed = proposed_matters(ctx, content, draft)
        selected = profile.applied_for(proposed)
        prompt = texts["ask_matters"].format(matters=named_matters(ctx, content, proposed))
        return Question("matters", ["matters"], "multi_choice", prompt, matter_options(ctx, draft),
                        {"selected": selected})
    missing = missing_fields(ctx, draft)
    missing_keys = {f.key for f in missing}
    place = values.get("handling_region")
    needed = {f.key for f in profile.needed_fields(draft.matters, values)}  # what a "是" fills (bot.copies.fill_places)
    same_place = [k for k in content.same_place_fields if k in needed and k not in values]
    if place and dialogue.get("places_confirmed") is None and len(same_place) >= 2:
        labels = "、".join(profile.fields[k].label for k in same_place)
        return Question("places", ["confirm"], "yes_no",
                        texts["ask_places"].format(place=place["name"], labels=labels), ["是", "不是"],
                        {"fields": same_place})
    if (set(RECIPIENT) & missing_keys and dialogue.get("recipient_confirmed") is None
            and all(profile.fields[k].default_from in values for k in RECIPIENT)):
        return Question("recipient", ["confirm"], "yes_no",
                        texts["ask_recipient"].format(name=values["name"], phone=mask(values["phone"]),
                                                      address=values["address"]), ["是", "否"])
    if missing:
        return field_question(ctx, content, next_slots(content, missing))
    owed = profile.materials_owed(draft.matters, values, provided_materials)
    if owed and not dialogue.get("materials_later"):
        material = owed[0]
        return Question("material", [f"material_{material.key}"], "file",
                        texts["ask_material"].format(label=material.label, spec=material.spec), ["稍后上传"],
                        {"material": material.key, "owed": [m.key for m in owed]})
    return Question("confirm", ["confirm"], "choice", texts["ask_confirm"], ["确认提交", "修改"])
