"""Where a person can get human help: the clinic, or emergency services."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import CLINIC, CONTENT
from actions.assessment import needs_assessment
from actions.language import Speaks
from actions.text import fill


def say_clinic_contact(dispatcher: CollectingDispatcher) -> None:
    """The clinic's name, phone and hours (only when a clinic profile exists)."""
    if CLINIC.configured:
        dispatcher.utter_message(
            response="utter_clinic_contact", clinic_name=CLINIC.name,
            clinic_phone=CLINIC.phone, clinic_hours=CLINIC.hours or "-",
        )


class ActionHandoff(Speaks, Action):
    """Tell the person how to reach the clinic, or a clinician in general."""

    def name(self) -> Text:
        """Action name used in the domain."""
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Clinic name, phone and hours; booking link unless a red flag is open."""
        if not CLINIC.configured:
            dispatcher.utter_message(response="utter_handoff_generic")
            dispatcher.utter_message(text=fill(CONTENT.notices["emergency_reminder"], CLINIC))
            return []
        say_clinic_contact(dispatcher)
        if CLINIC.booking_url and not needs_assessment(tracker):
            dispatcher.utter_message(
                response="utter_clinic_booking", booking_url=CLINIC.booking_url
            )
        dispatcher.utter_message(text=fill(CONTENT.notices["emergency_reminder"], CLINIC))
        return []


class ActionUnreadMessageNotice(Speaks, Action):
    """After a message too long to read: it may hold a symptom nobody read."""

    def name(self) -> Text:
        """Runs after ``utter_message_too_long``."""
        return "action_unread_message_notice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Where to get help with a worrying symptom, with the clinic's emergency number."""
        dispatcher.utter_message(text=fill(CONTENT.notices["unread_message"], CLINIC))
        return []


class ActionOtherLanguage(Speaks, Action):
    """A message in a language BackCare does not speak: say so, in both, with the number."""

    def name(self) -> Text:
        """Runs on the ``other_language`` intent (backcare_nlu/language.py)."""
        return "action_other_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """English or Spanish only, and the clinic's emergency number, in both languages."""
        dispatcher.utter_message(response="utter_only_english_or_spanish",
                                 emergency_number=CLINIC.emergency_number)
        return []
