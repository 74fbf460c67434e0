"""domain.yml holds conversational glue only: medical statements live in content/medical.yml.

A statement (not a question) in a domain response that gives medical advice,
names a warning sign, or says what the bot can or cannot do clinically
belongs in the reviewed content file. Questions the walk-through asks are glue.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
# Advice, warning signs and clinical claims a clinician must review.
MEDICAL = re.compile(
    r"emergenc|\b911\b|\burgent|diagnos|symptom|warning sign|safe for your back|"
    r"\bnumb|bladder|bowel|\bfever|cancer|injur|weakness|licensed|certified|"
    r"\binsurer\b|covered|before (you )?book",
    re.IGNORECASE,
)
# The one response allowed to carry safety advice: it is shown when the action
# server (which serves the content file) is down.
# Both carry the emergency number themselves: no content may be at hand.
WHEN_CONTENT_IS_UNAVAILABLE = {"utter_action_unavailable", "utter_only_english_or_spanish"}
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]


def statements(text: str):
    """Sentences that are not questions, placeholders removed."""
    for sentence in re.split(r"(?<=[.!?:])\s+", re.sub(r"\{\w+\}", "", text)):
        if sentence.strip() and not sentence.rstrip().endswith("?"):
            yield sentence


@pytest.mark.parametrize("name", sorted(set(RESPONSES) - WHEN_CONTENT_IS_UNAVAILABLE))
def test_response_has_no_medical_statement(name):
    found = [s for variant in RESPONSES[name] for s in statements(variant.get("text", ""))
             if MEDICAL.search(s)]
    assert not found, f"{name}: move to content/medical.yml: {found}"


def test_the_detector_finds_medical_statements_that_used_to_be_here():
    """The texts moved out of domain.yml in #13 would each be caught."""
    moved = [
        "1. Doctor: check with your doctor that massage is safe for your back before booking.",
        "I can't assess or diagnose symptoms; I'm an automated assistant, not a clinician.",
        "In an emergency, call {emergency_number}.",
        "3. Therapist: check they are licensed and nationally certified before booking.",
    ]
    assert all(MEDICAL.search(text) for text in moved)
    assert not MEDICAL.search("Which kind would you like to try? Pick one.")


def test_the_action_server_down_message_still_points_to_help():
    text = next(v for v in RESPONSES["utter_action_unavailable"] if not v.get("condition"))["text"]
    assert "emergency" in text
