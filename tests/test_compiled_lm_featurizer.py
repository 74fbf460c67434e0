"""The compiled featurizer must give the model the same features as Rasa's own."""

import numpy as np
import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from backcare_nlu.compiled_lm_featurizer import CompiledLanguageModelFeaturizer
from tests.stack import ROOT

TEXTS = [
    "hi",
    "Can a massage help my lower back?",
    "i can't feel my legs and i've lost control of my bladder since this morning",
    "What should I ask the therapist about how I sit at my desk all day long?",
]


def lm_config() -> dict:
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    component = next(c for c in pipeline if c["name"].endswith("LanguageModelFeaturizer"))
    return {**LanguageModelFeaturizer.get_default_config(),
            **{k: v for k, v in component.items() if k != "name"},
            "model_weights": str(ROOT / component["model_weights"])}


def featurizer(cls, tmp_path):
    storage = LocalModelStorage(tmp_path / cls.__name__)
    context = ExecutionContext(GraphSchema({}), "test")
    return cls.create(lm_config(), storage, Resource(cls.__name__), context)


def features(component, texts):
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    messages = tokenizer.process([Message(data={TEXT: text}) for text in texts])
    component.process(messages)
    return [(m.get_dense_features(TEXT)[0].features, m.get_dense_features(TEXT)[1].features)
            for m in messages]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lm")
    return (featurizer(LanguageModelFeaturizer, tmp),
            featurizer(CompiledLanguageModelFeaturizer, tmp))


def test_compiled_features_match_rasa_featurizer_for_short_and_long_messages(both):
    rasa, compiled = both
    pairs = zip(features(rasa, TEXTS), features(compiled, TEXTS), strict=True)
    for (seq_a, sent_a), (seq_b, sent_b) in pairs:
        assert seq_a.shape == seq_b.shape
        np.testing.assert_allclose(seq_a, seq_b, atol=1e-4)
        np.testing.assert_allclose(sent_a, sent_b, atol=1e-4)


def test_compiled_featurizer_handles_a_padded_training_batch(both):
    rasa, compiled = both
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())

    def batch(component):
        data = TrainingData([Message(data={TEXT: t, "intent": "x"}) for t in TEXTS])
        tokenizer.process_training_data(data)
        component.process_training_data(data)
        return [m.get_dense_features(TEXT)[1].features for m in data.training_examples]

    for a, b in zip(batch(rasa), batch(compiled), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-4)
