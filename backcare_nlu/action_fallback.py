"""Never go silent when the action server is down.

Rasa 3.6 logs a failed custom action and carries on without a word to the
person. ``install()`` makes custom actions that cannot reach the action
server send the domain response ``utter_action_unavailable`` instead (how to
reach help meanwhile); once the server is back, the conversation carries on.
It is installed when Rasa imports this package, i.e. whenever a BackCare
model is loaded (``rasa run``, ``rasa shell``, ``rasa test``).
"""

import logging
from typing import Any, List

from rasa.core.actions import action as rasa_actions
from rasa.shared.core.events import Event
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)
UNAVAILABLE_RESPONSE = "utter_action_unavailable"


class RemoteActionWithFallback(rasa_actions.RemoteAction):
    """A custom action that apologises instead of failing silently."""

    async def run(self, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Event]:
        """Run the custom action; if the action server fails, say so."""
        try:
            return await super().run(output_channel, nlg, tracker, domain)
        except rasa_actions.ActionExecutionRejection:
            raise
        except RasaException:
            logger.error("Custom action '%s' failed; told the user it is unavailable.",
                         self.name())
            message = await nlg.generate(UNAVAILABLE_RESPONSE, tracker, output_channel.name())
            return [rasa_actions.create_bot_utterance(message)] if message else []


def install() -> None:
    """Make Rasa build custom actions with the fallback."""
    rasa_actions.RemoteAction = RemoteActionWithFallback
