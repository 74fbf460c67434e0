"""The console counts what `rasa evaluate markers` counts, from the same markers/ files."""

import asyncio
import csv
import random
from collections import Counter

import pytest
from rasa.core.evaluation.marker_base import Marker
from rasa.core.evaluation.marker_tracker_loader import MarkerTrackerLoader
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from backcare_console import facts, queries, sample, schema
from backcare_stack.stack import ROOT

T0 = 1_780_000_000.0


def test_every_marker_is_valid_for_the_domain():
    markers = Marker.from_path(ROOT / "markers")
    assert markers.validate_against_domain(Domain.load(str(ROOT / "domain.yml")))
    assert set(facts.load_markers()) == {m.name for m in markers.sub_markers}


def test_markers_outside_the_supported_subset_are_refused(tmp_path):
    (tmp_path / "m.yml").write_text("x:\n  seq:\n    - intent: greet\n    - action: utter_greet\n")
    with pytest.raises(ValueError, match="seq"):
        facts.load_markers(tmp_path)


def test_console_counts_agree_with_rasa_evaluate_markers(tmp_path):
    domain = Domain.load(str(ROOT / "domain.yml"))
    path = tmp_path / "tracker.db"
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(path))
    rng = random.Random(7)

    async def save_all():
        for i in range(60):
            kind = sample.KINDS[i % len(sample.KINDS)]
            events = sample.conversation(kind, T0 + i * 3600, steps=rng.randint(0, 5),
                                         topic=rng.choice(sample.TOPICS))
            if i % 5 == 0:  # a second session in the same conversation
                events += sample.conversation("fallback", T0 + i * 3600 + 4000)
            await store.save(DialogueStateTracker.from_events(f"c{i}", events))
    asyncio.run(save_all())

    # What `rasa evaluate markers all` writes (rasa/cli/evaluate.py does the same).
    out = tmp_path / "markers.csv"
    loader = MarkerTrackerLoader(store, "all")
    asyncio.run(Marker.from_path(ROOT / "markers").evaluate_trackers(loader.load(), out))
    rasa_rows = list(csv.DictReader(out.open()))
    rasa_applications = Counter(r["marker"] for r in rasa_rows)
    rasa_conversations = Counter(m for m, _ in {(r["marker"], r["sender_id"])
                                                for r in rasa_rows})
    assert rasa_conversations["escalated"] > 0 and rasa_applications["fallback"] > 12

    engine = schema.connect(f"sqlite:///{path}")
    with engine.begin() as connection:
        facts.refresh(connection, facts.load_markers())
    with engine.connect() as connection:
        numbers = queries.dashboard(connection)
    assert numbers["marker_conversations"] == dict(rasa_conversations)
    assert numbers["fallback_messages"] == rasa_applications["fallback"]
    assert numbers["escalated"] == rasa_conversations["escalated"]
    assert [r for _, r, _ in numbers["funnel"]] == [
        rasa_conversations[f"guide_step_{k}_reached"] for k in range(1, 7)]
