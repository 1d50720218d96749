"""Messages that answer and ask at once ("汉族，高中，未婚，健康，照片有什么要求"): whether a text asks,
its asking clauses apart from the answering ones, and the answers taken and said back before the question
is answered on its own. The words are cues in dialogs/questions.yaml; punctuation and sentence shape are here."""
import copy
import functools
import re
from collections.abc import Callable

from bot import understanding as u
from bot.content import Content
from bot.saying import NOT_UNDERSTOOD, Turn, say
from bot.state import ChatState
from cases.context import Context
from cases.drafts import Draft

# A question by its end: "？", "吗", "呢", and "要钱不", "能代办不", "注销了没" (the question words are cues
# in dialogs/questions.yaml).
QUESTION_END = re.compile(r"[?？吗呢]$|(?:要|能|可以|用|会|得|该)[^,，。；;!！\s]{1,8}不$|[了好完]没有?$")
# "原件还是复印件", "社保卡是邮寄还是自己拿": a choice asked, with no question word; "我还是回原籍吧" and
# "社保卡还是要办" (after all) are answers.
ALTERNATIVES_ASKED = re.compile(r"(?:^|[,，。；;\s])(?![我俺咱])[^,，。；;!！\s]{2,12}?还是(?![要想得])[^,，。；;!！\s]{1,12}"
                                r"(?<![吧了的])(?=$|[,，。；;!！\s])")
# What may stand beside the confirming words of "好的，提交吧" (dialogs/questions.yaml cues.submit).
SUBMIT_PARTICLES = re.compile(r"[\s,，。.!！~、吧了啊呀嘛哈]+")
# A clause of a message with the marks that end it ("13912345678，", "社保卡邮费谁出？"), and those of
# the marks that end no question.
CLAUSE = re.compile(r"[^,，。；;!！?？]+[,，。；;!！?？]*")
CLAUSE_END = ",，。；;!！ "
CONTROL_CONFIDENCE = 0.6  # the classifier's word, this sure, for a control intent or the guide's own question
SMALL_TALK = {"greet", "thanks", "start_application"}
BARE_YES_NO = 3  # characters: "不需要", "没有的" beside a question answer nothing; "户口注销" does
OWN_QUESTION_LENGTH = 10  # characters at most of "需要准备什么材料呢" at the end of an unpunctuated message


def asks(content: Content, text: str) -> bool:
    question_words = content.cues["question_words"]
    return bool(QUESTION_END.search(text) or ALTERNATIVES_ASKED.search(text)
                or question_words.search(_asking_nothing(question_words.pattern).sub("", text)))


@functools.cache
def _asking_nothing(question_words: str) -> re.Pattern:
    """"什么都可以", "哪天都行": a question word followed by 都 or 也 asks nothing; nor does one after 没
    ("没啥毛病", "没什么要改"; "有没有什么" still asks)."""
    return re.compile(f"(?:{question_words})[都也]|(?<!有)没有?(?:{question_words})")


def questions_in(content: Content, text: str) -> tuple[str, str]:
    """"13912345678，社保卡邮费谁出": the clauses that ask (a question word, ？, 吗 …) and the rest."""
    asked, said = [], []
    for clause in CLAUSE.findall(text):
        bare = clause.rstrip(CLAUSE_END)
        (asked if asks(content, bare) or content.cues["asking"].search(bare) else said).append(clause)
    return "".join(asked).rstrip(CLAUSE_END), "".join(said).rstrip(CLAUSE_END)


def answers_beside(content: Content, said: str) -> bool:
    """Whether what comes with a question says more than a yes or no: "好的，培训要多少钱" agrees to
    no matters and "确认提交，多久能办好" submits nothing; "户口注销了，户口去哪办" answers."""
    bare = SUBMIT_PARTICLES.sub("", content.cues["submit"].sub("", u.normalise(said)))
    return u.find_yes_no(said) is None and bool(bare) or len(bare) > BARE_YES_NO


def answers_first(ctx: Context, content: Content, draft: Draft, state: ChatState, replies: list,
                  answer: Callable[[], Turn | None]):
    """"汉族，高中，未婚，健康，照片有什么要求": the answers go the normal way (`answer`) and are said back;
    the question is the caller's to answer after. NOT_UNDERSTOOD, with nothing said, when the answers
    change nothing ("社保卡，邮费谁出": they were part of the question)."""
    def seen():
        return copy.deepcopy((draft.values, draft.dialogue, draft.veteran_type, draft.matters,
                              state.pending, state.paused))
    before, start = seen(), len(replies)
    result = answer()
    if isinstance(result, Turn):
        return result
    if seen() == before:
        del replies[start:]
        return NOT_UNDERSTOOD
    texts, fields = content.texts, ctx.profile.fields
    replies[start:] = [r for r in replies[start:] if not r.get("text", "").startswith(
        (texts["noted"].split("{")[0], texts["not_understood"]))]
    copied = {k for copies in ("places_filled", "recipient_filled") for k in draft.dialogue.get(copies, ())}
    kept = [f.label for k, f in fields.items() if k in draft.values and draft.values[k] != before[0].get(k)
            and not f.derived_from and k not in copied
            and not any(f.label in r.get("text", "") for r in replies[start:])]  # "已将手机号码改为…"
    if kept:
        replies.insert(start, say(texts["noted"].format(labels="、".join(kept))))
    return None


def guides_own(draft: Draft, intent) -> bool:
    """"要办啥", and "需要准备什么材料" before the one-time notice: what the guide tells next."""
    return intent.intent in SMALL_TALK or intent.intent == "faq/materials" and "notice_for" not in draft.dialogue


def guides_own_at_the_end(qa, content: Content, draft: Draft, text: str) -> tuple[str, str]:
    """"…电话13800001111需要准备什么材料" (voice input, no punctuation): the guide's own question at the
    end, cut off the answers before it; ("", "") when there is none. Only before the notice."""
    if "notice_for" in draft.dialogue:
        return "", ""
    for cut in range(len(text) - 2, max(0, len(text) - OWN_QUESTION_LENGTH), -1):
        head, tail = text[:cut], text[cut:]
        if asks(content, head):
            continue
        intent = qa.classify(tail)
        if intent.confidence >= CONTROL_CONFIDENCE and guides_own(draft, intent):
            return tail, head
    return "", ""
