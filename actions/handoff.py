"""Handing the conversation to a person at the clinic."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import CLINIC
from actions.assessment import needs_assessment


class ActionHandoff(Action):
    """Tell the person how to reach the clinic, or a clinician in general."""

    def name(self) -> Text:
        """Action name used in the domain."""
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Clinic name, phone and hours; booking link unless a red flag is open."""
        if not CLINIC.configured:
            dispatcher.utter_message(
                response="utter_handoff_generic", emergency_number=CLINIC.emergency_number
            )
            return []
        dispatcher.utter_message(
            response="utter_clinic_contact", clinic_name=CLINIC.name,
            clinic_phone=CLINIC.phone, clinic_hours=CLINIC.hours or "-",
        )
        if CLINIC.booking_url and not needs_assessment(tracker):
            dispatcher.utter_message(
                response="utter_clinic_booking", booking_url=CLINIC.booking_url
            )
        dispatcher.utter_message(
            response="utter_emergency_reminder", emergency_number=CLINIC.emergency_number
        )
        return []
