"""`action_report_progress`: where the sender's latest submitted case stands, said as the chat says it."""
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.rasa_actions import runtime
from cases import queries, statuses
from models import Case
from security.number_masking import mask_in_staff_text


def latest_submitted_case(sender_id: str) -> Case | None:
    veteran = runtime.veteran_of_sender(sender_id)
    if veteran is None:
        return None
    return next((c for c in queries.cases_of_veteran(veteran.id) if c.status != statuses.DRAFT), None)


class ActionReportProgress(Action):
    def name(self) -> str:
        return "action_report_progress"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        with runtime.services() as s:
            case = latest_submitted_case(tracker.sender_id)
            if case is None:
                dispatcher.utter_message(text=s.content.texts["no_case"])
                return []
            matters = [{"key": m.key, "label": s.ctx.profile.matters[m.key].label, "status": m.status,
                        "status_label": statuses.MATTER_LABELS[m.status],
                        "result": m.result and mask_in_staff_text(m.result),
                        "note": m.note and mask_in_staff_text(m.note)} for m in case.matters]
            lines = s.guide.case_lines(case)
            dispatcher.utter_message(text="\n".join(lines), json_message={
                "case_id": case.id, "case_no": case.case_no, "status": case.status, "matters": matters})
            return []
