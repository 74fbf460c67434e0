"""The end of the walk-through: a personal plan, then a clean slate."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import CONTENT
from actions.guide_form import GUIDE_SLOTS
from actions.text import say_review_status


def reset_guide_events() -> List[Dict[Text, Any]]:
    """Events that clear every walk-through answer."""
    return [SlotSet(slot, None) for slot in GUIDE_SLOTS] + [SlotSet("guide_in_progress", False)]


class ActionGuideSummary(Action):
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
        if slot("doctor_check") == "confirmed":
            dispatcher.utter_message(response="utter_plan_doctor_done")
        else:
            dispatcher.utter_message(response="utter_plan_doctor_todo")
        if slot("carry_on") is False:
            dispatcher.utter_message(response="utter_plan_come_back")
        else:
            massage = CONTENT.massage_types.get(slot("chosen_massage_type") or "")
            if massage:
                dispatcher.utter_message(
                    response="utter_plan_massage_type", massage_name=massage.name
                )
            else:
                dispatcher.utter_message(response="utter_plan_massage_undecided")
            checked = slot("credentials_status") == "checked"
            dispatcher.utter_message(
                response="utter_plan_credentials_done" if checked else "utter_plan_credentials_todo"
            )
            dispatcher.utter_message(response="utter_plan_posture")
            insured = slot("insurance_status") == "checked"
            dispatcher.utter_message(
                response="utter_plan_insurance_done" if insured else "utter_plan_insurance_todo"
            )
        say_review_status(dispatcher, CONTENT)
        dispatcher.utter_message(text=CONTENT.disclaimer.text)
        return reset_guide_events()


class ActionResetGuide(Action):
    """Forget walk-through answers so the person can start over."""

    def name(self) -> Text:
        """Runs before restarting ``guide_form``."""
        return "action_reset_guide"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Clear the answers."""
        return reset_guide_events()
