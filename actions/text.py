"""Small helpers that turn content items into messages."""

import json
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.content import Clinic, Content
from actions.language import CURRENT

# The word before a citation, in each language.
SOURCE_WORDS = {"en": ("Source", "Sources"), "es": ("Fuente", "Fuentes")}


def fill(text: str, clinic: Clinic) -> str:
    """Put the clinic's emergency number into a content text."""
    return text.replace("{emergency_number}", clinic.emergency_number)


def say_review_status(dispatcher: CollectingDispatcher, content: Content) -> None:
    """Who reviewed the medical content and when, or that no clinician has yet."""
    review = content.review
    if not review.approved or review.reviewed_on is None or review.next_review_due is None:
        dispatcher.utter_message(response="utter_review_draft")
        return
    dispatcher.utter_message(
        response="utter_review_approved", reviewer_name=review.reviewer_name,
        reviewer_role=review.reviewer_role, reviewed_on=review.reviewed_on.isoformat(),
        next_review_due=review.next_review_due.isoformat())


def source_line(content: Content, *source_ids: str) -> str:
    """The citation shown under a medical answer: one source a line, each once."""
    unique = list(dict.fromkeys(source_ids))
    one, many = SOURCE_WORDS[CURRENT.get()]
    if len(unique) == 1:
        return f"{one}: {content.citation(unique[0])}."
    return f"{many}:\n" + "\n".join(f"- {content.citation(s)}." for s in unique)


def variant_for(variants: List[Dict[Text, Any]], language: Text = "en") -> Optional[Dict]:
    """The response variation for a language: its conditional one, else the plain one.

    Spanish variations carry ``condition: [{type: slot, name: language, value: es}]``.
    """
    def for_language(variant: Dict[Text, Any]) -> Optional[Text]:
        conditions = variant.get("condition") or []
        return next((c.get("value") for c in conditions if c.get("name") == "language"), None)
    return (next((v for v in variants if for_language(v) == language), None)
            or next((v for v in variants if for_language(v) is None), None))


def latest_intent(tracker: Tracker) -> Optional[Text]:
    """Name of the intent of the user's latest message, if any."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def entity_values(tracker: Tracker, entity: Text) -> List[Text]:
    """All values of one entity in the latest message, in order, unique."""
    values: List[Text] = []
    for item in tracker.latest_message.get("entities") or []:
        value = item.get("value")
        if item.get("entity") == entity and isinstance(value, str) and value not in values:
            values.append(value)
    return values


def button(title: str, intent: str, entities: Optional[Dict[str, Any]] = None) -> Dict[str, str]:
    """A button whose payload triggers an intent, optionally with entities."""
    payload = f"/{intent}" + (json.dumps(entities) if entities else "")
    return {"title": title, "payload": payload}
