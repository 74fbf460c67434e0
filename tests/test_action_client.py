"""BackCare's action client: installed only on purpose, on the Rasa it was written for.

Replies from the action server are still checked against Rasa's schema.
"""

import pytest
from jsonschema import ValidationError
from rasa.core.actions import action as rasa_actions
from rasa.core.actions import forms as rasa_forms
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, BotUttered, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import backcare_rasa
from backcare_rasa import action_client, patches
from backcare_stack.stack import ROOT

ENDPOINT = EndpointConfig("http://127.0.0.1:9/webhook")


@pytest.fixture
def installed(monkeypatch):
    """The client installed for one test; Rasa's own classes back afterwards."""
    monkeypatch.setattr(rasa_actions, "RemoteAction", rasa_actions.RemoteAction)
    monkeypatch.setattr(rasa_forms, "RemoteAction", rasa_forms.RemoteAction)
    patches.install_action_client()


@pytest.fixture
def action(installed):
    # Built the way Rasa builds a custom action for a name it does not know.
    return rasa_actions.action_for_name_or_text(
        "action_give_tip", Domain.load(str(ROOT / "domain.yml")), ENDPOINT)


def test_importing_backcare_packages_changes_nothing_in_rasa():
    import backcare_channels  # noqa: F401
    import backcare_nlu  # noqa: F401
    assert backcare_rasa is not None
    assert rasa_actions.RemoteAction is not action_client.RemoteActionWithFallback
    assert rasa_forms.RemoteAction is not action_client.RemoteActionWithFallback


def test_backcare_builds_custom_actions_with_its_client(action):
    assert type(action) is action_client.RemoteActionWithFallback


async def test_a_form_step_with_the_action_server_down_says_so(installed):
    """forms.py builds validate_<form> itself: it must get the client too."""
    domain = Domain.load(str(ROOT / "domain.yml"))
    form = rasa_forms.FormAction("guide_form", ENDPOINT)  # nothing listens on port 9
    tracker = DialogueStateTracker.from_events(
        "patient-1", [ActiveLoop("guide_form"), SlotSet("requested_slot", "screen_result")],
        slots=domain.slots)
    events = await form.validate_slots({"screen_result": "none"}, tracker, domain,
                                       CollectingOutputChannel(),
                                       TemplatedNaturalLanguageGenerator(domain.responses))
    said = [event.text for event in events if isinstance(event, BotUttered)]
    assert said and "temporarily unavailable" in said[0]


def test_any_other_rasa_version_is_refused(monkeypatch):
    monkeypatch.setattr(rasa_actions, "RemoteAction", rasa_actions.RemoteAction)
    monkeypatch.setattr(rasa_forms, "RemoteAction", rasa_forms.RemoteAction)
    with pytest.raises(RuntimeError, match="Rasa 3.6.21; this is Rasa 3.7.0"):
        patches.install_action_client(version="3.7.0")
    assert rasa_actions.RemoteAction is not action_client.RemoteActionWithFallback


def test_a_well_formed_reply_is_accepted(action):
    reply = {"events": [{"event": "slot", "name": "tips_shown", "value": ["doctor_first"]}],
             "responses": [{"text": "Tip 1 of 5"}]}
    assert action._validate_action_result(reply)


@pytest.mark.parametrize("reply", [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"responses": "hello"},
])
def test_a_malformed_reply_is_refused(action, reply):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(reply)


async def client_ports(endpoint: EndpointConfig, calls: int = 3) -> list:
    """The client port of each call: one port means one kept-alive connection."""
    from aiohttp import web

    async def webhook(request):
        return web.json_response({"port": request.transport.get_extra_info("peername")[1]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    endpoint.url = f"http://127.0.0.1:{port}/webhook"
    try:
        return [(await endpoint.request(json={}, method="post"))["port"] for _ in range(calls)]
    finally:
        await runner.cleanup()


def test_custom_action_calls_reuse_one_connection_to_the_action_server(installed):
    import asyncio

    action = rasa_actions.action_for_name_or_text(
        "action_give_tip", Domain.load(str(ROOT / "domain.yml")), EndpointConfig("http://x"))
    kept = asyncio.run(client_ports(action.action_endpoint))
    assert len(set(kept)) == 1, kept
    # Rasa's own endpoint opens a connection per call (what this saves).
    assert len(set(asyncio.run(client_ports(EndpointConfig("http://x"))))) == 3
