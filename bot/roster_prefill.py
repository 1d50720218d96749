"""The 接收安置名册 record that prefills the form: looked up once per name and ID number, then confirmed,
declined, or corrected value by value ("不对，退役时间是2024年8月")."""
from bot import understanding as u
from bot.content import Content
from bot.copies import keep_given
from bot.extraction import labelled
from bot.saying import say, shown
from bot.screening import veteran_type_in
from cases.context import Context
from cases.drafts import Draft


def offer(ctx: Context, roster_lookup, draft: Draft) -> None:
    """Looks the veteran up in the roster once per name and ID number. Another name or ID number (after
    "上一步" or a correction) first drops all the last look-up brought: it was someone else's record.
    `roster_lookup`: (ctx, name, id_number) -> {field: value, "veteran_type"} | None."""
    dialogue = draft.dialogue
    who = ctx.sealer.lookup_hash(f"{draft.values['name']}|{draft.values['id_number']}")
    # A draft looked up before `roster_for` was kept has none: it is taken to be this person's.
    if "roster" in dialogue and dialogue.setdefault("roster_for", who) == who:
        return
    if "roster" in dialogue:
        _forget(draft)
    dialogue["roster_for"] = who
    known = roster_lookup(ctx, draft.values["name"], draft.values["id_number"])
    if not known:
        draft.dialogue["roster"] = "none"
        return
    prefill = {k: v for k, v in known.items() if k in ctx.profile.fields and k not in draft.values}
    draft.values.update(prefill)
    draft.dialogue.update({"roster": "offered", "roster_fields": sorted(prefill),
                           "roster_type": known.get("veteran_type")})


def _forget(draft: Draft) -> None:
    dialogue = draft.dialogue
    for key in dialogue.pop("roster_fields", []):
        draft.values.pop(key, None)
    if dialogue.pop("roster") == "confirmed":
        dialogue.pop("places_confirmed", None)  # the roster's prompt confirmed them
        if draft.veteran_type == dialogue.get("roster_type"):
            draft.veteran_type, draft.matters = None, []
            dialogue.pop("matters_confirmed", None)
    dialogue.pop("roster_type", None)
    dialogue.pop("roster_for", None)


def confirm(draft: Draft, yes: bool) -> None:
    if yes:
        draft.dialogue["roster"] = "confirmed"
        draft.veteran_type = draft.veteran_type or draft.dialogue.get("roster_type")
        if "handling_region" in draft.values:
            draft.dialogue["places_confirmed"] = True  # the roster prompt said other places default to it
    else:
        for key in draft.dialogue.get("roster_fields", []):
            draft.values.pop(key, None)
        draft.dialogue["roster"] = "declined"


def corrects(ctx: Context, content: Content, draft: Draft, text: str) -> bool:
    """Whether `text` gives a value of the roster record by its label, or names another type."""
    found, _ = labelled([], draft.dialogue.get("roster_fields", []), text, ctx, content)
    kind = veteran_type_in(ctx, content, text)
    return bool(found) or (kind is not None and kind != draft.dialogue.get("roster_type"))


def correct(ctx: Context, content: Content, draft: Draft, rest: list[str], replies: list, ask_which: bool) -> list[str]:
    """"不对，退役时间是2024年8月": that value is corrected and the rest of the record kept; a bare
    "不对" (`ask_which`) asks which value. The pieces that correct nothing are returned."""
    kind = veteran_type_in(ctx, content, "，".join(rest))
    found, left = labelled([], draft.dialogue.get("roster_fields", []), "，".join(rest), ctx, content)
    if kind:
        draft.dialogue["roster_type"] = kind
    if not (found or kind):
        if ask_which:
            replies.append(say(content.texts["roster_which_wrong"]))
        return rest
    keep_given(draft, found)
    changed = [f"{ctx.profile.fields[k].label}：{shown(ctx, k, v)}" for k, v in found.items()]
    if kind:
        changed.insert(0, f"退役类型：{ctx.profile.veteran_types[kind].label}")
    replies.append(say(content.texts["roster_corrected"].format(changes="，".join(changed))))
    return u.segments(left)
