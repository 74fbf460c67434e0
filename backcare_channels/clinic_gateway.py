"""Rasa's callback channel, for clinic gateways that cannot show buttons.

Incoming: POST /webhooks/callback/webhook {"sender": "...", "message": "...",
"message_id": "..." (optional: a retried id is answered once)},
signed with the shared secret (:mod:`backcare_channels.signing`): 401 unsigned,
403 forged or stale, so nobody else can type into a patient's conversation.
Outgoing: each bot message is POSTed as JSON to the configured ``url``, signed
the same way so the gateway can check it came from BackCare. A
message with buttons keeps its ``buttons`` list (for gateways that can show
them) and also lists the options in its text ("1. Walk me through it"), so an
SMS patient can answer with the number; a reply that is just that number is
mapped back to the button's payload.
"""

import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiohttp import ClientError, ClientResponseError
from rasa.core.channels.callback import CallbackInput, CallbackOutput
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import EndpointConfig
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from backcare_channels.channel_store import shared_store
from backcare_channels.limits import limit_length
from backcare_channels.options import (
    DEFAULT_OPTIONS_INTRO,
    DEFAULT_OPTIONS_INTRO_ES,
    Intro,
    both_intros,
    last_buttons,
    payload_for_number,
    with_options,
)
from backcare_channels.signing import MissingSecret, check, secret_from_environment, signed_headers
from backcare_channels.validation import body_problem, refuse
from backcare_rasa.internals import uses_private

uses_private(__name__, "rasa", ["CallbackInput._extract_message", "CallbackInput._extract_sender",
                                "CollectingOutputChannel._message",
                                "CollectingOutputChannel._persist_message"],
             "rasa/core/channels/callback.py and rasa/core/channels/channel.py")

logger = logging.getLogger(__name__)


class ClinicGatewayOutput(CallbackOutput):
    """Posts signed replies to the gateway, with buttons also written out as text."""

    def __init__(self, endpoint: EndpointConfig, options_intro: Intro, secret: Text) -> None:
        """Remember where to post, how to introduce the options and what to sign with."""
        super().__init__(endpoint)
        self.options_intro = options_intro
        self.secret = secret

    async def _persist_message(self, message: Dict[Text, Any]) -> None:
        """Collect the message and POST it, signed, to the gateway.

        A gateway that refuses or cannot be reached is logged (status only, never
        the text); the reply stays in the conversation's tracker.
        """
        self.messages.append(message)
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        try:
            await self.callback_endpoint.request(
                "post", content_type="application/json", data=body,
                headers=signed_headers(self.secret, body))
        except ClientResponseError as error:
            logger.error("The clinic gateway refused a reply to %s: HTTP %s",
                         message.get("recipient_id"), error.status)
        except ClientError as error:
            logger.error("The clinic gateway could not be reached for %s: %s",
                         message.get("recipient_id"), type(error).__name__)

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
        """Read the gateway URL and options wording (credentials.yml) and the secret (env).

        Without a gateway URL or a shared secret the server does not start: an
        unsigned gateway would let anyone type into any patient's conversation.
        """
        credentials = dict(credentials or {})
        intro = both_intros(credentials.pop("options_intro", DEFAULT_OPTIONS_INTRO),
                            credentials.pop("options_intro_es", DEFAULT_OPTIONS_INTRO_ES))
        if not str(credentials.get("url") or "").strip():
            raise SystemExit("BackCare cannot start: the clinic gateway (callback channel) "
                             "needs CALLBACK_URL, where its replies are posted")
        try:
            secret = secret_from_environment()
        except MissingSecret as error:
            raise SystemExit(f"BackCare cannot start: {error}") from None
        return cls(EndpointConfig.from_dict(credentials), secret, intro)

    def __init__(
        self, endpoint: EndpointConfig, secret: Text, options_intro: Optional[Intro] = None
    ) -> None:
        """Keep the gateway endpoint and the shared secret."""
        super().__init__(endpoint)
        self.options_intro: Intro = options_intro or both_intros()
        self.secret = secret

    def get_output_channel(self) -> CollectingOutputChannel:
        """Replies go to the gateway, signed."""
        return ClinicGatewayOutput(self.callback_endpoint, self.options_intro, self.secret)

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
            refused = check(self.secret, request.headers, request.body or b"")
            if refused:
                status, why = refused
                logger.warning("Clinic gateway request refused (%d): %s", status, why)
                return response.json({"error": why}, status=status)
            problem = body_problem(request)
            if problem:
                return refuse(problem)
            message_id = request.json.get("message_id")
            if message_id and not shared_store().first_time(f"callback:{message_id}"):
                logger.info("The gateway sent message %s again: already answered.", message_id)
                return response.text("success")
            sender_id = await self._extract_sender(request)
            text = self._extract_message(request)
            agent = getattr(request.app.ctx, "agent", None)
            if agent is not None and text:
                buttons = await last_buttons(agent, sender_id)
                text = payload_for_number(text, buttons) or text
            await on_new_message(UserMessage(
                text, self.get_output_channel(), sender_id, input_channel=self.name()
            ))
            return response.text("success")

        return gateway
