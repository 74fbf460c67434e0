"""The walk-through funnel on real conversations (issue 31).

Ten walk-throughs go through the REST channel of a running BackCare: one that
leaves at each of the six steps, one that finishes, one that passes the doctor
step because the person said earlier that a doctor had checked them, one
paused and resumed, one with a red flag mid-way. Their stored events are
copied into a tracker store of their own; the console's dashboard, its inbox
filters, its CSV export and Rasa's own ``rasa evaluate markers`` must all give
the hand count below, and so must the dashboard read in Chromium.
"""

import asyncio
import csv
import io
import os
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
import sqlalchemy as sa
from rasa.core.evaluation.marker_base import Marker
from rasa.core.evaluation.marker_tracker_loader import MarkerTrackerLoader
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from backcare_console import facts, queries, schema
from backcare_stack.stack import ROOT, free_port, wait_for

pytestmark = pytest.mark.server

RUN = uuid.uuid4().hex[:6]
START = ["walk me through it"]
ANSWERS = ["none of these", "yes", "Swedish massage", "yes", "yes", "yes"]
TALKS: Dict[str, List[str]] = {
    **{f"leave-{k}-{RUN}": START + ANSWERS[:k - 1] for k in range(1, 7)},
    f"finish-{RUN}": START + ANSWERS,
    f"doctor-known-{RUN}": ["my doctor checked my back and said massage is fine", *START,
                            "none of these", "Swedish massage", "yes", "yes", "yes"],
    f"paused-{RUN}": [*START, "none of these", "stop", *START, "pick up where I left off",
                      "yes"],
    f"red-flag-{RUN}": [*START, "none of these", "yes",
                        "I fell off a ladder yesterday and landed on my back"],
}
# (reached, completed) conversations per step, counted by hand from TALKS:
# reached 1: all ten; 2: all but leave-1; 3: leave-3..6, finish, doctor-known (passed
# its doctor step as known, so reached but not completed), paused, red-flag; ...
HAND_COUNT = [(10, 9), (9, 7), (8, 5), (5, 4), (4, 3), (3, 2)]
PASSWORD = "funnel check 31"


@pytest.fixture(scope="module")
def funnel_db(stack, tmp_path_factory) -> Path:
    """The ten conversations, through REST, copied into a tracker store of their own."""
    for sender, messages in TALKS.items():
        for message in messages:
            stack.say(sender, message)
    path = tmp_path_factory.mktemp("funnel") / "tracker.db"
    SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(path))
    source = sa.create_engine(f"sqlite:///{stack.env['BACKCARE_TRACKER_DB']}")
    target = sa.create_engine(f"sqlite:///{path}")
    events = sa.Table("events", sa.MetaData(), autoload_with=source)
    with source.connect() as read, target.begin() as write:
        rows = read.execute(sa.select(events).where(events.c.sender_id.in_(list(TALKS)))
                            .order_by(events.c.id)).mappings().all()
        write.execute(sa.Table("events", sa.MetaData(), autoload_with=write).insert(),
                      [{k: v for k, v in row.items() if k != "id"} for row in rows])
    engine = schema.connect(f"sqlite:///{path}")
    with engine.begin() as connection:
        facts.refresh(connection, facts.load_markers())
    return path


def test_every_message_was_stored(funnel_db):
    engine = sa.create_engine(f"sqlite:///{funnel_db}")
    with engine.connect() as connection:
        said = dict(connection.execute(sa.select(schema.conversations.c.sender_id,
                                                 schema.conversations.c.user_messages)).all())
    assert said == {sender: len(messages) for sender, messages in TALKS.items()}


def test_dashboard_matches_the_hand_count(funnel_db):
    with schema.connect(f"sqlite:///{funnel_db}").connect() as connection:
        numbers = queries.dashboard(connection)
    assert [(r, c) for _, r, c in numbers["funnel"]] == HAND_COUNT
    assert numbers["guide_completed"] == 2  # finish and doctor-known
    assert numbers["doctor_check_reported"] == 1
    assert numbers["escalated"] == 1


