"""SMS and WhatsApp through Twilio, as a security review expects (docs/channels.md).

Replaces Rasa 3.6's ``twilio`` connector, at the same URL
(``/webhooks/twilio/webhook``):

- every request must carry a valid ``X-Twilio-Signature``, checked with the
  ``twilio`` library's ``RequestValidator`` against the public URL Twilio posts
  to (``webhook_url``: a proxy changes the URL the server sees), over the whole
  form (repeated fields included): 401 without it, 403 when it is wrong;
- the text is passed on as typed ("¡" stays "¡");
- replies go out through Twilio's asynchronous client, on the event loop,
  never blocking other conversations; an error from Twilio is logged, not
  thrown back at Twilio;
- buttons become numbered options (a reply "2" picks option 2) and a long
  answer is split between sentences into messages of at most 3 SMS segments;
- STOP (and its CTIA synonyms) stops every message to that number until START;
  HELP answers with the clinic's name and phone; the opt-out list is kept in
  the conversations' database (:mod:`backcare_channels.channel_store`);
- a retried webhook (the same ``MessageSid``) is answered once, on any server.
"""

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.nlg.interpolator import interpolate_text
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from actions.content import Content, load_clinic, load_contents
from actions.text import fill, variant_for
from backcare_channels.channel_store import ChannelStore, shared_store
from backcare_channels.limits import limit_length
from backcare_channels.options import (
    Intro,
    both_intros,
    last_buttons,
    payload_for_number,
    with_options,
)
from backcare_channels.sms_text import split_for_sms

logger = logging.getLogger(__name__)
TWILIO_API = "https://api.twilio.com"
SIGNATURE_HEADER = "X-Twilio-Signature"
# CTIA keywords (what US carriers and Twilio honour), and their Spanish counterparts.
STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "optout", "revoke",
              "parar", "alto", "cancelar"}
START_WORDS = {"start", "unstop", "yes", "comenzar", "iniciar", "si", "sí"}
HELP_WORDS = {"help", "info", "ayuda"}
SPANISH_WORDS = {"parar", "alto", "cancelar", "comenzar", "iniciar", "si", "sí", "ayuda"}
# WhatsApp has no SMS segments: up to 1,600 characters per message (Twilio's limit).
WHATSAPP_MAX_SEGMENTS = 10


def keyword(text: Text) -> Text:
    """The message as a keyword: one word, lower case, without punctuation."""
    return text.strip().strip(".!¡?¿ ").lower()


class TwilioSmsOutput(OutputChannel):
    """Sends replies through Twilio's asynchronous client, sized for SMS."""

    @classmethod
    def name(cls) -> Text:
        """Same name as Rasa's Twilio channel."""
        return "twilio"

    def __init__(self, client: Client, from_number: Text, store: ChannelStore,
                 options_intro: Intro) -> None:
        """Where to send from, and the opt-out list to respect."""
        self.client = client
        self.from_number = from_number
        self.store = store
        self.options_intro = options_intro
        self.max_segments = (WHATSAPP_MAX_SEGMENTS if from_number.startswith("whatsapp:")
                             else 3)

    async def _send(self, recipient_id: Text, even_if_opted_out: bool = False,
                    **fields: Any) -> None:
        """One message; errors are logged (status and code only), never raised."""
        if not even_if_opted_out and self.store.opted_out(recipient_id):
            logger.info("Not sending to %s: the number replied STOP.", recipient_id)
            return
        try:
            await self.client.messages.create_async(to=recipient_id, from_=self.from_number,
                                                    **fields)
        except TwilioRestException as error:
            logger.error("Twilio refused a message to %s: HTTP %s, code %s", recipient_id,
                         error.status, error.code)
        except (TwilioException, OSError) as error:
            logger.error("Twilio could not be reached for %s: %s", recipient_id,
                         type(error).__name__)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """The text, split into messages of at most 3 segments between sentences."""
        for part in split_for_sms(text, self.max_segments):
            await self._send(recipient_id, body=part)

    async def send_keyword_answer(self, recipient_id: Text, text: Text) -> None:
        """The answer to STOP, START or HELP: sent even to a number that opted out."""
        for part in split_for_sms(text, self.max_segments):
            await self._send(recipient_id, even_if_opted_out=True, body=part)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        """Buttons as numbered options the person answers with a number."""
        await self.send_text_message(recipient_id, with_options(text, buttons,
                                                                self.options_intro))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        """An image (MMS, WhatsApp)."""
        await self._send(recipient_id, media_url=[image])


