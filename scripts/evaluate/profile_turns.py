"""`make profile`: where a BackCare turn spends the Rasa server's CPU (py-spy).

Starts the action server and one Rasa server (the trained model, SQLite as in
`make run`), sends the benchmark's conversations through REST at 10 at once,
and samples the Rasa server with py-spy meanwhile. Each sample is counted once,
under the most specific part of a turn in its stack (NLU component, policy,
tracker store, action-server call, ...). Writes reports/profile.md and
the raw stacks (reports/profile.txt, for speedscope or flamegraph.pl).
"""

import asyncio
import collections
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

from backcare_stack.stack import ROOT, VENV_BIN, Stack
from scripts.evaluate.bench import OURS
from scripts.evaluate.bench_load import load

OUT = ROOT / "reports"
SECONDS = 40
CONCURRENCY = 10
# (part of a turn, substrings of a frame that belongs to it); the first part that matches wins.
PARTS: List[Tuple[str, Tuple[str, ...]]] = [
    ("tracker store: read", ("retrieve (rasa/core/tracker_store.py", "retrieve (backcare_rasa/")),
    ("tracker store: write", ("save (rasa/core/tracker_store.py", "save (backcare_rasa/")),
    ("action-server call", ("run (backcare_rasa/action_client.py",)),
    ("NLU: DIET classifier", ("diet.py", "diet_classifier.py")),
    ("NLU: sentence encoder", ("onnx_lm_featurizer.py", "lm_featurizer.py", "onnxruntime")),
    ("NLU: spaCy", ("spacy_nlp.py", "spacy_tokenizer.py", "spacy_featurizer.py", "spacy_utils.py")),
    ("NLU: sparse featurizers", ("count_vectors_featurizer.py", "lexical_syntactic_featurizer.py",
                                 "regex_featurizer.py")),
    ("NLU: BackCare components", ("backcare_nlu/",)),
    ("policies: rules", ("rule_policy.py",)),
    ("policies: memoization", ("memoization.py",)),
    ("policies: ensemble and featurization", ("rasa/core/policies/", "rasa/core/featurizers/")),
    ("tracker: replay and states", ("rasa/shared/core/trackers.py",)),
    ("responses and events", ("rasa/core/nlg/", "rasa/shared/core/events.py")),
    ("HTTP server and channels", ("sanic/", "rasa/core/channels/", "backcare_channels/")),
    ("graph runner", ("rasa/engine/",)),
]


def part_of(stack: str) -> str:
    """The part of a turn a collapsed py-spy stack (root;...;leaf) belongs to.

    Parts are tried in PARTS order, so a frame of a specific part (a component,
    the tracker store) wins over the HTTP server and graph runner around it.
    """
    for name, needles in PARTS:
        if any(needle in stack for needle in needles):
            return name
    return "other"


def summarise(raw: Path) -> Dict[str, int]:
    """Samples per part of a turn, from py-spy's raw (collapsed) output."""
    counts: Dict[str, int] = collections.Counter()
    for line in raw.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        if stack and samples.isdigit():
            counts[part_of(stack)] += int(samples)
    return dict(counts)


def main() -> int:
    """Profile under load and write the table."""
    OUT.mkdir(exist_ok=True)
    raw = OUT / "profile.txt"
    with tempfile.TemporaryDirectory(prefix="backcare-profile-") as tmp:
        stack = Stack(Path(tmp)).start()
        try:
            asyncio.run(load(stack.url, OURS, 1))  # warm up
            spy = subprocess.Popen(
                [str(VENV_BIN / "py-spy"), "record", "--format", "raw", "--rate", "200",
                 "--duration", str(SECONDS), "--output", str(raw), "--nonblocking",
                 "--pid", str(stack.processes["rasa"].pid)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1)
            turns = 0
            deadline = time.monotonic() + SECONDS - 2
            while time.monotonic() < deadline:
                turns += asyncio.run(load(stack.url, OURS, CONCURRENCY))["turns"]
            spy.wait(timeout=60)
        finally:
            stack.stop_all()
    counts = summarise(raw)
    total = sum(counts.values()) or 1
    rows = [f"Rasa server CPU samples under {CONCURRENCY} concurrent conversations "
            f"({turns} turns in about {SECONDS} s, py-spy at 200 Hz, active samples only):", "",
            "| part of a turn | share of CPU |", "|---|---|"]
    rows += [f"| {name} | {count / total:.0%} |"
             for name, count in sorted(counts.items(), key=lambda item: -item[1])]
    (OUT / "profile.md").write_text("\n".join(rows) + "\n")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
