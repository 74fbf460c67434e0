"""A clinic's messaging gateway talking to BackCare through the callback channel."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from backcare_channels.options import payload_for_number, with_options


class FakeGateway:
    """Plays the clinic's SMS gateway: records what BackCare posts back."""

    def __init__(self, port: int) -> None:
        self.received = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, predicate, seconds: float = 30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [m for m in self.received if predicate(m)]
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError(f"gateway never got it; received: {self.received}")


@pytest.fixture(scope="module")
def gateway(stack):
    fake = FakeGateway(stack.gateway_port)
    yield fake
    fake.server.shutdown()


def post(stack, sender: str, text: str) -> httpx.Response:
    return httpx.post(f"{stack.url}/webhooks/callback/webhook",
                      json={"sender": sender, "message": text}, timeout=60)


@pytest.mark.server
def test_patient_message_round_trip_with_text_options(stack, gateway):
    sender = f"sms-{uuid.uuid4().hex[:8]}"
    assert post(stack, sender, "hi").text == "success"
    disclaimer = gateway.wait_for(lambda m: m["recipient_id"] == sender
                                  and "not a doctor" in (m.get("text") or ""))
    assert disclaimer
    greeting = gateway.wait_for(lambda m: m["recipient_id"] == sender and m.get("buttons"))[0]
    assert "Reply with a number:\n1. Walk me through it\n2. Does massage help?" in greeting["text"]
    assert greeting["buttons"][0]["payload"] == "/start_guide"

    # The patient answers "2" by SMS: that is the "Does massage help?" option.
    post(stack, sender, "2")
    answer = gateway.wait_for(lambda m: m["recipient_id"] == sender
                              and "normal activities sooner" in (m.get("text") or ""))
    assert answer


@pytest.mark.server
def test_a_spanish_sms_conversation_runs_in_spanish(stack, gateway):
    sender = f"sms-{uuid.uuid4().hex[:8]}"
    post(stack, sender, "hola")
    assert gateway.wait_for(lambda m: m["recipient_id"] == sender
                            and "No es un médico" in (m.get("text") or ""))
    greeting = gateway.wait_for(lambda m: m["recipient_id"] == sender and m.get("buttons"))[0]
    assert "Responda con un número:\n1. Guíeme paso a paso" in greeting["text"]
    post(stack, sender, "1")  # the walk-through, its first step in Spanish
    assert gateway.wait_for(lambda m: m["recipient_id"] == sender
                            and "¿Le pasa alguna de estas cosas?" in (m.get("text") or ""))


@pytest.mark.server
def test_over_long_sms_gets_the_too_long_answer(stack, gateway):
    sender = f"sms-{uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    assert post(stack, sender, "back pain " * 10_000).text == "success"
    assert time.monotonic() - started < 1.0
    assert gateway.wait_for(lambda m: m["recipient_id"] == sender
                            and "that message is too long" in (m.get("text") or ""))


def test_options_are_numbered_in_order():
    buttons = [{"title": "Yes", "payload": "/affirm"}, {"title": "Not yet", "payload": "/deny"}]
    assert with_options("Seen a doctor?", buttons, "Reply with a number:") == (
        "Seen a doctor?\n\nReply with a number:\n1. Yes\n2. Not yet")


@pytest.mark.parametrize("text, payload", [
    ("1", "/affirm"), (" 2. ", "/deny"), ("3", None), ("0", None), ("yes", None), ("", None),
])
def test_number_replies_pick_an_option(text, payload):
    buttons = [{"title": "Yes", "payload": "/affirm"}, {"title": "Not yet", "payload": "/deny"}]
    assert payload_for_number(text, buttons) == payload


def test_numbered_options_are_introduced_in_the_conversations_language():
    from backcare_channels.options import both_intros, with_options

    buttons = [{"title": "Sí", "payload": "/affirm"}, {"title": "Todavía no", "payload": "/deny"}]
    spanish = with_options("¿Un médico le confirmó que el masaje es seguro para su espalda?",
                           buttons, both_intros())
    assert "Responda con un número:\n1. Sí\n2. Todavía no" in spanish
    english = with_options("Has a doctor confirmed that massage is safe for your back?",
                           [{"title": "Yes", "payload": "/affirm"}], both_intros())
    assert "Reply with a number:\n1. Yes" in english
