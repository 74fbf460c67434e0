"""How BackCare's NLU handles messages written the way people write on forums.

Parses every message of tests/nlu/realstyle.yml (written for testing and used
for error analysis, never trained on) and tests/nlu/realstyle_holdout.yml
(written blind by a second writer who saw neither the training data nor the
first set, never looked at for tuning) with a trained model and sorts the
outcome the person would meet:
- answered: the intent is the one labelled (or another request the message makes);
- clarified: "Do you mean X or Y?" offers the labelled topic (actions/clarify.py);
- fallback: a rephrase request without the right topic;
- alarmed: urgent advice (a definite red-flag sign); checked: a red-flag yes/no question;
- wrong: another answer;
- english: answered or clarified, but in English although the message is Spanish.
A message labelled report_red_flag is caught when it is alarmed or checked.
Shares are of the ordinary messages; red flags are reported as caught of total.
Each set's table also counts the outcomes topic by topic.
Writes reports/nlu/realstyle.json and .md. With --check, exits 1 when fewer than
85% are answered or clarified, more than 5% are alarmed, or a red flag is missed.

Usage: python scripts/evaluate/eval_realstyle.py [MODEL] [--check]
"""

import argparse
import asyncio
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Dict, List

import yaml

ROOT = Path(__file__).resolve().parents[2]
REALSTYLE = ROOT / "tests" / "nlu" / "realstyle.yml"
HOLDOUT = ROOT / "tests" / "nlu" / "realstyle_holdout.yml"
# Written blind from sources and styles the two sets above lack (Q&A sites,
# forum replies, shop reviews, phone typing; issue 28).
BLIND = ROOT / "tests" / "nlu" / "realstyle_blind2.yml"
# The same styles, each message mentioning a red flag in passing (must be caught).
BLIND_FLAGS = ROOT / "tests" / "nlu" / "realstyle_blind2_red_flags.yml"
BLIND_FLAGS_2 = ROOT / "tests" / "nlu" / "realstyle_blind3_red_flags.yml"
# Spanish, written blind (issue 27): answered counts only when BackCare would
# answer in Spanish (the message sets the language); otherwise "english".
SPANISH = ROOT / "tests" / "nlu" / "realstyle_es.yml"
SETS = (REALSTYLE, HOLDOUT, BLIND, BLIND_FLAGS, BLIND_FLAGS_2, SPANISH)
RED_FLAG = "report_red_flag"
REPORTS = ROOT / "reports" / "nlu"
MIN_HELPED = 0.85
OUTCOMES = ("answered", "clarified", "wrong", "fallback", "checked", "alarmed", "english")
MAX_ALARMED = 0.05


def outcome(parse: Dict[str, Any], wanted: List[str], domain: Dict[str, Any],
            language: str = "en") -> str:
    """What the person would meet, for one parsed message (the first of a conversation)."""
    found = _outcome(parse, wanted, domain)
    said = [e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "language"]
    # A short message that names no language ("sí", "ok") keeps the conversation's.
    short = len(str(parse.get("text", "")).split()) < 3 and not said
    if language == "es" and found in ("answered", "clarified") and "es" not in said and not short:
        return "english"
    return found


def _outcome(parse: Dict[str, Any], wanted: List[str], domain: Dict[str, Any]) -> str:
    from actions.clarify import candidates

    entities = {e.get("entity") for e in parse.get("entities") or []}
    intent = (parse.get("intent") or {}).get("name")
    if "red_flag" in entities:
        return "alarmed"
    if intent == "report_red_flag":
        return "checked"
    if intent in wanted:
        return "answered"
    if intent == "nlu_fallback":
        offered = candidates(_Latest(parse), domain)
        return "clarified" if len(offered) == 2 and set(offered) & set(wanted) else "fallback"
    return "wrong"


class _Latest:
    """The one attribute of a Tracker that actions.clarify.candidates reads."""

    def __init__(self, parse: Dict[str, Any]) -> None:
        self.latest_message = parse


