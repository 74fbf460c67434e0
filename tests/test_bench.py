"""make bench's own check that the load's messages were stored once each."""

import asyncio
import json

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered

from scripts.evaluate.bench_load import stored_messages


def events(path):
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT * FROM events")).mappings().all()
    engine.dispose()
    return rows


def level(turns, errors=0):
    return {"turns": turns, "errors": errors}


def test_every_message_stored_once_counts_as_nothing_lost(tmp_path):
    path = tmp_path / "t.db"

    async def fill():
        store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
        for sender in ("bench-10-0-1-0", "bench-10-1-1-0"):
            tracker = await store.get_or_create_tracker(sender)
            for text in ("hello", "any tips?"):
                tracker.update(UserUttered(text))
            await store.save(tracker)
        startup = await store.get_or_create_tracker("bench-startup")
        startup.update(UserUttered("hello"))
        await store.save(startup)

    asyncio.run(fill())
    url = f"sqlite:///{path}"
    assert stored_messages(url, [level(4)]) == {"sent": 4, "stored": 4, "lost": 0, "doubled": 0}
    # One more message sent than stored: lost.
    assert stored_messages(url, [level(3, errors=2)])["lost"] == 1
    # The same event written twice: doubled.
    row = next(r for r in events(path) if r["type_name"] == "user"
               and r["sender_id"].startswith("bench-10"))
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data)"
            " VALUES (:s, 'user', :t, NULL, NULL, :d)"),
            {"s": row["sender_id"], "t": row["timestamp"], "d": row["data"]})
    engine.dispose()
    assert stored_messages(url, [level(4)])["doubled"] == 1
    assert json.loads(row["data"])["text"] in ("hello", "any tips?")
