"""Rasa's callback channel, for clinic gateways that cannot show buttons.

Incoming: POST /webhooks/callback/webhook {"sender": "...", "message": "..."}.
Outgoing: each bot message is POSTed as JSON to the configured ``url``. A
message with buttons keeps its ``buttons`` list (for gateways that can show
them) and also lists the options in its text ("1. Walk me through it"), so an
SMS patient can answer with the number; a reply that is just that number is
mapped back to the button's payload.
"""

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.callback import CallbackInput, CallbackOutput
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import BotUttered
from rasa.utils.endpoints import EndpointConfig
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from backcare_channels.limits import limit_length
from backcare_channels.options import (
    DEFAULT_OPTIONS_INTRO,
    DEFAULT_OPTIONS_INTRO_ES,
    Intro,
    both_intros,
    payload_for_number,
    with_options,
)
from backcare_channels.validation import body_problem, refuse

logger = logging.getLogger(__name__)
class ClinicGatewayOutput(CallbackOutput):
    """Posts replies to the gateway, with buttons also written out as text."""

    def __init__(self, endpoint: EndpointConfig, options_intro: Intro) -> None:
        """Remember where to post and how to introduce the options."""
        super().__init__(endpoint)
        self.options_intro = options_intro

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        """Send the text with numbered options, keeping the buttons as data."""
        await self._persist_message(self._message(
            recipient_id, text=with_options(text, buttons, self.options_intro), buttons=buttons
        ))


class ClinicGatewayInput(CallbackInput):
    """Callback channel whose replies work on text-only channels."""

    @classmethod
    def name(cls) -> Text:
        """Same name and URL as Rasa's callback channel."""
        return "callback"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ClinicGatewayInput":
        """Read the gateway URL and the options wording from credentials.yml."""
        credentials = dict(credentials or {})
        intro = both_intros(credentials.pop("options_intro", DEFAULT_OPTIONS_INTRO),
                            credentials.pop("options_intro_es", DEFAULT_OPTIONS_INTRO_ES))
        return cls(EndpointConfig.from_dict(credentials), intro)

    def __init__(
        self, endpoint: EndpointConfig, options_intro: Optional[Intro] = None
    ) -> None:
        """Keep the gateway endpoint."""
        super().__init__(endpoint)
        self.options_intro: Intro = options_intro or both_intros()

    def get_output_channel(self) -> CollectingOutputChannel:
        """Replies go to the gateway."""
        return ClinicGatewayOutput(self.callback_endpoint, self.options_intro)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Routes of Rasa's callback channel; number replies become button payloads."""
        gateway = Blueprint("clinic_gateway_webhook", __name__)
        on_new_message = limit_length(on_new_message)

        @gateway.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @gateway.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            problem = body_problem(request)
            if problem:
                return refuse(problem)
            sender_id = await self._extract_sender(request)
            text = self._extract_message(request)
            agent = getattr(request.app.ctx, "agent", None)
            if agent is not None and text:
                buttons = await self._last_buttons(agent, sender_id)
                text = payload_for_number(text, buttons) or text
            await on_new_message(UserMessage(
                text, self.get_output_channel(), sender_id, input_channel=self.name()
            ))
            return response.text("success")

        return gateway

    @staticmethod
    async def _last_buttons(agent: Any, sender_id: Text) -> List[Dict[Text, Any]]:
        """Buttons of the last bot message in this conversation, if it had any."""
        tracker = await agent.tracker_store.retrieve(sender_id)
        if tracker is None:
            return []
        for event in reversed(tracker.events):
            if isinstance(event, BotUttered):
                return list(event.data.get("buttons") or [])
        return []
