"""Values the guide copies with the veteran's agreement: the places from the handling region ("都是办理地"),
the card recipient from the veteran ("寄给本人"), and conditional defaults (户主 本人). Each copy follows
its original when that is corrected; a value the veteran gives for a copied field is theirs from then on."""
from bot.content import Content
from cases.context import Context
from cases.drafts import Draft
from catalog.field_values import clean_value

COPIES = ("recipient_filled", "places_filled", "defaults_filled")  # the draft's dialogue: the fields copied


def keep_given(draft: Draft, values: dict) -> None:
    """Values the veteran gave; one given for a copied field ("邮寄地址改成…") is theirs from now on."""
    draft.values.update(values)
    for copies in COPIES:
        if copies in draft.dialogue:
            draft.dialogue[copies] = [k for k in draft.dialogue[copies] if k not in values]


def confirm_places(ctx: Context, content: Content, draft: Draft, yes: bool) -> None:
    draft.dialogue["places_confirmed"] = yes
    if yes:
        fill_places(ctx, content, draft)


def fill_places(ctx: Context, content: Content, draft: Draft) -> None:
    """Every place the veteran confirmed to be the handling region, once its matter needs it."""
    place = draft.values["handling_region"]
    needed = {f.key for f in ctx.profile.needed_fields(draft.matters, draft.values)}
    filled = draft.dialogue.setdefault("places_filled", [])
    for key in content.same_place_fields:
        if key in needed and key not in draft.values:
            draft.values[key] = _same_place(ctx, key, place)
            filled.append(key)


def _same_place(ctx: Context, key: str, place: dict) -> dict:
    """`place` as `key` takes it: the card is issued by the prefecture (发卡地市)."""
    return clean_value(ctx.profile.fields[key], place, ctx.regions)


def refresh_copies(ctx: Context, draft: Draft) -> None:
    """The copies the veteran agreed to ("寄给本人", "都是办理地") follow the original when it is corrected."""
    values, fields = draft.values, ctx.profile.fields
    for key in draft.dialogue.get("recipient_filled", []):
        source = fields[key].default_from
        if source in values:
            values[key] = values[source]
    place = values.get("handling_region")
    for key in draft.dialogue.get("places_filled", []) if place else ():
        values[key] = _same_place(ctx, key, place)
    for key in draft.dialogue.get("defaults_filled", []):  # no longer 本人: the householder is asked
        if not fields[key].default_when.holds(values):
            values.pop(key, None)
    if "defaults_filled" in draft.dialogue:
        draft.dialogue["defaults_filled"] = [k for k in draft.dialogue["defaults_filled"] if k in values]
    for field in fields.values():  # 户主 is 本人: the householder is the veteran, as corrected
        if field.key in values and field.default_when and field.default_when.holds(values) \
                and field.default_from in values:
            values[field.key] = values[field.default_from]
