"""One turn of the chat guide: understand the message, write every accepted answer into the draft,
and say what comes next. No Flask here: the API (and the WeChat callback) call `Guide.respond`.

The Guide keeps the dispatch; each concept it hands a message to is a module of its own: the matters
proposal (bot/matters.py), the type and screening answers (bot/screening.py), the roster prefill
(bot/roster_prefill.py), the card recipient (bot/recipient.py), copied values (bot/copies.py), answers
typed beside a question (bot/mixed_messages.py), the submission (bot/submitted.py) and what is said
(bot/saying.py).
"""
import copy
import re
from dataclasses import replace
from functools import partial

from bot import matters, recipient, roster_prefill, understanding as u
from bot.content import Content
from bot.copies import confirm_places, fill_places, keep_given, refresh_copies
from bot.extraction import cut_at_options, extract, from_given, labelled, opportunistic
from bot.householder import FIELD as HOUSEHOLDER_RELATION, turn_round
from bot.flow import (CONFIRMATIONS, LEADS_ON, Question, allowed_matters, field_question, missing_fields,
                      next_question)
from bot.mixed_messages import (CONTROL_CONFIDENCE, SMALL_TALK, answers_beside, answers_first, asks, guides_own,
                                guides_own_at_the_end, questions_in)
from bot.notice import one_time_notice
from bot.restated import restated
from bot.saying import NOT_UNDERSTOOD, Turn, ask, policy_answer, say, shown
from bot.screening import (keep_screening, restates_screening, screening_answers, take_early, type_not_taken,
                           type_taken, veteran_type_in)
from bot.state import ChatState, StateStore
from bot.submitted import after_submission, applies_again, case_lines, confirms_submission, submit, submitted_text
from cases import drafts, queries, statuses
from cases.context import Context
from cases.drafts import Draft
from cases.form import before_birth, cross_field_problems, derived_values, fill_defaults
from models import Case, Veteran

MESSAGE_MAX_LENGTH = 1000  # characters in one message, for the chat API and the Rasa actions alike
# A policy question typed as into a search box ("照片要求", "社保卡邮费"): the classifier's word, this sure.
SEARCH_CONFIDENCE = 0.8
CONTROL = {"restart", "go_back", "pause", "ask_progress", "correct_field", "upload_later", "human_help"}
LEAVING = {"go_back", "pause", "restart", "human_help", "ask_progress"}  # never an answer to the question
RESENDABLE = {"bank_account", "id_number"}  # numbers sent again after a cut-short one: see Guide._take_resent
SHORT_REPLY = 4  # characters: a reply this short that answers nothing is not understood, not out of scope
PLAIN_IS = re.compile(r"[,，\s]是")  # "名字写错了，是王磊": a correction without a cue word
TYPE_CHANGE = re.compile(r"(退役类型|安置方式).{0,4}(错|不对|改)|(改|换|修改).{0,4}(退役类型|安置方式)")


