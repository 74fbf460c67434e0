"""`make run` starts the fastest setup the configured stores keep correct.

With PostgreSQL and Redis configured (BACKCARE_ENDPOINTS=endpoints.scale.yml)
that is two Rasa servers behind nginx, as `make prod` (1.15x the stock bot's
turns/s, docs/performance.md); with the default SQLite store it is one server,
because two servers need a lock store they share. Both run here as a person
starts them, with this test's own ports, database and folders.
"""

import re
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from backcare_stack.services import fresh_postgres_database, require
from backcare_stack.stack import ProductionStack
from tests.test_production import DATABASE, NGINX, settings, user_texts

pytestmark = pytest.mark.server
TURNS = ["hello", "any tips?", "is massage safe for me?", "thanks"]


def converse(stack: ProductionStack, sender: str) -> None:
    for text in TURNS:
        assert stack.say(sender, text), f"no answer to {text!r}"


def test_with_postgresql_and_redis_make_run_starts_two_servers_behind_nginx(tmp_path):
    require("PostgreSQL", "Redis")
    if not NGINX.exists():
        pytest.skip("nginx is not installed: sudo apt-get install nginx (README, Prerequisites)")
    fresh_postgres_database(DATABASE)
    env = {**settings(tmp_path), "BACKCARE_ENDPOINTS": "endpoints.scale.yml"}
    run = ProductionStack(tmp_path, env, "make run")
    try:
        run.wait_until_running()
        assert "Starting two Rasa servers" in run.log()
        assert f"http://localhost:{env['PROXY_PORT']}/" in run.log()

        senders = [f"run-{i}-{uuid.uuid4().hex[:6]}" for i in range(10)]
        with ThreadPoolExecutor(max_workers=10) as pool:
            list(pool.map(lambda sender: converse(run, sender), senders))
        for sender in senders:  # every message stored once, in order, none lost
            assert user_texts(sender) == TURNS, sender
        served = set(re.findall(r'"POST /webhooks/rest/webhook" 200 \S+ upstream=(\S+)',
                                run.access_log()))
        assert len(served) == 2, f"only {served} answered"
    finally:
        run.ctrl_c()


def test_with_the_default_sqlite_store_make_run_starts_one_server(tmp_path):
    env = {**settings(tmp_path), "BACKCARE_TRACKER_DB": str(tmp_path / "tracker.db")}
    run = ProductionStack(tmp_path, env, "make run")
    run.url = f"http://127.0.0.1:{env['RASA_PORT']}"
    try:
        run.wait_until_running()
        assert "One Rasa server" in run.log() and "two Rasa servers" not in run.log()
        sender = f"run-{uuid.uuid4().hex[:6]}"
        assert "I'm BackCare" in run.say(sender, "hello")
        with sqlite3.connect(tmp_path / "tracker.db") as db:
            stored = db.execute("SELECT count(*) FROM events WHERE sender_id = ? "
                                "AND type_name = 'user'", (sender,)).fetchone()[0]
        assert stored == 1
        assert (Path(env["BACKCARE_VAR"]) / "log" / "rasa.log").exists()
    finally:
        run.ctrl_c()
