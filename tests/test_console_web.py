"""The console over HTTP, started as `make console` starts it: sign-in, CSRF, refusals, audit."""

import asyncio
import os
import re
import subprocess
import sys

import httpx
import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from backcare_console import auth, sample, schema
from backcare_stack.stack import ROOT, free_port, wait_for

PASSWORD = "correct horse battery"
SECRET_WORDS = "fell off my bike"  # what a patient said: never in the console's log


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("console")
    db = workdir / "tracker.db"
    store = SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(db))
    asyncio.run(store.save(DialogueStateTracker.from_events(
        "patient-1", sample.conversation("red_flag", 1_780_000_000.0))))
    result = subprocess.run([sys.executable, "scripts/operate/staff_user.py", "alice", "--stdin"],
                            input=PASSWORD + "\n", text=True, capture_output=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT),
                                 "BACKCARE_TRACKER_DB": str(db)})
    assert result.returncode == 0, result.stderr
    port = free_port()
    log = workdir / "console.log"
    process = subprocess.Popen(
        [sys.executable, "scripts/operate/console.py", "--port", str(port)], cwd=ROOT,
        stdout=log.open("wb"), stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "BACKCARE_TRACKER_DB": str(db),
             "RASA_TELEMETRY_ENABLED": "false"})
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/login", process, log, seconds=60)
    yield url, db, log
    process.terminate()
    process.wait(timeout=20)


def login_token(client: httpx.Client) -> str:
    page = client.get("/login")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    token = login_token(client)
    reply = client.post("/login", data={"csrf_token": token, "username": "alice",
                                        "password": PASSWORD})
    assert reply.status_code == 303 and reply.headers["location"] == "/"
    return client


def csrf(client: httpx.Client, path: str = "/") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def test_without_a_session_every_page_is_refused(console):
    url, _, _ = console
    for path in ("/", "/dashboard", "/audit", "/conversation?id=patient-1"):
        reply = httpx.get(url + path)
        assert reply.status_code == 303 and reply.headers["location"] == "/login", path
    for path in ("/export", "/conversation/review", "/logout"):
        assert httpx.post(url + path, data={"id": "patient-1"}).status_code == 401, path


def test_wrong_password_and_missing_csrf_are_refused(console):
    url, _, _ = console
    with httpx.Client(base_url=url) as client:
        token = login_token(client)
        wrong = client.post("/login", data={"csrf_token": token, "username": "alice",
                                            "password": "not the password"})
        assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
        assert "backcare_console=" not in wrong.headers.get("set-cookie", "")
        no_token = client.post("/login", data={"username": "alice", "password": PASSWORD})
        assert no_token.status_code == 403
    client = signed_in(url)
    assert client.post("/conversation/review",
                       data={"id": "patient-1", "reviewed": "1"}).status_code == 403
    assert client.post("/export", data={"csrf_token": "forged"}).status_code == 403


def test_session_cookie_flags(console):
    url, _, _ = console
    with httpx.Client(base_url=url) as client:
        token = login_token(client)
        reply = client.post("/login", headers={"X-Forwarded-Proto": "https"}, data={
            "csrf_token": token, "username": "alice", "password": PASSWORD})
    cookie = reply.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie
    assert reply.headers["content-security-policy"].startswith("default-src 'none'")


def test_review_tag_export_logout_are_audited_and_logs_hold_no_message_text(console):
    url, db, log = console
    client = signed_in(url)
    page = client.get("/conversation", params={"id": "patient-1"})
    assert SECRET_WORDS in page.text and "urgent advice given" in page.text
    token = csrf(client, "/conversation?id=patient-1")
    client.post("/conversation/tag", data={"csrf_token": token, "id": "patient-1",
                                           "tag": "Called back"})
    client.post("/conversation/review", data={"csrf_token": token, "id": "patient-1",
                                              "reviewed": "1"})
    client.post("/conversation/note", data={"csrf_token": token, "id": "patient-1",
                                            "note": "Phoned, went to A&E"})
    page = client.get("/conversation", params={"id": "patient-1"}).text
    assert "called back" in page and "Reviewed by alice" in page and "went to A&amp;E" in page
    inbox = client.get("/", params={"tag": "called back", "reviewed": "yes", "q": "bike"})
    assert "1 conversation" in inbox.text and "patient-1" in inbox.text
    plain = client.post("/export", data={"csrf_token": token, "escalated": "1"})
    assert plain.headers["content-type"].startswith("text/csv")
    assert "patient-1" in plain.text and SECRET_WORDS not in plain.text
    full = client.post("/export", data={"csrf_token": token, "with_text": "1"})
    assert SECRET_WORDS in full.text
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/").status_code == 303
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        entries = auth.audit_log(connection)
    done = [(e["username"], e["action"], e["sender_id"]) for e in entries]
    assert ("alice", "open_conversation", "patient-1") in done
    assert ("alice", "review", "patient-1") in done and ("alice", "logout", None) in done
    exports = [e["detail"] for e in entries if e["action"] == "export"]
    assert '"with_text": true' in exports[0] and '"with_text": false' in exports[1]
    assert SECRET_WORDS not in log.read_text() and "bike" not in log.read_text()
    assert "Phoned" not in log.read_text()
    assert schema.conversations.name in sa.inspect(engine).get_table_names()