def evaluate(parse: Callable[[str], Dict[str, Any]], path: Path = REALSTYLE) -> Dict[str, Any]:
    """Outcome of every message, the shares, and the misses verbatim."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    messages = yaml.safe_load(path.read_text())["messages"]
    language = "es" if path == SPANISH else "en"
    rows = []
    for message in messages:
        wanted = [message["answer"], *(message.get("also") or [])]
        result = parse(message["text"])
        rows.append({"text": message["text"], "answer": message["answer"],
                     "predicted": result["intent"]["name"],
                     "outcome": outcome(result, wanted, domain, language),
                     "words": len(message["text"].split())})
    flags = [row for row in rows if row["answer"] == RED_FLAG]
    rows = [row for row in rows if row["answer"] != RED_FLAG]
    counts = Counter(row["outcome"] for row in rows)
    total = len(rows)
    long_rows = [row for row in rows if row["words"] > 30]
    missed_flags = [row for row in flags if row["outcome"] not in ("alarmed", "checked")]
    return {
        "set": str(path.relative_to(ROOT)),
        "red_flags": len(flags),
        "red_flags_caught": len(flags) - len(missed_flags),
        "red_flags_missed": missed_flags,
        "messages": total,
        "longer_than_30_words": len(long_rows),
        "shares": {name: counts[name] / max(total, 1) for name in
                   ("answered", "clarified", "fallback", "wrong", "checked", "alarmed",
                    "english")},
        "helped": (counts["answered"] + counts["clarified"]) / max(total, 1),
        "helped_long": sum(r["outcome"] in ("answered", "clarified") for r in long_rows)
        / max(len(long_rows), 1),
        "misses": [row for row in rows if row["outcome"] not in ("answered", "clarified")],
        "per_topic": {topic: dict(Counter(r["outcome"] for r in rows if r["answer"] == topic))
                      for topic in sorted({r["answer"] for r in rows})},
    }


def markdown(report: Dict[str, Any], title: str) -> str:
    """A short table of the shares."""
    shares = report["shares"]
    caught = (f" Red flags: {report['red_flags_caught']} of {report['red_flags']} caught "
              "(urgent advice or the check question)." if report["red_flags"] else "")
    lines = [f"## {title}", "",
             f"{report['messages']} ordinary messages ({report['longer_than_30_words']} longer "
             f"than 30 words), {report['set']}.{caught}", "",
             "| answered | clarified | helped (answered or clarified) | helped, long ones "
             "| fallback | wrong | red-flag check | alarmed | in English |",
             "|---|---|---|---|---|---|---|---|---|",
             f"| {shares['answered']:.1%} | {shares['clarified']:.1%} | {report['helped']:.1%} "
             f"| {report['helped_long']:.1%} | {shares['fallback']:.1%} | {shares['wrong']:.1%} "
             f"| {shares['checked']:.1%} | {shares['alarmed']:.1%} "
             f"| {shares.get('english', 0):.1%} |", "",
             "| topic | messages | answered | clarified | wrong | fallback | check | alarmed "
             "| in English |", "|---|---|---|---|---|---|---|---|---|"]
    for topic, outcomes in report.get("per_topic", {}).items():
        counts = [outcomes.get(name, 0) for name in OUTCOMES]
        lines.append(f"| {topic} | {sum(outcomes.values())} | "
                     + " | ".join(str(n) for n in counts) + " |")
    return "\n".join(lines) + "\n"


def model_parser(model: Path) -> Callable[[str], Dict[str, Any]]:
    """Full NLU pipeline of a trained Rasa model."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    return lambda text: loop.run_until_complete(agent.parse_message(text))


def main() -> int:
    """Evaluate one model on both sets; with --check, enforce the thresholds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", default=str(ROOT / "models" / "backcare.tar.gz"))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    parse = model_parser(Path(args.model))
    reports = [evaluate(parse, path) for path in SETS if path.exists()]
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "realstyle.json").write_text(json.dumps(reports, indent=2))
    text = "\n".join(markdown(report, f"Real-style messages, {Path(args.model).name}")
                     for report in reports)
    (REPORTS / "realstyle.md").write_text(text)
    print(text)
    failed = [report["set"] for report in reports
              if (report["messages"] and report["helped"] < MIN_HELPED)
              or report["shares"]["alarmed"] > MAX_ALARMED or report["red_flags_missed"]]
    if args.check and failed:
        print(f"FAILED on {', '.join(failed)}: helped minimum {MIN_HELPED:.0%}, alarmed "
              f"maximum {MAX_ALARMED:.0%}, no red flag missed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
