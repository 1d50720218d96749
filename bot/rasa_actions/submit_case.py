"""`action_submit_case`: submits the form collected in the Rasa slots, through the same code as
`POST /api/v1/cases` and the chat, for the veteran whose WeChat openid is the sender_id."""
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.rasa_actions import runtime
from bot.rasa_actions.form_validation import FORM_SLOTS
from cases import submission
from cases.context import Context
from cases.drafts import Draft, submission_payload
from cases.errors import CaseError, InvalidForm
from cases.form import check_choice, unseal
from materials import checklist
from models import Case

SLOT_LABELS = {"veteran_type": "退役类型", "matters": "办理事项"}


def payload_from_slots(ctx: Context, tracker: Tracker) -> dict:
    """The body of `POST /api/v1/cases` from the slots: only the fields the chosen matters need."""
    veteran_type, chosen = tracker.get_slot("veteran_type"), tracker.get_slot("matters")
    fields = ctx.profile.fields
    values = {k: v for k, v in tracker.slots.items()
              if k in fields and v is not None and not fields[k].derived_from and not fields[k].staff_only}
    matters, problems = check_choice(ctx.profile, veteran_type, chosen)
    if problems:  # the submission reports them with everything else
        return {"veteran_type": veteran_type, "matters": chosen, "fields": values}
    return submission_payload(ctx, Draft(values=values, veteran_type=veteran_type, matters=matters))


def idempotency_key(tracker: Tracker) -> str | None:
    """One case per user message: Rasa running the action again for the same message gets the same case."""
    message_id = tracker.latest_message.get("message_id")
    return f"rasa:{message_id}"[:128] if message_id else None


class ActionSubmitCase(Action):
    def name(self) -> str:
        return "action_submit_case"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        with runtime.services() as s:
            veteran = runtime.veteran_of_sender(tracker.sender_id, create=True)
            if veteran is None:
                dispatcher.utter_message(text="无法确认您的身份，请从小程序重新进入后再提交。")
                return []
            try:
                payload = payload_from_slots(s.ctx, tracker)
                case, _ = submission.submit(s.ctx, veteran, payload, idempotency_key(tracker))
            except InvalidForm as exc:
                return self._refused(s.ctx, exc, dispatcher)
            except CaseError as exc:
                dispatcher.utter_message(text=exc.message)
                return []
            self._tell_submitted(s, case, dispatcher)
            return [SlotSet("case_id", case.id), SlotSet("case_no", case.case_no)]

    @staticmethod
    def _refused(ctx: Context, exc: InvalidForm, dispatcher: CollectingDispatcher) -> list:
        """Every problem at once (一次性告知); the slots at fault are emptied so the form asks them again."""
        labels = {**SLOT_LABELS, **{k: f.label for k, f in ctx.profile.fields.items()}}
        lines = [f"· {labels.get(key, key)}：{reason}" for key, reason in exc.fields.items()]
        dispatcher.utter_message(text="\n".join([f"{exc.message}：", *lines]))
        return [SlotSet(key, None) for key in exc.fields if key in ctx.profile.fields or key in FORM_SLOTS]

    @staticmethod
    def _tell_submitted(s: runtime.Services, case: Case, dispatcher: CollectingDispatcher) -> None:
        limit = s.ctx.profile.time_limit
        note = "依据本省实施方案" if limit.stated else "政策文件未规定时限，此为本地设置"
        text = s.content.texts["submitted"].format(case_no=case.case_no, working_days=limit.working_days,
                                                   deadline_note=note)
        owed = [item.material for item in checklist.checklist(s.ctx, s.e_licences, case, unseal(s.ctx, case.fields))
                if item.status == checklist.OWED]
        if owed:
            text += "\n以下材料还需上传：" + "、".join(m.label for m in owed) + "。"
        dispatcher.utter_message(text=text, json_message={
            "case_id": case.id, "case_no": case.case_no, "status": case.status,
            "materials_owed": [{"key": m.key, "label": m.label} for m in owed]})
