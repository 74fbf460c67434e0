"""Rasa's LanguageModelFeaturizer with the language model run by ONNX Runtime.

`make install` rewrites the Hugging Face BERT model as an ONNX graph from its
own weights (``scripts/setup/build_encoder.py``, ``backcare_nlu.onnx_encoder``);
this component loads that graph (``onnx_model``) and the model's tokenizer,
not the TensorFlow model. The features are the same to float rounding
(tests/test_onnx_lm_featurizer.py compares them with Rasa's featurizer), so
the trained classifier sees what it was trained on. Everything else (tokens,
padding, sentence features) is Rasa's.

Why: the encoder was the largest part of every turn. On all-MiniLM-L6-v2 and
a message of 8 tokens, one thread: TensorFlow (as one ``tf.function``) 6.8 ms,
ONNX Runtime 2.4 ms; and the server holds the graph in less memory than the
TensorFlow model (docs/performance.md).

Threads: as many as Rasa gives TensorFlow (``TF_INTRA_OP_PARALLELISM_THREADS``;
``python -m backcare_rasa run`` sets one), else ONNX Runtime's default.
"""

import os
from pathlib import Path
from typing import Any, Dict, List, Text

import numpy as np
import onnxruntime
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer
from rasa.shared.exceptions import RasaException

from backcare_rasa.internals import uses_private

uses_private(__name__, "rasa", ["LanguageModelFeaturizer._load_model_instance",
                                "LanguageModelFeaturizer._compute_batch_sequence_features",
                                "LanguageModelFeaturizer._config"],
             "rasa/nlu/featurizers/dense_featurizer/lm_featurizer.py")

THREADS_SETTING = "TF_INTRA_OP_PARALLELISM_THREADS"  # Rasa's setting for TensorFlow's threads


def session_options() -> onnxruntime.SessionOptions:
    """All graph optimisations; threads as TensorFlow has them (0: the runtime's default)."""
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    threads = os.environ.get(THREADS_SETTING, "").strip()
    options.intra_op_num_threads = int(threads) if threads.isdigit() else 0
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only
    return options


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class OnnxLanguageModelFeaturizer(LanguageModelFeaturizer):
    """Same features as LanguageModelFeaturizer, computed by ONNX Runtime."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Rasa's settings, and where the ONNX graph of ``model_weights`` is."""
        return {**LanguageModelFeaturizer.get_default_config(), "onnx_model": None}

    def _load_model_instance(self) -> None:
        """The model's tokenizer, as Rasa loads it, and the ONNX graph instead of the model."""
        from rasa.nlu.utils.hugging_face.registry import model_tokenizer_dict

        self.tokenizer = model_tokenizer_dict[self.model_name].from_pretrained(
            self.model_weights, cache_dir=self.cache_dir)
        self.pad_token_id = self.tokenizer.unk_token_id  # as Rasa does
        graph = Path(self._config.get("onnx_model") or "")
        if not graph.is_file():
            raise RasaException(
                f"The sentence encoder's ONNX graph '{graph}' is missing: "
                "run `make install` (scripts/setup/build_encoder.py builds it)."
            )
        self._session = onnxruntime.InferenceSession(
            str(graph), session_options(), providers=["CPUExecutionProvider"])

    def _compute_batch_sequence_features(
        self, batch_attention_mask: np.ndarray, padded_token_ids: List[List[int]]
    ) -> np.ndarray:
        """Sequence-level hidden states of the padded batch."""
        (states,) = self._session.run(None, {
            "input_ids": np.asarray(padded_token_ids, dtype=np.int32),
            "attention_mask": np.asarray(batch_attention_mask, dtype=np.float32),
        })
        return states
