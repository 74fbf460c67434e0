"""Answers to questions about the article, looked up by intent."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import CONTENT
from actions.also_asked import offer_other_requests
from actions.assessment import caveat_if_unassessed
from actions.language import Speaks
from actions.text import latest_intent, say_review_status, source_line


class ActionAnswerTopic(Speaks, Action):
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
        caveat_if_unassessed(dispatcher, tracker)
        dispatcher.utter_message(text="\n\n".join(item.text for item in items))
        dispatcher.utter_message(text=source_line(CONTENT, *(item.source for item in items)))
        if intent == "ask_source":
            say_review_status(dispatcher, CONTENT)
        offer_other_requests(dispatcher, tracker)
        return []
