"""`make eval`: measure NLU quality and compare with two simpler approaches.

Writes reports/nlu/: held-out reports (per-intent precision/recall/F1,
confusion matrix, misclassified examples) for our pipeline, 5-fold
cross-validation, and a side-by-side table (summary.md, summary.json) of
our pipeline, Rasa's stock `rasa init` pipeline and a TF-IDF + logistic
regression baseline, all trained on data/nlu and tested on the held-out file;
and, for the served model (models/backcare.tar.gz from `make train`, what
people talk to) and both Rasa pipelines, the real-style set
(scripts/evaluate/eval_realstyle.py): how many long, messy messages get an answer, a
clarifying question, a fallback or an alarm.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Tuple

from scripts.evaluate import eval_realstyle

ROOT = Path(__file__).resolve().parents[2]
RASA = str(ROOT / ".venv" / "bin" / "rasa")
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
REPORTS = ROOT / "reports" / "nlu"
RED_FLAG = "report_red_flag"


def run(args: List[str]) -> float:
    """Run a rasa command quietly; return its wall time in seconds."""
    started = time.monotonic()
    log = REPORTS / "logs" / (args[1] + "-" + str(int(started)) + ".log")
    with log.open("w") as handle:
        subprocess.run([RASA, *args], cwd=ROOT, check=True, stdout=handle, stderr=subprocess.STDOUT)
    return time.monotonic() - started


def examples(path: Path) -> List[Tuple[str, str]]:
    """(text, intent) pairs of an NLU file or folder."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def scores(gold: List[str], predicted: List[str]) -> Dict[str, float]:
    """Accuracy, macro-F1, red-flag recall and false-alarm rate."""
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(gold))
    flagged = [p == RED_FLAG for g, p in zip(gold, predicted, strict=True) if g == RED_FLAG]
    others = [p == RED_FLAG for g, p in zip(gold, predicted, strict=True) if g != RED_FLAG]
    return {
        "accuracy": accuracy_score(gold, predicted),
        "macro_f1": f1_score(gold, predicted, labels=labels, average="macro", zero_division=0),
        "red_flag_recall": sum(flagged) / len(flagged),
        "red_flag_false_alarms": sum(others) / len(others),
    }


def rasa_predictor(model: Path) -> Callable[[str], str]:
    """Intent of a message according to a trained Rasa model (full NLU pipeline)."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    return lambda text: loop.run_until_complete(agent.parse_message(text))["intent"]["name"]


def timed_predictions(predict: Callable[[str], str], texts: List[str]) -> Tuple[List[str], float]:
    """Predictions and the median parse time in milliseconds."""
    predict(texts[0])  # warm up
    out, times = [], []
    for text in texts:
        started = time.perf_counter()
        out.append(predict(text))
        times.append((time.perf_counter() - started) * 1000)
    return out, statistics.median(times)


def train_rasa(config: Path, name: str) -> Tuple[Path, float]:
    """NLU-only training of one pipeline from scratch; returns model and seconds."""
    out = REPORTS / "models"
    seconds = run(["train", "nlu", "--config", str(config), "--nlu", "data/nlu",
                   "--out", str(out), "--fixed-model-name", name])
    return out / f"{name}.tar.gz", seconds


def baseline(train: List[Tuple[str, str]]) -> Tuple[Callable[[str], str], float]:
    """TF-IDF (word and char n-grams) + logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    started = time.monotonic()
    model = make_pipeline(
        make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                   TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)),
        LogisticRegression(max_iter=2000, C=10),
    )
    model.fit([t for t, _ in train], [i for _, i in train])
    return (lambda text: model.predict([text])[0]), time.monotonic() - started


SERVED_MODEL = ROOT / "models" / "backcare.tar.gz"


def main() -> int:
    """Train, test, compare and write the reports."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=int(os.environ.get("FOLDS", "5")))
    args = parser.parse_args()
    (REPORTS / "logs").mkdir(parents=True, exist_ok=True)
    heldout = examples(HELDOUT)
    texts, gold = [t for t, _ in heldout], [i for _, i in heldout]

    rows, realstyle = {}, {}
    # The model people talk to (make train: NLU and dialogue), measured first.
    if SERVED_MODEL.exists():
        predicted, parse_ms = timed_predictions(rasa_predictor(SERVED_MODEL), texts)
        rows["served"] = {**scores(gold, predicted), "train_seconds": float("nan"),
                          "parse_ms_median": parse_ms}
        parse = eval_realstyle.model_parser(SERVED_MODEL)
        for path in eval_realstyle.SETS:
            realstyle[f"served, {path.stem}"] = eval_realstyle.evaluate(parse, path)
    for name, config in (("ours", ROOT / "config.yml"),
                         ("rasa_stock", ROOT / "scripts" / "evaluate" / "stock_pipeline.yml")):
        model, train_seconds = train_rasa(config, name)
        predicted, parse_ms = timed_predictions(rasa_predictor(model), texts)
        rows[name] = {**scores(gold, predicted), "train_seconds": train_seconds,
                      "parse_ms_median": parse_ms}
        print(f"{name}: {rows[name]}", flush=True)
        if name == "ours":
            run(["test", "nlu", "--model", str(model), "--nlu", str(HELDOUT),
                 "--out", str(REPORTS / "heldout")])
        parse = eval_realstyle.model_parser(model)
        for path in eval_realstyle.SETS:
            realstyle[f"{name}, {path.stem}"] = eval_realstyle.evaluate(parse, path)

    predict, train_seconds = baseline(examples(ROOT / "data" / "nlu"))
    predicted, parse_ms = timed_predictions(predict, texts)
    rows["tfidf_logreg"] = {**scores(gold, predicted), "train_seconds": train_seconds,
                            "parse_ms_median": parse_ms}

    if args.folds > 1:
        run(["test", "nlu", "--nlu", "data/nlu", "--config", "config.yml", "--cross-validation",
             "--folds", str(args.folds), "--out", str(REPORTS / "cross_validation")])

    summary = {"heldout_examples": len(texts), "cpu_count": os.cpu_count(), "pipelines": rows,
               "realstyle": {name: {k: v for k, v in report.items()
                                    if k not in ("misses", "red_flags_missed")}
                             for name, report in realstyle.items()}}
    (REPORTS / "summary.json").write_text(json.dumps(summary, indent=2))
    lines = ["| pipeline | accuracy | macro-F1 | red-flag recall | red-flag false alarms "
             "| training (s) | parse (ms, median) |", "|---|---|---|---|---|---|---|"]
    for name, row in rows.items():
        lines.append(
            f"| {name} | {row['accuracy']:.3f} | {row['macro_f1']:.3f} "
            f"| {row['red_flag_recall']:.3f} | {row['red_flag_false_alarms']:.3%} "
            f"| {row['train_seconds']:.0f} | {row['parse_ms_median']:.1f} |")
    table = "\n".join(lines)
    realstyle_tables = "\n".join(eval_realstyle.markdown(report, f"Real-style messages, {name}")
                                 for name, report in realstyle.items())
    (REPORTS / "summary.md").write_text(
        f"Held-out set: {len(texts)} messages ({HELDOUT.relative_to(ROOT)}); "
        f"{os.cpu_count()} CPUs.\n\n{table}\n\n{realstyle_tables}")
    print(table)
    print(realstyle_tables)
    return 0


if __name__ == "__main__":
    sys.exit(main())
