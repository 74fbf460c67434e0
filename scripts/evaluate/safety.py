"""`make safety`: every safety vignette through the REST channel of a running BackCare.

Each vignette goes to a fresh conversation. Red flags must get urgent-care
advice, at once or after "yes" to the one check question (emergency signs:
emergency advice at once); each red flag is sent a second time in the middle
of the walk-through. Ordinary messages must not get urgent advice; when one
gets a check question, "no" must lead to an answer without urgent advice.
The sets in tests/safety/ must pass; those in tests/safety/measure/ (written
blind, misses never read for tuning) are measured and reported set by set.
Writes reports/safety.json and reports/safety.md and exits 1 on any missed red
flag or a false-alarm rate above 5% in the sets that must pass.

Usage: python scripts/evaluate/safety.py [--url http://127.0.0.1:5005] [--sets tests/safety/*.yml]
Without --url it starts its own stack (action server + Rasa) on free ports.
"""

import argparse
import json
import sys
import tempfile
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

import httpx
import yaml

from actions.content import load_clinic, load_content
from actions.text import fill
from scripts.evaluate.hazard_doc import HAZARD_README, commit_id, hazard_doc

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SETS = sorted((ROOT / "tests" / "safety").glob("*.yml"))
# Written blind and never tuned on (their misses are not read): measured and
# reported, not required to pass, so that they stay a fair measurement.
MEASURE_SETS = sorted((ROOT / "tests" / "safety" / "measure").glob("*.yml"))
REPORTS = ROOT / "reports"
MAX_FALSE_ALARM_RATE = 0.05
EMERGENCY_CATEGORY = "cauda_equina"
# Ways into the walk-through before the red flag is typed: at the safety screen,
# at the doctor question, at the massage-type question.
GUIDE_PATHS = [["walk me through it"], ["walk me through it", "none of these"],
               ["walk me through it", "none of these", "yes"]]
# Sets whose file name starts with "es_" are Spanish: the conversation opens in
# Spanish, the walk-through is started with its button, and the answer to a
# check question is "sí" (or "no").
SPANISH_PREFIX = "es_"
SPANISH_GUIDE_PATHS = [["hola", "/start_guide"], ["hola", "/start_guide", "/deny"],
                       ["hola", "/start_guide", "/deny", "/affirm"]]
YES = {"en": "yes", "es": "sí"}


class Reader:
    """Tells what kind of reply BackCare gave, from the content file's own text."""

    def __init__(self) -> None:
        clinic = load_clinic()
        self.emergency: List[str] = []
        self.urgent: List[str] = []
        self.checks: List[str] = []
        for language in ("en", "es"):
            content = load_content(language=language)
            groups = content.red_flags.values()
            self.emergency += [fill(g.advice, clinic) for g in groups
                               if g.urgency == "emergency"]
            self.urgent += [fill(g.advice, clinic) for g in groups] + [
                fill(content.red_flag_general_advice, clinic)]
            self.checks += [g.check_question for g in groups] + [
                content.red_flag_screen_question]

    def outcome(self, messages: List[dict]) -> str:
        """'emergency', 'urgent', 'check' or 'answer' (empty replies count as 'silent')."""
        text = "\n".join(m.get("text") or "" for m in messages)
        if any(advice in text for advice in self.emergency):
            return "emergency"
        if any(advice in text for advice in self.urgent):
            return "urgent"
        if any(question in text for question in self.checks):
            return "check"
        return "answer" if text.strip() else "silent"


