"""SMS through Twilio: a real Rasa server, the real twilio library, a fake of Twilio's API.

Nothing is mocked below HTTP: Twilio's webhooks are signed with the twilio
library's own RequestValidator, and BackCare's replies go through the twilio
client to a local server that answers as Twilio's Messages API does.
"""

import json
import re
import sqlite3
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import yaml
from twilio.request_validator import RequestValidator

from backcare_channels.sms_text import SENTENCE_END, segments
from backcare_stack.stack import ROOT, Stack, free_port

ACCOUNT = "AC" + "0" * 32
TOKEN = "test-auth-token-0123456789abcdef"
NUMBER = "+15550001111"
# Twilio posts to the clinic's public address; the server behind the proxy sees another.
PUBLIC_URL = "https://sms.clinic.example/webhooks/twilio/webhook"


class FakeTwilio:
    """Twilio's Messages API on 127.0.0.1: records each message BackCare sends."""

    def __init__(self) -> None:
        self.sent = []
        self.slow_for = set()      # recipients whose messages take 3 s to accept
        self.refuse_for = set()    # recipients Twilio answers with an error
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                to = form.get("To")
                if to in fake.slow_for:
                    time.sleep(3)
                if to in fake.refuse_for:
                    return self.answer(400, {"code": 21211, "message": "Invalid 'To' Phone "
                                             "Number", "status": 400})
                fake.sent.append({"path": self.path, **form})
                self.answer(201, {"sid": "SM" + uuid.uuid4().hex, "status": "queued",
                                  "to": to, "from": form.get("From"), "body": form.get("Body")})

            def answer(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def to(self, number: str):
        return [message["Body"] for message in self.sent if message["To"] == number]


def sms_credentials(api_url: str, path: Path) -> str:
    """credentials.yml with its commented Twilio block switched on, as docs/channels.md says."""
    text = (ROOT / "credentials.yml").read_text()
    block = re.search(r"^# backcare_channels\.sms\.TwilioSmsInput:\n(?:#   .*\n)+", text, re.M)
    assert block, "credentials.yml lost its Twilio template"
    enabled = yaml.safe_load(re.sub(r"^# ?", "", block.group(0), flags=re.M))
    credentials = {**yaml.safe_load(text), **enabled}
    credentials["backcare_channels.sms.TwilioSmsInput"]["api_url"] = api_url  # the fake
    path.write_text(yaml.safe_dump(credentials, allow_unicode=True))
    return str(path)


@pytest.fixture(scope="module")
def twilio():
    fake = FakeTwilio()
    yield fake
    fake.server.shutdown()


@pytest.fixture(scope="module")
def sms_stack(tmp_path_factory, twilio):
    workdir = tmp_path_factory.mktemp("sms")
    env = {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": TOKEN, "TWILIO_NUMBER": NUMBER,
           "TWILIO_WEBHOOK_URL": PUBLIC_URL}
    stack = Stack(workdir, extra_env=env,
                  credentials=sms_credentials(f"http://127.0.0.1:{twilio.port}",
                                              workdir / "credentials.yml"))
    stack.start()
    yield stack
    stack.stop_all()


def text_from(stack, sender: str, body: str, sid=None, signature=None,
              url: str = PUBLIC_URL) -> httpx.Response:
    """What Twilio posts when a patient texts: a form signed for the public URL."""
    form = {"MessageSid": sid or "SM" + uuid.uuid4().hex, "AccountSid": ACCOUNT,
            "From": sender, "To": NUMBER, "Body": body, "NumMedia": "0"}
    if signature is None:
        signature = RequestValidator(TOKEN).compute_signature(url, form)
    headers = {"X-Twilio-Signature": signature} if signature else {}
    return httpx.post(f"{stack.url}/webhooks/twilio/webhook", data=form, headers=headers,
                      timeout=60)


def patient() -> str:
    return "+1555" + str(uuid.uuid4().int)[:7]


def texts_of(stack, sender: str, kind: str):
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = ? "
                          "ORDER BY id", (sender, kind)).fetchall()
    return [json.loads(data).get("text") for (data,) in rows]


def user_turns(stack, sender: str):
    return texts_of(stack, sender, "user")


def bot_texts(stack, sender: str):
    return [text for text in texts_of(stack, sender, "bot") if text]


@pytest.mark.server
def test_a_patient_texts_and_gets_sms_sized_replies_with_numbered_options(sms_stack, twilio):
    sender = patient()
    assert text_from(sms_stack, sender, "hi").status_code == 204
    replies = twilio.to(sender)
    assert any("not a doctor" in reply for reply in replies)
    assert any("Reply with a number:\n1. Walk me through it" in reply for reply in replies)
    assert all(message["From"] == NUMBER for message in twilio.sent if message["To"] == sender)
    text_from(sms_stack, sender, "2")  # "Does massage help?"
    answer = twilio.to(sender)[len(replies):]
    assert any("normal activities sooner" in part for part in answer)
    assert all(segments(part) <= 3 for part in twilio.to(sender)), "a reply over 3 segments"


