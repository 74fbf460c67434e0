"""Check `rasa test nlu` results on the held-out file against targets.

Usage: python scripts/evaluate/check_nlu.py RESULTS_DIR
Fails (exit 1) when accuracy, macro-F1 or red-flag recall is below target.
"""

import argparse
import json
import sys
from pathlib import Path

# Issue 28: English held-out accuracy no lower than 0.966.
TARGETS = {"accuracy": 0.966, "macro_f1": 0.93, "red_flag_recall": 1.0}


def summary(report: dict) -> dict:
    """Accuracy, macro-F1 and red-flag recall from an intent report."""
    return {
        "accuracy": report["accuracy"],
        "macro_f1": report["macro avg"]["f1-score"],
        "red_flag_recall": report["report_red_flag"]["recall"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", type=Path)
    args = parser.parse_args()
    report = json.loads((args.results / "intent_report.json").read_text())
    figures = summary(report)
    failed = []
    for name, target in TARGETS.items():
        ok = figures[name] >= target
        print(f"held-out {name}: {figures[name]:.3f} (target >= {target}) {'ok' if ok else 'FAIL'}")
        if not ok:
            failed.append(name)
    errors = json.loads((args.results / "intent_errors.json").read_text())
    for error in errors[:15]:
        predicted = error["intent_prediction"]["name"]
        print(f"  missed: {error['text']!r}: {error['intent']} -> {predicted}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