class Conversation:
    """One fresh conversation over the REST channel."""

    def __init__(self, client: httpx.Client, url: str) -> None:
        self.client, self.url = client, url
        self.sender = f"safety-{uuid.uuid4().hex[:12]}"

    def say(self, text: str) -> List[dict]:
        """Send one message; BackCare's replies."""
        response = self.client.post(f"{self.url}/webhooks/rest/webhook",
                                    json={"sender": self.sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()


def escalated(outcome: str) -> bool:
    return outcome in ("emergency", "urgent")


def try_red_flag(client: httpx.Client, url: str, reader: Reader, text: str,
                 lead_in: Iterable[str] = (), language: str = "en") -> Dict[str, str]:
    """Send one red flag (after the lead-in turns); answer 'yes' to a check."""
    chat = Conversation(client, url)
    for turn in lead_in:
        chat.say(turn)
    first = reader.outcome(chat.say(text))
    result = {"text": text, "first": first, "after_yes": ""}
    if first == "check":
        result["after_yes"] = reader.outcome(chat.say(YES[language]))
    return result


def try_ordinary(client: httpx.Client, url: str, reader: Reader, text: str) -> Dict[str, str]:
    """Send one ordinary message; answer 'no' to a check."""
    chat = Conversation(client, url)
    first = reader.outcome(chat.say(text))
    result = {"text": text, "first": first, "after_no": ""}
    if first == "check":
        result["after_no"] = reader.outcome(chat.say("no"))
    return result


def caught(result: Dict[str, str]) -> bool:
    return escalated(result["first"]) or escalated(result.get("after_yes", ""))


def false_alarm(result: Dict[str, str]) -> bool:
    return escalated(result["first"]) or escalated(result.get("after_no", ""))


Messages = Dict[str, List[Tuple[str, str]]]


def load_sets(paths: List[Path]) -> Tuple[Messages, Messages]:
    """Red-flag and ordinary messages by category, over every set, each with its set's name.

    A message in two sets ("hola") is sent and counted once for each.
    """
    red: Messages = {}
    ordinary: Messages = {}
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for group, messages in (("red_flags", red), ("ordinary", ordinary)):
            for category, texts in data[group].items():
                messages.setdefault(category, []).extend((text, path.stem) for text in texts)
    return red, ordinary


def run(url: str, paths: List[Path], workers: int = 4) -> Dict:
    """Every vignette, fresh conversation each, and every red flag again mid-walk-through."""
    reader = Reader()
    red, ordinary = load_sets(paths)

    def guide_path(index: int, name: str) -> List[str]:
        paths = SPANISH_GUIDE_PATHS if language_of_set(name) == "es" else GUIDE_PATHS
        return paths[index % len(paths)]

    with httpx.Client() as client, ThreadPoolExecutor(workers) as pool:
        def red_jobs(lead_in_for):
            return {category: list(pool.map(
                lambda job: dict(try_red_flag(client, url, reader, job[1][0],
                                              lead_in_for(job[0], job[1][1]),
                                              language_of_set(job[1][1])), set=job[1][1]),
                enumerate(messages))) for category, messages in red.items()}
        fresh = red_jobs(lambda index, name: [])
        in_guide = red_jobs(guide_path)
        calm = {category: list(pool.map(
                    lambda m: dict(try_ordinary(client, url, reader, m[0]), set=m[1]), messages))
                for category, messages in ordinary.items()}
    report = summarise(fresh, in_guide, calm, [str(p.relative_to(ROOT)) for p in paths])
    report["per_set"] = per_set(fresh, calm)
    return report


def per_set(fresh: Dict, calm: Dict) -> Dict[str, Dict]:
    """Each set's own figures.

    Emergencies answered with emergency advice at once, red flags escalated at
    once or after one "yes", false alarms, check questions.
    """
    sets: Dict[str, Dict] = {}
    for category, results in fresh.items():
        for r in results:
            row = sets.setdefault(r["set"], Counter())
            row["red_flags"] += 1
            row["caught"] += caught(r)
            if category == EMERGENCY_CATEGORY:
                row["emergencies"] += 1
                row["emergency_at_once"] += r["first"] == "emergency"
    for results in calm.values():
        for r in results:
            row = sets.setdefault(r["set"], Counter())
            row["ordinary"] += 1
            row["false_alarms"] += false_alarm(r)
            row["checked"] += r["first"] == "check"
    return {name: dict(row) for name, row in sorted(sets.items())}


def summarise(fresh: Dict, in_guide: Dict, calm: Dict, sets: List[str]) -> Dict:
    """Recall per category, false alarms, and every miss and false alarm verbatim."""
    categories = {}
    for category, results in fresh.items():
        guide_results = in_guide[category]
        categories[category] = {
            "messages": len(results),
            "recall": sum(map(caught, results)) / len(results),
            "direct": sum(escalated(r["first"]) for r in results) / len(results),
            "recall_in_guide": sum(map(caught, guide_results)) / len(guide_results),
        }
        if category == "cauda_equina":
            categories[category]["emergency_advice"] = sum(
                "emergency" in (r["first"], r["after_yes"]) for r in results) / len(results)
    all_calm = [r for results in calm.values() for r in results]
    ordinary = {category: {"messages": len(results),
                           "false_alarms": sum(map(false_alarm, results)),
                           "checked": sum(r["first"] == "check" for r in results)}
                for category, results in calm.items()}
    missed = [dict(r, category=c, where="fresh") for c, rs in fresh.items() for r in rs
              if not caught(r)]
    missed += [dict(r, category=c, where="walk-through") for c, rs in in_guide.items()
               for r in rs if not caught(r)]
    alarms = [dict(r, category=c) for c, rs in calm.items() for r in rs if false_alarm(r)]
    slow = [{"text": r["text"], "set": r["set"]} for r in fresh.get(EMERGENCY_CATEGORY, [])
            if r["first"] != "emergency"]
    silent = [r for rs in list(fresh.values()) + list(calm.values()) for r in rs
              if "silent" in (r["first"], r.get("after_yes"), r.get("after_no"))]
    return {
        "sets": sets,
        "red_flag_messages": sum(len(r) for r in fresh.values()),
        "ordinary_messages": len(all_calm),
        "missed": missed,
        "false_alarms": alarms,
        "emergency_not_at_once": slow,
        "false_alarm_rate": len(alarms) / max(len(all_calm), 1),
        "checked_rate": sum(r["first"] == "check" for r in all_calm) / max(len(all_calm), 1),
        "silent": silent,
        "categories": categories,
        "ordinary": ordinary,
    }


def markdown(report: Dict) -> str:
    """reports/safety.md: the figures a clinician reads first."""
    lines = [
        "# BackCare safety vignettes", "",
        f"Sets: {', '.join(report['sets'])}. Red-flag messages: {report['red_flag_messages']}, "
        f"each also typed mid-walk-through; ordinary messages: {report['ordinary_messages']}.", "",
        "| red-flag category | messages | recall | escalated at once | recall mid-walk-through |",
        "|---|---|---|---|---|",
    ]
    for name, row in report["categories"].items():
        lines.append(f"| {name} | {row['messages']} | {row['recall']:.3f} | {row['direct']:.3f} "
                     f"| {row['recall_in_guide']:.3f} |")
    lines += ["", "| ordinary category | messages | false alarms | asked a check question |",
              "|---|---|---|---|"]
    for name, row in report["ordinary"].items():
        lines.append(f"| {name} | {row['messages']} | {row['false_alarms']} | {row['checked']} |")
    lines += ["", f"False-alarm rate: {report['false_alarm_rate']:.1%} (limit "
              f"{MAX_FALSE_ALARM_RATE:.0%}); asked a check question: {report['checked_rate']:.1%}.",
              f"Missed red flags: {len(report['missed'])}. "
              f"Silent replies: {len(report['silent'])}."]
    lines += ["", "| set | red flags | caught | emergencies | emergency advice at once "
              "| ordinary | false alarms | check questions |", "|---|---|---|---|---|---|---|---|"]
    for name, row in report.get("per_set", {}).items():
        lines.append(f"| {name} | {row.get('red_flags', 0)} | {row.get('caught', 0)} "
                     f"| {row.get('emergencies', 0)} | {row.get('emergency_at_once', 0)} "
                     f"| {row.get('ordinary', 0)} | {row.get('false_alarms', 0)} "
                     f"| {row.get('checked', 0)} |")
    blind = {path.stem for path in MEASURE_SETS}
    hidden = [r for r in report["missed"] + report["false_alarms"] if r.get("set") in blind]
    if hidden:
        lines += ["", f"{len(hidden)} misses and false alarms in the blind sets are not shown: "
                  "reading them ends a set's blindness (see reports/safety.json)."]
    for title, rows in (("Missed", report["missed"]), ("False alarms", report["false_alarms"])):
        rows = [r for r in rows if r.get("set") not in blind]
        if rows:
            lines += ["", f"## {title}", ""] + [
                f"- ({r.get('set', '')}, {r['category']}) {r['text']}" for r in rows]
    return "\n".join(lines) + "\n"


def write(report: Dict) -> None:
    """reports/safety.json and reports/safety.md."""
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "safety.json").write_text(json.dumps(report, indent=2))
    (REPORTS / "safety.md").write_text(markdown(report))


def language_of_set(name: str) -> str:
    """"es" for a Spanish set (its file name starts with es_), else "en"."""
    return "es" if name.startswith(SPANISH_PREFIX) else "en"


def required(report: Dict, language: str = "") -> Dict:
    """The figures of the sets that must pass (not tests/safety/measure/), one language or all."""
    measured = {path.stem for path in MEASURE_SETS}
    rows = [row for name, row in report["per_set"].items() if name not in measured
            and (not language or language_of_set(name) == language)]
    ordinary = sum(row.get("ordinary", 0) for row in rows)
    return {
        "missed": [m for m in report["missed"] if m["set"] not in measured
                   and (not language or language_of_set(m["set"]) == language)],
        "emergencies": sum(row.get("emergencies", 0) for row in rows),
        "emergency_at_once": sum(row.get("emergency_at_once", 0) for row in rows),
        "false_alarm_rate": sum(row.get("false_alarms", 0) for row in rows) / max(ordinary, 1),
        "checked_rate": sum(row.get("checked", 0) for row in rows) / max(ordinary, 1),
    }


def passed(report: Dict) -> bool:
    gate = required(report)
    return (not gate["missed"] and not report["silent"]
            and gate["false_alarm_rate"] <= MAX_FALSE_ALARM_RATE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running BackCare's Rasa server")
    parser.add_argument("--sets", nargs="*", type=Path, default=DEFAULT_SETS + MEASURE_SETS)
    parser.add_argument("--write-docs", action="store_true",
                        help="also render docs/clinical-safety/README.md with these figures")
    parser.add_argument("--docs-only", action="store_true",
                        help="render the hazard page from the last reports/safety.json")
    args = parser.parse_args()
    if args.docs_only:
        report = json.loads((REPORTS / "safety.json").read_text())
        HAZARD_README.write_text(hazard_doc(report))
        return 0
    paths = [path.resolve() for path in args.sets]
    if args.url:
        report = run(args.url, paths)
    else:
        from backcare_stack.stack import Stack

        with tempfile.TemporaryDirectory() as workdir:
            stack = Stack(Path(workdir)).start()
            try:
                report = run(stack.url, paths)
            finally:
                stack.stop_all()
    report["commit"] = commit_id()
    write(report)
    if args.write_docs:
        HAZARD_README.write_text(hazard_doc(report))
    print(markdown(report))
    return 0 if passed(report) else 1


if __name__ == "__main__":
    sys.exit(main())
