"""Buttons as numbered text options, for channels that cannot show buttons.

One rule for the clinic gateway (SMS, WhatsApp) and the terminal: the text,
then "1. <title>" per button; a reply that is just a number picks that button.
"""

from typing import Any, Dict, List, Optional, Text

DEFAULT_OPTIONS_INTRO = "Reply with a number:"


def with_options(text: Text, buttons: List[Dict[Text, Any]], intro: Text) -> Text:
    """The message text followed by numbered plain-text options."""
    lines = [f"{index}. {button.get('title', '')}" for index, button in enumerate(buttons, 1)]
    return "\n".join(([text, ""] if text else []) + [intro, *lines])


def payload_for_number(text: Text, buttons: List[Dict[Text, Any]]) -> Optional[Text]:
    """The payload of the button whose number the person typed, if any."""
    choice = text.strip().rstrip(".")
    if not choice.isdigit() or not 1 <= int(choice) <= len(buttons):
        return None
    return buttons[int(choice) - 1].get("payload")
