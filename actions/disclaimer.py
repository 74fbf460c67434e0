"""The medical disclaimer and privacy notice, from the content file."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import CONTENT, SPANISH_REVIEWED
from actions.language import CURRENT, LANGUAGES, Speaks, language_of


class ActionSessionStart(Speaks, Action):
    """Start every session with the medical disclaimer."""

    def name(self) -> Text:
        """Replace Rasa's default session start."""
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Open the session, carry slots over, show the disclaimer."""
        events: List[EventType] = [SessionStarted()]
        # Carry answers over (a red flag mentioned earlier must not be forgotten).
        if domain.get("session_config", {}).get("carry_over_slots_to_new_session", True):
            events += [
                SlotSet(name, value)
                for name, value in tracker.slots.items()
                if value is not None and name != "requested_slot"
            ]
        # The first message's language (backcare_channels/limits.py), else the slot's.
        started = tracker.get_slot("session_started_metadata") or {}
        language = started.get("language") if isinstance(started, dict) else None
        if language in LANGUAGES:
            events.append(SlotSet("language", language))
            CURRENT.set(language)
        dispatcher.utter_message(text=CONTENT.disclaimer.text)
        say_if_spanish_unreviewed(dispatcher, CURRENT.get())
        events.append(ActionExecuted("action_listen"))
        return events


class ActionShowDisclaimer(Speaks, Action):
    """Show the medical disclaimer on request."""

    def name(self) -> Text:
        """Action name used in the domain."""
        return "action_show_disclaimer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Send the disclaimer text."""
        dispatcher.utter_message(text=CONTENT.disclaimer.text)
        return []


class ActionShowPrivacyNotice(Speaks, Action):
    """Show the privacy notice with this conversation's ID."""

    def name(self) -> Text:
        """Action name used in the domain."""
        return "action_show_privacy_notice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Send the privacy notice, then the conversation ID to quote."""
        dispatcher.utter_message(text=CONTENT.privacy_notice.text)
        dispatcher.utter_message(
            response="utter_conversation_id", conversation_id=tracker.sender_id
        )
        return []


def say_if_spanish_unreviewed(dispatcher: CollectingDispatcher, language: Text) -> None:
    """In production, before a translator's approval: Spanish speakers read English text."""
    if language == "es" and not SPANISH_REVIEWED:
        dispatcher.utter_message(response="utter_spanish_not_reviewed")


class ActionLanguageChosen(Speaks, Action):
    """The person chose a language ("español", "English", or the greeting's button)."""

    def name(self) -> Text:
        """Runs on ``choose_language``."""
        return "action_language_chosen"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Confirm the language; say so if the Spanish text is not yet reviewed."""
        dispatcher.utter_message(response="utter_language_chosen")
        say_if_spanish_unreviewed(dispatcher, language_of(tracker))
        return []
