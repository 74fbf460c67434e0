"""`make shell`: Rasa's `rasa shell`, text first, buttons as numbered options.

Rasa 3.6's shell shows a reply's buttons as an arrow-key menu, and Enter picks
the highlighted item: a typed question is lost. Here the reply's buttons are
printed as numbered options (the clinic gateway's rule, backcare_channels.options)
and the prompt takes text: a number picks that option, anything else is sent
as typed; a line over the size limit is not sent (backcare_channels.limits).
Rasa 3.6 has no extension point for the console, so
:func:`backcare_rasa.patches.install_text_console` puts these two functions in
its place, for this process only, on Rasa 3.6.21 only.

Usage: python -m backcare_channels.terminal [rasa shell arguments]
"""

import sys
from typing import Any, Dict, List, Optional, Text

import questionary
import rasa
import rasa.shared.utils.cli
import rasa.shared.utils.io
from prompt_toolkit.styles import Style

from backcare_channels.limits import TOO_LONG_INTENT, max_chars
from backcare_channels.options import both_intros, payload_for_number, with_options
from backcare_rasa import patches

PROMPT_STYLE = Style([("qmark", "#b373d6"), ("", "#b373d6")])


def render(message: Dict[Text, Any]) -> Text:
    """What the terminal prints for one bot message."""
    text = message.get("text") or ""
    buttons = message.get("buttons") or []
    parts = [with_options(text, buttons, both_intros()) if buttons else text]
    if message.get("image"):
        parts.append(f"Image: {message['image']}")
    return "\n".join(part for part in parts if part)


def print_bot_output(message: Dict[Text, Any], is_latest_message: bool = False,
                     color: Text = rasa.shared.utils.io.bcolors.OKBLUE) -> None:
    """Print a reply; never a menu."""
    rasa.shared.utils.cli.print_color(render(message), color=color)


def answer_for(typed: Optional[Text], previous: Optional[Dict[Text, Any]]) -> Optional[Text]:
    """A number picks an option of the last reply; anything else is sent as typed.

    `rasa shell` talks to Rasa's own cmdline channel, so the size limit is applied
    here: an over-long line is sent as the too-long intent, never as text.
    """
    if typed is None:
        return None
    if len(typed.strip()) > max_chars():
        return TOO_LONG_INTENT
    buttons: List[Dict[Text, Any]] = list((previous or {}).get("buttons") or [])
    return payload_for_number(typed, buttons) or typed.strip()


async def get_user_input(previous_response: Optional[Dict[Text, Any]]) -> Optional[Text]:
    """Show the last reply, then read a line of text."""
    if previous_response is not None:
        print_bot_output(previous_response, is_latest_message=True)
    typed = await questionary.text("", qmark="Your input ->", style=PROMPT_STYLE).ask_async()
    return answer_for(typed, previous_response)


def main(argv: List[Text]) -> None:
    """Run `rasa shell` with the text-first console and BackCare's action client."""
    patches.install_action_client()
    patches.install_text_console()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", "shell", *argv]
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
