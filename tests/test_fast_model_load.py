"""Serving loads DIET and TED faster, and they must predict exactly as Rasa's load."""

import asyncio

import numpy as np
import pytest
from rasa.core.agent import Agent
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from backcare_nlu import fast_model_load
from tests.stack import MODEL

MESSAGES = [
    "hey there",
    "would a massage do anything for my sore lower back",
    "i've got numbness in my saddle area since yesterday",
    "tell me about trigger point massage",
    "will my health plan pay for it",
    "ok can you guide me step by step",
]


def outputs(agent: Agent):
    """Intent ranking and entities from DIET, action probabilities from TED."""
    loop = asyncio.new_event_loop()
    ted = next(node._component for node in agent.processor.graph_runner._instantiated_nodes.values()
               if isinstance(node._component, TEDPolicy))
    parsed, actions = [], []
    for text in MESSAGES:
        parse = loop.run_until_complete(agent.parse_message(text))
        parsed.append(([(i["name"], i["confidence"]) for i in parse["intent_ranking"]],
                       [(e["entity"], e["value"]) for e in parse["entities"]]))
        tracker = DialogueStateTracker.from_events("compare", [
            ActionExecuted("action_listen"), SlotSet("guide_in_progress", False),
            UserUttered(text, parse["intent"], parse["entities"], parse_data=parse)])
        actions.append(ted.predict_action_probabilities(tracker, agent.domain).probabilities)
    loop.close()
    return parsed, actions


@pytest.fixture(scope="module")
def both_loads():
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does)")
    fast = outputs(Agent.load(str(MODEL)))
    fast_model_load.uninstall()
    try:
        rasa = outputs(Agent.load(str(MODEL)))
    finally:
        fast_model_load.install()
    return fast, rasa


def test_understanding_is_identical_with_the_fast_load(both_loads):
    (fast_parsed, _), (rasa_parsed, _) = both_loads
    for (fast_intents, fast_entities), (rasa_intents, rasa_entities) in zip(
            fast_parsed, rasa_parsed, strict=True):
        assert [name for name, _ in fast_intents] == [name for name, _ in rasa_intents]
        np.testing.assert_allclose([c for _, c in fast_intents], [c for _, c in rasa_intents],
                                   atol=1e-5)
        assert fast_entities == rasa_entities


def test_dialogue_predictions_are_identical_with_the_fast_load(both_loads):
    (_, fast_actions), (_, rasa_actions) = both_loads
    for fast, rasa in zip(fast_actions, rasa_actions, strict=True):
        np.testing.assert_allclose(fast, rasa, atol=1e-5)
