"""Plain Spanish: every Spanish patient-facing text reads as "normal" or easier.

INFLESZ scale of the Szigriszt-Pazos index (textstat 0.7.3, ``set_lang("es")``):
55 or more for every item, 65 or more for urgent advice (issue 27).
"""

import re
from pathlib import Path

import pytest
import yaml

from actions.catalog import patient_facing
from actions.content import load_content
from scripts.operate.review_sheet import NORMAL_INFLESZ, URGENT_INFLESZ, inflesz

ROOT = Path(__file__).resolve().parent.parent
NORMAL, URGENT = NORMAL_INFLESZ, URGENT_INFLESZ
ENTRIES = patient_facing(load_content(language="es"))


@pytest.mark.parametrize("entry", [e for e in ENTRIES if not e.urgent], ids=lambda e: e.key)
def test_spanish_item_reads_as_normal_or_easier(entry):
    assert inflesz(entry.shown) >= NORMAL, entry.shown


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.urgent], ids=lambda e: e.key)
def test_spanish_urgent_advice_reads_as_fairly_easy(entry):
    assert inflesz(entry.shown) >= URGENT, entry.shown


def spanish_responses():
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    for name, variants in responses.items():
        for variant in variants:
            if any(c.get("value") == "es" for c in variant.get("condition") or []):
                text = re.sub(r"\{(\w+)\}", "Ana", variant.get("text", ""))
                if len(text.split()) >= 10:
                    yield name, text


@pytest.mark.parametrize("name, text", list(spanish_responses()), ids=lambda v: str(v)[:40])
def test_spanish_conversational_text_reads_as_normal_or_easier(name, text):
    assert inflesz(text) >= NORMAL, f"{name}: {text}"


def test_the_spanish_content_is_spanish():
    """Every Spanish item differs from its English twin (none left untranslated)."""
    english = {e.key: e.shown for e in patient_facing(load_content())}
    same = [e.key for e in ENTRIES if english.get(e.key) == e.shown]
    assert not same, same
