"""When BackCare is unsure between two topics, ask which one the person means."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import Speaks, language_of
from actions.text import button, variant_for

LABEL_PREFIX = "utter_topic_"  # domain.yml: utter_topic_<intent> holds a topic's label
MIN_CONFIDENCE = 0.1  # below this an intent is a guess, not a candidate


def topic_label(domain: Dict[Text, Any], intent: Text, language: Text = "en") -> Optional[Text]:
    """The button label of a topic, from domain.yml; None for intents that are not topics."""
    variants = (domain.get("responses") or {}).get(f"{LABEL_PREFIX}{intent}") or []
    variant = variant_for(variants, language)
    return variant.get("text") if variant else None


def candidates(tracker: Tracker, domain: Dict[Text, Any], count: int = 2) -> List[Text]:
    """The best-ranked topics of the latest message that are likely enough to offer."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    found = [item["name"] for item in ranking
             if (item.get("confidence") or 0) >= MIN_CONFIDENCE
             and topic_label(domain, item.get("name", ""))]
    return found[:count]


class ActionClarify(Speaks, Action):
    """'Do you mean X or Y?' with a button for each; a rephrase request when no topic fits."""

    def name(self) -> Text:
        """Runs on nlu_fallback."""
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Offer the two likeliest topics, or ask to rephrase."""
        topics = candidates(tracker, domain)
        if len(topics) < 2:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        language = language_of(tracker)
        first, second = (topic_label(domain, intent, language) or intent for intent in topics)
        buttons = [button(label[:1].upper() + label[1:], intent)
                   for label, intent in ((first, topics[0]), (second, topics[1]))]
        dispatcher.utter_message(response="utter_clarify", first=first, second=second,
                                 buttons=buttons)
        return []
