"""Red-flag escalation and the record that a person has been assessed."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import CLINIC, CONTENT
from actions.text import entity_values, fill, source_line


class ActionEscalateRedFlag(Action):
    """Give urgent-care advice for the red flag(s) the person described."""

    def name(self) -> Text:
        """Action name used in the domain."""
        return "action_escalate_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Emergency advice first, then each other group; general advice if unknown."""
        groups = [CONTENT.red_flags[g] for g in entity_values(tracker, "red_flag")
                  if g in CONTENT.red_flags]
        groups.sort(key=lambda group: group.urgency != "emergency")
        if groups:
            for group in groups:
                dispatcher.utter_message(text=fill(group.advice, CLINIC))
            sources = dict.fromkeys(group.source for group in groups)
            dispatcher.utter_message(text=" ".join(source_line(CONTENT, s) for s in sources))
        else:
            dispatcher.utter_message(text=fill(CONTENT.red_flag_general_advice, CLINIC))
        if CLINIC.configured:
            dispatcher.utter_message(
                response="utter_clinic_contact", clinic_name=CLINIC.name,
                clinic_phone=CLINIC.phone, clinic_hours=CLINIC.hours or "-",
            )
        dispatcher.utter_message(response="utter_not_a_diagnosis")
        return [SlotSet("red_flag_raised", True), SlotSet("assessed", None)]


class ActionRecordAssessment(Action):
    """Note that a doctor has checked the person's back."""

    def name(self) -> Text:
        """Action name used in the domain."""
        return "action_record_assessment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Acknowledge and set the slot that allows booking advice again."""
        dispatcher.utter_message(response="utter_assessment_noted")
        return [SlotSet("assessed", True)]


class ActionRestartKeepingSafety(Action):
    """Restart the conversation, but never forget a reported red flag."""

    def name(self) -> Text:
        """Replaces Rasa's default restart (a typed or clicked /restart)."""
        return "action_restart"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Clear the conversation, then restore the red-flag state."""
        dispatcher.utter_message(response="utter_restarted")
        events: List[Dict[Text, Any]] = [Restarted()]
        if tracker.get_slot("red_flag_raised"):
            events += [SlotSet("red_flag_raised", True),
                       SlotSet("assessed", tracker.get_slot("assessed"))]
        return events
