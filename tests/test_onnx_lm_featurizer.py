"""The ONNX featurizer must give the classifier the same features as Rasa's own."""

import numpy as np
import onnxruntime
import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from backcare_nlu.onnx_encoder import bert_as_onnx
from backcare_nlu.onnx_lm_featurizer import OnnxLanguageModelFeaturizer, session_options
from backcare_stack.stack import ROOT
from scripts.setup import build_encoder

TEXTS = [
    "hi",
    "is massage safe for me?",
    "Can a massage help my lower back?",
    "i can't feel my legs and i've lost control of my bladder since this morning",
    "What should I ask the therapist about how I sit at my desk all day long?",
]


def lm_config() -> dict:
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    component = next(c for c in pipeline if c["name"].endswith("LanguageModelFeaturizer"))
    return {**OnnxLanguageModelFeaturizer.get_default_config(),
            **{k: v for k, v in component.items() if k != "name"},
            "model_weights": str(ROOT / component["model_weights"]),
            "onnx_model": str(ROOT / component["onnx_model"])}


def featurizer(cls, tmp_path, **settings):
    storage = LocalModelStorage(tmp_path / cls.__name__)
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**lm_config(), **settings}
    if cls is LanguageModelFeaturizer:
        config.pop("onnx_model")
    return cls.create(config, storage, Resource(cls.__name__), context)


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
            featurizer(OnnxLanguageModelFeaturizer, tmp))


def test_onnx_features_match_rasa_featurizer_for_short_and_long_messages(both):
    rasa, compiled = both
    pairs = zip(features(rasa, TEXTS), features(compiled, TEXTS), strict=True)
    for (seq_a, sent_a), (seq_b, sent_b) in pairs:
        assert seq_a.shape == seq_b.shape
        np.testing.assert_allclose(seq_a, seq_b, atol=1e-4)
        np.testing.assert_allclose(sent_a, sent_b, atol=1e-4)


def test_onnx_featurizer_handles_a_padded_training_batch(both):
    rasa, compiled = both
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())

    def batch(component):
        data = TrainingData([Message(data={TEXT: t, "intent": "x"}) for t in TEXTS])
        tokenizer.process_training_data(data)
        component.process_training_data(data)
        return [m.get_dense_features(TEXT)[1].features for m in data.training_examples]

    for a, b in zip(batch(rasa), batch(compiled), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-4)


def test_onnx_featurizer_handles_a_message_longer_than_the_model_reads(both):
    """Rasa cuts a message to the model's 512 positions; both must give the same."""
    rasa, compiled = both
    text = " ".join(["my back hurts when I sit"] * 120)
    (seq_a, sent_a), = features(rasa, [text])
    (seq_b, sent_b), = features(compiled, [text])
    np.testing.assert_allclose(seq_a, seq_b, atol=1e-4)
    np.testing.assert_allclose(sent_a, sent_b, atol=1e-4)


def small_bert(**settings):
    from transformers import BertConfig, TFBertModel

    model = TFBertModel(BertConfig(vocab_size=50, hidden_size=8, num_hidden_layers=2,
                                   num_attention_heads=2, intermediate_size=16, **settings))
    model(np.array([[1, 2, 3]]))
    return model


def test_the_onnx_graph_computes_what_the_tensorflow_model_does_with_padding():
    model = small_bert()
    ids = np.array([[2, 7, 9, 3, 0, 0], [2, 11, 12, 13, 14, 3]], dtype=np.int32)
    mask = (ids > 0).astype(np.float32)
    session = onnxruntime.InferenceSession(bert_as_onnx(model), session_options())
    (got,) = session.run(None, {"input_ids": ids, "attention_mask": mask})
    expected = model(ids, attention_mask=mask)[0].numpy()
    np.testing.assert_allclose(got[mask > 0], expected[mask > 0], atol=1e-5)


def test_only_plain_bert_is_exported():
    """Another activation would give other features: refused, not approximated."""
    with pytest.raises(ValueError, match="plain BERT"):
        bert_as_onnx(small_bert(hidden_act="relu"))


def test_a_missing_encoder_graph_says_how_to_build_it(tmp_path):
    with pytest.raises(RasaException, match="make install"):
        featurizer(OnnxLanguageModelFeaturizer, tmp_path, onnx_model=str(tmp_path / "none.onnx"))


def test_build_script_writes_the_graph_config_yml_names(tmp_path):
    """What make install runs: the graph it writes gives the installed graph's features."""
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    entry = next(c for c in config["pipeline"] if c["name"].endswith("OnnxLanguageModelFeaturizer"))
    entry["model_weights"] = str(ROOT / entry["model_weights"])
    entry["onnx_model"] = str(tmp_path / "encoder" / "model.onnx")
    (tmp_path / "config.yml").write_text(yaml.safe_dump(config))
    assert build_encoder.main(["build_encoder.py", str(tmp_path / "config.yml")]) == 0
    rebuilt = featurizer(OnnxLanguageModelFeaturizer, tmp_path, onnx_model=entry["onnx_model"])
    installed = featurizer(OnnxLanguageModelFeaturizer, tmp_path / "installed")
    pairs = zip(features(rebuilt, TEXTS), features(installed, TEXTS), strict=True)
    for (seq_a, _), (seq_b, _) in pairs:
        np.testing.assert_allclose(seq_a, seq_b, atol=1e-6)
