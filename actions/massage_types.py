"""Kinds of massage: the list, and one kind in detail."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import CONTENT
from actions.also_asked import offer_other_requests
from actions.assessment import caveat_if_unassessed
from actions.language import Speaks
from actions.text import button, entity_values, source_line


def type_buttons() -> List[Dict[str, str]]:
    """One button per massage type, asking about that type."""
    return [
        button(massage.name, "ask_massage_type_info", {"massage_type": massage.id})
        for massage in CONTENT.massage_types.values()
    ]


class ActionListMassageTypes(Speaks, Action):
    """Explain that several kinds exist and list them."""

    def name(self) -> Text:
        """Action name used in the domain."""
        return "action_list_massage_types"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Send the varieties fact, a line per type and a button per type."""
        fact = CONTENT.facts["massage_varieties"]
        caveat_if_unassessed(dispatcher, tracker)
        lines = [f"- {m.name}: {m.text}" for m in CONTENT.massage_types.values()]
        dispatcher.utter_message(text=f"{fact.text}\n" + "\n".join(lines))
        dispatcher.utter_message(response="utter_which_type_details", buttons=type_buttons())
        return []


class ActionMassageTypeInfo(Speaks, Action):
    """Describe the massage type(s) named in the latest message."""

    def name(self) -> Text:
        """Action name used in the domain."""
        return "action_massage_type_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Send each named type; an unknown or missing type gets the list."""
        found = [CONTENT.massage_type_for(v) for v in entity_values(tracker, "massage_type")]
        known = [massage for massage in found if massage]
        if not known:
            dispatcher.utter_message(response="utter_unknown_massage_type", buttons=type_buttons())
            return []
        caveat_if_unassessed(dispatcher, tracker)
        for massage in known:
            dispatcher.utter_message(text=f"{massage.name}: {massage.text}")
        dispatcher.utter_message(text=source_line(CONTENT, known[-1].source))
        offer_other_requests(dispatcher, tracker)
        return []
