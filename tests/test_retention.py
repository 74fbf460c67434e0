"""The retention command on a real Rasa SQL tracker store (SQLite and PostgreSQL)."""

import asyncio
import time

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from backcare_stack.services import fresh_postgres_database, require
from backcare_stack.stack import ROOT
from scripts.operate.retention import forget

DAY = 86400
NOW = time.time()


def fill(store: SQLTrackerStore, ages_in_days: dict) -> None:
    async def save_all():
        for sender, age in ages_in_days.items():
            stamp = NOW - age * DAY
            tracker = DialogueStateTracker.from_events(sender, [
                ActionExecuted("action_listen", timestamp=stamp),
                UserUttered("my back hurts", {"name": "greet"}, timestamp=stamp + 1),
            ])
            await store.save(tracker)
    asyncio.run(save_all())


def senders(store: SQLTrackerStore) -> set:
    return set(asyncio.run(store.keys()))


def check_retention(store: SQLTrackerStore, url: str, prefix: str) -> None:
    ages = {f"{prefix}-old": 45, f"{prefix}-recent": 2, f"{prefix}-ask": 1}
    fill(store, ages)
    conversations, events = forget(url, days=30, now=NOW)
    assert conversations >= 1 and events >= 2
    left = senders(store)
    assert f"{prefix}-old" not in left and f"{prefix}-recent" in left
    assert forget(url, sender=f"{prefix}-ask") == (1, 2)
    assert f"{prefix}-ask" not in senders(store)


def test_retention_on_sqlite(tmp_path):
    domain = Domain.load(str(ROOT / "domain.yml"))
    path = tmp_path / "tracker.db"
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(path))
    check_retention(store, f"sqlite:///{path}", "sqlite")


def test_retention_on_postgresql():
    require("PostgreSQL")
    fresh_postgres_database("backcare_retention_test")
    domain = Domain.load(str(ROOT / "domain.yml"))
    store = SQLTrackerStore(domain, dialect="postgresql", host="127.0.0.1", port=5432,
                            db="backcare_retention_test", username="postgres")
    check_retention(store, "postgresql://postgres@127.0.0.1:5432/backcare_retention_test", "pg")


def test_needs_exactly_one_criterion():
    with pytest.raises(ValueError):
        forget("sqlite://", days=None, sender=None)
