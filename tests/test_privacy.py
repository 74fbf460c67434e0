"""What patients type stays out of the logs; the HTTP API is closed without a token."""

import os
import subprocess
import uuid

import httpx
import pytest

from backcare_stack.stack import ROOT, SECOND_ORIGIN, texts

pytestmark = pytest.mark.server


def test_logs_at_info_do_not_contain_what_patients_typed(stack):
    secret = f"zebra{uuid.uuid4().hex[:10]}"
    sender = f"privacy-{uuid.uuid4().hex[:8]}"
    stack.say(sender, f"my neighbour {secret} says massage helps, is that true?")
    stack.say(sender, f"I have a fever, {secret}")
    for name in ("rasa", "actions"):
        assert secret not in stack.log(name), f"{name} log contains patient text"


def test_privacy_notice_on_request_with_conversation_id(stack):
    sender = f"privacy-{uuid.uuid4().hex[:8]}"
    reply = texts(stack.say(sender, "what do you do with my data?"))
    assert "Privacy" in reply and sender in reply


def test_conversation_api_is_closed_without_a_token(stack):
    sender = f"privacy-{uuid.uuid4().hex[:8]}"
    stack.say(sender, "hello")
    response = httpx.get(f"{stack.url}/conversations/{sender}/tracker", timeout=10)
    assert response.status_code in (401, 403, 404)
    assert '"events"' not in response.text and "action_listen" not in response.text


def test_cors_only_for_the_configured_origin(stack):
    body = {"sender": f"cors-{uuid.uuid4().hex[:8]}", "message": "hello"}
    foreign = httpx.post(f"{stack.url}/webhooks/rest/webhook", json=body, timeout=60,
                         headers={"Origin": "http://evil.example"})
    assert foreign.headers.get("access-control-allow-origin") is None
    for origin in (stack.web_url, SECOND_ORIGIN):
        own = httpx.post(f"{stack.url}/webhooks/rest/webhook", json=body, timeout=60,
                         headers={"Origin": origin})
        assert own.headers.get("access-control-allow-origin") == origin


@pytest.mark.parametrize("setting, expected", [
    ("", ["http://localhost:8080"]),
    ("https://a.example", ["https://a.example"]),
    ("https://a.example  https://b.example", ["https://a.example", "https://b.example"]),
])
def test_several_cors_origins_each_become_an_argument(setting, expected):
    env = {**os.environ, "BACKCARE_CORS_ORIGINS": setting}
    if not setting:
        env.pop("BACKCARE_CORS_ORIGINS")
    result = subprocess.run(["bash", "-c", "source scripts/operate/lib.sh; cors_origins "
                             "http://localhost:8080"], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=True)
    assert result.stdout.split("\n")[:-1] == expected
