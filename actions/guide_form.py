"""Validation for the guided walk-through (``guide_form``).

The walk-through follows the article's order: safety screen, doctor check,
massage type, credentials, posture advice, finding a provider. Which slots
are required depends on earlier answers, so a person who has not yet seen a
doctor can stop there, and a person who reported a red flag is asked first
whether they have been assessed.
"""

from typing import Any, Dict, List, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import CONTENT
from actions.assessment import needs_assessment
from actions.guide_funnel import funnel_events
from actions.language import Speaks

GUIDE_SLOTS = (
    "screen_result", "doctor_check", "carry_on", "chosen_massage_type",
    "credentials_status", "posture_noted", "insurance_status",
)


def guide_required_slots(tracker: Tracker) -> List[Text]:
    """The steps still ahead, given what the person has answered so far."""
    slots: List[Text] = []
    if needs_assessment(tracker):
        slots.append("assessed")
        if tracker.get_slot("assessed") is False:
            return slots
    slots += ["screen_result", "doctor_check"]
    if tracker.get_slot("doctor_check") == "not_yet":
        slots.append("carry_on")
        if tracker.get_slot("carry_on") is False:
            return slots
    return slots + ["chosen_massage_type", "credentials_status", "posture_noted",
                    "insurance_status"]


class ValidateGuideForm(Speaks, FormValidationAction):
    """Checks each answer of the walk-through and decides the next step."""

    def name(self) -> Text:
        """Validation action for ``guide_form``."""
        return "validate_guide_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        """Steps depend on earlier answers."""
        return guide_required_slots(tracker)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Validate, mark the walk-through as started for resuming, record the funnel."""
        asked = tracker.get_slot("requested_slot")
        events = await super().run(dispatcher, tracker, domain)
        if not tracker.get_slot("guide_in_progress"):
            events.append(SlotSet("guide_in_progress", True))
        tracker.add_slots(events)
        return events + funnel_events(tracker, asked, guide_required_slots(tracker))

    def validate_doctor_check(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Without a doctor's check yet, advise getting one first (once, when asked)."""
        if value == "not_yet" and tracker.get_slot("requested_slot") == "doctor_check":
            dispatcher.utter_message(text=CONTENT.guide["doctor_not_yet"])
        return {"doctor_check": value}

    def validate_chosen_massage_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Accept a known type (any synonym) or 'undecided'; else ask again."""
        if value == "undecided":
            return {"chosen_massage_type": value}
        if isinstance(value, list):
            value = value[0] if value else None
        massage = CONTENT.massage_type_for(value)
        massage_id = massage.id if massage else None
        if massage_id is None:
            dispatcher.utter_message(response="utter_massage_type_not_recognised")
        return {"chosen_massage_type": massage_id}
