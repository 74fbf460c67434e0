"""Several questions in one message: after answering the first, offer the others."""

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

OTHER_REQUESTS = "other_requests"  # set by backcare_nlu.request_focus.RequestFocus
MAX_TITLE = 60


def offer_other_requests(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """A button per further question of the latest message; it sends that question."""
    others = [q for q in tracker.latest_message.get(OTHER_REQUESTS) or [] if isinstance(q, str)]
    if not others:
        return
    buttons = [{"title": q if len(q) <= MAX_TITLE else q[:MAX_TITLE - 1] + "…", "payload": q}
               for q in others]
    dispatcher.utter_message(response="utter_also_asked", buttons=buttons)
