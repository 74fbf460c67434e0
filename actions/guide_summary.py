"""The end of the walk-through: a personal plan, then a clean slate."""

from typing import Any, Callable, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import CONTENT
from actions.guide_form import GUIDE_SLOTS
from actions.language import Speaks
from actions.text import say_review_status


def reset_guide_events() -> List[Dict[Text, Any]]:
    """Events that clear every walk-through answer."""
    return [SlotSet(slot, None) for slot in GUIDE_SLOTS] + [SlotSet("guide_in_progress", False)]


def plan_steps(slot: Callable[[Text], Any]) -> List[str]:
    """The plan's lines (content ``plan``) for the walk-through's answers."""
    plan = CONTENT.plan
    steps = [plan["doctor_done"] if slot("doctor_check") == "confirmed" else plan["doctor_todo"]]
    if slot("carry_on") is False:
        return steps + [plan["come_back"]]
    massage = CONTENT.massage_types.get(slot("chosen_massage_type") or "")
    if massage:
        steps.append(plan["massage_type"].replace("{massage_name}", massage.name))
    else:
        steps.append(plan["massage_undecided"])
    checked = slot("credentials_status") == "checked"
    steps.append(plan["credentials_done"] if checked else plan["credentials_todo"])
    steps.append(plan["posture"])
    insured = slot("insurance_status") == "checked"
    steps.append(plan["provider_insurance_done"] if insured else plan["provider_insurance_todo"])
    return steps


class ActionGuideSummary(Speaks, Action):
    """Send a short plan built from the walk-through's answers."""

    def name(self) -> Text:
        """Runs when ``guide_form`` completes."""
        return "action_guide_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """One message per plan step, then the disclaimer."""
        slot = tracker.get_slot
        if slot("assessed") is False:
            dispatcher.utter_message(text=CONTENT.after_escalation_note)
            return reset_guide_events()
        dispatcher.utter_message(response="utter_plan_header")
        for step in plan_steps(slot):
            dispatcher.utter_message(text=step)
        say_review_status(dispatcher, CONTENT)
        dispatcher.utter_message(text=CONTENT.disclaimer.text)
        return reset_guide_events()


class ActionResetGuide(Speaks, Action):
    """Forget walk-through answers so the person can start over."""

    def name(self) -> Text:
        """Runs before restarting ``guide_form``."""
        return "action_reset_guide"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Clear the answers."""
        return reset_guide_events()