def test_funnel_holds_by_construction(funnel_db):
    reached = [r for r, _ in HAND_COUNT]
    assert reached == sorted(reached, reverse=True)
    assert all(r >= c for r, c in HAND_COUNT)


def test_inbox_filters_find_the_same_conversations(funnel_db):
    with schema.connect(f"sqlite:///{funnel_db}").connect() as connection:
        for step, (reached, completed) in enumerate(HAND_COUNT, 1):
            _, found = queries.inbox(connection, queries.Filters(step_reached=step))
            assert found == reached, f"step {step} reached"
            _, found = queries.inbox(connection, queries.Filters(step_completed=step))
            assert found == completed, f"step {step} completed"
        rows, _ = queries.inbox(connection, queries.Filters(step_reached=3, step_completed=3))
    # Reached step 3 but did not answer it: paused, red flag, and leave-3 are left out.
    assert {r["sender_id"] for r in rows} == {
        f"leave-{k}-{RUN}" for k in (4, 5, 6)} | {f"finish-{RUN}", f"doctor-known-{RUN}"}


def test_csv_export_gives_the_same_counts(funnel_db):
    with schema.connect(f"sqlite:///{funnel_db}").connect() as connection:
        header, body = queries.export_rows(connection, queries.Filters(), with_text=False)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *body])
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    counted: List[Tuple[int, int]] = []
    for step in range(1, 7):
        reached = sum(int(r["walk_through_step_reached"]) >= step for r in rows)
        completed = sum(str(step) in r["walk_through_steps_completed"].split() for r in rows)
        counted.append((reached, completed))
    assert counted == HAND_COUNT
    by_sender = {r["conversation_id"]: r for r in rows}
    assert by_sender[f"doctor-known-{RUN}"]["walk_through_steps_completed"] == "1 3 4 5 6"


def test_rasa_evaluate_markers_gives_the_same_counts(funnel_db, tmp_path):
    store = SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="sqlite",
                            db=str(funnel_db))
    out = tmp_path / "markers.csv"
    loader = MarkerTrackerLoader(store, "all")
    asyncio.run(Marker.from_path(ROOT / "markers").evaluate_trackers(loader.load(), out))
    applied = Counter(m for m, _ in {(r["marker"], r["sender_id"])
                                     for r in csv.DictReader(out.open())})
    assert [(applied[f"guide_step_{k}_reached"], applied[f"guide_step_{k}_completed"])
            for k in range(1, 7)] == HAND_COUNT


def test_dashboard_in_the_browser_shows_the_hand_count(funnel_db, tmp_path):
    playwright_api = pytest.importorskip("playwright.sync_api")
    from tests.test_web_widget import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "BACKCARE_TRACKER_DB": str(funnel_db)}
    made = subprocess.run([sys.executable, "scripts/operate/staff_user.py", "funnel", "--stdin"],
                          input=PASSWORD + "\n", text=True, capture_output=True, cwd=ROOT,
                          env=env)
    assert made.returncode == 0, made.stderr
    port = free_port()
    log = tmp_path / "console.log"
    console = subprocess.Popen([sys.executable, "scripts/operate/console.py", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=log.open("wb"),
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/login", console, log, seconds=60)
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(f"{url}/login")
            page.fill("#username", "funnel")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("h1:has-text('Conversations')")
            page.goto(f"{url}/dashboard")
            rows = page.locator("section:has(#chart-funnel) tbody tr")
            shown = [tuple(int(cell) for cell in rows.nth(i).inner_text().split("\t")[1:3])
                     for i in range(6)]
            note = page.inner_text("section:has(#chart-funnel)")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.locator("section:has(#chart-funnel)").screenshot(
                path=str(SCREENSHOTS / "console-funnel.png"))
            browser.close()
    finally:
        console.terminate()
        console.wait(timeout=20)
    assert shown == HAND_COUNT
    assert "already known" in note and "said a doctor has checked" in note
