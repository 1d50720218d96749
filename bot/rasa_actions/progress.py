"""`action_report_progress`: where the sender's latest submitted case stands, matter by matter."""
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.rasa_actions import runtime
from cases import queries, statuses
from models import Case


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
            profile = s.ctx.profile
            lines = [s.content.texts["already_submitted"].format(case_no=case.case_no,
                                                                 status=statuses.CASE_LABELS[case.status])]
            matters = []
            for matter in case.matters:
                label = profile.matters[matter.key].label
                status = statuses.MATTER_LABELS[matter.status]
                lines.append(f"· {label}：{status}" + (f"（{matter.result}）" if matter.result else ""))
                matters.append({"key": matter.key, "label": label, "status": matter.status, "status_label": status,
                                "result": matter.result})
            if case.supplement:
                lines.append("需要补正：" + "；".join(f"{i['label']}：{i['reason']}" for i in case.supplement["items"]))
            if case.deadline and case.status in statuses.RUNNING:
                lines.append(f"办结期限：{case.deadline.isoformat()}")
            dispatcher.utter_message(text="\n".join(lines), json_message={
                "case_id": case.id, "case_no": case.case_no, "status": case.status, "matters": matters})
            return []
