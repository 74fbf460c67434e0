"""Staff console speed on 10,000 seeded conversations (make console-bench).

Seeds a temporary SQLite tracker store (Rasa's own table, filled as
SQLTrackerStore writes it), reads it once into the console's tables, then times
a filtered inbox page and the dashboard through the real app over HTTP.
Writes reports/console-bench.json.
"""

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from backcare_console import auth, facts, sample, schema
from backcare_stack.stack import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]

PASSWORD = "benchmark password"


def p95(samples):
    return statistics.quantiles(samples, n=20)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "tracker.db"
        store = SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="sqlite",
                                db=str(db))
        asyncio.run(store.save(DialogueStateTracker.from_events(
            "first", sample.conversation("topic", time.time() - 86400))))
        engine = schema.connect(f"sqlite:///{db}")
        started = time.perf_counter()
        with engine.begin() as connection:
            kinds = sample.seed(connection, args.conversations, time.time() - 90 * 86400)
            auth.create_user(connection, "bench", PASSWORD)
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        with engine.begin() as connection:
            facts.refresh(connection, facts.load_markers())
        indexed = time.perf_counter() - started

        port = free_port()
        log = Path(tmp) / "console.log"
        process = subprocess.Popen(
            [sys.executable, "scripts/operate/console.py", "--port", str(port)], cwd=ROOT,
            stdout=log.open("wb"), stderr=subprocess.STDOUT,
            env={**os.environ, "BACKCARE_TRACKER_DB": str(db)})
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{url}/login", process, log, seconds=60)
            client = httpx.Client(base_url=url, timeout=60)
            found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
            assert found, "no sign-in form"
            token = found.group(1)
            client.post("/login", data={"csrf_token": token, "username": "bench",
                                        "password": PASSWORD})
            pages = {
                "inbox_filtered": ("/", {"escalated": "1", "channel": "rest",
                                         "reviewed": "no", "page": "2"}),
                "inbox_search": ("/", {"q": "walk me", "step_reached": "2"}),
                "dashboard": ("/dashboard", {}),
            }
            timings = {}
            for name, (path, params) in pages.items():
                samples = []
                for _ in range(args.requests):
                    begin = time.perf_counter()
                    reply = client.get(path, params=params)
                    samples.append((time.perf_counter() - begin) * 1000)
                    assert reply.status_code == 200, reply.status_code
                timings[name] = {"p50_ms": round(statistics.median(samples), 1),
                                 "p95_ms": round(p95(samples), 1)}
        finally:
            process.terminate()
            process.wait(timeout=20)
    report = {
        "conversations": args.conversations + 1, "kinds": kinds,
        "requests_per_page": args.requests, "seed_s": round(seeded, 1),
        "first_index_s": round(indexed, 1), "pages": timings,
        "database": "SQLite (temporary file)",
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                 capture_output=True, text=True).stdout.strip(),
    }
    out = ROOT / "reports" / "console-bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
