"""The article's tips: a named one, or the next one not yet shown."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import CONTENT
from actions.assessment import caveat_if_unassessed
from actions.language import Speaks
from actions.text import entity_values, source_line


class ActionGiveTip(Speaks, Action):
    """Give one tip and remember which tips this conversation has seen."""

    def name(self) -> Text:
        """Action name used in the domain."""
        return "action_give_tip"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Send the named tip, else the next unseen one, else say all were seen."""
        shown = list(tracker.get_slot("tips_shown") or [])
        named = [value for value in entity_values(tracker, "tip") if value in CONTENT.tips]
        unseen = [tip_id for tip_id in CONTENT.tips if tip_id not in shown]
        if named:
            tip_id = named[0]
        elif unseen:
            tip_id = unseen[0]
        else:
            dispatcher.utter_message(response="utter_all_tips_shown", count=len(CONTENT.tips))
            return [SlotSet("tips_shown", [])]
        tip = CONTENT.tips[tip_id]
        caveat_if_unassessed(dispatcher, tracker)
        position = list(CONTENT.tips).index(tip_id) + 1
        dispatcher.utter_message(
            response="utter_tip_header", number=position, count=len(CONTENT.tips), title=tip.title
        )
        dispatcher.utter_message(text=f"{tip.text}\n{source_line(CONTENT, tip.source)}")
        if tip_id not in shown:
            shown.append(tip_id)
        if len(shown) < len(CONTENT.tips):
            dispatcher.utter_message(response="utter_offer_next_tip")
        return [SlotSet("tips_shown", shown)]
