"""Serving loads DIET faster (a component subclass), and understands exactly as with Rasa's load."""

import asyncio

import numpy as np
import pytest
from rasa.core.agent import Agent
from rasa.nlu.classifiers.diet_classifier import DIET

from backcare_rasa.diet import FastLoadingDIET, FastLoadingDIETClassifier
from backcare_stack.stack import MODEL, ROOT

pytestmark = pytest.mark.model
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
    assert FastLoadingDIETClassifier.model_class() is FastLoadingDIET
    fast = understanding(Agent.load(str(MODEL)))
    with pytest.MonkeyPatch.context() as patch:  # this test only: Rasa's own DIET load
        patch.setattr(FastLoadingDIETClassifier, "model_class", staticmethod(lambda: DIET))
        rasa = understanding(Agent.load(str(MODEL)))
    return fast, rasa


def test_the_pipeline_names_the_fast_loading_component():
    from rasa.shared.utils.io import read_yaml_file
    config = read_yaml_file(str(ROOT / "config.yml"))
    names = [component["name"] for component in config["pipeline"]]
    assert "backcare_rasa.diet.FastLoadingDIETClassifier" in names
    assert "DIETClassifier" not in names


def test_understanding_is_identical_with_the_fast_load(both_loads):
    fast, rasa = both_loads
    for (fast_intents, fast_entities), (rasa_intents, rasa_entities) in zip(
            fast, rasa, strict=True):
        assert [name for name, _ in fast_intents] == [name for name, _ in rasa_intents]
        np.testing.assert_allclose([c for _, c in fast_intents], [c for _, c in rasa_intents],
                                   atol=1e-5)
        assert fast_entities == rasa_entities
