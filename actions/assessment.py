"""After a red flag: nothing leads towards booking until a doctor has checked."""

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import CONTENT


def needs_assessment(tracker: Tracker) -> bool:
    """True after a red flag, until the person says a doctor has checked them since."""
    return bool(tracker.get_slot("red_flag_raised")) and not tracker.get_slot("assessed")


def caveat_if_unassessed(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Before any answer that moves towards a massage, say to see a doctor first."""
    if needs_assessment(tracker):
        dispatcher.utter_message(text=CONTENT.after_escalation_note)
