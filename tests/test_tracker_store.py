"""The caching SQL tracker store: the database stays the truth, turns stop re-reading it."""

import asyncio
import sqlite3
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from backcare_rasa.tracker_store import CachingSQLTrackerStore

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain.yml"))


def store(domain, db: Path) -> CachingSQLTrackerStore:
    return CachingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))


def stored_events(db: Path, sender: str) -> list:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute(
            "SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (sender,))]


def turn(tracker: DialogueStateTracker, text: str) -> None:
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(ActionExecuted("action_listen"))


def new_conversation(domain, sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, domain.slots)
    for event in (ActionExecuted("action_session_start"), SessionStarted(),
                  ActionExecuted("action_listen")):
        tracker.update(event)
    return tracker


def test_every_event_is_stored_once_over_many_turns(domain, tmp_path):
    db = tmp_path / "tracker.db"
    bot = store(domain, db)
    tracker = new_conversation(domain, "ann")
    asyncio.run(bot.save(tracker))
    for number in range(5):
        tracker = asyncio.run(bot.retrieve("ann"))
        turn(tracker, f"message {number}")
        asyncio.run(bot.save(tracker))
    assert len(stored_events(db, "ann")) == 3 + 5 * 3
    fresh = asyncio.run(store(domain, db).retrieve("ann"))
    assert [e.text for e in fresh.events if isinstance(e, UserUttered)] == [
        f"message {n}" for n in range(5)]


def test_a_conversation_another_server_wrote_to_is_read_again(domain, tmp_path):
    db = tmp_path / "tracker.db"
    first, second = store(domain, db), store(domain, db)
    tracker = new_conversation(domain, "ben")
    turn(tracker, "on the first server")
    asyncio.run(first.save(tracker))
    assert asyncio.run(first.retrieve("ben")) is tracker  # kept: nothing changed

    elsewhere = asyncio.run(second.retrieve("ben"))
    turn(elsewhere, "on the second server")
    elsewhere.update(SlotSet("posture_noted", True))
    asyncio.run(second.save(elsewhere))

    again = asyncio.run(first.retrieve("ben"))
    from_database = asyncio.run(store(domain, db).retrieve("ben"))
    assert ([e.as_dict() for e in again.applied_events()]
            == [e.as_dict() for e in from_database.applied_events()])
    assert again.current_slot_values() == from_database.current_slot_values()
    assert again.get_slot("posture_noted") is True
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == [
        "on the first server", "on the second server"]
    turn(again, "back on the first")
    asyncio.run(first.save(again))
    assert stored_events(db, "ben").count("user") == 3


def test_a_forgotten_conversation_is_not_brought_back_when_its_ids_are_reused(domain, tmp_path):
    db = tmp_path / "tracker.db"
    first, second = store(domain, db), store(domain, db)
    tracker = new_conversation(domain, "fay")
    turn(tracker, "something private")
    asyncio.run(first.save(tracker))  # event ids 1-6, kept by the first server
    with sqlite3.connect(db) as connection:  # make forget, from another process
        connection.execute("DELETE FROM events WHERE sender_id = 'fay'")
    again = new_conversation(domain, "fay")
    turn(again, "starting over")
    asyncio.run(second.save(again))  # SQLite gives these events ids 1-6 again

    retrieved = asyncio.run(first.retrieve("fay"))
    assert [e.text for e in retrieved.events if isinstance(e, UserUttered)] == ["starting over"]


def test_a_turn_that_was_never_saved_is_not_remembered(domain, tmp_path):
    db = tmp_path / "tracker.db"
    bot = store(domain, db)
    tracker = new_conversation(domain, "cat")
    asyncio.run(bot.save(tracker))
    broken = asyncio.run(bot.retrieve("cat"))
    turn(broken, "this turn failed before it was saved")
    retrieved = asyncio.run(bot.retrieve("cat"))
    assert not [e for e in retrieved.events if isinstance(e, UserUttered)]


def test_a_new_session_is_read_as_rasa_reads_it(domain, tmp_path):
    db = tmp_path / "tracker.db"
    bot = store(domain, db)
    tracker = new_conversation(domain, "dan")
    turn(tracker, "yesterday")
    asyncio.run(bot.save(tracker))
    tracker = asyncio.run(bot.retrieve("dan"))
    for event in (ActionExecuted("action_session_start"), SessionStarted(),
                  ActionExecuted("action_listen")):
        tracker.update(event)
    turn(tracker, "today")
    asyncio.run(bot.save(tracker))
    latest = asyncio.run(bot.retrieve("dan"))
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["today"]
    assert stored_events(db, "dan").count("user") == 2


def test_sqlite_runs_in_wal_mode(domain, tmp_path):
    db = tmp_path / "tracker.db"
    bot = store(domain, db)
    asyncio.run(bot.save(new_conversation(domain, "eve")))
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_rows_are_stored_as_rasa_stores_them(domain, tmp_path):
    """Rasa's own store, the console and `make forget` read these rows: same columns."""
    from rasa.core.tracker_store import SQLTrackerStore

    def rows(db: Path) -> list:
        with sqlite3.connect(db) as connection:
            return connection.execute(
                "SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
                "FROM events ORDER BY id").fetchall()

    tracker = new_conversation(domain, "ann")
    turn(tracker, "hello there")
    ours, rasas = tmp_path / "ours.db", tmp_path / "rasa.db"
    asyncio.run(store(domain, ours).save(tracker))
    asyncio.run(SQLTrackerStore(domain=domain, dialect="sqlite", db=str(rasas)).save(tracker))
    assert rows(ours) == rows(rasas)
    assert any(row[3] == "greet" for row in rows(ours))