class TwilioSmsInput(InputChannel):
    """Twilio SMS / WhatsApp webhook with signatures, opt-outs and retries handled."""

    @classmethod
    def name(cls) -> Text:
        """Same name and URL as Rasa's Twilio channel."""
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TwilioSmsInput":
        """credentials.yml's block; the server does not start without every value."""
        credentials = credentials or {}
        required = ("account_sid", "auth_token", "twilio_number", "webhook_url")
        missing = [key for key in required if not str(credentials.get(key) or "").strip()]
        if missing:
            raise SystemExit(f"BackCare cannot start: the Twilio channel needs {', '.join(missing)}"
                             " in credentials.yml (from TWILIO_* variables; docs/channels.md)")
        return cls(**{key: str(credentials[key]).strip() for key in required},
                   api_url=str(credentials.get("api_url") or TWILIO_API))

    def __init__(self, account_sid: Text, auth_token: Text, twilio_number: Text,
                 webhook_url: Text, api_url: Text = TWILIO_API) -> None:
        """Keep the account and the public URL the signatures are made for."""
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.twilio_number = twilio_number
        self.webhook_url = webhook_url
        self.api_url = api_url
        self.validator = RequestValidator(auth_token)
        self.options_intro = both_intros()
        self._client: Optional[Client] = None
        self._contents: Optional[Dict[Text, Content]] = None

    def client(self) -> Client:
        """Twilio's client on aiohttp, made on the event loop the first time it is needed."""
        if self._client is None:
            self._client = Client(self.account_sid, self.auth_token,
                                  http_client=AsyncTwilioHttpClient(timeout=20))
            self._client.api.base_url = self.api_url
        return self._client

    @staticmethod
    def store() -> ChannelStore:
        """Opt-outs and seen ids, in the conversations' database when it is SQL."""
        return shared_store()

    def get_output_channel(self) -> TwilioSmsOutput:
        """Replies through Twilio."""
        return TwilioSmsOutput(self.client(), self.twilio_number, self.store(),
                               self.options_intro)

    def refused(self, request: Request) -> Optional[HTTPResponse]:
        """401 or 403 unless Twilio signed this request for our public URL."""
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            logger.warning("Twilio webhook without %s refused", SIGNATURE_HEADER)
            return response.json({"error": f"{SIGNATURE_HEADER} is required"}, status=401)
        if not self.validator.validate(self.webhook_url, request.form, signature):
            logger.warning("Twilio webhook with a wrong signature refused (is webhook_url the "
                           "address Twilio posts to?)")
            return response.json({"error": "the signature does not match"}, status=403)
        return None

    async def keyword_reply(self, agent: Any, sender: Text, word: Text) -> bool:
        """STOP, START and HELP, answered here; True when the message was one of them."""
        store = self.store()
        if word in STOP_WORDS:
            await self.say(agent, sender, word, "utter_sms_stopped")
            store.opt_out(sender)
            return True
        if word in START_WORDS and store.opted_out(sender):
            store.opt_in(sender)
            await self.say(agent, sender, word, "utter_sms_started")
            return True
        if word in HELP_WORDS:
            clinic = load_clinic()
            await self.say(agent, sender, word,
                           "utter_sms_help" if clinic.configured else "utter_sms_help_generic")
            return True
        return False

    async def say(self, agent: Any, sender: Text, word: Text, response_name: Text) -> None:
        """A domain response in the person's language, then the emergency line.

        The clinic's details fill the response; the emergency line is the content
        file's (medical text lives there, not in domain.yml).
        """
        language = "es" if word in SPANISH_WORDS else await self.language(agent, sender)
        chosen = variant_for((agent.domain.responses.get(response_name) or []) if agent else [],
                             language)
        if chosen is None:
            logger.error("domain.yml has no %s response", response_name)
            return
        clinic = load_clinic()
        text = interpolate_text(chosen["text"], {"clinic_name": clinic.name,
                                                 "clinic_phone": clinic.phone})
        if response_name != "utter_sms_started":
            text += " " + fill(self.contents()[language].notices["emergency_reminder"], clinic)
        await self.get_output_channel().send_keyword_answer(sender, text)

    def contents(self) -> Dict[Text, Content]:
        """The content file in each language, read once."""
        if self._contents is None:
            self._contents = load_contents()
        return self._contents

    @staticmethod
    async def language(agent: Any, sender: Text) -> Text:
        """The conversation's language ("en" when it has none yet)."""
        tracker = await agent.tracker_store.retrieve(sender) if agent else None
        return (tracker.get_slot("language") if tracker else None) or "en"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Twilio's webhook: checked, deduplicated, keywords answered, then Rasa."""
        sms = Blueprint("backcare_twilio_webhook", __name__)
        on_new_message = limit_length(on_new_message)

        @sms.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sms.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            refused = self.refused(request)
            if refused:
                return refused
            sender, text = request.form.get("From"), request.form.get("Body") or ""
            if not sender:
                return response.json({"error": "From is required"}, status=400)
            if not self.store().first_time(request.form.get("MessageSid")):
                logger.info("Twilio retried a message from %s: already answered.", sender)
                return response.text("", status=204)
            agent = getattr(request.app.ctx, "agent", None)
            if await self.keyword_reply(agent, sender, keyword(text)):
                return response.text("", status=204)
            if self.store().opted_out(sender):
                logger.info("Message from %s, who replied STOP: not answered.", sender)
                return response.text("", status=204)
            if agent is not None:
                text = payload_for_number(text, await last_buttons(agent, sender)) or text
            await on_new_message(UserMessage(text, self.get_output_channel(), sender,
                                             input_channel=self.name(),
                                             metadata=self.get_metadata(request)))
            return response.text("", status=204)

        return sms
