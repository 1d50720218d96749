"""Values said again that the draft already holds ("姓名：赵小军" in the middle of the form, "我叫孙浩，
身份证…" after 重新开始, which keeps them): the same value is acknowledged, a different one under its
label is a correction, said back; the question on screen is then asked again."""
from bot import understanding as u
from bot.content import Content
from bot.copies import keep_given
from bot.extraction import extract, labelled, opportunistic
from bot.saying import say, shown
from cases.context import Context
from cases.drafts import Draft

UNLABELLED = ("id_number", "phone", "bank_account", "region", "choice")  # types a bare value shows


def restated(ctx: Context, content: Content, draft: Draft, text: str, replies: list) -> bool:
    """Whether every part of `text` restates a value already given: by its label (then a different value
    corrects it) or, unlabelled, as the very value given ("成都市锦江区" beside the name again)."""
    fields = ctx.profile.fields
    known = [k for k, f in fields.items() if k in draft.values and not f.derived_from]
    found, rest = labelled([], known, text, ctx, content)
    same = [k for k, v in found.items() if draft.values[k] == v]
    for piece in u.segments(rest):
        if "name" in known and (name := opportunistic(piece, ctx, content, {}).get("name")):  # "我叫孙浩"
            found["name"] = name
            same += ["name"] if name == draft.values["name"] else []
            continue
        key = next((k for k in known if fields[k].type in UNLABELLED and k not in same
                    and extract([k], piece, ctx, content).values.get(k) == draft.values[k]), None)
        if key is None:
            return False
        same.append(key)
    if not same and not found:
        return False
    changed = {k: v for k, v in found.items() if k not in same}
    keep_given(draft, changed)
    replies.extend(say(content.texts["corrected"].format(label=fields[k].label, value=shown(ctx, k, v)))
                   for k, v in changed.items())
    if same:
        labels = "、".join(fields[k].label for k in fields if k in same)
        replies.append(say(content.texts["restated"].format(labels=labels)))
    return True
