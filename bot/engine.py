"""One turn of the chat guide: understand the message, write every accepted answer into the draft,
and say what comes next. No Flask here: the API (and the WeChat callback) call `Guide.respond`.
"""
import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from bot import understanding as u
from bot.content import Content
from bot.extraction import extract, from_given, labelled, opportunistic
from bot.householder import FIELD as HOUSEHOLDER_RELATION, turn_round
from bot.flow import (CONFIRMATIONS, LEADS_ON, RECIPIENT, Question, allowed_matters_of, field_question,
                      matter_options, missing_fields, named_matters, next_question, proposed_matters)
from bot.notice import one_time_notice
from bot.state import ChatState, StateStore
from cases import drafts, queries, statuses, submission
from cases.context import Context
from cases.drafts import Draft
from cases.errors import CaseError
from cases.form import before_birth, cross_field_problems, derived_values, fill_defaults, masked
from catalog.field_values import FieldValueError, clean_value
from models import Case, Veteran
from security.number_masking import mask_in_staff_text

MESSAGE_MAX_LENGTH = 1000  # characters in one message, for the chat API and the Rasa actions alike
# A question by its end: "？", "吗", "呢", and "要钱不", "能代办不", "注销了没" (the question words are cues
# in dialogs/questions.yaml).
QUESTION_END = re.compile(r"[?？吗呢]$|(?:要|能|可以|用|会|得|该)[^,，。；;!！\s]{1,8}不$|[了好完]没有?$")
# "原件还是复印件", "社保卡是邮寄还是自己拿": a choice asked, with no question word; "我还是回原籍吧" is an answer.
ALTERNATIVES_ASKED = re.compile(r"(?:^|[,，。；;\s])(?![我俺咱])[^,，。；;!！\s]{2,12}?还是[^,，。；;!！\s]{1,12}"
                                r"(?<![吧了的])(?=$|[,，。；;!！\s])")
# What may stand beside the confirming words of "好的，提交吧" (dialogs/questions.yaml cues.submit).
SUBMIT_PARTICLES = re.compile(r"[\s,，。.!！~、吧了啊呀嘛哈]+")
# A clause of a message with the marks that end it ("13912345678，", "社保卡邮费谁出？"), and those of
# the marks that end no question.
CLAUSE = re.compile(r"[^,，。；;!！?？]+[,，。；;!！?？]*")
CLAUSE_END = ",，。；;!！ "
# A policy question typed as into a search box ("照片要求", "社保卡邮费"): the classifier's word, this sure.
SEARCH_CONFIDENCE = 0.8
CONTROL_CONFIDENCE = 0.6
CONTROL = {"restart", "go_back", "pause", "ask_progress", "correct_field", "upload_later", "human_help"}
SMALL_TALK = {"greet", "thanks", "start_application"}
LEAVING = {"go_back", "pause", "restart", "human_help", "ask_progress"}  # never an answer to the question
NOT_UNDERSTOOD = object()
SHORT_REPLY = 4  # characters: a reply this short that answers nothing is not understood, not out of scope
BARE_YES_NO = 3  # characters: "不需要", "没有的" beside a question answer nothing; "户口注销" does
OWN_QUESTION_LENGTH = 10  # characters at most of "需要准备什么材料呢" at the end of an unpunctuated message
PLAIN_IS = re.compile(r"[,，\s]是")  # "名字写错了，是王磊": a correction without a cue word
# At the card recipient's confirmation, the words naming its recipient or its address, as their labels:
# "收件人写我爸王建国", "寄给我爸…" → 收件人; "寄到成都市…", "地址改为…" → 邮寄地址. "地址不变": the veteran's own.
RECIPIENT_NAMED = re.compile(r"收件人(?:写|填写?|改为|换成|改成|是|为)?|(?:邮?寄|发)给")
MAILED_TO = re.compile(r"邮?寄到|寄往|寄去|送到|(?:邮寄|收件)地址(?:写|填写?|改为|换成|改成|是|为)?")
# "收件人是我自己", "寄给我本人就行": the veteran stays the recipient.
TO_SELF = re.compile(r"(?:收件人(?:写|填写?|改为|换成|改成|是|为)?|(?:邮?寄|发)给)(?:我自己|我本人|本人|自己|我(?=就|$|[，,。；\s]))(?:就行|就好|就可以)?")
SAME_ADDRESS = re.compile(r"(?:邮寄|收件)?地址(?:不变|一样|照旧|同上)")
TYPE_CHANGE = re.compile(r"(退役类型|安置方式).{0,4}(错|不对|改)|(改|换|修改).{0,4}(退役类型|安置方式)")


@dataclass
class Turn:
    replies: list[dict]
    expecting: dict | None
    case_id: int | None
    # Writes the dialogue state to Redis: called by whoever commits the turn, once it is committed, so a
    # turn rolled back (a lost race on a retried message) leaves the state as it was.
    remember: Callable[[], None] = lambda: None


