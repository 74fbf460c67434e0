"""Replies from the action server are still checked against Rasa's schema."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions import action as rasa_actions
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

import backcare_nlu  # noqa: F401  (installs BackCare's RemoteAction)
from tests.stack import ROOT


@pytest.fixture
def action():
    # Built the way Rasa builds a custom action for a name it does not know.
    return rasa_actions.action_for_name_or_text(
        "action_give_tip", Domain.load(str(ROOT / "domain.yml")),
        EndpointConfig("http://127.0.0.1:9/webhook"))


def test_backcare_builds_custom_actions_with_its_client(action):
    assert type(action).__module__ == "backcare_nlu.action_fallback"


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
