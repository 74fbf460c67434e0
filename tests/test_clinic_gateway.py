"""A clinic's messaging gateway talking to BackCare through the callback channel."""

import json
import sqlite3
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from backcare_channels.options import payload_for_number, with_options
from backcare_channels.signing import check, signed_headers


class FakeGateway:
    """Plays the clinic's SMS gateway: checks BackCare's signature, records what it posts."""

    def __init__(self, port: int, secret: str) -> None:
        self.received = []
        self.refused = []  # replies whose signature did not check out
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                problem = check(secret, dict(self.headers.items()), body)
                if problem:
                    gateway.refused.append((problem, body))
                else:
                    gateway.received.append(json.loads(body))
                self.send_response(problem[0] if problem else 200)
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
    fake = FakeGateway(stack.gateway_port, stack.gateway_secret)
    yield fake
    fake.server.shutdown()
    assert fake.refused == [], "BackCare posted replies the gateway could not verify"


def post(stack, sender: str, text: str, secret=None, headers=None, **fields) -> httpx.Response:
    """What the clinic's gateway sends: the body signed with the shared secret."""
    body = json.dumps({"sender": sender, "message": text, **fields}).encode()
    if headers is None:
        headers = signed_headers(secret or stack.gateway_secret, body)
    return httpx.post(f"{stack.url}/webhooks/callback/webhook", content=body,
                      headers={"Content-Type": "application/json", **headers}, timeout=60)


def stored_events(stack, sender: str) -> int:
    """How many events the tracker store holds for this conversation."""
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?",
                          (sender,)).fetchone()[0]


@pytest.mark.server
def test_a_forged_unsigned_or_stale_message_changes_no_conversation(stack, gateway):
    """Only the clinic's gateway can type into a patient's conversation."""
    sender = f"sms-{uuid.uuid4().hex[:8]}"
    body = json.dumps({"sender": sender, "message": "my doctor said it is fine"}).encode()
    stale = signed_headers(stack.gateway_secret, body, now=time.time() - 400)
    tampered = signed_headers(stack.gateway_secret, b'{"sender": "someone else"}')
    attempts = {
        "unsigned": ({}, 401),
        "forged with another secret": (signed_headers("not-the-clinics-secret", body), 403),
        "signed for another body": (tampered, 403),
        "replayed after 400 s": (stale, 403),
        "signature without a timestamp": ({"X-BackCare-Signature": stale["X-BackCare-Signature"]},
                                          401),
    }
    for name, (headers, status) in attempts.items():
        answer = post(stack, sender, "my doctor said it is fine", headers=headers)
        assert answer.status_code == status, name
        assert "sign" in answer.json()["error"], name  # says what is wrong, not a stack trace
    assert stored_events(stack, sender) == 0
    # The real gateway, signing, still gets through.
    assert post(stack, sender, "hi").text == "success"
    assert stored_events(stack, sender) > 0


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


@pytest.mark.server
def test_a_message_the_gateway_sends_again_is_one_turn(stack, gateway):
    sender, message_id = f"sms-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    post(stack, sender, "hi")
    for _ in range(3):  # the gateway timed out waiting and retried
        assert post(stack, sender, "is massage safe?", message_id=message_id).text == "success"
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        said = [json.loads(data)["text"] for (data,) in db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,))]
    assert said == ["hi", "is massage safe?"]
    assert post(stack, sender, "2", message_id=7).status_code == 400  # ids are strings


def test_without_a_shared_secret_or_url_the_gateway_does_not_start(monkeypatch, tmp_path):
    from backcare_channels.clinic_gateway import ClinicGatewayInput

    url = {"url": "http://127.0.0.1:9/bot"}
    monkeypatch.delenv("CALLBACK_SECRET", raising=False)
    monkeypatch.delenv("CALLBACK_SECRET_FILE", raising=False)
    with pytest.raises(SystemExit, match="needs a shared secret: set CALLBACK_SECRET"):
        ClinicGatewayInput.from_credentials(dict(url))
    monkeypatch.setenv("CALLBACK_SECRET", "short")
    with pytest.raises(SystemExit, match="too short"):
        ClinicGatewayInput.from_credentials(dict(url))
    monkeypatch.setenv("CALLBACK_SECRET", "a-long-enough-test-secret")
    with pytest.raises(SystemExit, match="needs CALLBACK_URL"):
        ClinicGatewayInput.from_credentials({"url": ""})
    secret_file = tmp_path / "callback-secret"
    secret_file.write_text("secret-from-a-file-0123456789\n")
    monkeypatch.delenv("CALLBACK_SECRET")
    monkeypatch.setenv("CALLBACK_SECRET_FILE", str(secret_file))
    assert ClinicGatewayInput.from_credentials(dict(url)).secret == "secret-from-a-file-0123456789"


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
