"""`action_submit_case`: submits the form collected in the Rasa slots, through the same code as
`POST /api/v1/cases` and the chat, for the veteran whose WeChat openid is the sender_id."""
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.rasa_actions import runtime
from bot.rasa_actions.form_validation import FORM_SLOTS, choice_problems
from bot.rasa_actions.tracker_values import message_id, too_long_reply, usable_slots, with_short_quotes
from cases import submission
from cases.context import Context
from cases.drafts import Draft, submission_payload
from cases.errors import CaseError, InvalidForm
from cases.form import unseal
from materials import checklist
from models import Case

# The submission says this to API clients, who chose the key; a veteran only sent a message.
SAME_MESSAGE_OTHER_FORM = "这条消息已经提交过一份申请，当时填写的内容与现在不同，所以没有再次提交。回复“我的申请到哪一步了”可以查看已提交的申请。"


def _slot_labels(ctx: Context) -> dict[str, str]:
    return {**FORM_SLOTS, **{k: f.label for k, f in ctx.profile.fields.items()}}


def payload_from_slots(ctx: Context, slots: dict) -> dict:
    """The body of `POST /api/v1/cases` from slots whose type and matters are valid: only the fields the
    chosen matters need."""
    fields = ctx.profile.fields
    values = {k: v for k, v in slots.items() if k in fields and not fields[k].derived_from and not fields[k].staff_only}
    matters = ctx.profile.completed_matters(slots["veteran_type"], slots["matters"])
    return submission_payload(ctx, Draft(values=values, veteran_type=slots["veteran_type"], matters=matters))


def idempotency_key(tracker: Tracker) -> str | None:
    """One case per user message: Rasa running the action again for the same message gets the same case."""
    given = message_id(tracker)
    return f"rasa:{given}"[:128] if given else None


class ActionSubmitCase(Action):
    def name(self) -> str:
        return "action_submit_case"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        with runtime.services() as s:
            veteran = runtime.veteran_of_sender(tracker.sender_id, create=True)
            if veteran is None:
                dispatcher.utter_message(text="无法确认您的身份，请从小程序重新进入后再提交。")
                return []
            slots = usable_slots(tracker)
            labels = _slot_labels(s.ctx)
            # The type and matters decide which fields are needed: until they are right, nothing else is checked.
            problems = choice_problems(s.ctx.profile, slots.get("veteran_type"), slots.get("matters"))
            problems.update((k, too_long_reply(labels[k])) for k, v in tracker.slots.items()
                            if k in labels and v is not None and k not in slots)
            if problems:
                return self._refused(s.ctx, f"申请表有{len(problems)}处需要修改", problems, dispatcher)
            try:
                case, _ = submission.submit(s.ctx, veteran, payload_from_slots(s.ctx, slots), idempotency_key(tracker))
            except InvalidForm as exc:
                return self._refused(s.ctx, exc.message, exc.fields, dispatcher)
            except CaseError as exc:
                said = SAME_MESSAGE_OTHER_FORM if exc.code == "idempotency_key_reused" else exc.message
                dispatcher.utter_message(text=said)
                return []
            self._tell_submitted(s, case, dispatcher)
            return [SlotSet("case_id", case.id), SlotSet("case_no", case.case_no)]

    @staticmethod
    def _refused(ctx: Context, summary: str, problems: dict[str, str], dispatcher: CollectingDispatcher) -> list:
        """Every problem at once (一次性告知), each under the name the veteran knows; the slots at fault
        are emptied so the form asks them again."""
        labels = _slot_labels(ctx)
        lines = []
        for key, reason in problems.items():
            label = labels.get(key)
            lines.append("· " + with_short_quotes(reason if label is None or reason.startswith(label) else f"{label}：{reason}"))
        dispatcher.utter_message(text="\n".join([f"{summary}：", *lines]))
        return [SlotSet(key, None) for key in problems if key in ctx.profile.fields or key in FORM_SLOTS]

    @staticmethod
    def _tell_submitted(s: runtime.Services, case: Case, dispatcher: CollectingDispatcher) -> None:
        text = s.guide.submitted_text(case)
        owed = [item.material for item in checklist.checklist(s.ctx, s.e_licences, case, unseal(s.ctx, case.fields))
                if item.status == checklist.OWED]
        if owed:
            text += "\n以下材料还需上传：" + "、".join(m.label for m in owed) + "。"
        dispatcher.utter_message(text=text, json_message={
            "case_id": case.id, "case_no": case.case_no, "status": case.status,
            "materials_owed": [{"key": m.key, "label": m.label} for m in owed]})
