"""Answers to questions about the article, looked up by intent."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import CONTENT
from actions.text import latest_intent, source_line

# Topics that lead towards booking a massage: after a red flag they carry a caveat.
BOOKING_TOPICS = {"ask_find_provider", "ask_choose_therapist", "ask_massage_benefits"}


def needs_assessment(tracker: Tracker) -> bool:
    """True after a red flag, until the person says they were assessed."""
    return bool(tracker.get_slot("red_flag_raised")) and not tracker.get_slot("assessed")


class ActionAnswerTopic(Action):
    """Answer an article question from the content file's topic map."""

    def name(self) -> Text:
        """Action name used in the domain."""
        return "action_answer_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Send the facts and tips for the latest intent, with their source."""
        intent = latest_intent(tracker)
        item_ids = CONTENT.topics.get(intent or "")
        if not item_ids:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        items = [CONTENT.item(item_id) for item_id in item_ids]
        if intent in BOOKING_TOPICS and needs_assessment(tracker):
            dispatcher.utter_message(text=CONTENT.after_escalation_note)
        dispatcher.utter_message(text="\n\n".join(item.text for item in items))
        sources = dict.fromkeys(item.source for item in items)
        dispatcher.utter_message(text=" ".join(source_line(CONTENT, s) for s in sources))
        return []
