"""Buttons as numbered text options, for channels that cannot show buttons.

One rule for the clinic gateway (SMS, WhatsApp) and the terminal: the text,
then "1. <title>" per button; a reply that is just a number picks that button.
The line before the options is in the language of the message (English or
Spanish: the conversation's, since the reply is in it).
"""

from typing import Any, Dict, List, Optional, Text, Union

from rasa.shared.core.events import BotUttered

from backcare_nlu.language import clear_language

DEFAULT_OPTIONS_INTRO = "Reply with a number:"
DEFAULT_OPTIONS_INTRO_ES = "Responda con un número:"
Intro = Union[Text, Dict[Text, Text]]


def intro_for(text: Text, buttons: List[Dict[Text, Any]], intro: Intro) -> Text:
    """The options line in the message's language ("en" unless clearly Spanish)."""
    if isinstance(intro, str):
        return intro
    titles = " ".join(str(button.get("title", "")) for button in buttons)
    language = clear_language(f"{text} {titles}") or "en"
    return intro.get(language) or intro["en"]


def with_options(text: Text, buttons: List[Dict[Text, Any]], intro: Intro) -> Text:
    """The message text followed by numbered plain-text options."""
    lines = [f"{index}. {button.get('title', '')}" for index, button in enumerate(buttons, 1)]
    return "\n".join(([text, ""] if text else []) + [intro_for(text, buttons, intro), *lines])


def both_intros(english: Text = DEFAULT_OPTIONS_INTRO,
                spanish: Text = DEFAULT_OPTIONS_INTRO_ES) -> Dict[Text, Text]:
    """The options line in each language."""
    return {"en": english, "es": spanish}


def payload_for_number(text: Text, buttons: List[Dict[Text, Any]]) -> Optional[Text]:
    """The payload of the button whose number the person typed, if any."""
    choice = text.strip().rstrip(".")
    if not choice.isdigit() or not 1 <= int(choice) <= len(buttons):
        return None
    return buttons[int(choice) - 1].get("payload")


async def last_buttons(agent: Any, sender_id: Text) -> List[Dict[Text, Any]]:
    """Buttons of the last bot message in this conversation, if it had any."""
    tracker = await agent.tracker_store.retrieve(sender_id)
    if tracker is None:
        return []
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            return list(event.data.get("buttons") or [])
    return []
