"""How the Rasa server calls BackCare's custom actions.

Never silent: Rasa 3.6 logs a failed custom action and carries on without a
word to the person. Here custom actions that cannot reach the action server
send the domain response ``utter_action_unavailable`` instead (how to reach
help meanwhile); once the server is back, the conversation carries on.

Fast: Rasa checks every action-server reply against its JSON schema with
``jsonschema.validate``, which first re-checks the schema itself against the
JSON Schema meta-schema; that was a third of the Rasa server's time per turn
under load (py-spy, make bench). The schema is checked once here instead;
replies are validated against it exactly as before.

Kept alive: Rasa opens a new HTTP client session, so a new TCP connection,
for every custom-action call. Here calls share one session per event loop and
endpoint, so the connection to the action server is reused (the action server
keeps idle connections for SANIC_KEEP_ALIVE_TIMEOUT, longer than aiohttp's 15 s).

Rasa 3.6 builds custom actions (plain ones, and a form's validation action)
from ``RemoteAction`` with no way to configure the class, so
:func:`backcare_rasa.patches.install_action_client` puts this class in its
place, for one process, on Rasa 3.6.21 only.
"""

import asyncio
import contextlib
import functools
import logging
import weakref
from typing import Any, Dict, List, Optional, cast

import aiohttp
from jsonschema import ValidationError, validators
from rasa.core.actions import action as rasa_actions
from rasa.shared.core.events import Event
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from backcare_rasa.internals import uses_private

uses_private(__name__, "rasa", ["RemoteAction._validate_action_result",
                                "EndpointConfig.__dict__ (its attributes, copied)"],
             "rasa/core/actions/action.py (RemoteAction) and rasa/utils/endpoints.py")

logger = logging.getLogger(__name__)
UNAVAILABLE_RESPONSE = "utter_action_unavailable"
RETRIES = 1
RETRY_DELAY_SECONDS = 0.2


class RemoteActionWithFallback(rasa_actions.RemoteAction):
    """A custom action that apologises instead of failing silently."""

    def __init__(self, name: str, action_endpoint: Optional[EndpointConfig]) -> None:
        """Rasa's remote action, calling the action server over a kept-alive connection."""
        if action_endpoint is not None and not isinstance(action_endpoint, KeptAliveEndpoint):
            action_endpoint = KeptAliveEndpoint.of(action_endpoint)
        super().__init__(name, action_endpoint)

    async def run(self, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Event]:
        """Run the custom action; retry a dropped connection once; else say so."""
        for attempt in range(RETRIES + 1):
            try:
                return await super().run(output_channel, nlg, tracker, domain)
            except rasa_actions.ActionExecutionRejection:
                raise
            except RasaException:
                # A kept-alive connection closed under us: the request was not
                # handled, so sending it again is safe.
                if attempt < RETRIES:
                    await asyncio.sleep(RETRY_DELAY_SECONDS)
                    continue
                logger.error("Custom action '%s' failed; told the user it is unavailable.",
                             self.name())
        message = await nlg.generate(UNAVAILABLE_RESPONSE, tracker, output_channel.name())
        return [rasa_actions.create_bot_utterance(message)] if message else []

    def _validate_action_result(self, result: Dict[str, Any]) -> bool:
        """Validate an action-server reply against Rasa's schema (checked once)."""
        try:
            _reply_validator().validate(result)
        except ValidationError as error:
            error.message += ". Failed to validate Action server response from API."
            raise
        return True


@functools.lru_cache(maxsize=None)
def _reply_validator() -> Any:
    """Rasa's action-server reply schema, checked against its meta-schema once."""
    schema = rasa_actions.RemoteAction.action_response_format_spec()
    validator = validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


# event loop -> endpoint URL -> its shared session (forgotten with the loop)
Sessions = Dict[str, aiohttp.ClientSession]
_SESSIONS: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Sessions]" = (
    weakref.WeakKeyDictionary())


class KeptAliveEndpoint(EndpointConfig):
    """The action endpoint from endpoints.yml; requests share one client session."""

    @classmethod
    def of(cls, endpoint: EndpointConfig) -> "KeptAliveEndpoint":
        """The same endpoint settings (URL, headers, auth, token, certificate)."""
        kept = cls.__new__(cls)
        kept.__dict__.update(endpoint.__dict__)
        return kept

    def session(self) -> Any:
        """The running event loop's shared session for this endpoint (made on first use)."""
        sessions = _SESSIONS.setdefault(asyncio.get_running_loop(), {})
        session = sessions.get(self.url or "")
        if session is None or session.closed:
            session = cast(aiohttp.ClientSession, super().session())
            sessions[self.url or ""] = session
        return contextlib.nullcontext(session)  # `async with` must not close it
