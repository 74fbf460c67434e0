"""docs/clinical-safety/README.md: the hazard log as a table, with `make safety`'s figures.

The hazard log (hazard-log.yml) is the source; scripts/evaluate/safety.py calls
:func:`hazard_doc` with the report of its run (`make safety`), or with the
last reports/safety.json (`--docs-only`).
"""

import subprocess
from pathlib import Path
from typing import Dict

import yaml

ROOT = Path(__file__).resolve().parents[2]
HAZARD_LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.yml"
HAZARD_README = HAZARD_LOG.with_name("README.md")

HAZARD_DOC_INTRO = """# Clinical safety

Hazard log for BackCare, in the spirit of DCB0129. The source of truth is
[hazard-log.yml](hazard-log.yml): each hazard, its controls and the tests in
`make test` that verify each control (`tests/test_hazard_log.py` fails when a
named test does not exist). This page is rendered from it by `make safety`,
with the figures of that run. BackCare's medical content still needs a
clinician's review before a clinic uses it with patients."""

DECISION_RULE = """
## How BackCare decides (the triage rule)

Two signals are combined: the classifier's intent and the red-flag safety net
(`backcare_nlu/triage.py`, phrases in `content/medical.yml`).

1. **Definite sign** (the safety net finds a named sign, not negated, that the
   person reports): urgent-care advice at once, emergency advice first for
   possible cauda equina, whatever the classifier said and at any step of the
   walk-through.
2. **Possible sign** (an ambiguous word such as "fell", "weak", "numb"; a sign
   only asked about, "can massage spread cancer?"; hypothetical; or about
   someone else): one yes/no question that names the sign. Yes escalates. No
   answers what the person asked (the next-best intent, or "Do you mean X or
   Y?" when that is unlikely) and that sign is not asked about again in the
   conversation. No clear answer escalates: the safe
   side wins. A sign of possible cauda equina is never downgraded, except by
   rule 7.
3. **Classifier only** (`report_red_flag` with no sign named): the screening
   question listing the warning signs. Yes, or a sign named in the answer,
   escalates; no or an unclear answer answers what the person asked.
   The classifier alone never sends urgent advice, because on long personal
   stories it fired with no sign named (the false alarms of issue 11); it
   never silences a sign either, because the safety net runs after it.
4. **Negation** ("no fever") ends at a conjunction, a comma or sentence
   punctuation, except in an or-list ("no fever, chills or numbness"); "no
   bladder control" is itself the sign.
5. **Benign phrases** ("fell asleep", "room temperature", "leg day") cancel a
   match they cover.
6. **Everyday spelling** (issue 28): a word one letter off a red-flag word
   ("controll", "bladdr", "fevr", "grion") is read as that word unless it is a
   common word itself ("fewer" is not "fever"); sound-alikes from voice typing
   ("groan", "bowl") too; "cant", "my" left out ("cant feel legs") and other
   people ("my husband can't feel his legs") match the same signs. A fever
   given as a number counts from 38 °C / 100.4 °F when a temperature word
   stands next to it ("temp 39", "102 fever") or the number says it itself
   ("38.9", "101f", "39 degrees"), not for "38.5 hours" or "39 degrees outside".
7. **Passed or someone else's**: a sign followed in its sentence by a phrase
   saying it has passed ("... gone now", "wore off after a few minutes") gets
   the yes/no question instead of advice, even for cauda equina. Someone
   else's sign that has passed ("my son fell off his bike, he's fine"), or in
   a message saying it is not the writer's ("my aunt had cancer, I haven't"),
   is not asked about, except for cauda equina.

Why: a missed red flag can cost a person their continence or their legs,
so every named sign escalates and every unclear answer escalates. A false
alarm costs trust, so an ambiguous word costs one question, not an alarm.
"""


def hazard_doc(report: Dict) -> str:
    """docs/clinical-safety/README.md: the hazard log as a table, with this run's evidence."""
    log = yaml.safe_load(HAZARD_LOG.read_text(encoding="utf-8"))
    recall = ", ".join(f"{name} {row['recall']:.2f}" for name, row in report["categories"].items())
    commit = report.get("commit", "an unknown commit")
    evidence = (f"`make safety` at {commit}: {report['red_flag_messages']} red-flag vignettes, "
                f"missed {len(report['missed'])} (recall {recall}); "
                f"{report['ordinary_messages']} ordinary, false alarms "
                f"{report['false_alarm_rate']:.1%}, check question {report['checked_rate']:.1%}. "
                "Misses are counted twice: typed fresh and mid-walk-through")
    lines = [HAZARD_DOC_INTRO, "", f"Current evidence: {evidence}.", ""]
    if report.get("per_set"):
        lines += ["Set by set (the sets under `tests/safety/measure/` were written blind and "
                  "their misses are not read for tuning; the others must pass):", "",
                  "| set | red flags | caught | emergencies | emergency advice at once "
                  "| ordinary | false alarms | check questions |",
                  "|---|---|---|---|---|---|---|---|"]
        lines += [f"| {name} | {row.get('red_flags', 0)} | {row.get('caught', 0)} "
                  f"| {row.get('emergencies', 0)} | {row.get('emergency_at_once', 0)} "
                  f"| {row.get('ordinary', 0)} | {row.get('false_alarms', 0)} "
                  f"| {row.get('checked', 0)} |" for name, row in report["per_set"].items()]
        lines.append("")
    lines += ["| id | hazard | severity | likelihood before / after | controls | verified by |",
              "|---|---|---|---|---|---|"]
    for hazard in log["hazards"]:
        controls = "<br>".join(" ".join(c["control"].split()) for c in hazard["controls"])
        tests = "<br>".join(f"`{t.split('::')[1]}`" for c in hazard["controls"]
                            for t in c["tests"])
        lines.append(f"| {hazard['id']} | {' '.join(hazard['hazard'].split())} "
                     f"| {hazard['severity']} | {hazard['likelihood_before']} / "
                     f"{hazard['likelihood_after']} | {controls} | {tests} |")
    return "\n".join(lines) + "\n" + DECISION_RULE


def commit_id() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"
