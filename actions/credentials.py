"""The checklist for a massage therapist's credentials."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import CONTENT
from actions.also_asked import offer_other_requests
from actions.assessment import caveat_if_unassessed
from actions.language import Speaks
from actions.text import source_line


def checklist_message() -> str:
    """The credential checklist: its intro, a line per check, the rule outside the US."""
    lines = [f"- {item.text}" for item in CONTENT.credentials]
    return "\n".join([CONTENT.guide["credentials_intro"], *lines, CONTENT.credentials_outside_us])


class ActionCredentialChecklist(Speaks, Action):
    """Show how to check that a therapist is licensed and certified."""

    def name(self) -> Text:
        """Action name used in the domain."""
        return "action_credential_checklist"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Send the checklist and its sources."""
        caveat_if_unassessed(dispatcher, tracker)
        dispatcher.utter_message(text=checklist_message())
        sources = (item.source for item in CONTENT.credentials)
        dispatcher.utter_message(text=source_line(CONTENT, *sources))
        offer_other_requests(dispatcher, tracker)
        return []