class Guide:
    """The chat guide for one province; built once at app start, used for every turn."""

    def __init__(self, ctx: Context, content: Content, qa, states: StateStore, roster_lookup, provided_materials):
        self.ctx, self.content, self.qa, self.states = ctx, content, qa, states
        self.cues = content.cues
        # "什么都可以", "哪天都行": a question word followed by 都 or 也 asks nothing
        self.asks_nothing = re.compile(f"(?:{content.cues['question_words'].pattern})[都也]")
        self.roster_lookup = roster_lookup            # (ctx, name, id_number) -> {field: value, "veteran_type"} | None
        self.provided_materials = provided_materials  # (case) -> set of material keys uploaded or covered

    # --- the turn ----------------------------------------------------------------------------
    def respond(self, veteran: Veteran, case: Case | None, text: str | None = None,
                payload: dict | None = None) -> Turn:
        """`case`: the veteran's unfinished case (`queries.unfinished_case_of_veteran`), read by the caller."""
        if case is not None and case.status != statuses.DRAFT:
            return self._after_submission(case, text)
        state = self.states.load(veteran.id)
        replies: list[dict] = []
        if case is None:
            earlier = next((c for c in queries.cases_of_veteran(veteran.id) if c.case_no), None)
            if earlier is not None and not self._applies_again(text):
                return self._after_submission(earlier, text)  # how the finished one ended, not a blank draft
            case = drafts.draft_case(veteran, self.ctx.profile.key)
            state = ChatState()
            replies.append(self._text(self.content.texts["greeting"]))
            if earlier is not None:
                replies.append(self._text(self.content.texts["earlier_case"].format(
                    case_no=earlier.case_no, status=statuses.CASE_LABELS[earlier.status])))
        draft = drafts.open_draft(self.ctx, case)
        if state is None or state.paused:
            state = ChatState(pending=draft.dialogue.get("pending"), asked=state.asked if state else [])
            replies.append(self._text(self.content.texts["resume"]))
        question = self._current_question(case, draft, state)
        depth = len(state.asked)
        outcome = self._handle(veteran, case, draft, state, question, text, payload, replies)
        if isinstance(outcome, Turn):
            return outcome
        went_back = len(state.asked) < depth  # the question left by "上一步" is not one to come back to
        return self._finish(veteran, case, draft, state, replies, asked=None if went_back else question)

    def restart(self, veteran: Veteran) -> Turn:
        case = queries.unfinished_case_of_veteran(veteran.id)
        if case is not None and case.status != statuses.DRAFT:
            return self._after_submission(case, None)
        case = case or drafts.draft_case(veteran, self.ctx.profile.key)
        draft = drafts.open_draft(self.ctx, case)
        draft.veteran_type, draft.matters, draft.dialogue = None, [], {}
        for key in self.content.screening_field_words:  # the screening is asked whole again ("不服预备役" now)
            draft.values.pop(key, None)
        said = "restarted" if draft.values else "restarted_empty"  # nothing kept: nothing to say about it
        return self._finish(veteran, case, draft, ChatState(), [self._text(self.content.texts[said])])

    def _current_question(self, case: Case, draft: Draft, state: ChatState) -> Question:
        if state.pending:
            slots = [s for s in state.pending["slots"] if s in self.ctx.profile.fields]
            if slots:
                return field_question(self.ctx, self.content, slots)
        question = next_question(self.ctx, self.content, draft, self.provided_materials(case))
        if question.kind in LEADS_ON:
            question.then = self._after_yes(case, draft, question)
        return question

    def _after_yes(self, case: Case, draft: Draft, confirmation: Question) -> Question | None:
        """The question a "yes" leads to, when it takes a typed answer: asked in the same message."""
        # The confirmations set values and record in the dialogue: copies of those two are enough.
        supposed = replace(draft, values=dict(draft.values), dialogue=copy.deepcopy(draft.dialogue))
        getattr(self, f"_confirm_{confirmation.kind}")(supposed, True, confirmation)
        following = next_question(self.ctx, self.content, supposed, self.provided_materials(case))
        return following if following.kind in ("screening", "fields") else None

    def _finish(self, veteran, case, draft, state, replies, asked: Question | None = None) -> Turn:
        self._ask_dates_again_if_reversed(draft, state, replies)
        if {"name", "id_number"} <= draft.values.keys():
            self._offer_roster(draft)
        draft.values.update(derived_values(draft.values))
        before = set(draft.values)
        fill_defaults(self.ctx.profile, draft.matters, draft.values, conditional_only=True)
        if set(draft.values) - before:
            draft.dialogue["defaults_filled"] = sorted({*draft.dialogue.get("defaults_filled", ()),
                                                        *(set(draft.values) - before)})
        if draft.dialogue.get("places_confirmed") and "handling_region" in draft.values:
            self._fill_places(draft)
        self._refresh_copies(draft)
        for field in self.ctx.profile.needed_fields(draft.matters, draft.values):
            if field.type == "choice" and len(field.options) == 1:  # nothing to ask (e.g. 户口业务类型: 恢复户口)
                draft.values.setdefault(field.key, field.options[0])
        self._propose_again_for_new_answers(draft, replies)
        question = self._current_question(case, draft, state)
        self._give_notice(case, draft, question, replies)
        if asked is not None and (not state.asked or state.asked[-1]["slots"] != asked.every_slot) \
                and asked.every_slot != question.every_slot:
            state.asked.append({"kind": asked.kind, "slots": asked.every_slot})
        replies.append(self._ask(question, draft, case))
        # The field a correction asks for is kept with the draft as well: after a pause or with the Redis
        # state lost, the next answer still goes to it, not to the question the plan would ask.
        if state.pending:
            draft.dialogue["pending"] = state.pending
        else:
            draft.dialogue.pop("pending", None)
        drafts.save_draft(self.ctx, case, draft)
        return Turn(replies, question.expecting(), case.id, partial(self.states.save, veteran.id, state))

    def _ask_dates_again_if_reversed(self, draft: Draft, state: ChatState, replies: list) -> None:
        """"2035年入伍，2024年退役": either date may be the wrong one, so both are asked again, together.
        A date before the birth the ID number states is asked again on its own."""
        early = before_birth(self.ctx.profile, draft.values)
        if early:
            for key in early:
                draft.values.pop(key)
            state.pending = {"kind": "fields", "slots": list(early)}
            replies.append(self._text("；".join(early.values()) + "。"))
            return
        problem = cross_field_problems(self.ctx.profile, draft.values).get("discharge_date")
        if problem:
            dates = ["enlistment_date", "discharge_date"]
            for key in dates:
                draft.values.pop(key)
            state.pending = {"kind": "fields", "slots": dates}
            replies.append(self._text(self.content.texts["dates_reversed"].format(problem=problem)))

    def _give_notice(self, case: Case, draft: Draft, question: Question, replies: list) -> None:
        """一次告知, before the first form question: with the proposed matters when that question comes in
        the same message, else once the matters are chosen. Again only if the matters change."""
        if question.kind == "matters" and question.then is not None:
            about, intro = replace(draft, matters=self._completed(draft, question.data["selected"])), "notice_proposed"
        elif draft.dialogue.get("matters_confirmed"):
            about, intro = draft, "notice_intro"
        else:
            return
        noticed = draft.dialogue.get("notice_for")
        if noticed == about.matters:
            return
        intro = self.content.texts[intro if noticed is None else "notice_changed"]
        replies += one_time_notice(self.ctx, intro, about, self.provided_materials(case))
        draft.dialogue["notice_for"] = list(about.matters)

    # --- understanding the message -------------------------------------------------------------
    def _handle(self, veteran, case, draft, state, question, text, payload, replies):
        if payload is not None:
            slot, value = payload.get("slot"), payload.get("value")
            if slot not in question.every_slot:  # a tap answers the question on screen, nothing else
                replies.append(self._text(self.content.texts["not_understood"] + self.content.texts["answer_current"]))
                return None
            result = self._answer(veteran, case, draft, state, question, None, {slot: value}, replies)
            if result is NOT_UNDERSTOOD:
                replies.append(self._text(self.content.texts["not_understood"]))
                return None
            return result
        text = (text or "").strip()
        if not text:
            return None
        asked, said = self._questions_in(text)
        if asked and not said:
            asked, said = self._guides_own_at_the_end(draft, text)
        if asked and said and self._answers_beside(said):
            result = self._answers_then_question(veteran, case, draft, state, question, asked, said, replies)
            if result is not NOT_UNDERSTOOD:
                return result
        if question.kind == "confirm" and self._restates_screening(draft, text, replies):
            return None
        if question.kind == "confirm" and draft.dialogue.get("materials_later") \
                and self.cues["upload_now"].search(text) and not self._asks(text):
            draft.dialogue.pop("materials_later")  # "我现在要上传身份证": the owed materials are asked again
            replies.append(self._text(self.content.texts["upload_now"]))
            return None
        if question.kind == "material" and self.cues["not_at_hand"].search(text) and not self._asks(text):
            # "我现在没带", "身份证手边没有": no FAQ about the ID card, the material comes later
            return self._answer(veteran, case, draft, state, question, text, None, replies, intent="upload_later")
        intent = self.qa.classify(text)
        if intent.intent in SMALL_TALK and (intent.confidence >= CONTROL_CONFIDENCE or self._opening(question, text)) \
                and not self._names_an_option(question, text):  # "良好" answers 健康状况, however it greets
            return None  # "我刚退伍，要办哪些手续？" is answered by the guide itself: the next question
        if self._names_a_change(draft, question, text):
            intent = replace(intent, intent="correct_field", confidence=1.0)
        control = intent.intent in CONTROL and intent.confidence >= CONTROL_CONFIDENCE and (  # "我的申请到哪一步了"
            intent.intent != "correct_field" or self.cues["change"].search(text) or self._named_field(text))
        alone = len(u.segments(text)) == 1
        if not control and (self._asks(text) or alone and self.cues["asking"].search(text)
                            or alone and self._typed_as_a_search(question, text, intent)):
            self._answer_policy(text, replies, self._about_material(question, text, intent))
            return None
        if TYPE_CHANGE.search(text):
            self._change_type(draft, state, text, replies)
            return None
        if self._changes_matters(draft, question, text, replies):
            return None
        correction = intent.intent == "correct_field" and self._named_field(text) is not None
        leaving = control and intent.intent in LEAVING  # "返回上一步" answers no choice on screen
        if question.type in ("yes_no", "choice", "multi_choice", "file") and not (correction or leaving):
            # A short reply like "有", "不对" or "好的" answers the question before it is taken for anything else;
            # "手机号填错了" names a field, so it corrects that field instead.
            result = self._answer(veteran, case, draft, state, question, text, None, replies, intent=intent.intent)
            if result is not NOT_UNDERSTOOD:
                return result
        if control:
            return self._control(veteran, case, draft, state, question, intent.intent, text, replies)
        result = self._answer(veteran, case, draft, state, question, text, None, replies, intent=intent.intent)
        if result is NOT_UNDERSTOOD:
            if u.is_unsure(text):
                replies.append(self._text(self.content.texts["unsure"]))
            elif intent.intent.startswith("faq/") or (intent.intent == "out_of_scope" and len(text) > SHORT_REPLY):
                self._answer_policy(text, replies, self._about_material(question, text, intent))
            else:  # "对的" or "手机号" that fits no question is no policy question either
                replies.append(self._text(self.content.texts["not_understood"]))
            return None
        return result

    def _changes_matters(self, draft: Draft, question: Question, text: str, replies: list) -> bool:
        """"把培训去掉" or "还要办驾驶证" once the matters are chosen, in the form or at the summary."""
        if not (draft.dialogue.get("matters_confirmed") and question.kind in ("fields", "confirm")
                and question.type != "yes_no" and (self.cues["remove_matter"].search(text) or self.cues["add_matter"].search(text))):
            return False
        options = matter_options(self.ctx, draft)
        if self.cues["add_matter"].search(text) and self._refuse_matters(draft, options, text, replies):
            return True
        edited = self._edited_matters(options, self.ctx.profile.applied_for(draft.matters), text)
        if edited is None:
            return False
        self._agree_matters(draft, edited, replies)
        return True

    @staticmethod
    def _opening(question: Question, text: str) -> bool:
        """A first message like "你好，我去年底退伍的，需要办啥": no number and no 我叫 to take for the
        name, ID number or county asked first ("你好" is no name)."""
        return question.slot == "name" and not re.search(r"\d|我叫|姓名|名字", text)

    def _answer_policy(self, text: str, replies: list, prediction=None) -> bool:
        answer = (self.qa.answer_for(prediction) if prediction else self.qa.answer(text)) or self.qa.out_of_scope_reply()
        replies.append({"type": "text", "text": answer.text, "data": {"faq": answer.id, "sources": answer.sources}})
        return True

    def _questions_in(self, text: str) -> tuple[str, str]:
        """"13912345678，社保卡邮费谁出": the clauses that ask (a question word, ？, 吗 …) and the rest."""
        asked, said = [], []
        for clause in CLAUSE.findall(text):
            bare = clause.rstrip(CLAUSE_END)
            (asked if self._asks(bare) or self.cues["asking"].search(bare) else said).append(clause)
        return "".join(asked).rstrip(CLAUSE_END), "".join(said).rstrip(CLAUSE_END)

    def _answers_beside(self, said: str) -> bool:
        """Whether what comes with a question says more than a yes or no: "好的，培训要多少钱" agrees to
        no matters and "确认提交，多久能办好" submits nothing; "户口注销了，户口去哪办" answers."""
        bare = SUBMIT_PARTICLES.sub("", self.cues["submit"].sub("", u.normalise(said)))
        return u.find_yes_no(said) is None and bool(bare) or len(bare) > BARE_YES_NO

    def _answers_then_question(self, veteran, case, draft, state, question, asked, said, replies):
        """"汉族，高中，未婚，健康，照片有什么要求": the answers go the normal way and are said back, then the
        question is answered on its own. NOT_UNDERSTOOD, with nothing said, when the answers change nothing
        ("社保卡，邮费谁出": they were part of the question)."""
        def seen():
            return copy.deepcopy((draft.values, draft.dialogue, draft.veteran_type, draft.matters,
                                  state.pending, state.paused))
        before, start = seen(), len(replies)
        result = self._handle(veteran, case, draft, state, question, said, None, replies)
        if isinstance(result, Turn):
            return result
        if seen() == before:
            del replies[start:]
            return NOT_UNDERSTOOD
        texts, fields = self.content.texts, self.ctx.profile.fields
        replies[start:] = [r for r in replies[start:] if not r.get("text", "").startswith(
            (texts["noted"].split("{")[0], texts["not_understood"]))]
        copied = {k for copies in ("places_filled", "recipient_filled") for k in draft.dialogue.get(copies, ())}
        kept = [f.label for k, f in fields.items() if k in draft.values and draft.values[k] != before[0].get(k)
                and not f.derived_from and k not in copied
                and not any(f.label in r.get("text", "") for r in replies[start:])]  # "已将手机号码改为…"
        if kept:
            replies.insert(start, self._text(texts["noted"].format(labels="、".join(kept))))
        intent = self.qa.classify(asked)
        if not self._guides_own(draft, intent):
            self._answer_policy(asked, replies, self._about_material(question, asked, intent))
        return None

    def _guides_own(self, draft: Draft, intent) -> bool:
        """"要办啥", and "需要准备什么材料" before the one-time notice: what the guide tells next."""
        return intent.intent in SMALL_TALK or intent.intent == "faq/materials" and "notice_for" not in draft.dialogue

    def _guides_own_at_the_end(self, draft: Draft, text: str) -> tuple[str, str]:
        """"…电话13800001111需要准备什么材料" (voice input, no punctuation): the guide's own question at the
        end, cut off the answers before it; ("", "") when there is none. Only before the notice."""
        if "notice_for" in draft.dialogue:
            return "", ""
        for cut in range(len(text) - 2, max(0, len(text) - OWN_QUESTION_LENGTH), -1):
            head, tail = text[:cut], text[cut:]
            if self._asks(head):
                continue
            intent = self.qa.classify(tail)
            if intent.confidence >= CONTROL_CONFIDENCE and self._guides_own(draft, intent):
                return tail, head
        return "", ""

    def _restates_screening(self, draft: Draft, text: str, replies: list) -> bool:
        """At the summary, "我不服预备役" or "我不是党员，是团员": a screening answer said anew corrects the
        one given (as "政治面貌改成团员" would), never a policy question. A question, a named change and a
        change of matters ("不要预备役登记") are left to their own ways."""
        if self._asks(text) or self.cues["asking"].search(text) or any(
                self.cues[cue].search(text) for cue in ("change", "corrected_to", "remove_matter", "add_matter")):
            return False
        answers = self._screening_answers(list(self.content.screening_field_words), text, None, asked=False)
        changed = {key: value for key, value in answers.items() if draft.values.get(key) != value}
        self._keep_given(draft, changed)
        for key, value in changed.items():
            replies.append(self._text(self.content.texts["corrected"].format(
                label=self.ctx.profile.fields[key].label, value=self._show(key, value))))
        return bool(changed)

    def _about_material(self, question: Question, text: str, intent):
        """At the upload of 居民身份证, "身份证正反面都要拍吗" asks about the material, not about the matter
        of the same name (居民身份证申领 at the police station): the materials answer."""
        topic = intent.intent.removeprefix("faq/")
        if question.kind != "material" or topic not in self.ctx.profile.matters:
            return intent
        label = self.ctx.profile.materials[question.data["material"]].label
        words = (self.ctx.profile.matters[topic].label, *self.content.matter_aliases.get(topic, ()))
        if any(w in text and w in label for w in words):
            return replace(intent, intent="faq/materials")
        return intent

    def _control(self, veteran, case, draft, state, question, intent, text, replies):
        texts = self.content.texts
        if intent == "restart":  # nothing to start over from ("我要重新申请" after a finished case): just go on
            return self.restart(veteran) if draft.values else None
        if intent == "pause":
            state.paused = True
            replies.append(self._text(texts["paused"]))
        elif intent == "go_back":
            self._go_back(case, draft, state, replies)
        elif intent == "ask_progress":
            filled = len([k for k in draft.values if not self.ctx.profile.fields[k].derived_from])
            replies.append(self._text(self.content.texts["progress_draft"].format(filled=filled)))
        elif intent == "upload_later":
            draft.dialogue["materials_later"] = True
            replies.append(self._text(texts["upload_later"]))
        elif intent == "human_help":
            replies.append(self._text(texts["human_help"]))
        elif intent == "correct_field":
            self._correct(draft, state, text, replies)
        return None

    def _go_back(self, case: Case, draft: Draft, state: ChatState, replies: list) -> None:
        """Undo the latest question asked that would be asked again once undone. One that would not (the
        summary, while a field corrected from it is asked again) is passed over with its answers kept."""
        while state.asked:
            kept = (dict(draft.values), copy.deepcopy(draft.dialogue), draft.veteran_type, list(draft.matters))
            previous = state.asked.pop()
            self._undo(draft, previous)
            following = next_question(self.ctx, self.content, draft, self.provided_materials(case))
            if following.kind == previous["kind"] and following.slot == previous["slots"][0]:
                state.pending = None
                replies.append(self._text(self.content.texts["went_back"]))
                return
            draft.values, draft.dialogue, draft.veteran_type, draft.matters = kept
        replies.append(self._text(self.content.texts["nothing_to_go_back_to" if not draft.values
                                                     else "cannot_go_back"]))

    def _undo(self, draft: Draft, previous: dict) -> None:
        kind, slots = previous["kind"], previous["slots"]
        dialogue = draft.dialogue
        for slot in slots if kind in ("fields", "screening") else slots[1:]:  # [1:]: what a confirmation led to
            if slot.startswith("need_"):
                dialogue.get("need", {}).pop(slot.removeprefix("need_"), None)
            else:
                draft.values.pop(slot, None)
        if kind == "roster":
            dialogue.pop("places_confirmed", None)
            draft.veteran_type = None
            if dialogue.pop("roster", None) == "declined":
                dialogue.pop("roster_for", None)
                self._offer_roster(draft)  # puts back the roster values a "no" removed
            else:
                dialogue["roster"] = "offered"
        elif kind == "veteran_type":
            draft.veteran_type, draft.matters = None, []
            dialogue.pop("matters_confirmed", None)
        elif kind == "matters":
            dialogue.pop("matters_confirmed", None)
        elif kind in ("places", "recipient"):
            for slot in dialogue.pop(f"{kind}_filled", []):
                draft.values.pop(slot, None)
            dialogue.pop(f"{kind}_confirmed", None)
        elif kind == "material":
            dialogue.pop("materials_later", None)

    def _correct(self, draft: Draft, state: ChatState, text: str, replies: list) -> None:
        key = self._named_field(text)
        if key is None:
            replies.append(self._text(self.content.texts["which_to_correct"]))
            return
        field = self.ctx.profile.fields[key]
        said = self._corrected_to(text)
        if not said:  # a value of its own type is found anywhere: "身份证号输错了，是5101…"; text is not
            said = text if field.type != "text" else None
        if said and key == HOUSEHOLDER_RELATION:
            said = self._in_register_terms(draft, said, replies)
        found = extract([key], said, self.ctx, self.content) if said else None
        if found and key in found.values:
            self._keep_given(draft, {key: found.values[key]})
            replies.append(self._text(self.content.texts["corrected"].format(label=field.label, value=self._show(key, found.values[key]))))
            state.pending = None
        else:
            state.pending = {"kind": "fields", "slots": [key]}
            replies.append(self._text(self.content.texts["ask_new_value"].format(label=field.label)))

    def _names_a_change(self, draft: Draft, question: Question, text: str) -> bool:
        """"地址改为…", "部队代号改成61234部队": a correction of another field already answered, whatever the
        classifier makes of it, never the answer to the question on screen."""
        key = self._named_field(text) if self.cues["change"].search(text) else None
        return key is not None and key in draft.values and key not in question.slots

    def _corrected_to(self, text: str) -> str:
        """What follows the last "应该是" (or the like) of a correction; empty when there is none."""
        ends = [m.end() for pattern in (self.cues["corrected_to"], PLAIN_IS) for m in pattern.finditer(text)]
        return text[max(ends):].strip() if ends else ""

    def _typed_as_a_search(self, question: Question, text: str, intent) -> bool:
        """"照片要求", "要带原件", "培训费用": a policy question with no question word, which the classifier
        knows, where it cannot be the answer: not to a screening question or the type ("户口注销了", "有驾照"
        say what the veteran needs), not to a field of the matter it is about asked first ("想参加电工培训"), not to a
        field whose kind of value it holds, and not a change of matters."""
        if (not intent.intent.startswith("faq/") or intent.confidence < SEARCH_CONFIDENCE
                or question.kind in ("screening", "veteran_type")):
            return False
        if (self.cues["remove_matter"].search(text) or self.cues["add_matter"].search(text)) and any(
                self._mentions(text, m.label, m.key) for m in self.ctx.profile.matters.values()):
            return False  # "去掉社保卡", "还要办驾驶证": the matters change
        topic, fields = intent.intent.removeprefix("faq/"), self.ctx.profile.fields
        slots = question.every_slot
        asked_first = [question.slot] + ([question.then.slot] if question.then else [])
        if any(s in fields and (fields[s].free_text or fields[s].address) for s in asked_first) or any(
                hint in text for s in slots for hint in self.content.text_hints.get(s, ())):
            return False  # "想考驾照" describes the training wanted; "团结村五组" is an address (checked as one)
        screened = question.kind == "matters" and topic in self.content.screening  # "户口没注销" changes the proposal
        if screened or f"need_{topic}" in slots or any(s in fields and topic in fields[s].needed_for for s in asked_first):
            return False
        typed = [slot for slot in slots if slot in fields and fields[slot].type != "text"]
        return not (typed and extract(typed, text, self.ctx, self.content).values)

    def _names_an_option(self, question: Question, text: str) -> bool:
        fields = self.ctx.profile.fields
        return any(u.find_choice(text, fields[s].options, self.content.synonyms.get(s, {}))
                   for s in question.every_slot if s in fields and fields[s].type == "choice")

    def _asks(self, text: str) -> bool:
        return bool(QUESTION_END.search(text) or ALTERNATIVES_ASKED.search(text)
                    or self.cues["question_words"].search(self.asks_nothing.sub("", text)))

    def _change_type(self, draft: Draft, state: ChatState, text: str, replies: list) -> None:
        """"退役类型选错了，应该是安排工作": the type changes, and the matters are proposed again for it."""
        chosen = self._veteran_type_in(self._corrected_to(text))
        draft.veteran_type, draft.matters = chosen, []
        draft.dialogue.pop("matters_confirmed", None)
        state.pending = None
        if chosen:
            label = self.ctx.profile.veteran_types[chosen].label
            replies.append(self._text(self.content.texts["type_changed"].format(label=label)))
        else:
            replies.append(self._text(self.content.texts["choose_type_again"]))

    def _named_field(self, text: str) -> str | None:
        best = None
        for key, field in self.ctx.profile.fields.items():
            for word in (field.label, *self.content.field_aliases.get(key, ())):
                if word in text and (best is None or len(word) > best[1]):
                    best = (key, len(word))
        return best[0] if best else None

    # --- applying an answer ----------------------------------------------------------------------
    def _answer(self, veteran, case, draft, state, question, text, given, replies, intent=None):
        kind = question.kind
        if text is not None and kind == "fields" and HOUSEHOLDER_RELATION in question.slots:
            text = self._in_register_terms(draft, text, replies)
        if text is not None:
            for key, value in opportunistic(text, self.ctx, draft.values).items():
                if key not in question.slots:
                    draft.values[key] = value
            if kind == "fields" and draft.veteran_type is None:
                text = self._take_early(draft, text, replies)
                if not text:  # "自主就业" at the ID number question: the type, and no ID number to check
                    return None
            if kind in ("fields", "veteran_type", "screening") or kind in CONFIRMATIONS:
                text = self._take_labelled(draft, question, text, replies)
                if not text:
                    return None
        if kind == "fields":
            if not self._fill_fields(draft, state, question, text, given, replies):
                return NOT_UNDERSTOOD
            return None
        value = given.get(question.slot) if given else None
        if kind == "veteran_type":
            if isinstance(value, str) and value in self.ctx.profile.veteran_types:
                chosen = value
            else:
                chosen = self._veteran_type_in(text or "")
                if chosen is None:
                    return self._type_not_taken(text or "", replies)
                self._say_type_taken(chosen, replies)
            draft.veteran_type = chosen
        elif kind == "screening":
            answers = self._screening_answers(question.slots, text, given)
            if not answers:
                return self._not_understood(replies, question)
            self._keep_screening(draft, answers)
        elif kind == "matters":
            return self._choose_matters(veteran, case, draft, state, question, text, value, replies)
        elif kind in CONFIRMATIONS:
            return self._confirm(veteran, case, draft, state, question, text, value, replies, intent)
        elif kind == "material":
            # "已上传" is no "稍后上传": the next material still to come is asked (again, if this one is not in)
            uploaded = bool(text and self.cues["uploaded"].search(text))
            if not uploaded and (text and (intent == "upload_later" or "稍后" in text or "以后" in text)
                                 or value in ("later", "稍后上传")):
                draft.dialogue["materials_later"] = True
                replies.append(self._text(self.content.texts["upload_later"]))
        elif kind == "confirm":
            choice = value if isinstance(value, str) else text or ""
            if "修改" in choice:
                replies.append(self._text(self.content.texts["which_to_correct"]))
            elif value is True or self._confirms_submission(choice):
                return self._submit(veteran, case, draft, state, replies)
            else:
                return self._not_understood(replies, question)
        return None

    def _confirms_submission(self, text: str) -> bool:
        """"确认提交", "好的，提交吧": confirming words and nothing else. The chat cannot take a submission
        back, so "先不提交", "嗯我想想", "有点问题" or a question ("…还是…") is no confirmation."""
        said = u.normalise(text)
        rest = self.cues["submit"].sub("", said)
        return rest != said and not SUBMIT_PARTICLES.sub("", rest)

    def _confirm(self, veteran, case, draft, state, question, text, value, replies, intent=None):
        """Apply a yes/no confirmation; the rest of "对，户口注销了，有培训需求" answers the question it leads to."""
        if question.kind == "recipient" and text is not None and self._recipient_given(draft, question, text, replies):
            return None
        said = text if text is not None else str(value or "")
        pieces, rest = u.segments(said), []
        yes = value if isinstance(value, bool) else None
        if yes is None and pieces and (lead := u.split_leading_answer(pieces[0])) is not None:
            yes, rest = lead[0], [lead[1], *pieces[1:]]  # "是的汉族高中未婚健康": 未婚 is no "no"
        elif yes is None and pieces and question.kind == "roster" and self._corrects_roster(draft, pieces[0]):
            yes, rest = False, pieces  # "退役时间是2024年8月", as "哪一项不对" asks: its 是 is no yes
        elif yes is None and pieces:
            yes = u.find_yes_no(pieces[0])
            if yes is not None:
                rest = pieces[1:]
            elif question.then is not None and text is not None and intent not in CONTROL \
                    and self._answer(veteran, case, draft, state, question.then, text, None, replies) is None:
                return None  # the follow-up answered, the confirmation not: it is asked again, alone if need be
            else:
                yes = u.find_yes_no(said)  # "我看了，没问题"
        if yes is None:
            return self._not_understood(replies, question)
        if question.kind == "places" and self.cues["others_right"].search(said):
            # "不是，出生地是绵阳市涪城区，其他都对": that place was taken as labelled, the rest stand
            yes, rest = True, [p for p in rest if not self.cues["others_right"].search(p)]
        disputed = question.kind == "roster" and not self.cues["whole_record_wrong"].search(said)
        if disputed:  # "不对，退役时间是…", and "信息都对，不过我是自主就业的" as well: the corrections first
            rest = self._correct_roster(draft, rest, replies, ask_which=not yes)
        if yes or not disputed:  # a "no" with corrections leaves the record to be confirmed as corrected
            getattr(self, f"_confirm_{question.kind}")(draft, yes, question)
        self._follow_up(veteran, case, draft, state, question if yes else replace(question, then=None), rest, replies)
        return None

    def _follow_up(self, veteran, case, draft, state, question: Question, rest: list[str], replies: list) -> None:
        """What came after the "是" or "好的": the answer to the question it leads to; where it leads to
        another confirmation ("是的，汉族，大专"), what is recognisable is kept."""
        if rest and question.then is not None:
            self._answer(veteran, case, draft, state, question.then, "，".join(rest), None, replies)
        elif rest:
            self._take_labelled(draft, None, "，".join(rest), replies)

    @staticmethod
    def _keep_screening(draft: Draft, answers: dict) -> None:
        for slot, answer in answers.items():
            if slot.startswith("need_"):
                draft.dialogue.setdefault("need", {})[slot.removeprefix("need_")] = answer
            else:
                draft.values[slot] = answer

    def _screening_answers(self, slots: list[str], text: str | None, given: dict | None, asked: bool = True) -> dict:
        """need_<matter> booleans and field values from one combined answer ("户口注销了，有培训需求").
        When `asked`, a lone "是" or "没有" answers the first of `slots`, and naming one ("有培训") is a
        yes; unasked, only a piece that says yes or no counts ("户口在锦江区" is no answer)."""
        fields = self.ctx.profile.fields
        if given:
            raw = {slot: value for slot, value in given.items() if slot in slots}
        else:
            topics = {slot: (self.content.screening[slot.removeprefix("need_")].words if slot.startswith("need_")
                             else self.content.screening_field_words.get(slot, ())) for slot in slots}
            raw, pieces = {}, [c for p in u.segments(text) for c in u.clauses(p, list(topics.values()))]
            for slot in slots:
                words = topics[slot]
                if slot in fields and fields[slot].type == "choice":
                    found = u.find_choice(text, fields[slot].options, self.content.synonyms.get(slot, {}))
                    if found:
                        raw[slot] = found[0]
                    continue
                piece = next((p for p in pieces if any(w in p for w in words)), None)
                if piece is not None:
                    pieces.remove(piece)
                    yes = u.find_yes_no(piece)
                    if yes is not None or (asked and not u.is_unsure(piece)):  # "户口不清楚" is asked again
                        raw[slot] = True if yes is None else yes  # naming it without a "no" means yes
            if asked and not raw:  # "是", or "是，否，否" / "1是2否3否" in the order of the list shown
                yes_no = [s for s in slots if s.startswith("need_") or fields[s].type == "yes_no"]
                said = [u.find_yes_no(a) for a in u.listed_answers(text)]
                in_order = slots[:len(said)]  # the rest are asked next
                if said and len(said) <= len(slots) and None not in said and set(in_order) <= set(yes_no):
                    raw.update(zip(in_order, said))
        answers = {}
        for slot, value in raw.items():
            if slot.startswith("need_"):
                yes = value if isinstance(value, bool) else u.find_yes_no(str(value))
                if yes is not None:
                    answers[slot] = yes
                continue
            try:
                answers[slot] = clean_value(fields[slot], value, self.ctx.regions,
                                            self.ctx.profile.region_scope(fields[slot]))
            except FieldValueError:
                continue
        return answers

    def _take_early(self, draft: Draft, text: str, replies: list) -> str:
        """"我叫李强，…，我是复员军官，户口注销了，不服预备役" before the type is asked: the type and the
        screening answers are kept, not asked again. A question ("想问下培训有没有") answers nothing.
        Returns the text without the pieces that only named the type (no ID number "自主就业")."""
        if self._asks(text) or self.cues["asking"].search(text):
            return text
        kind = self._veteran_type_in(text)
        if kind:
            draft.veteran_type = kind
            self._say_type_taken(kind, replies)
        need = draft.dialogue.get("need", {})
        slots = [f"need_{key}" for key in self.content.screening if key not in need]
        slots += [key for key in self.content.screening_field_words if key not in draft.values]
        self._keep_screening(draft, self._screening_answers(slots, text, None, asked=False))
        if not kind:
            return text
        pieces = u.segments(text)
        rest = [p for p in pieces if re.search(r"\d", p) or self._veteran_type_in(p) is None]
        return text if len(rest) == len(pieces) else "，".join(rest)

    def _in_register_terms(self, draft: Draft, text: str, replies: list) -> str:
        """"户主是我爸" as the 户口簿 writes it ("子"), and the veteran told how it was taken."""
        turned = turn_round(text, draft.values.get("gender"), self.content)
        if turned is None:
            return text
        if turned.householder and turned.householder != turned.relation:  # 配偶 is 配偶 either way
            replies.append(self._text(self.content.texts["householder_turned"].format(
                householder=turned.householder, relation=turned.relation)))
        return turned.text

    def _take_labelled(self, draft: Draft, question: Question | None, text: str, replies: list) -> str:
        """Fills what the message names for later questions ("部队代号61234"); the rest answers this one."""
        asked = [s for s in question.every_slot if s in self.ctx.profile.fields] if question else []
        later = [f.key for f in missing_fields(self.ctx, draft) if f.key not in asked]
        found, rest = labelled(asked, later, text, self.ctx, self.content)
        if found:
            self._keep_given(draft, found)
            replies.append(self._text(self.content.texts["noted"].format(
                labels="、".join(self.ctx.profile.fields[k].label for k in found))))
        return rest

    def _fill_fields(self, draft, state, question, text, given, replies):
        if given is not None:
            found = from_given(given, self.ctx)
        else:
            found = extract(question.slots, text, self.ctx, self.content)
        self._keep_given(draft, found.values)
        if found.problems:
            replies.append(self._text("；".join(found.problems.values()) + "。"))
        if found.values:
            state.pending = None
        return bool(found.values or found.problems)

    def _offer_roster(self, draft: Draft) -> None:
        """Looks the veteran up in the roster once per name and ID number. Another name or ID number (after
        "上一步" or a correction) first drops all the last look-up brought: it was someone else's record."""
        dialogue = draft.dialogue
        who = self.ctx.sealer.lookup_hash(f"{draft.values['name']}|{draft.values['id_number']}")
        # A draft looked up before `roster_for` was kept has none: it is taken to be this person's.
        if "roster" in dialogue and dialogue.setdefault("roster_for", who) == who:
            return
        if "roster" in dialogue:
            self._forget_roster(draft)
        dialogue["roster_for"] = who
        known = self.roster_lookup(self.ctx, draft.values["name"], draft.values["id_number"])
        if not known:
            draft.dialogue["roster"] = "none"
            return
        prefill = {k: v for k, v in known.items() if k in self.ctx.profile.fields and k not in draft.values}
        draft.values.update(prefill)
        draft.dialogue.update({"roster": "offered", "roster_fields": sorted(prefill),
                               "roster_type": known.get("veteran_type")})

    @staticmethod
    def _forget_roster(draft: Draft) -> None:
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

    def _confirm_roster(self, draft: Draft, yes: bool, question: Question) -> None:
        if yes:
            draft.dialogue["roster"] = "confirmed"
            draft.veteran_type = draft.veteran_type or draft.dialogue.get("roster_type")
            if "handling_region" in draft.values:
                draft.dialogue["places_confirmed"] = True  # the roster prompt said other places default to it
        else:
            for key in draft.dialogue.get("roster_fields", []):
                draft.values.pop(key, None)
            draft.dialogue["roster"] = "declined"

    def _corrects_roster(self, draft: Draft, text: str) -> bool:
        """Whether `text` gives a value of the roster record by its label, or names another type."""
        found, _ = labelled([], draft.dialogue.get("roster_fields", []), text, self.ctx, self.content)
        kind = self._veteran_type_in(text)
        return bool(found) or (kind is not None and kind != draft.dialogue.get("roster_type"))

    def _correct_roster(self, draft: Draft, rest: list[str], replies: list, ask_which: bool) -> list[str]:
        """"不对，退役时间是2024年8月": that value is corrected and the rest of the record kept; a bare
        "不对" (`ask_which`) asks which value. The pieces that correct nothing are returned."""
        kind = self._veteran_type_in("，".join(rest))
        found, left = labelled([], draft.dialogue.get("roster_fields", []), "，".join(rest), self.ctx, self.content)
        if kind:
            draft.dialogue["roster_type"] = kind
        if not (found or kind):
            if ask_which:
                replies.append(self._text(self.content.texts["roster_which_wrong"]))
            return rest
        self._keep_given(draft, found)
        changed = [f"{self.ctx.profile.fields[k].label}：{self._show(k, v)}" for k, v in found.items()]
        if kind:
            changed.insert(0, f"退役类型：{self.ctx.profile.veteran_types[kind].label}")
        replies.append(self._text(self.content.texts["roster_corrected"].format(changes="，".join(changed))))
        return u.segments(left)

    def _confirm_places(self, draft: Draft, yes: bool, question: Question) -> None:
        draft.dialogue["places_confirmed"] = yes
        if yes:
            self._fill_places(draft)

    def _fill_places(self, draft: Draft) -> None:
        """Every place the veteran confirmed to be the handling region, once its matter needs it."""
        place = draft.values["handling_region"]
        needed = {f.key for f in self.ctx.profile.needed_fields(draft.matters, draft.values)}
        filled = draft.dialogue.setdefault("places_filled", [])
        for key in self.content.same_place_fields:
            if key in needed and key not in draft.values:
                draft.values[key] = self._same_place(key, place)
                filled.append(key)

    def _same_place(self, key: str, place: dict) -> dict:
        """`place` as `key` takes it: the card is issued by the prefecture (发卡地市)."""
        return clean_value(self.ctx.profile.fields[key], place, self.ctx.regions)

    def _confirm_recipient(self, draft: Draft, yes: bool, question: Question) -> None:
        draft.dialogue["recipient_confirmed"] = yes
        if yes:
            for key in RECIPIENT:
                draft.values[key] = draft.values[self.ctx.profile.fields[key].default_from]
            draft.dialogue["recipient_filled"] = list(RECIPIENT)

    def _recipient_given(self, draft: Draft, question: Question, text: str, replies: list) -> bool:
        """"否，收件人写我爸王建国13900139000": a "no" with the recipient's values keeps them, the rest is
        asked (the address is the veteran's own only with "地址不变"). "寄到成都市锦江区春熙路8号", naming
        nobody else: the veteran stays the recipient, with that address. False when the message gives none."""
        to_self = TO_SELF.search(text)
        pieces = u.segments(TO_SELF.sub("，", text))
        said_no = bool(pieces) and u.find_yes_no(pieces[0]) is False  # "不用寄到家" is a "no", no address
        said = "，".join(pieces[1:] if said_no else pieces)
        if to_self and not said:  # "收件人是我自己": as a "是"
            self._confirm_recipient(draft, True, question)
            return True
        same_address = SAME_ADDRESS.search(said)
        labelled_said = RECIPIENT_NAMED.sub("收件人", MAILED_TO.sub("邮寄地址", SAME_ADDRESS.sub("", said)))
        if not said or not (said_no or to_self or labelled_said != said):
            return False
        named = not to_self and ("收件人" in labelled_said or any(word in said for word in self.content.kin_words))
        if not (named or labelled_said != said or question.then is None) \
                and extract(question.then.slots, said, self.ctx, self.content).values:
            return False  # "否，2019年9月入伍，…": the next question answered, no recipient given
        found = extract(list(RECIPIENT), labelled_said, self.ctx, self.content)
        if "recipient_name" in found.problems and not named:  # "否，成都市锦江区春熙路8号": an address
            found = extract(["recipient_phone", "mailing_address"], labelled_said, self.ctx, self.content)
        values, fields = dict(found.values), self.ctx.profile.fields
        if same_address:
            values["mailing_address"] = draft.values[fields["mailing_address"].default_from]
        if not values and not found.problems:
            return False
        someone_else = named or {"recipient_name", "recipient_phone"} & (values.keys() | found.problems.keys())
        own = [] if someone_else else ["recipient_name", "recipient_phone"]
        values.update({key: draft.values[fields[key].default_from] for key in own})
        self._confirm_recipient(draft, False, None)
        self._keep_given(draft, values)
        draft.dialogue["recipient_filled"] = own
        texts = self.content.texts
        kept = [texts["recipient_self"].format(name=values["recipient_name"],
                                               phone=self._show("recipient_phone", values["recipient_phone"]))] if own else []
        kept += [f"{fields[k].label}：{self._show(k, values[k])}" for k in RECIPIENT if k in values and k not in own]
        if kept:
            replies.append(self._text(texts["recipient_given"].format(given="，".join(kept))))
        if found.problems:
            replies.append(self._text("；".join(found.problems.values()) + "。"))
        return True

    @staticmethod
    def _keep_given(draft: Draft, values: dict) -> None:
        """Values the veteran gave; one given for a copied field ("邮寄地址改成…") is theirs from now on."""
        draft.values.update(values)
        for copies in ("recipient_filled", "places_filled", "defaults_filled"):
            if copies in draft.dialogue:
                draft.dialogue[copies] = [k for k in draft.dialogue[copies] if k not in values]

    def _refresh_copies(self, draft: Draft) -> None:
        """The copies the veteran agreed to ("寄给本人", "都是办理地") follow the original when it is corrected."""
        values = draft.values
        for key in draft.dialogue.get("recipient_filled", []):
            source = self.ctx.profile.fields[key].default_from
            if source in values:
                values[key] = values[source]
        place = values.get("handling_region")
        for key in draft.dialogue.get("places_filled", []) if place else ():
            values[key] = self._same_place(key, place)
        for key in draft.dialogue.get("defaults_filled", []):  # no longer 本人: the householder is asked
            if not self.ctx.profile.fields[key].default_when.holds(values):
                values.pop(key, None)
        if "defaults_filled" in draft.dialogue:
            draft.dialogue["defaults_filled"] = [k for k in draft.dialogue["defaults_filled"] if k in values]
        for field in self.ctx.profile.fields.values():  # 户主 is 本人: the householder is the veteran, as corrected
            if field.key in values and field.default_when and field.default_when.holds(values) \
                    and field.default_from in values:
                values[field.key] = values[field.default_from]

    def _choose_matters(self, veteran, case, draft, state, question, text, value, replies):
        """The proposal kept ("好的", and then perhaps the answers to the question it leads to), changed
        ("去掉培训", "加上驾驶证") or replaced by the tapped selection."""
        allowed = [o["value"] for o in question.options]
        selected, rest = list(question.data["selected"]), []
        if value is not None:  # tapped: the list of matters ticked
            if not isinstance(value, list) or not all(isinstance(m, str) and m in allowed for m in value):
                return self._not_understood(replies, question)
            selected = value
        elif text:
            if self._refuse_matters(draft, question.options, text, replies):
                return None  # the proposal is asked again
            edited = self._edited_matters(question.options, selected, text)
            first, *others = u.segments(text) or [""]
            if edited is not None:
                selected = edited
            elif u.find_yes_no(first) is True and others and not self._screening_answers(
                    self._screening_slots(), first, None, asked=False):  # "户口注销了的，…" is no "好的"
                # "好的，党员，红星路1号，…": agreed, to the proposal for the screening answers in it (党组织关系
                # 转接 for 党员), and the rest answers the question the agreement leads to
                if self._rescreens(draft, text):
                    selected = self.ctx.profile.applied_for(proposed_matters(self.ctx, self.content, draft))
                rest = others
            elif self._rescreens(draft, text):  # "户口注销了，要恢复户口" after a "no" to the hukou question
                replies.append(self._text(self.content.texts["matters_rescreened"]))
                return None
            elif u.find_yes_no(first) is True:
                rest = others
            elif u.find_yes_no(text) is None:
                return self._not_understood(replies, question)
            else:  # "不对", "户口没注销", "其实我不是党员": no agreement; a screening answer changes the proposal
                self._rescreen(draft, text, replies)
                return None
        self._agree_matters(draft, selected, replies)
        self._follow_up(veteran, case, draft, state, question, rest, replies)
        return None

    def _rescreen(self, draft: Draft, text: str, replies: list) -> None:
        answers = self._screening_answers(self._screening_slots(), text, None, asked=False)
        if not answers:
            replies.append(self._text(self.content.texts["which_matters"]))
            return
        self._keep_screening(draft, answers)
        replies.append(self._text(self.content.texts["matters_rescreened"]))

    def _screening_slots(self) -> list[str]:
        return [f"need_{key}" for key in self.content.screening] + list(self.content.screening_field_words)

    def _rescreens(self, draft: Draft, text: str) -> bool:
        """Keeps the screening answers in `text` that differ from those given before; whether there were any."""
        need = draft.dialogue.get("need", {})
        answers = self._screening_answers(self._screening_slots(), text, None, asked=False)
        changed = {slot: answer for slot, answer in answers.items()
                   if (need.get(slot.removeprefix("need_")) if slot.startswith("need_") else draft.values.get(slot))
                   != answer}
        self._keep_screening(draft, changed)
        return bool(changed)

    def _edited_matters(self, options: list[dict], selected: list[str], text: str) -> list[str] | None:
        """The selection after "去掉培训" or "加上驾驶证"; None when the message changes none."""
        named = [o["value"] for o in options if self._mentions(text, o["label"], o["value"])]
        if named and self.cues["remove_matter"].search(text):
            return [m for m in selected if m not in named]
        if named and self.cues["add_matter"].search(text):
            return selected + [m for m in named if m not in selected]
        return None

    def _refuse_matters(self, draft: Draft, options: list[dict], text: str, replies: list) -> bool:
        """"还要申请一次性补助金" from a 复员军官: a matter the type cannot have is asked for, and told why."""
        offered = {o["value"] for o in options}
        if self.cues["remove_matter"].search(text):
            return False
        reasons = [reason for m in self.ctx.profile.matters.values()
                   if m.key not in offered and not m.display_only and self._mentions(text, m.label, m.key)
                   and (reason := self.ctx.profile.refusal_reason(draft.veteran_type, m.key))]
        if reasons:
            replies.append(self._text("；".join(reasons) + "。"))
        return bool(reasons)

    def _confirm_matters(self, draft: Draft, yes: bool, question: Question) -> None:
        self._keep_matters(draft, question.data["selected"])

    def _agree_matters(self, draft: Draft, selected: list[str], replies: list) -> None:
        self._keep_matters(draft, selected)
        replies.append(self._text(self.content.texts["matters_agreed"].format(
            matters=named_matters(self.ctx, self.content, draft.matters))))

    def _keep_matters(self, draft: Draft, selected: list[str]) -> None:
        draft.matters = self._completed(draft, selected)
        draft.dialogue["matters_confirmed"] = True
        draft.dialogue["matters_for"] = self._deciding_answers(draft)
        if "training" in draft.matters:
            draft.values.setdefault("training_need", True)

    def _deciding_answers(self, draft: Draft) -> dict:
        """The answers some matter is only for (政治面貌 for the party and league transfers)."""
        return {key: draft.values.get(key) for matter in allowed_matters_of(self.ctx, draft)
                for key in matter.deciding_fields}

    def _propose_again_for_new_answers(self, draft: Draft, replies: list) -> None:
        """"政治面貌改成群众" once the matters are chosen: they are proposed again for the new answer (no
        党组织关系转接; 团组织关系转接 for a 共青团员), and the one-time notice follows the new choice."""
        dialogue = draft.dialogue
        if not dialogue.get("matters_confirmed"):
            return
        deciding = self._deciding_answers(draft)
        if dialogue.setdefault("matters_for", deciding) != deciding:
            dialogue.pop("matters_confirmed")
            dialogue.pop("matters_for")
            replies.append(self._text(self.content.texts["matters_rescreened"]))

    def _completed(self, draft: Draft, selected: list[str]) -> list[str]:
        return self.ctx.profile.completed_matters(draft.veteran_type, selected)

    def _mentions(self, text: str, label: str, key: str) -> bool:
        words = {label, label.split("（")[0]} | {part for part in re.split(r"[（）()、和及]", label) if len(part) >= 2}
        return any(w and w in text for w in words | set(self.content.matter_aliases.get(key, ())))

    def _veteran_type_in(self, text: str) -> str | None:
        words = self.content.synonyms["veteran_type"]
        found = u.find_choice(text, tuple(self.ctx.profile.veteran_types),
                              {k: (t.label, *words.get(k, ())) for k, t in self.ctx.profile.veteran_types.items()})
        if found and found[0] == "demobilized_officer" and self.cues["soldier"].search(text) and not self.cues["officer"].search(text):
            return None  # "义务兵复员回来的": no officer
        return found[0] if found else None

    def _say_type_taken(self, kind: str, replies: list) -> None:
        replies.append(self._text(self.content.texts["type_taken"].format(
            label=self.ctx.profile.veteran_types[kind].label)))

    def _type_not_taken(self, text: str, replies: list):
        """Why a typed answer is no type: another kind of veteran, or a soldier saying 复员; else not understood."""
        for cue, key in (("other_kinds", "other_kinds"), ("soldier", "soldier_not_officer")):
            if self.cues[cue].search(text):
                replies.append(self._text(self.content.texts[key]))
                return None
        return NOT_UNDERSTOOD

    def _submit(self, veteran, case, draft, state, replies):
        drafts.save_draft(self.ctx, case, draft)
        try:
            # Committed with the turn's record: one transaction, and nothing to read again after it.
            submitted = submission.submit_in_transaction(self.ctx, veteran, drafts.submission_payload(self.ctx, draft),
                                                         case)
        except CaseError as exc:
            problems = "；".join(f"{self.ctx.profile.fields[k].label if k in self.ctx.profile.fields else k}：{v}"
                                for k, v in exc.fields.items())
            replies.append(self._text(self.content.texts["submit_problems"].format(problems=problems or exc.message)))
            first = next((k for k in exc.fields if k in self.ctx.profile.fields), None)
            state.pending = {"kind": "fields", "slots": [first]} if first else None
            return None
        text = self.submitted_text(submitted)
        owed = [m for m in self.ctx.profile.materials_due_now(submitted.matter_keys, draft.values)
                if m.key not in self.provided_materials(submitted)]
        later = self.ctx.profile.materials_due_later(submitted.matter_keys, draft.values)
        replies.append({"type": "case", "text": text,
                        "data": {"case_id": submitted.id, "case_no": submitted.case_no,
                                 "status": submitted.status,
                                 "materials_owed": [{"key": m.key, "label": m.label} for m in owed]}})
        if owed:
            replies.append(self._text(self.content.texts["materials_owed"].format(labels="、".join(m.label for m in owed))))
        if later:
            replies.append(self._text(self.content.texts["materials_after"].format(
                items="；".join(f"{m.label}（{m.spec}）" for m in later))))
        return Turn(replies, None, submitted.id, partial(self.states.forget, veteran.id))

    def submitted_text(self, case: Case) -> str:
        """The case number, what comes next and the time limit as the province states it (the chat and the
        Rasa submit action both say this)."""
        profile, texts = self.ctx.profile, self.content.texts
        limit, excluded = profile.time_limit, profile.time_limit.excluded_for(case.matter_keys)
        return texts["submitted" if limit.stated else "submitted_untimed"].format(
            case_no=case.case_no, working_days=limit.working_days, province=profile.name,
            next_step=profile.review_wording.get("after_submission", texts["submitted_next_step"]),
            excluded=f"；{excluded}" if excluded else "")

    def _applies_again(self, text: str | None) -> bool:
        """"我要重新申请", "我刚退伍，要办哪些手续": a new application after the last one ended."""
        return bool(text) and (self.cues["apply_again"].search(text) is not None
                               or self.qa.classify(text).intent == "start_application")

    def _after_submission(self, case: Case, text: str | None) -> Turn:
        """Where the case stands, for anything said about it; a policy question is answered instead."""
        texts, replies = self.content.texts, []
        change = bool(text) and self.cues["change"].search(text) is not None
        about_case = bool(text) and (change or self.cues["about_the_case"].search(text) is not None)
        if text and not about_case and self._asks(text) and self.qa.classify(text).intent not in (
                "ask_progress", "greet", "thanks", "start_application", "human_help"):
            self._answer_policy(text, replies)
            return Turn(replies, None, case.id)
        replies.append(self._text("\n".join(self.case_lines(case))))
        if change:  # "地址写错了", "我想撤回", "我还要办驾驶证"
            replies.append(self._text(texts["change_before_acceptance" if case.status in statuses.OPEN_FOR_VETERAN
                                            else "change_after_acceptance"]))
        if text and self.cues["human_help"].search(text):
            replies.append(self._text(texts["human_help"]))
        if case.status in queries.FINISHED:
            replies.append(self._text(texts["apply_again"]))
        return Turn(replies, None, case.id)

    def case_lines(self, case: Case) -> list[str]:
        """The case's state, what the veteran must do (first: a long reply on WeChat is cut in the middle),
        then each matter's and the deadline; what staff wrote, with personal numbers masked. The chat and
        the Rasa progress action both say this."""
        lines = [self.content.texts["already_submitted"].format(case_no=case.case_no,
                                                                 status=statuses.CASE_LABELS[case.status])]
        if case.decision_reason:
            lines.append(f"原因：{mask_in_staff_text(case.decision_reason)}")
        if case.supplement:
            items = "；".join(f"{i['label']}：{mask_in_staff_text(i['reason'])}" for i in case.supplement["items"])
            note = case.supplement.get("note")
            lines.append(f"需要补正：{items}" + (f"。{mask_in_staff_text(note)}" if note else ""))
        for matter in case.matters if case.status not in (statuses.REJECTED, statuses.WITHDRAWN) else ():
            label = self.ctx.profile.matters[matter.key].label
            told = matter.note if matter.status == statuses.RETURNED else matter.result  # "缺少房产证明"
            lines.append(f"· {label}：{statuses.MATTER_LABELS[matter.status]}"
                         + (f"（{mask_in_staff_text(told)}）" if told else ""))
        if case.deadline and case.status in statuses.RUNNING:
            lines.append(f"办结期限：{case.deadline.isoformat()}")
        return lines

    # --- saying things ----------------------------------------------------------------------------
    @staticmethod
    def _text(text: str) -> dict:
        return {"type": "text", "text": text}

    @staticmethod
    def _not_understood(replies: list, question: Question):
        return NOT_UNDERSTOOD

    def _show(self, key: str, value) -> str:
        shown = masked(self.ctx.profile, {key: value})[key]
        if isinstance(shown, dict):
            return shown["name"]
        if isinstance(shown, bool):
            field = self.ctx.profile.fields[key]
            return field.yes_label if shown else field.no_label
        return str(shown)

    def _ask(self, question: Question, draft: Draft, case: Case) -> dict:
        reply = self._question_reply(question, draft, case)
        if question.then is not None:
            yes = self.content.texts["agree_matters" if question.kind == "matters" else "agree"]
            reply["text"] += f"\n{self.content.texts['together'].format(yes=yes)}\n{question.then.prompt}"
        return reply

    def _question_reply(self, question: Question, draft: Draft, case: Case) -> dict:
        if question.kind == "confirm":
            # What will be submitted: not the bank account of a type changed to one without the subsidy
            needed = {f.key for f in self.ctx.profile.needed_fields(draft.matters, draft.values)}
            rows = [{"key": k, "label": f.label, "value": self._show(k, draft.values[k])}
                    for k, f in self.ctx.profile.fields.items() if k in draft.values and (k in needed or f.derived_from)]
            matters = [self.ctx.profile.matters[m].label for m in draft.matters]
            owed = [m.label for m in self.ctx.profile.materials_due_now(draft.matters, draft.values)
                    if m.key not in self.provided_materials(case)]
            text = "\n".join([question.prompt, f"办理事项：{named_matters(self.ctx, self.content, draft.matters)}",
                              *(f"{r['label']}：{r['value']}" for r in rows),
                              *([f"还需上传的材料：{'、'.join(owed)}"] if owed else [])])
            return {"type": "summary", "text": text, "options": question.options,
                    "data": {"fields": rows, "matters": matters, "materials_owed": owed}}
        if question.kind == "roster":
            rows = [f"{self.ctx.profile.fields[k].label}：{self._show(k, draft.values[k])}"
                    for k in question.data["prefill"] if k in draft.values]
            kind = draft.dialogue.get("roster_type")
            if kind:
                rows.insert(0, f"退役类型：{self.ctx.profile.veteran_types[kind].label}")
            return {"type": "choices", "text": question.prompt + "\n" + "\n".join(rows) + "\n信息是否正确？",
                    "options": question.options}
        if question.options:
            options = question.options
            reply = {"type": "choices", "text": question.prompt, "options": options}
            if question.data:
                reply["data"] = question.data
            return reply
        return {"type": "text", "text": question.prompt}

