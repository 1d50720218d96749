"""The rules shipped for a Rasa deployment (dialogs/rasa/data/rules.yml): whatever the veteran says to
steer the conversation, in the form or outside it, gets an answer, and a refused submission is not
a dead end. Rasa itself is not installed here, so the rules are read as data."""
import pytest
import yaml

from catalog.loader import DIALOGS_DIR

DOMAIN = yaml.safe_load((DIALOGS_DIR / "rasa" / "domain.yml").read_text(encoding="utf-8"))
RULES = yaml.safe_load((DIALOGS_DIR / "rasa" / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
RASA_DEFAULT_ACTIONS = {"action_listen", "action_back", "action_restart", "action_deactivate_loop"}
STEERING_INTENTS = ["pause", "go_back", "restart", "correct_field", "ask_progress", "faq", "out_of_scope"]


def _in_form(rule: dict) -> bool:
    return {"active_loop": "veteran_form"} in rule.get("condition", [])


def _actions_after(intent: str, in_form: bool) -> list[list[str]]:
    """The actions of each rule that answers `intent`, in the form or outside it."""
    return [[step["action"] for step in rule["steps"] if "action" in step] for rule in RULES
            if {"intent": intent} in rule["steps"] and _in_form(rule) == in_form]


@pytest.mark.parametrize("in_form", [True, False])
@pytest.mark.parametrize("intent", STEERING_INTENTS)
def test_every_steering_message_is_answered_in_the_form_and_outside_it(intent, in_form):
    assert intent in DOMAIN["intents"]
    assert _actions_after(intent, in_form), f"no rule answers {intent} {'in' if in_form else 'outside'} the form"


def test_a_refused_submission_has_the_form_ask_again():
    [actions] = _actions_after("confirm_submit", in_form=False)
    assert actions == ["action_submit_case", "veteran_form"]


@pytest.mark.parametrize("intent, first_action", [("pause", "utter_paused"), ("go_back", "action_back"),
                                                  ("restart", "action_restart"),
                                                  ("correct_field", "utter_how_to_correct")])
def test_pausing_going_back_restarting_and_correcting_say_what_happens(intent, first_action):
    for actions in _actions_after(intent, True) + _actions_after(intent, False):
        assert actions[0] == first_action
    said_by = {"action_back": "utter_back", "action_restart": "utter_restart"}  # Rasa says these if the domain has them
    assert said_by.get(first_action, first_action) in DOMAIN["responses"]


def test_a_pause_in_the_form_stops_the_form():
    [actions] = _actions_after("pause", in_form=True)
    assert actions == ["utter_paused", "action_deactivate_loop"]


def test_rules_run_only_what_the_domain_or_rasa_provides():
    known = set(DOMAIN["actions"]) | set(DOMAIN["responses"]) | set(DOMAIN["forms"]) | RASA_DEFAULT_ACTIONS
    for rule in RULES:
        for step in rule["steps"]:
            assert step.get("action", "action_listen") in known, rule["rule"]
            assert step.get("intent", "greet") in DOMAIN["intents"], rule["rule"]
