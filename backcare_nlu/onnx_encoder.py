"""A Hugging Face TensorFlow BERT encoder, rewritten as an ONNX graph.

The graph is built from the loaded model's own weights and configuration, so
it computes what the TensorFlow model computes (to float rounding; checked
against it in tests/test_onnx_lm_featurizer.py): embeddings, then per layer
self-attention with the additive -10000 padding mask that the TensorFlow
model uses, and a feed-forward block with exact (erf) GELU, each followed by a
residual connection and layer normalisation. Input: token ids and attention
mask, shape (batch, length); output: the last hidden states, shape (batch,
length, hidden size).

Only the plain BERT architecture is supported; anything else is refused with
an error rather than approximated.
"""

from typing import Any, Dict, List, Sequence, Tuple, Union

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17  # the first with LayerNormalization
MASKED = -10000.0  # what Hugging Face's TF BERT adds to scores of padding tokens


def bert_as_onnx(model: Any) -> bytes:
    """The ONNX graph (serialised) of a ``transformers`` ``TFBertModel``."""
    config = model.config
    if (config.model_type != "bert" or config.hidden_act != "gelu"
            or config.position_embedding_type != "absolute"):
        raise ValueError(
            f"Only plain BERT encoders can be exported to ONNX, not {config.model_type} "
            f"with {config.hidden_act} and {config.position_embedding_type} positions"
        )
    weights = {w.name.split("/bert/", 1)[1].rsplit(":", 1)[0]: w.numpy().astype(np.float32)
               for w in model.weights}
    graph = _GraphBuilder(weights)
    hidden = graph.embeddings(config.layer_norm_eps)
    mask = graph.padding_mask()
    for layer in range(config.num_hidden_layers):
        hidden = graph.layer(f"encoder/layer_._{layer}/", hidden, mask,
                             config.num_attention_heads, config.layer_norm_eps)
    return graph.serialise(hidden, config.hidden_size)


class _GraphBuilder:
    """Adds nodes and weights to one ONNX graph; each method returns its output's name."""

    def __init__(self, weights: Dict[str, np.ndarray]) -> None:
        self.weights = weights
        self.initializers: List[onnx.TensorProto] = []
        self.nodes: List[onnx.NodeProto] = []
        self.constants: Dict[Tuple[str, Tuple[int, ...], bytes], str] = {}

    def add(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def weight(self, name: str) -> str:
        return self.add(name, self.weights[name])

    def constant(self, value: Union[float, Sequence[int]], dtype: Any = np.float32) -> str:
        """A small constant, added to the graph once however often it is used."""
        array = np.asarray(value, dtype)
        key = (array.dtype.str, array.shape, array.tobytes())
        if key not in self.constants:
            self.constants[key] = self.add(f"constant_{len(self.constants)}", array)
        return self.constants[key]

    def op(self, kind: str, *inputs: str, **attributes: Any) -> str:
        output = f"{kind.lower()}_{len(self.nodes)}"
        self.nodes.append(helper.make_node(kind, list(inputs), [output], **attributes))
        return output

    def dense(self, x: str, prefix: str) -> str:
        return self.op("Add", self.op("MatMul", x, self.weight(f"{prefix}/kernel")),
                       self.weight(f"{prefix}/bias"))

    def layer_norm(self, x: str, prefix: str, epsilon: float) -> str:
        return self.op("LayerNormalization", x, self.weight(f"{prefix}/gamma"),
                       self.weight(f"{prefix}/beta"), axis=-1, epsilon=epsilon)

    def embeddings(self, epsilon: float) -> str:
        """Word + position + token type 0 embeddings, layer-normalised."""
        words = self.op("Gather", self.weight("embeddings/word_embeddings/weight"), "input_ids")
        one = self.constant(1, np.int64)
        length = self.op("Gather", self.op("Shape", "input_ids"), one, axis=0)
        positions = self.op("Range", self.constant(0, np.int64), length, one)
        position = self.op("Gather", self.weight("embeddings/position_embeddings/embeddings"),
                           positions)
        token_type = self.add(
            "token_type_0", self.weights["embeddings/token_type_embeddings/embeddings"][0])
        summed = self.op("Add", self.op("Add", words, position), token_type)
        return self.layer_norm(summed, "embeddings/LayerNorm", epsilon)

    def padding_mask(self) -> str:
        """(1 - mask) * -10000, shaped (batch, 1, 1, length) to add to attention scores."""
        inverted = self.op("Sub", self.constant(1.0), "attention_mask")
        scaled = self.op("Mul", inverted, self.constant(MASKED))
        return self.op("Unsqueeze", scaled, self.constant([1, 2], np.int64))

    def layer(self, prefix: str, x: str, mask: str, heads: int, epsilon: float) -> str:
        """One transformer layer: self-attention, then feed-forward."""
        attended = self.layer_norm(
            self.op("Add", self.dense(self.attention(prefix, x, mask, heads),
                                      f"{prefix}attention/output/dense"), x),
            f"{prefix}attention/output/LayerNorm", epsilon)
        inner = self.gelu(self.dense(attended, f"{prefix}intermediate/dense"))
        return self.layer_norm(self.op("Add", self.dense(inner, f"{prefix}output/dense"), attended),
                               f"{prefix}output/LayerNorm", epsilon)

    def attention(self, prefix: str, x: str, mask: str, heads: int) -> str:
        """Multi-head scaled dot-product self-attention, heads merged back."""
        hidden = self.weights[f"{prefix}attention/self/query/kernel"].shape[1]
        size = hidden // heads
        split = self.constant([0, 0, heads, size], np.int64)
        query = self.heads(x, f"{prefix}attention/self/query", split, [0, 2, 1, 3])
        key = self.heads(x, f"{prefix}attention/self/key", split, [0, 2, 3, 1])  # transposed
        value = self.heads(x, f"{prefix}attention/self/value", split, [0, 2, 1, 3])
        scores = self.op("Div", self.op("MatMul", query, key), self.constant(np.sqrt(size)))
        weights = self.op("Softmax", self.op("Add", scores, mask), axis=-1)
        context = self.op("Transpose", self.op("MatMul", weights, value), perm=[0, 2, 1, 3])
        return self.op("Reshape", context, self.constant([0, 0, hidden], np.int64))

    def heads(self, x: str, prefix: str, split: str, perm: List[int]) -> str:
        """A projection split into heads: (batch, heads, length, size), as ``perm`` orders it."""
        return self.op("Transpose", self.op("Reshape", self.dense(x, prefix), split), perm=perm)

    def gelu(self, x: str) -> str:
        """Exact GELU: x * (1 + erf(x / sqrt 2)) / 2."""
        erf = self.op("Erf", self.op("Div", x, self.constant(np.sqrt(2.0))))
        return self.op("Mul", self.op("Mul", x, self.constant(0.5)),
                       self.op("Add", erf, self.constant(1.0)))

    def serialise(self, output: str, hidden: int) -> bytes:
        self.nodes.append(helper.make_node("Identity", [output], ["last_hidden_state"]))
        graph = helper.make_graph(
            self.nodes, "bert_encoder",
            [helper.make_tensor_value_info("input_ids", TensorProto.INT32, ["batch", "length"]),
             helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT,
                                           ["batch", "length"])],
            [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT,
                                           ["batch", "length", hidden])],
            self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
        onnx.checker.check_model(model)
        return model.SerializeToString()