class Guide:
    """The chat guide for one province; built once at app start, used for every turn."""

    def __init__(self, ctx: Context, content: Content, qa, states: StateStore, roster_lookup, provided_materials):
        self.ctx, self.content, self.qa, self.states = ctx, content, qa, states
        self.cues = content.cues
        self.roster_lookup = roster_lookup            # (ctx, name, id_number) -> {field: value, "veteran_type"} | None
        self.provided_materials = provided_materials  # (case) -> set of material keys uploaded or covered

    # --- the turn ----------------------------------------------------------------------------
    def respond(self, veteran: Veteran, case: Case | None, text: str | None = None,
                payload: dict | None = None) -> Turn:
        """`case`: the veteran's unfinished case (`queries.unfinished_case_of_veteran`), read by the caller."""
        if case is not None and case.status != statuses.DRAFT:
            return after_submission(self.ctx, self.content, self.qa, case, text, self.provided_materials)
        state = self.states.load(veteran.id)
        replies: list[dict] = []
        if case is None:
            earlier = next((c for c in queries.cases_of_veteran(veteran.id) if c.case_no), None)
            if earlier is not None and not applies_again(self.qa, self.content, text):
                # how the finished one ended, not a blank draft
                return after_submission(self.ctx, self.content, self.qa, earlier, text,
                                        self.provided_materials)
            case = drafts.draft_case(veteran, self.ctx.profile.key)
            state = ChatState()
            replies.append(say(self.content.texts["greeting"]))
            if earlier is not None:
                replies.append(say(self.content.texts["earlier_case"].format(
                    case_no=earlier.case_no, status=statuses.CASE_LABELS[earlier.status])))
        draft = drafts.open_draft(self.ctx, case)
        if state is None or state.paused:
            state = ChatState(pending=draft.dialogue.get("pending"), asked=state.asked if state else [])
            replies.append(say(self.content.texts["resume"]))
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
            return after_submission(self.ctx, self.content, self.qa, case, None, self.provided_materials)
        case = case or drafts.draft_case(veteran, self.ctx.profile.key)
        draft = drafts.open_draft(self.ctx, case)
        draft.veteran_type, draft.matters, draft.dialogue = None, [], {}
        for key in self.content.screening_field_words:  # the screening is asked whole again ("不服预备役" now)
            draft.values.pop(key, None)
        said = "restarted" if draft.values else "restarted_empty"  # nothing kept: nothing to say about it
        return self._finish(veteran, case, draft, ChatState(), [say(self.content.texts[said])])

    def submitted_text(self, case: Case) -> str:
        """The case number, what comes next and the time limit (the chat and the Rasa submit action both say this)."""
        return submitted_text(self.ctx, self.content, case)

    def case_lines(self, case: Case) -> list[str]:
        """Where the case stands (the chat and the Rasa progress action both say this)."""
        return case_lines(self.ctx, self.content, case, self.provided_materials)

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
        self._keep_confirmation(supposed, True, confirmation)
        following = next_question(self.ctx, self.content, supposed, self.provided_materials(case))
        return following if following.kind in ("screening", "fields") else None

    def _keep_confirmation(self, draft: Draft, yes: bool, question: Question) -> None:
        """A "yes" or "no" to the roster record, the places, the recipient or the proposed matters."""
        if question.kind == "roster":
            roster_prefill.confirm(draft, yes)
        elif question.kind == "places":
            confirm_places(self.ctx, self.content, draft, yes)
        elif question.kind == "recipient":
            recipient.confirm(self.ctx, draft, yes)
        else:
            matters.keep(self.ctx, draft, question.data["selected"])

    def _finish(self, veteran, case, draft, state, replies, asked: Question | None = None) -> Turn:
        self._ask_dates_again_if_reversed(draft, state, replies)
        if {"name", "id_number"} <= draft.values.keys():
            roster_prefill.offer(self.ctx, self.roster_lookup, draft)
        draft.values.update(derived_values(draft.values))
        before = set(draft.values)
        fill_defaults(self.ctx.profile, draft.matters, draft.values, conditional_only=True)
        if set(draft.values) - before:
            draft.dialogue["defaults_filled"] = sorted({*draft.dialogue.get("defaults_filled", ()),
                                                        *(set(draft.values) - before)})
        if draft.dialogue.get("places_confirmed") and "handling_region" in draft.values:
            fill_places(self.ctx, self.content, draft)
        refresh_copies(self.ctx, draft)
        for field in self.ctx.profile.needed_fields(draft.matters, draft.values):
            if field.type == "choice" and len(field.options) == 1:  # nothing to ask (e.g. 户口业务类型: 恢复户口)
                draft.values.setdefault(field.key, field.options[0])
        matters.propose_again_for_new_answers(self.ctx, self.content, draft, replies)
        question = self._current_question(case, draft, state)
        self._give_notice(case, draft, question, replies)
        if asked is not None and (not state.asked or state.asked[-1]["slots"] != asked.every_slot) \
                and asked.every_slot != question.every_slot:
            state.asked.append({"kind": asked.kind, "slots": asked.every_slot})
        replies.append(ask(self.ctx, self.content, question, draft, partial(self.provided_materials, case)))
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
            replies.append(say("；".join(early.values()) + "。"))
            return
        problem = cross_field_problems(self.ctx.profile, draft.values).get("discharge_date")
        if problem:
            dates = ["enlistment_date", "discharge_date"]
            for key in dates:
                draft.values.pop(key)
            state.pending = {"kind": "fields", "slots": dates}
            replies.append(say(self.content.texts["dates_reversed"].format(problem=problem)))

    def _give_notice(self, case: Case, draft: Draft, question: Question, replies: list) -> None:
        """一次告知, before the first form question: with the proposed matters when that question comes in
        the same message, else once the matters are chosen. Again only if the matters change."""
        if question.kind == "matters" and question.then is not None:
            proposed = matters.completed(self.ctx, draft, question.data["selected"])
            about, intro = replace(draft, matters=proposed), "notice_proposed"
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
        texts = self.content.texts
        if payload is not None:
            slot, value = payload.get("slot"), payload.get("value")
            if slot not in question.every_slot:  # a tap answers the question on screen, nothing else
                replies.append(say(texts["not_understood"] + texts["answer_current"]))
                return None
            result = self._answer(veteran, case, draft, state, question, None, {slot: value}, replies)
            if result is NOT_UNDERSTOOD:
                replies.append(say(texts["not_understood"]))
                return None
            return result
        text = (text or "").strip()
        if not text:
            return None
        asked, said = questions_in(self.content, text)
        if asked and not said:
            asked, said = guides_own_at_the_end(self.qa, self.content, draft, text)
        if asked and said and answers_beside(self.content, said):
            # "汉族，高中，照片有什么要求": the answers first, then the question on its own
            result = answers_first(self.ctx, self.content, draft, state, replies, lambda: self._handle(
                veteran, case, draft, state, question, said, None, replies))
            if result is None:
                intent = self.qa.classify(asked)
                if not guides_own(draft, intent):
                    replies.append(policy_answer(self.qa, asked, self._about_material(question, asked, intent)))
            if result is not NOT_UNDERSTOOD:
                return result
        if question.kind == "confirm" and restates_screening(self.ctx, self.content, draft, text, replies):
            return None
        if question.kind == "confirm" and draft.dialogue.get("materials_later") \
                and self.cues["upload_now"].search(text) and not asks(self.content, text):
            draft.dialogue.pop("materials_later")  # "我现在要上传身份证": the owed materials are asked again
            replies.append(say(texts["upload_now"]))
            return None
        if question.kind == "material" and self.cues["not_at_hand"].search(text) and not asks(self.content, text):
            # "我现在没带", "身份证手边没有": no FAQ about the ID card, the material comes later
            return self._answer(veteran, case, draft, state, question, text, None, replies, intent="upload_later")
        intent = self.qa.classify(text)
        if intent.intent in SMALL_TALK and (intent.confidence >= CONTROL_CONFIDENCE or self._opening(question, text)) \
                and not self._names_an_option(question, text) and not u.says_yes_to(question, text):
            return None  # "我刚退伍，要办哪些手续？" is answered by the guide itself ("良好" and "好" answer instead)
        if self._names_a_change(draft, question, text):
            intent = replace(intent, intent="correct_field", confidence=1.0)
        control = intent.intent in CONTROL and intent.confidence >= CONTROL_CONFIDENCE and (  # "我的申请到哪一步了"
            intent.intent != "correct_field" or self.cues["change"].search(text) or self._named_field(text))
        alone = len(u.segments(text)) == 1
        if not control and (asks(self.content, text) or alone and self.cues["asking"].search(text)
                            or alone and self._typed_as_a_search(question, text, intent)):
            replies.append(policy_answer(self.qa, text, self._about_material(question, text, intent)))
            return None
        if TYPE_CHANGE.search(text):
            self._change_type(draft, state, text, replies)
            return None
        if matters.changes(self.ctx, self.content, draft, question, text, replies):
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
        if result is NOT_UNDERSTOOD and question.kind == "confirm" and self._corrects_at_summary(draft, state, text, replies):
            return None
        if result is NOT_UNDERSTOOD and restated(self.ctx, self.content, draft, text, replies):
            return None
        if result is NOT_UNDERSTOOD:
            if u.is_unsure(text):
                replies.append(say(texts["unsure"]))
            elif intent.intent.startswith("faq/") or (intent.intent == "out_of_scope" and len(text) > SHORT_REPLY):
                replies.append(policy_answer(self.qa, text, self._about_material(question, text, intent)))
            else:  # "对的" or "手机号" that fits no question is no policy question either
                replies.append(say(texts["not_understood"]))
            return None
        return result

    @staticmethod
    def _opening(question: Question, text: str) -> bool:
        """A first message like "你好，我去年底退伍的，需要办啥": no number and no 我叫 to take for the
        name, ID number or county asked first ("你好" is no name)."""
        return question.slot == "name" and not re.search(r"\d|我叫|姓名|名字", text)

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
            replies.append(say(texts["paused"]))
        elif intent == "go_back":
            self._go_back(case, draft, state, replies)
        elif intent == "ask_progress":
            filled = len([k for k in draft.values if not self.ctx.profile.fields[k].derived_from])
            replies.append(say(texts["progress_draft"].format(filled=filled)))
        elif intent == "upload_later":
            draft.dialogue["materials_later"] = True
            replies.append(say(texts["upload_later"]))
        elif intent == "human_help":
            replies.append(say(texts["human_help"]))
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
                replies.append(say(self.content.texts["went_back"]))
                return
            draft.values, draft.dialogue, draft.veteran_type, draft.matters = kept
        replies.append(say(self.content.texts["nothing_to_go_back_to" if not draft.values else "cannot_go_back"]))

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
                roster_prefill.offer(self.ctx, self.roster_lookup, draft)  # puts back the roster values a "no" removed
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
            replies.append(say(self.content.texts["which_to_correct"]))
            return
        field = self.ctx.profile.fields[key]
        said = self._corrected_to(text)
        if not said:  # a value of its own type is found anywhere: "身份证号输错了，是5101…"; text is not
            said = text if field.type != "text" else None
        if said and key == HOUSEHOLDER_RELATION:
            said = self._in_register_terms(draft, said, replies)
        found = extract([key], said, self.ctx, self.content) if said else None
        if found and key in found.values:
            keep_given(draft, {key: found.values[key]})
            replies.append(say(self.content.texts["corrected"].format(
                label=field.label, value=shown(self.ctx, key, found.values[key]))))
            state.pending = None
        else:
            state.pending = {"kind": "fields", "slots": [key]}
            replies.append(say(self.content.texts["ask_new_value"].format(label=field.label)))

    def _corrects_at_summary(self, draft: Draft, state: ChatState, text: str, replies: list) -> bool:
        """At the summary, "户主是我妈，叫刘芳": the values said anew for the field named and those asked with
        it are changed and said back, or the new value asked for; "我爸的电话应该是137…", which names no field
        of the form, asks which one. False when the message neither names a field nor says a correction."""
        key = self._named_field(text)
        if key is None:
            if not self.cues["corrected_to"].search(text):
                return False
            replies.append(say(self.content.texts["which_to_correct"]))
            return True
        group = self.content.group_of(key)
        slots = list(group.slots) if group else [key]
        turned = turn_round(text, self._gender(draft, text), self.content)
        if turned is not None and HOUSEHOLDER_RELATION not in slots:
            slots.append(HOUSEHOLDER_RELATION)
        needed = {f.key for f in self.ctx.profile.needed_fields(draft.matters, draft.values)}
        found = extract([s for s in slots if s in needed], turned.text if turned else text, self.ctx, self.content)
        changed = {k: v for k, v in found.values.items() if draft.values.get(k) != v}
        if not changed:
            self._correct(draft, state, text, replies)
            return True
        keep_given(draft, changed)
        replies.extend(say(self.content.texts["corrected"].format(
            label=self.ctx.profile.fields[k].label, value=shown(self.ctx, k, v))) for k, v in changed.items())
        return True

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
                matters.mentions(self.content, text, m.label, m.key) for m in self.ctx.profile.matters.values()):
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

    def _change_type(self, draft: Draft, state: ChatState, text: str, replies: list) -> None:
        """"退役类型选错了，应该是安排工作": the type changes, and the matters are proposed again for it."""
        chosen = veteran_type_in(self.ctx, self.content, self._corrected_to(text))
        draft.veteran_type, draft.matters = chosen, []
        draft.dialogue.pop("matters_confirmed", None)
        state.pending = None
        if chosen:
            label = self.ctx.profile.veteran_types[chosen].label
            replies.append(say(self.content.texts["type_changed"].format(label=label)))
        else:
            replies.append(say(self.content.texts["choose_type_again"]))

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
            for key, value in opportunistic(text, self.ctx, self.content, draft.values).items():
                if key not in question.slots:
                    draft.values[key] = value
            if kind == "fields" and draft.veteran_type is None:
                text = take_early(self.ctx, self.content, draft, text, replies)
                if not text:  # "自主就业" at the ID number question: the type, and no ID number to check
                    return None
            if kind == "fields":
                text = self._without_found_out(text)
                self._take_resent(draft, state, question, text, replies)
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
                chosen = veteran_type_in(self.ctx, self.content, text or "")
                if chosen is None:
                    return type_not_taken(self.content, text or "", replies)
                replies.append(type_taken(self.ctx, self.content, chosen))
            draft.veteran_type = chosen
        elif kind == "screening":
            answers = screening_answers(self.ctx, self.content, question.slots, text, given)
            if not answers:
                return NOT_UNDERSTOOD
            keep_screening(draft, answers)
        elif kind == "matters":
            before = dict(draft.values)
            rest = matters.choose(self.ctx, self.content, draft, question, text, value, replies)
            if rest is matters.NOT_AGREED:  # "朝阳区，汉族，初中": the answers kept, the proposal asked again
                return self._answered_along(veteran, case, draft, state, question, text, before, replies)
            if not isinstance(rest, list):
                return rest
            self._follow_up(veteran, case, draft, state, question, rest, replies)
        elif kind in CONFIRMATIONS:
            return self._confirm(veteran, case, draft, state, question, text, value, replies, intent)
        elif kind == "material":
            # "已上传" is no "稍后上传": the next material still to come is asked (again, if this one is not in)
            uploaded = bool(text and self.cues["uploaded"].search(text))
            if not uploaded and (text and (intent == "upload_later" or "稍后" in text or "以后" in text)
                                 or value in ("later", "稍后上传")):
                draft.dialogue["materials_later"] = True
                replies.append(say(self.content.texts["upload_later"]))
        elif kind == "confirm":
            choice = value if isinstance(value, str) else text or ""
            if "修改" in choice:
                replies.append(say(self.content.texts["which_to_correct"]))
            elif value is True or confirms_submission(self.content, choice):
                submitted = submit(self.ctx, self.content, veteran, case, draft, state, replies,
                                   self.provided_materials)
                if submitted is not None:
                    return Turn(replies, None, submitted.id, partial(self.states.forget, veteran.id))
            else:
                return NOT_UNDERSTOOD
        return None

    def _confirm(self, veteran, case, draft, state, question, text, value, replies, intent=None):
        """Apply a yes/no confirmation; the rest of "对，户口注销了，有培训需求" answers the question it leads to."""
        if question.kind == "recipient" and text is not None \
                and recipient.given(self.ctx, self.content, draft, question, text, replies):
            return None
        said = text if text is not None else str(value or "")
        pieces, rest = u.segments(said), []
        yes = value if isinstance(value, bool) else None
        if yes is None and pieces and (lead := u.split_leading_answer(pieces[0])) is not None:
            yes, rest = lead[0], [lead[1], *pieces[1:]]  # "是的汉族高中未婚健康": 未婚 is no "no"
        elif yes is None and pieces and question.kind == "roster" \
                and roster_prefill.corrects(self.ctx, self.content, draft, pieces[0]):
            yes, rest = False, pieces  # "退役时间是2024年8月", as "哪一项不对" asks: its 是 is no yes
        elif yes is None and pieces:
            yes = u.find_yes_no(pieces[0])
            if yes is not None:
                rest = pieces[1:]
            elif question.then is not None and text is not None and intent not in CONTROL \
                    and self._answer(veteran, case, draft, state, question.then, text, None, replies) is None:
                if question.kind == "recipient":
                    recipient.passed_over(self.ctx, self.content, draft, replies)
                return None  # the follow-up answered, the confirmation not: it is asked again, alone if need be
            else:
                yes = u.find_yes_no(said)  # "我看了，没问题"
        if yes is None:
            return NOT_UNDERSTOOD
        if question.kind == "places" and self.cues["others_right"].search(said):
            # "不是，出生地是绵阳市涪城区，其他都对": that place was taken as labelled, the rest stand
            yes, rest = True, [p for p in rest if not self.cues["others_right"].search(p)]
        disputed = question.kind == "roster" and not self.cues["whole_record_wrong"].search(said)
        if disputed:  # "不对，退役时间是…", and "信息都对，不过我是自主就业的" as well: the corrections first
            rest = roster_prefill.correct(self.ctx, self.content, draft, rest, replies, ask_which=not yes)
        if yes or not disputed:  # a "no" with corrections leaves the record to be confirmed as corrected
            self._keep_confirmation(draft, yes, question)
        # "不对，退役时间是…，户口注销了": the record is confirmed as corrected later, the rest answered now
        led_on = yes or disputed
        self._follow_up(veteran, case, draft, state, question if led_on else replace(question, then=None), rest, replies)
        return None

    def _follow_up(self, veteran, case, draft, state, question: Question, rest: list[str], replies: list) -> None:
        """What came after the "是" or "好的": the answer to the question it leads to; where it leads to
        another confirmation ("是的，汉族，大专"), what is recognisable is kept."""
        if rest and question.then is not None:
            self._answer(veteran, case, draft, state, question.then, "，".join(rest), None, replies)
        elif rest:
            self._take_labelled(draft, None, "，".join(rest), replies)

    def _answered_along(self, veteran, case, draft, state, question, text, before: dict, replies: list):
        """No yes to the confirmation on screen, but answers to what comes after it: kept and said back, and
        the confirmation asked again; NOT_UNDERSTOOD when there are none."""
        if question.then is not None \
                and self._answer(veteran, case, draft, state, question.then, text, None, replies) is None:
            return None
        start = len(replies)
        self._take_labelled(draft, None, text, replies)
        fields = self.ctx.profile.fields
        changed = [f.label for k, f in fields.items() if draft.values.get(k) != before.get(k) and not f.derived_from]
        if not changed:
            return NOT_UNDERSTOOD
        replies[start:] = [say(self.content.texts["noted"].format(labels="、".join(changed)))]
        return None

    def _without_found_out(self, text: str) -> str:
        """"我问到了，部队代号是78001部队": the words that bring the answer are no value of it."""
        pieces = u.segments(text)
        kept = [p for p in pieces if not self.cues["found_out"].fullmatch(p)]
        return text if len(kept) == len(pieces) else "，".join(kept)

    def _take_resent(self, draft: Draft, state: ChatState, question: Question, text: str, replies: list) -> None:
        """"6222 0202 0011" answered, then the number sent again in full: a bank account (or ID number) the
        question before took, said anew where the question on screen asks no number of its kind, replaces
        it, and the veteran is told."""
        fields = self.ctx.profile.fields
        previous = state.asked[-1]["slots"] if state.asked and state.asked[-1]["kind"] == "fields" else []
        asked_types = {fields[s].type for s in question.slots if s in fields}
        for key in previous:
            field = fields.get(key)
            if field is None or key not in draft.values or field.type not in RESENDABLE or field.type in asked_types:
                continue
            value = extract([key], text, self.ctx, self.content).values.get(key)
            if value is not None and value != draft.values[key]:
                keep_given(draft, {key: value})
                replies.append(say(self.content.texts["corrected"].format(
                    label=field.label, value=shown(self.ctx, key, value))))

    def _gender(self, draft: Draft, text: str) -> str | None:
        """The veteran's gender as the ID number states it, the one in this message too (子 or 女 depend on it)."""
        return derived_values({**opportunistic(text, self.ctx, self.content, {}), **draft.values}).get("gender")

    def _in_register_terms(self, draft: Draft, text: str, replies: list) -> str:
        """"户主是我爸" as the 户口簿 writes it ("子"), and the veteran told how it was taken."""
        turned = turn_round(text, self._gender(draft, text), self.content)
        if turned is None:
            return text
        if turned.householder and turned.householder != turned.relation:  # 配偶 is 配偶 either way
            replies.append(say(self.content.texts["householder_turned"].format(
                householder=turned.householder, relation=turned.relation)))
        return turned.text

    def _take_labelled(self, draft: Draft, question: Question | None, text: str, replies: list) -> str:
        """Fills what the message names for later questions ("部队代号61234"); the rest answers this one."""
        asked = [s for s in question.every_slot if s in self.ctx.profile.fields] if question else []
        later = [key for key in self._still_open(draft) if key not in asked]
        if question is None:  # "好的广州市天河区汉族大专未婚健康" (voice input): cut around each option
            text = "，".join(c for p in u.segments(text) for c in cut_at_options(p, later, self.ctx, self.content))
        found, rest = labelled(asked, later, text, self.ctx, self.content)
        said = next((p for p in u.segments(text) if (self._named_field(p) or "").startswith("householder_")), None)
        if HOUSEHOLDER_RELATION in later and HOUSEHOLDER_RELATION not in found and said:  # "…，户主是我父亲周大山"
            turned = turn_round(said, self._gender(draft, text), self.content)
            relation = turned and extract([HOUSEHOLDER_RELATION], turned.relation, self.ctx, self.content).values
            if relation:
                found.update(relation)
                self._in_register_terms(draft, said, replies)  # says how it was taken
        if found:
            keep_given(draft, found)
            replies.append(say(self.content.texts["noted"].format(
                labels="、".join(self.ctx.profile.fields[k].label for k in found))))
        return rest

    def _still_open(self, draft: Draft) -> list[str]:
        """The fields not answered yet that the matters chosen need; before they are chosen, that any matter
        the type may have could need ("开户行：…，想学电工，回原籍" said before the proposal)."""
        if draft.dialogue.get("matters_confirmed"):
            return [f.key for f in missing_fields(self.ctx, draft)]
        possible = [m.key for m in self.ctx.profile.matters.values()] if draft.veteran_type is None \
            else allowed_matters(self.ctx, draft)
        chosen_with = {key for key, _ in matters.SET_BY_CHOOSING.values()}  # the screening's to answer
        return [f.key for f in self.ctx.profile.needed_fields(possible, draft.values)
                if f.key not in draft.values and f.key not in chosen_with]

    def _fill_fields(self, draft, state, question, text, given, replies):
        if given is not None:
            found = from_given(given, self.ctx)
        else:
            found = extract(question.slots, text, self.ctx, self.content)
        keep_given(draft, found.values)
        if found.problems:
            replies.append(say("；".join(found.problems.values()) + "。"))
        if found.values:
            state.pending = None
        return bool(found.values or found.problems)
