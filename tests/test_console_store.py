"""The console's store on seeded conversations: filters, dashboard, login, audit, export, forget.

Run on SQLite and, where reachable, on PostgreSQL (the production tracker store).
"""

import asyncio
import csv
import io
import time

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from backcare_console import auth, facts, queries, sample, schema
from backcare_stack.services import fresh_postgres_database, require
from backcare_stack.stack import ROOT
from scripts.operate.retention import forget

DAY = 86400
T0 = 1_780_000_000.0  # 2026-05-28 UTC
# sender -> (kind, days after T0, channel, extra)
CONVERSATIONS = {
    "flag-trauma": ("red_flag", 0, "rest", {"category": "trauma"}),
    "flag-cauda": ("red_flag", 1, "socketio", {"category": "cauda_equina"}),
    "ruled-out": ("ruled_out", 1, "rest", {"category": "cancer_night_pain"}),
    "not-understood": ("fallback", 2, "rest", {}),
    "guide-done": ("guide_complete", 2, "socketio", {}),
    "guide-left-at-3": ("guide_dropped", 3, "rest", {"steps": 2}),
    "guide-left-at-1": ("guide_dropped", 3, "rest", {"steps": 0}),
    "wants-a-person": ("handoff", 4, "callback", {}),
    "asks-cost": ("topic", 4, "rest", {"topic": "ask_cost_insurance"}),
}


def save(store: SQLTrackerStore) -> None:
    async def save_all():
        for sender, (kind, day, channel, extra) in CONVERSATIONS.items():
            events = sample.conversation(kind, T0 + day * DAY, channel=channel, **extra)
            await store.save(DialogueStateTracker.from_events(sender, events))
    asyncio.run(save_all())


@pytest.fixture(params=["sqlite", "postgresql"])
def console_db(request, tmp_path):
    domain = Domain.load(str(ROOT / "domain.yml"))
    if request.param == "sqlite":
        path = tmp_path / "tracker.db"
        store = SQLTrackerStore(domain, dialect="sqlite", db=str(path))
        url = f"sqlite:///{path}"
    else:
        require("PostgreSQL")
        fresh_postgres_database("backcare_console_test")
        store = SQLTrackerStore(domain, dialect="postgresql", host="127.0.0.1", port=5432,
                                db="backcare_console_test", username="postgres")
        url = "postgresql://postgres@127.0.0.1:5432/backcare_console_test"
    save(store)
    engine = schema.connect(url)
    with engine.begin() as connection:
        assert facts.refresh(connection, facts.load_markers()) == len(CONVERSATIONS)
    yield url, engine
    engine.dispose()
    store.engine.dispose()


def ids(engine, **chosen) -> set:
    with engine.connect() as connection:
        rows, total = queries.inbox(connection, queries.Filters(**chosen))
    assert total == len(rows)
    return {row["sender_id"] for row in rows}


def test_each_filter_finds_what_it_names(console_db):
    _, engine = console_db
    assert ids(engine, escalated=True) == {"flag-trauma", "flag-cauda"}
    assert ids(engine, category="any") == {"flag-trauma", "flag-cauda", "ruled-out"}
    assert ids(engine, category="cancer_night_pain") == {"ruled-out"}
    assert ids(engine, fallback=True) == {"not-understood"}
    assert ids(engine, human=True) == {"wants-a-person"}
    assert ids(engine, channel="socketio") == {"flag-cauda", "guide-done"}
    assert ids(engine, step_reached=3) == {"guide-done", "guide-left-at-3"}
    assert ids(engine, step_completed=3) == {"guide-done"}
    assert ids(engine, step_reached=1) == {"guide-done", "guide-left-at-3", "guide-left-at-1"}
    assert ids(engine, q="BIKE") == {"flag-trauma", "flag-cauda", "ruled-out"}
    assert ids(engine, q="100%") == set()


def test_filters_combine(console_db):
    _, engine = console_db
    assert ids(engine, escalated=True, channel="socketio") == {"flag-cauda"}
    assert ids(engine, step_reached=1, channel="rest", q="walk") == {
        "guide-left-at-3", "guide-left-at-1"}
    # Dates are UTC days of activity: day 1 to day 2 after T0.
    start = queries.iso(T0 + DAY)[:10]
    end = queries.iso(T0 + 2 * DAY)[:10]
    assert ids(engine, start=start, end=end) == {
        "flag-cauda", "ruled-out", "not-understood", "guide-done"}
    assert ids(engine, start=start, end=end, escalated=True) == {"flag-cauda"}


def test_review_and_tag_filters(console_db):
    _, engine = console_db
    with engine.begin() as connection:
        connection.execute(schema.reviews.insert().values(
            sender_id="flag-trauma", reviewed_by="alice", reviewed_at=time.time()))
        connection.execute(schema.tags.insert(), [
            {"sender_id": "flag-trauma", "tag": "called back"},
            {"sender_id": "guide-done", "tag": "called back"}])
    assert ids(engine, reviewed="yes") == {"flag-trauma"}
    assert "flag-trauma" not in ids(engine, reviewed="no")
    assert len(ids(engine, reviewed="no")) == len(CONVERSATIONS) - 1
    assert ids(engine, tag="called back", reviewed="no") == {"guide-done"}
    assert ids(engine, tag="called back", escalated=True) == {"flag-trauma"}


