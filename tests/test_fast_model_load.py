"""Serving loads DIET faster, and it must understand exactly as with Rasa's load."""

import asyncio

import numpy as np
import pytest
from rasa.core.agent import Agent

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


def understanding(agent: Agent):
    """Intent ranking with confidences, and entities, for each message."""
    loop = asyncio.new_event_loop()
    parsed = []
    for text in MESSAGES:
        parse = loop.run_until_complete(agent.parse_message(text))
        parsed.append(([(i["name"], i["confidence"]) for i in parse["intent_ranking"]],
                       [(e["entity"], e["value"]) for e in parse["entities"]]))
    loop.close()
    return parsed


@pytest.fixture(scope="module")
def both_loads():
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does)")
    fast = understanding(Agent.load(str(MODEL)))
    fast_model_load.uninstall()
    try:
        rasa = understanding(Agent.load(str(MODEL)))
    finally:
        fast_model_load.install()
    return fast, rasa


def test_understanding_is_identical_with_the_fast_load(both_loads):
    fast, rasa = both_loads
    for (fast_intents, fast_entities), (rasa_intents, rasa_entities) in zip(
            fast, rasa, strict=True):
        assert [name for name, _ in fast_intents] == [name for name, _ in rasa_intents]
        np.testing.assert_allclose([c for _, c in fast_intents], [c for _, c in rasa_intents],
                                   atol=1e-5)
        assert fast_entities == rasa_entities