@pytest.mark.server
def test_a_long_spanish_answer_is_split_between_sentences_and_keeps_its_marks(sms_stack,
                                                                              twilio):
    sender = patient()
    text_from(sms_stack, sender, "¡hola! ¿el masaje ayuda con el dolor de espalda?")
    assert user_turns(sms_stack, sender) == ["¡hola! ¿el masaje ayuda con el dolor de espalda?"]
    sent = twilio.to(sender)
    assert any("No es un médico" in part for part in sent), sent
    assert all(segments(part) <= 3 for part in sent)
    long_ones = [text for text in bot_texts(sms_stack, sender) if segments(text) > 3]
    assert long_ones, "no answer was long enough to need splitting"
    for text in long_ones:
        assert text not in sent
        for sentence in SENTENCE_END.split(text):  # each sentence arrives whole
            assert any(sentence.strip() in part for part in sent), sentence


@pytest.mark.server
def test_forged_unsigned_or_misaddressed_texts_are_refused(sms_stack, twilio):
    sender = patient()
    form = {"MessageSid": "SM1", "From": sender, "Body": "hi"}
    forged = {
        "no signature": ("", 401),
        "signed with another token": (
            RequestValidator("not-the-token").compute_signature(PUBLIC_URL, form), 403),
        "signed for the server's own address": (
            RequestValidator(TOKEN).compute_signature(
                f"{sms_stack.url}/webhooks/twilio/webhook", form), 403),
        "signed for another body": (
            RequestValidator(TOKEN).compute_signature(PUBLIC_URL, {**form, "Body": "x"}), 403),
    }
    for name, (signature, status) in forged.items():
        answer = httpx.post(f"{sms_stack.url}/webhooks/twilio/webhook", data=form,
                            headers={"X-Twilio-Signature": signature} if signature else {},
                            timeout=30)
        assert answer.status_code == status, name
    assert user_turns(sms_stack, sender) == [] and twilio.to(sender) == []


@pytest.mark.server
def test_stop_means_nothing_is_sent_until_start(sms_stack, twilio):
    sender = patient()
    text_from(sms_stack, sender, "hi")
    before = len(twilio.to(sender))
    text_from(sms_stack, sender, "Stop")
    confirmation = twilio.to(sender)[before:]
    assert len(confirmation) == 1 and "no more messages" in confirmation[0]
    assert "START" in confirmation[0]
    text_from(sms_stack, sender, "does massage help back pain?")
    text_from(sms_stack, sender, "2")
    assert len(twilio.to(sender)) == before + 1, "a message went to a number that said STOP"
    with sqlite3.connect(sms_stack.workdir / "tracker.db") as db:  # kept across restarts
        assert db.execute("SELECT COUNT(*) FROM backcare_sms_opt_out WHERE address = ?",
                          (sender,)).fetchone() == (1,)

    text_from(sms_stack, sender, "yes")  # a CTIA opt-in word, like START
    assert "again" in twilio.to(sender)[-1]
    text_from(sms_stack, sender, "does massage help back pain?")
    assert any("normal activities sooner" in reply for reply in twilio.to(sender)[before + 2:])


@pytest.mark.server
def test_help_names_how_to_reach_a_person_in_the_persons_language(sms_stack, twilio):
    sender = patient()
    text_from(sms_stack, sender, "HELP")
    help_text = twilio.to(sender)[-1]
    assert re.search(r"call (your doctor|\+?[\d ]+)", help_text) and "Reply STOP" in help_text
    assert help_text.endswith("In an emergency, call 911.")
    text_from(sms_stack, sender, "ayuda")
    assert "Si es una emergencia, llame al 911" in twilio.to(sender)[-1]
    assert user_turns(sms_stack, sender) == []  # keywords are not conversation turns


@pytest.mark.server
def test_a_retried_webhook_is_one_turn(sms_stack, twilio):
    sender, sid = patient(), "SM" + uuid.uuid4().hex
    text_from(sms_stack, sender, "hi")
    before = len(twilio.to(sender))
    for _ in range(3):  # Twilio retries when our answer is late
        assert text_from(sms_stack, sender, "is massage safe?", sid=sid).status_code == 204
    assert user_turns(sms_stack, sender).count("is massage safe?") == 1
    answers = twilio.to(sender)[before:]
    assert answers and len(answers) == len(set(answers))


