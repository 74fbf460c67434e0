"""Write the sentence encoder as an ONNX graph, for OnnxLanguageModelFeaturizer.

Reads config.yml's OnnxLanguageModelFeaturizer entry: loads the Hugging Face
TensorFlow model from ``model_weights`` (offline), rewrites it as an ONNX
graph (``backcare_nlu.onnx_encoder``) and writes it to ``onnx_model``.
Run by `make install`; nothing is downloaded.

Usage: python scripts/setup/build_encoder.py [CONFIG]
"""

import os
import sys
from pathlib import Path
from typing import Dict, List

import yaml

FEATURIZER = "OnnxLanguageModelFeaturizer"


def encoder_settings(config: Path) -> Dict[str, str]:
    """The featurizer's entry in a Rasa config file."""
    pipeline = yaml.safe_load(config.read_text())["pipeline"]
    entry = next((c for c in pipeline if c["name"].endswith(FEATURIZER)), None)
    if entry is None or not entry.get("onnx_model"):
        raise SystemExit(f"{config}: no {FEATURIZER} with an onnx_model in the pipeline")
    return entry


def main(argv: List[str]) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from transformers import TFBertModel

    from backcare_nlu.onnx_encoder import bert_as_onnx

    settings = encoder_settings(Path(argv[1] if len(argv) > 1 else "config.yml"))
    output = Path(settings["onnx_model"])
    graph = bert_as_onnx(TFBertModel.from_pretrained(settings["model_weights"]))
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_suffix(".partial")
    partial.write_bytes(graph)
    partial.replace(output)
    print(f"Sentence encoder written to {output} ({len(graph) / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
