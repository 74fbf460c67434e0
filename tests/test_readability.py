"""Plain language: every patient-facing text at reading grade 8 or below, urgent advice at 6.

Flesch-Kincaid grade from textstat 0.7.3 (later releases download a dictionary
at run time). The figures are written to reports/readability.md, which the
README quotes.
"""

import re
import statistics
from pathlib import Path

import pytest
import yaml

from actions.catalog import GRADE_LIMIT, URGENT_GRADE_LIMIT, patient_facing
from actions.content import load_content
from scripts.operate.review_sheet import grade

ROOT = Path(__file__).resolve().parent.parent
CONTENT = load_content()
ENTRIES = patient_facing(CONTENT)
# Example values for domain placeholders, as a patient would read them.
FILLERS = {"reviewer_name": "Dr Ana Ruiz", "reviewer_role": "family doctor",
           "reviewed_on": "2026-11-30", "next_review_due": "2029-11-30"}


def domain_sentences():
    """Domain responses long enough to grade (10 words or more), placeholders filled."""
    responses = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    for name, variants in responses.items():
        for variant in variants:
            if variant.get("condition"):  # Spanish: tests/test_readability_es.py
                continue
            text = re.sub(r"\{(\w+)\}", lambda m: FILLERS.get(m.group(1), "Ana"),
                          variant.get("text", ""))
            if len(text.split()) >= 10:
                yield name, text


def test_the_catalog_lists_every_kind_of_patient_facing_text():
    keys = {entry.key.split(".")[0] for entry in ENTRIES}
    assert {"disclaimer", "facts", "tips", "massage_types", "credentials", "red_flags",
            "guide", "plan", "notices"} <= keys
    assert sum(entry.urgent for entry in ENTRIES) >= len(CONTENT.red_flags) + 2


@pytest.mark.parametrize("entry", [e for e in ENTRIES if not e.urgent], ids=lambda e: e.key)
def test_item_reads_at_grade_8_or_below(entry):
    assert entry.grade_limit == GRADE_LIMIT
    assert grade(entry.shown) <= GRADE_LIMIT, entry.shown


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.urgent], ids=lambda e: e.key)
def test_urgent_advice_reads_at_grade_6_or_below(entry):
    assert entry.grade_limit == URGENT_GRADE_LIMIT
    assert grade(entry.shown) <= URGENT_GRADE_LIMIT, entry.shown


@pytest.mark.parametrize("name, text", list(domain_sentences()), ids=lambda v: str(v)[:40])
def test_conversational_text_reads_at_grade_8_or_below(name, text):
    assert grade(text) <= GRADE_LIMIT, f"{name}: {text}"


def test_the_grader_tells_plain_from_dense_text():
    """Guards the measure itself: a dense clinical sentence must fail the limit."""
    dense = ("Concomitant neurological deficits necessitate expeditious evaluation by an "
             "appropriately credentialed practitioner prior to commencing manual therapy.")
    assert grade(dense) > GRADE_LIMIT
    assert grade("Call 911 now. Do not wait.") <= URGENT_GRADE_LIMIT


def test_write_the_figures_for_the_readme():
    grades = [grade(e.shown) for e in ENTRIES]
    urgent = [grade(e.shown) for e in ENTRIES if e.urgent]
    worst = max(ENTRIES, key=lambda e: grade(e.shown))
    report = ROOT / "reports" / "readability.md"
    report.parent.mkdir(exist_ok=True)
    report.write_text(
        "# Reading grade of BackCare's patient-facing content\n\n"
        "Flesch-Kincaid grade (textstat 0.7.3), written by tests/test_readability.py.\n\n"
        f"- items: {len(grades)} ({len(urgent)} urgent)\n"
        f"- median grade: {statistics.median(grades):.1f}\n"
        f"- maximum grade: {max(grades):.1f} ({worst.key})\n"
        f"- urgent advice maximum: {max(urgent):.1f}\n"
    )
    assert max(grades) <= GRADE_LIMIT and max(urgent) <= URGENT_GRADE_LIMIT


BRITISH = re.compile(
    r"\b(\w*(summaris|organis|recognis|apologis|realis|minimis|criticis)\w*|colour\w*|centre\w*|"
    r"programme\w*|licence\w*|behaviour\w*|practise\w*|favour\w*|analys(e|ed|ing)|"
    r"whilst|anaesth\w*|oedema|faecal|paediatric|orthopaedic|grey)\b", re.IGNORECASE)


def test_patient_text_uses_us_spelling():
    """BackCare is written for US clinics: license, program, center."""
    texts = [entry.shown for entry in ENTRIES] + [text for _, text in domain_sentences()]
    texts += [f"{s['title']} {s['publication']}" for s in CONTENT.sources.values()]
    found = sorted({m.group(0) for text in texts for m in BRITISH.finditer(text)})
    assert not found, found
    assert BRITISH.search("the programme centre issued a licence")
