"""`action_answer_policy_question`: the province's policy answer to the latest message, with its
sources, or the honest reply that the documents do not cover it (never an invented figure)."""
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.rasa_actions import runtime
from bot.rasa_actions.tracker_values import message_text, oversized, too_long_reply


class ActionAnswerPolicyQuestion(Action):
    def name(self) -> str:
        return "action_answer_policy_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        question = message_text(tracker).strip()
        if oversized(question):
            dispatcher.utter_message(text=too_long_reply("您的问题"))
            return []
        with runtime.services() as s:
            answer = (s.qa.answer(question) if question else None) or s.qa.out_of_scope_reply(question)
        text = answer.text
        if answer.sources:
            text += "\n来源：" + "；".join(f"《{src['title']}》{src['section']}" for src in answer.sources)
        dispatcher.utter_message(text=text, json_message={"faq": answer.id, "sources": answer.sources})
        return []