def test_newest_first_in_pages_of_fifty(console_db):
    _, engine = console_db
    with engine.connect() as connection:
        rows, _ = queries.inbox(connection, queries.Filters())
        assert [r["last_at"] for r in rows] == sorted((r["last_at"] for r in rows), reverse=True)
        page, total = queries.inbox(connection, queries.Filters(), page=2, page_size=4)
    assert total == len(CONVERSATIONS) and [r["sender_id"] for r in page] == [
        r["sender_id"] for r in rows[4:8]]
    assert queries.PAGE_SIZE == 50


def test_dashboard_numbers(console_db):
    _, engine = console_db
    with engine.connect() as connection:
        numbers = queries.dashboard(connection)
    assert numbers["conversations"] == 9
    assert numbers["escalated"] == 2
    assert dict(numbers["escalations_by_category"]) == {"Trauma": 1, "Cauda equina": 1}
    assert numbers["fallback_conversations"] == 1 and numbers["fallback_messages"] == 1
    assert numbers["fallback_rate_conversations"] == pytest.approx(1 / 9)
    messages = numbers["messages"]
    # Two red flags, ruled out (+"no"), fallback, walk-through 2+6 and 2+2 and 2+0, handoff, topic.
    assert messages == 2 + 2 + 3 + 2 + 8 + 4 + 2 + 2 + 2
    assert numbers["fallback_rate_messages"] == pytest.approx(1 / messages)
    assert numbers["asked_for_human"] == 1
    assert [(reached, done) for _, reached, done in numbers["funnel"]] == [
        (3, 2), (2, 2), (2, 1), (1, 1), (1, 1), (1, 1)]
    assert numbers["guide_completed"] == 1
    assert ("Cost and insurance", 1) in numbers["topics"]
    assert [day for day, _ in numbers["per_day"]] == [
        queries.iso(T0 + d * DAY)[:10] for d in range(5)]
    one_day = queries.iso(T0 + 4 * DAY)[:10]
    with engine.connect() as connection:
        assert queries.dashboard(connection, one_day, one_day)["conversations"] == 2


def test_wrong_password_lockout_and_audit(console_db):
    _, engine = console_db
    with engine.begin() as connection:
        auth.create_user(connection, "alice", "correct horse battery")
        with pytest.raises(ValueError):
            auth.create_user(connection, "bob", "short")
    with engine.begin() as connection:
        token = auth.login(connection, "alice", "correct horse battery")
        assert auth.session(connection, token).username == "alice"
        assert auth.session(connection, "forged") is None
        auth.logout(connection, token)
        assert auth.session(connection, token) is None
    for _ in range(auth.LOCKOUT_FAILURES):
        with engine.begin() as connection, pytest.raises(auth.LoginRefused, match="Wrong"):
            auth.login(connection, "alice", "wrong password!!")
    with engine.begin() as connection, pytest.raises(auth.LoginRefused, match="locked"):
        auth.login(connection, "alice", "correct horse battery")
    with engine.connect() as connection:
        actions = [e["action"] for e in auth.audit_log(connection)]
        stored = connection.execute(sa.select(schema.users.c.password_hash)).scalar()
    assert actions[:2] == ["login_locked", "login_failed"] and "login" in actions
    assert stored.startswith("$argon2id$") and "horse" not in stored


def export(engine, with_text: bool, **chosen):
    with engine.connect() as connection:
        header, rows = queries.export_rows(connection, queries.Filters(**chosen), with_text)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header] + rows)
    return list(csv.DictReader(io.StringIO(buffer.getvalue())))


def test_csv_has_text_only_when_asked(console_db):
    _, engine = console_db
    plain = export(engine, False, escalated=True)
    assert {r["conversation_id"] for r in plain} == {"flag-trauma", "flag-cauda"}
    assert all("bike" not in str(r) for r in plain)
    assert {r["red_flag_categories"] for r in plain} == {"Trauma", "Cauda equina"}
    assert plain[0]["escalated"] == "yes"
    with_text = export(engine, True, escalated=True)
    assert all("fell off my bike" in r["what_the_person_said"] for r in with_text)


def test_console_forget_deletes_review_tags_notes_and_facts(console_db):
    _, engine = console_db
    with engine.begin() as connection:
        connection.execute(schema.tags.insert().values(sender_id="guide-done", tag="urgent"))
        assert schema.forget(connection, ["guide-done"]) >= 3  # tag, facts, markers
    assert "guide-done" not in ids(engine) and ids(engine, tag="urgent") == set()


def test_make_forget_deletes_the_console_rows_too(console_db):
    url, engine = console_db
    with engine.begin() as connection:
        connection.execute(schema.reviews.insert().values(
            sender_id="flag-trauma", reviewed_by="alice", reviewed_at=time.time()))
        connection.execute(schema.tags.insert().values(sender_id="flag-trauma", tag="urgent"))
        connection.execute(schema.notes.insert().values(
            sender_id="flag-trauma", author="alice", at=time.time(), text="rang them"))
    assert forget(url, sender="flag-trauma")[0] == 1
    with engine.connect() as connection:
        for table in schema.PER_CONVERSATION:
            left = connection.execute(sa.select(sa.func.count()).select_from(table).where(
                table.c.sender_id == "flag-trauma")).scalar()
            assert left == 0, table.name
    assert "flag-trauma" not in ids(engine)
    assert ids(engine, escalated=True) == {"flag-cauda"}
