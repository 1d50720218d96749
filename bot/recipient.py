"""The social security card's recipient, at its confirmation: a "是" copies the veteran's name, phone
and address; a message naming someone else ("否，收件人写我爸王建国139…") or another address
("寄到成都市锦江区春熙路8号") keeps what it gives, and the rest is asked."""
import re

from bot import understanding as u
from bot.content import Content
from bot.copies import keep_given
from bot.extraction import extract
from bot.flow import RECIPIENT, Question
from bot.saying import say, shown
from cases.context import Context
from cases.drafts import Draft

# The words naming the recipient or its address, turned into their labels: "收件人写我爸王建国", "寄给我爸…"
# → 收件人; "寄到成都市…", "地址改为…" → 邮寄地址. "地址不变": the veteran's own. Regexes, not cues in
# dialogs/questions.yaml: a cue is a list of words, and these are a label with optional verbs after it.
RECIPIENT_NAMED = re.compile(r"收件人(?:写|填写?|改为|换成|改成|是|为)?|(?:邮?寄|发)给")
MAILED_TO = re.compile(r"邮?寄到|寄往|寄去|送到|(?:邮寄|收件)地址(?:写|填写?|改为|换成|改成|是|为)?")
# "收件人是我自己", "寄给我本人就行": the veteran stays the recipient (a bare 我 only before 就 or the end).
TO_SELF = re.compile(r"(?:收件人(?:写|填写?|改为|换成|改成|是|为)?|(?:邮?寄|发)给)(?:我自己|我本人|本人|自己|我(?=就|$|[，,。；\s]))(?:就行|就好|就可以)?")
SAME_ADDRESS = re.compile(r"(?:邮寄|收件)?地址(?:不变|一样|照旧|同上)")


# Times the recipient is asked while the veteran answers only the question after it ("2018.9"): then the
# default, the veteran's own, is taken and said, rather than the same question a third time.
ASKED_AT_MOST = 2


def confirm(ctx: Context, draft: Draft, yes: bool) -> None:
    draft.dialogue["recipient_confirmed"] = yes
    draft.dialogue.pop("recipient_passed_over", None)
    if yes:
        for key in RECIPIENT:
            draft.values[key] = draft.values[ctx.profile.fields[key].default_from]
        draft.dialogue["recipient_filled"] = list(RECIPIENT)


def passed_over(ctx: Context, content: Content, draft: Draft, replies: list) -> None:
    """The question after the recipient's answered, the recipient not: asked again, at most ASKED_AT_MOST
    times in all, then the veteran's own taken, saying how to change it."""
    times = draft.dialogue.get("recipient_passed_over", 0) + 1
    if times < ASKED_AT_MOST:
        draft.dialogue["recipient_passed_over"] = times
        return
    confirm(ctx, draft, True)
    values = draft.values
    replies.append(say(content.texts["recipient_assumed"].format(
        name=values["recipient_name"], phone=shown(ctx, "recipient_phone", values["recipient_phone"]),
        address=values["mailing_address"])))


def given(ctx: Context, content: Content, draft: Draft, question: Question, text: str, replies: list) -> bool:
    """"否，收件人写我爸王建国13900139000": a "no" with the recipient's values keeps them, the rest is
    asked (the address is the veteran's own only with "地址不变"). "寄到成都市锦江区春熙路8号", naming
    nobody else: the veteran stays the recipient, with that address. False when the message gives none."""
    to_self = TO_SELF.search(text)
    pieces = u.segments(TO_SELF.sub("，", text))
    said_no = bool(pieces) and u.find_yes_no(pieces[0]) is False  # "不用寄到家" is a "no", no address
    said = "，".join(pieces[1:] if said_no else pieces)
    if to_self and not said:  # "收件人是我自己": as a "是"
        confirm(ctx, draft, True)
        return True
    same_address = SAME_ADDRESS.search(said)
    labelled_said = RECIPIENT_NAMED.sub("收件人", MAILED_TO.sub("邮寄地址", SAME_ADDRESS.sub("", said)))
    if not said or not (said_no or to_self or labelled_said != said):
        return False
    named = not to_self and ("收件人" in labelled_said or any(word in said for word in content.kin_words))
    if not (named or labelled_said != said or question.then is None) \
            and extract(question.then.slots, said, ctx, content).values:
        return False  # "否，2019年9月入伍，…": the next question answered, no recipient given
    found = extract(list(RECIPIENT), labelled_said, ctx, content)
    if "recipient_name" in found.problems and not named:  # "否，成都市锦江区春熙路8号": an address
        found = extract(["recipient_phone", "mailing_address"], labelled_said, ctx, content)
    values, fields = dict(found.values), ctx.profile.fields
    if same_address:
        values["mailing_address"] = draft.values[fields["mailing_address"].default_from]
    if not values and not found.problems:
        return False
    someone_else = named or {"recipient_name", "recipient_phone"} & (values.keys() | found.problems.keys())
    own = [] if someone_else else ["recipient_name", "recipient_phone"]
    values.update({key: draft.values[fields[key].default_from] for key in own})
    confirm(ctx, draft, False)
    keep_given(draft, values)
    draft.dialogue["recipient_filled"] = own
    texts = content.texts
    kept = [texts["recipient_self"].format(name=values["recipient_name"],
                                           phone=shown(ctx, "recipient_phone", values["recipient_phone"]))] if own else []
    kept += [f"{fields[k].label}：{shown(ctx, k, values[k])}" for k in RECIPIENT if k in values and k not in own]
    if kept:
        replies.append(say(texts["recipient_given"].format(given="，".join(kept))))
    if found.problems:
        replies.append(say("；".join(found.problems.values()) + "。"))
    return True