@pytest.mark.server
def test_a_slow_or_failing_twilio_holds_up_no_one(sms_stack, twilio):
    """Replies go out on the event loop without blocking it; Twilio's errors are logged."""
    slow, refused = patient(), patient()
    twilio.slow_for.add(slow)
    twilio.refuse_for.add(refused)
    assert text_from(sms_stack, refused, "hi").status_code == 204  # no 500 back to Twilio
    done = {}
    worker = threading.Thread(target=lambda: done.update(answer=text_from(sms_stack, slow,
                                                                          "hi")))
    worker.start()
    time.sleep(0.5)  # the slow conversation is now waiting on Twilio
    started = time.monotonic()
    reply = sms_stack.say(f"rest-{uuid.uuid4().hex[:6]}", "does massage help back pain?")
    waited = time.monotonic() - started
    worker.join(60)
    assert reply and waited < 2.5, f"another conversation waited {waited:.1f} s for Twilio"
    assert done["answer"].status_code == 204 and twilio.to(slow)
    log = (sms_stack.workdir / "rasa.log").read_text()
    assert "Twilio refused a message" in log and "21211" in log


@pytest.mark.parametrize("text, count", [
    ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3),   # GSM-7: 160, then 153
    ("¡Hola, señor! ¿Qué tal? " * 6, 1),                               # ¡ ¿ ñ are GSM-7
    ("[" * 80, 1), ("[" * 81, 2),                                      # extension: 2 each
    ("á" * 70, 1), ("á" * 71, 2), ("á" * 134, 2), ("á" * 135, 3),      # UCS-2: 70, then 67
    ("a" * 150 + "ó", 3),                                               # one ó makes it UCS-2
    ("👍" * 35, 1), ("👍" * 36, 2),                                      # an emoji is 2 units
])
def test_segments_are_counted_as_carriers_count_them(text, count):
    assert segments(text) == count


def test_long_answers_are_split_between_sentences_into_three_segments_at_most():
    from backcare_channels.sms_text import split_for_sms

    sentence = "El masaje sueco usa movimientos largos y suaves para relajar la espalda. "
    answer = (sentence * 9).strip() + "\n\nFuente: Harvard Health Publishing."
    parts = split_for_sms(answer)
    assert len(parts) > 1 and all(segments(part) <= 3 for part in parts)
    assert all(part.endswith(".") for part in parts)
    assert " ".join(parts).replace("\n\n", " ") == answer.replace("\n\n", " ")
    assert split_for_sms("Short answer.") == ["Short answer."]
    assert split_for_sms("   ") == []
    url = "https://clinic.example/" + "x" * 500  # one word over the limit is still sent
    assert "".join(split_for_sms(url)) == url


@pytest.mark.parametrize("text, word", [("STOP", "stop"), (" Stop. ", "stop"), ("¡Ayuda!", "ayuda"),
                                        ("stop the pain", "stop the pain")])
def test_keywords_are_single_words_in_any_case(text, word):
    from backcare_channels.sms import STOP_WORDS, keyword

    assert keyword(text) == word
    assert ("stop the pain" in STOP_WORDS) is False


def test_opt_outs_and_seen_messages_survive_a_restart(tmp_path):
    import sqlalchemy as sa

    from backcare_channels.channel_store import ChannelStore

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = ChannelStore(sa.create_engine(url))
    store.opt_out("+15550100")
    store.opt_out("+15550100")  # twice is still once
    assert store.first_time("SM1") and not store.first_time("SM1") and store.first_time(None)
    restarted = ChannelStore(sa.create_engine(url))
    assert restarted.opted_out("+15550100") and not restarted.opted_out("+15550199")
    assert not restarted.first_time("SM1")
    restarted.opt_in("+15550100")
    assert not ChannelStore(sa.create_engine(url)).opted_out("+15550100")


def test_the_sms_channel_does_not_start_without_its_settings():
    from backcare_channels.sms import TwilioSmsInput

    with pytest.raises(SystemExit, match="needs auth_token, webhook_url"):
        TwilioSmsInput.from_credentials({"account_sid": ACCOUNT, "twilio_number": NUMBER})


def test_two_servers_on_postgresql_take_a_retried_message_once():
    """make prod: both Rasa servers get Twilio's retry at the same moment; one answers it."""
    from concurrent.futures import ThreadPoolExecutor

    import sqlalchemy as sa

    from backcare_channels.channel_store import ChannelStore
    from backcare_stack.services import fresh_postgres_database, require

    require("PostgreSQL")
    fresh_postgres_database("backcare_channel_test")
    url = "postgresql://postgres@127.0.0.1:5432/backcare_channel_test"
    engines = [sa.create_engine(url) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:  # both create the tables at once
        first, second = pool.map(ChannelStore, engines)
    for round_number in range(20):
        sid = f"SM{round_number}"
        with ThreadPoolExecutor(2) as pool:
            taken = list(pool.map(ChannelStore.first_time, (first, second), (sid, sid)))
        assert sorted(taken) == [False, True], taken
    first.opt_out("+15550100")
    assert second.opted_out("+15550100")  # STOP on one server holds on the other
    for engine in engines:
        engine.dispose()
