"""`make bench`: speed and memory of BackCare, side by side with a stock Rasa bot.

Measures on this machine, in one run: full training and NLU-only retraining;
startup to first answer of the action server and of the Rasa server;
per-turn latency through the REST channel (p50, p95, p99) for a plain
response, a custom-action turn and a form step, at 1, 10 and 50 concurrent
conversations, with throughput and errors; the turn cost along one conversation
of 400 turns (length sweep); resident memory of the Rasa server
and of the action server. The stock bot is the project `rasa init` creates,
trained and served here too; it stays up while each BackCare setup is loaded,
and the two take turns at every level (side_by_side). Load goes to 127.0.0.1
only and is bounded in turns and in time. Writes reports/bench.json, reports/bench.md and
reports/bench-latency.png.
"""

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import httpx

from scripts.isolation import isolation
from tests.stack import ProductionStack, Stack, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent

RASA = str(ROOT / ".venv" / "bin" / "rasa")
OUT = ROOT / "reports"  # bench.json, bench.md, bench-latency.png (bench-logs/ if it fails)
LEVELS = [1, 10, 50]
# Turns each level sends, the same for every bot: the simulated people have as
# many conversations, one after another, as that takes. Short levels made the
# ratios noise (the stock bot's 10-level used to last under 3 s). At 1, 700 turns
# give 200 custom-action turns of ours, so its p95 is not one of a few slow turns.
LEVEL_TURNS = {1: 700, 10: 1120, 50: 1400}
BLOCKS = 4  # blocks per bot and level, the bots taking turns (side_by_side)
LEVEL_TIMEOUT = 300  # seconds; a level that takes longer counts its unfinished turns as errors
# One BackCare conversation, and what each turn exercises. The first turn opens
# a session: the disclaimer comes from a custom action.
OURS = [("session_start", "hello"),
        ("plain", "thanks a lot"),
        ("custom_action", "any tips?"),
        ("form_step", "walk me through it"),
        ("form_step", "no"),
        ("custom_action", "is massage safe for me?"),
        ("plain", "stop")]
# One stock conversation: it only has plain responses.
STOCK = [("plain", "hello"), ("plain", "I am feeling great")]
# Length sweep: one conversation of SWEEP_TURNS turns; the median turn near each mark.
SWEEP_TURNS = 400
SWEEP_MARKS = [1, 50, 100, 200, 400]
SWEEP_WINDOW = 20  # turns up to each mark (turn 1: turns 1-20, after the greeting), as in issue 18
OURS_SWEEP = ["any tips?", "thanks", "is massage safe for me?", "how much does massage cost?"]
STOCK_SWEEP = ["I am feeling great", "hello"]
TARGETS = [  # (figure, limit, better when "below"/"above")
    ("single conversation: custom-action turn p95 (ms)", 100, "below"),
    ("single conversation: custom-action p95 / stock plain p95", 1.5, "below"),
    ("10 concurrent: turns per second", 50, "above"),
    ("10 concurrent: errors", 0, "below"),
    ("50 concurrent: errors", 0, "below"),
    ("full training (s)", 180, "below"),
    ("startup, both servers to first answer (s)", 30, "below"),
    ("resident memory, both servers (MB)", 1536, "below"),
    ("length sweep: (ours turn 400 / turn 1) / (stock turn 400 / turn 1)", 1.0, "below"),
    ("10 concurrent: best BackCare setup turns/s / stock turns/s", 1.0, "above"),
    ("50 concurrent: best BackCare setup turns/s / stock turns/s", 1.0, "above"),
    ("memory of everything make prod starts (MB)", 2560, "below"),
    ("make prod: errors, all levels", 0, "below"),
    ("one server: user messages lost or stored twice (SQLite)", 0, "below"),
    ("make prod: user messages lost or stored twice (PostgreSQL)", 0, "below"),
]


def memory_mb(pid: int) -> Dict[str, float]:
    """Current and peak resident memory of a process and its children, in MB."""
    current = peak = 0
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    for one in [pid] + [int(p) for p in children.stdout.split()]:
        try:
            status = Path(f"/proc/{one}/status").read_text().splitlines()
        except FileNotFoundError:
            continue
        for line in status:
            if line.startswith("VmRSS:"):
                current += int(line.split()[1])
            elif line.startswith("VmHWM:"):
                peak += int(line.split()[1])
    return {"rss": current / 1024, "peak": peak / 1024}


def timed(args: List[str], cwd: Path, env: Dict[str, str], log: Path) -> float:
    """Run a command (output to a log); its wall time in seconds."""
    started = time.monotonic()
    with log.open("wb") as handle:
        subprocess.run(args, cwd=cwd, env=env, check=True, stdout=handle,
                       stderr=subprocess.STDOUT)
    return time.monotonic() - started


def percentiles(values: List[float]) -> Dict[str, float]:
    """p50, p95, p99 (nearest rank) in milliseconds, and the sample count."""
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "n": 0}
    ordered = sorted(values)

    def rank(q: float) -> float:
        return ordered[max(0, min(len(ordered) - 1, int(round(q * len(ordered))) - 1))]

    return {"p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99), "n": len(values)}


async def person(client: httpx.AsyncClient, url: str, name: str, script, cycles: int,
                 results: Dict[str, List[float]], errors: List[str]) -> None:
    """One simulated person: `cycles` conversations, one after another."""
    for cycle in range(cycles):
        sender = f"{name}-{cycle}"
        for kind, text in script:
            started = time.perf_counter()
            try:
                response = await client.post(url, json={"sender": sender, "message": text})
                ok = response.status_code == 200 and bool(response.json())
            except (httpx.HTTPError, ValueError) as error:
                ok, response = False, error
            if ok:
                results.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            else:
                errors.append(f"{kind} {text!r}: {response}")


def cycles_for(level: int, script, turns: int) -> int:
    """Conversations each simulated person has so that `level` people send about `turns`."""
    return max(1, -(-turns // (level * len(script))))  # rounded up


async def run_block(base: str, script, level: int, cycles: int) -> Dict:
    """`level` people at once, `cycles` conversations each: raw latencies and errors."""
    url = f"{base}/webhooks/rest/webhook"
    results: Dict[str, List[float]] = {}
    errors: List[str] = []
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=level)) as client:
        started = time.perf_counter()
        jobs = [person(client, url, f"bench-{level}-{i}-{time.time_ns()}", script,
                       cycles, results, errors) for i in range(level)]
        try:
            await asyncio.wait_for(asyncio.gather(*jobs), LEVEL_TIMEOUT)
        except asyncio.TimeoutError:
            errors.append(f"level {level} stopped after {LEVEL_TIMEOUT}s")
        wall = time.perf_counter() - started
    return {"results": results, "errors": errors, "seconds": wall,
            "planned": level * cycles * len(script)}


def summary(level: int, blocks: List[Dict]) -> Dict:
    """One level of one bot from its blocks: latency per kind, throughput, errors."""
    results: Dict[str, List[float]] = {}
    for one in blocks:
        for kind, values in one["results"].items():
            results.setdefault(kind, []).extend(values)
    answered = sum(len(values) for values in results.values())
    wall = sum(one["seconds"] for one in blocks)
    return {"concurrency": level, "turns": answered, "seconds": round(wall, 2),
            "turns_per_second": answered / wall,
            "errors": sum(one["planned"] for one in blocks) - answered,
            "error_samples": [e for one in blocks for e in one["errors"]][:5],
            "latency_ms": {kind: percentiles(values) for kind, values in results.items()}}


async def load(base: str, script, level: int) -> Dict:
    """One bot alone: `level` concurrent conversations, LEVEL_TURNS[level] turns in all."""
    block = await run_block(base, script, level,
                            cycles_for(level, script, LEVEL_TURNS[level]))
    return summary(level, [block])


def first_answer(base_url: str) -> None:
    """Send one message and require an answer (the end of a startup)."""
    response = httpx.post(f"{base_url}/webhooks/rest/webhook",
                          json={"sender": "bench-startup", "message": "hello"}, timeout=120)
    response.raise_for_status()
    if not response.json():
        raise RuntimeError("the bot started but did not answer 'hello'")


def stored_messages(database_url: str, levels: List[Dict]) -> Dict[str, int]:
    """The load levels' user messages in a tracker store: sent, stored, lost and doubled.

    Every message the load sent (answered or not) should be stored once: none
    lost, none stored twice (an event stored twice has the same data, id included).
    """
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            stored, distinct = connection.execute(sa.text(
                "SELECT count(*), count(DISTINCT sender_id || ' ' || data) FROM events "
                "WHERE type_name = 'user' AND sender_id LIKE 'bench-%' "
                "AND sender_id <> 'bench-startup'")).one()
    finally:
        engine.dispose()
    sent = sum(lv["turns"] + lv["errors"] for lv in levels)
    return {"sent": sent, "stored": stored, "lost": max(sent - distinct, 0),
            "doubled": stored - distinct}


def length_sweeps(bots: List[Tuple[str, str, List[str]]]) -> Dict[str, Dict[str, float]]:
    """Median turn (ms) near turn 1, 50, 100, 200 and 400 of one long conversation per bot.

    The bots take turns message by message, (name, base URL, messages) each, so
    both conversations grow on the same machine at the same time: the ratio
    of turn 400 to turn 1 compares the bots, not two moments of the machine.
    """
    stamp = time.time_ns()
    timings: Dict[str, List[float]] = {name: [] for name, _, _ in bots}
    with httpx.Client(timeout=60) as client:
        for number in range(SWEEP_TURNS + 1):  # turn 0: the greeting opens the session
            for name, base_url, messages in (bots if number % 2 == 0 else bots[::-1]):
                text = "hello" if number == 0 else messages[number % len(messages)]
                started = time.perf_counter()
                response = client.post(f"{base_url}/webhooks/rest/webhook",
                                       json={"sender": f"sweep-{name}-{stamp}", "message": text})
                response.raise_for_status()
                timings[name].append((time.perf_counter() - started) * 1000)
    sweeps: Dict[str, Dict[str, float]] = {}
    for name, turns in timings.items():
        sweeps[name] = {}
        for mark in SWEEP_MARKS:
            end = min(max(mark, SWEEP_WINDOW) + 1, SWEEP_TURNS + 1)
            window = sorted(turns[end - SWEEP_WINDOW:end])
            sweeps[name][str(mark)] = window[len(window) // 2]
    return sweeps


def side_by_side(bots: List[Tuple[str, str, list]]) -> Dict[str, List[Dict]]:
    """Every load level, the bots taking turns: (name, base URL, script) each.

    A level is BLOCKS blocks per bot, in the order A B, B A, A B, B A, each block
    a share of LEVEL_TURNS. The machine's speed drifts over minutes (the same
    level of the same bot measured 27-49 turns/s over a day here); a bot
    measured minutes after the other met another machine. Taking turns, both
    meet the same one, and the ratios compare the bots.
    """
    levels: Dict[str, List[Dict]] = {name: [] for name, _, _ in bots}
    for level in LEVELS:
        blocks: Dict[str, List[Dict]] = {name: [] for name, _, _ in bots}
        for number in range(BLOCKS):
            for name, base, script in (bots if number % 2 == 0 else bots[::-1]):
                cycles = cycles_for(level, script, LEVEL_TURNS[level] // BLOCKS)
                blocks[name].append(asyncio.run(run_block(base, script, level, cycles)))
        for name, _, _ in bots:
            result = summary(level, blocks[name])
            print(f"{name} at {level}: {result['turns_per_second']:.1f} turns/s, "
                  f"{result['errors']} errors, "
                  + ", ".join(f"{k} p95 {v['p95']:.0f} ms"
                              for k, v in result["latency_ms"].items()), flush=True)
            levels[name].append(result)
    return levels


def train_ours(env: Dict[str, str], workdir: Path, model: Optional[Path]) -> Dict:
    """Train BackCare from scratch, then retrain after an NLU change (both timed)."""
    figures: Dict = {"train_full_seconds": None, "retrain_nlu_change_seconds": None}
    if model is None:
        project = workdir / "ours"
        shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
            ".venv", ".git", "models", "reports", "results", "var", ".rasa", "node_modules"))
        # The spaCy pipeline and the encoder stay where `make install` put them.
        (project / ".venv").symlink_to(ROOT / ".venv")
        env = {**env, "RASA_CACHE_DIRECTORY": str(workdir / "cache-ours")}
        train = [RASA, "train", "--out", "models", "--fixed-model-name", "backcare"]
        figures["train_full_seconds"] = timed(train, project, env, workdir / "train-ours.log")
        print(f"ours: full training {figures['train_full_seconds']:.0f}s", flush=True)
        with (project / "data" / "nlu" / "chitchat.yml").open("a") as handle:
            handle.write("- intent: greet\n  examples: |\n    - hello from the benchmark\n")
        figures["retrain_nlu_change_seconds"] = timed(train, project, env,
                                                      workdir / "retrain-ours.log")
        print(f"ours: retraining {figures['retrain_nlu_change_seconds']:.0f}s", flush=True)
        model = project / "models" / "backcare.tar.gz"
    figures["model"] = str(model)
    return figures


def train_stock(env: Dict[str, str], workdir: Path, model: Optional[Path]) -> Dict:
    """The `rasa init` project, trained from scratch (timed)."""
    from rasa.cli.scaffold import create_initial_project

    project = workdir / "stock"
    create_initial_project(str(project))
    figures: Dict = {"train_full_seconds": None, "project": str(project)}
    if model is None:
        figures["train_full_seconds"] = timed(
            [RASA, "train", "--out", "models", "--fixed-model-name", "stock"], project,
            {**env, "RASA_CACHE_DIRECTORY": str(workdir / "cache-stock")},
            workdir / "train-stock.log")
        print(f"stock: full training {figures['train_full_seconds']:.0f}s", flush=True)
        model = project / "models" / "stock.tar.gz"
    figures["model"] = str(model)
    return figures


@contextlib.contextmanager
def stock_server(env: Dict[str, str], workdir: Path, figures: Dict):
    """Serve the stock bot (startup timed) for as long as the benchmark needs it."""
    port = free_port()
    log = workdir / "stock.log"
    started = time.monotonic()
    with log.open("wb") as handle:
        process = subprocess.Popen([RASA, "run", "--model", figures["model"],
                                    "--port", str(port)], cwd=figures["project"], env=env,
                                   stdout=handle, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/", process, log)
        first_answer(base)
        startup = time.monotonic() - started
        figures["startup_seconds"] = {"rasa_server": startup, "both": startup}
        print(f"stock: startup {figures['startup_seconds']}", flush=True)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def bench_ours(figures: Dict, workdir: Path, stock: str) -> Dict:
    """One BackCare server (`make run` with SQLite): load it, taking turns with the stock bot.

    Fills in ``figures`` (ours); returns the stock bot's figures measured beside it.
    """
    stack = Stack(workdir, model=Path(figures["model"]))
    stock_figures: Dict = {}
    try:
        started = time.monotonic()
        stack.start_actions()
        actions_ready = time.monotonic()
        stack.start_rasa()
        first_answer(stack.url)
        done = time.monotonic()
        figures["startup_seconds"] = {"action_server": actions_ready - started,
                                      "rasa_server": done - actions_ready,
                                      "both": done - started}
        print(f"ours: startup {figures['startup_seconds']}", flush=True)
        levels = side_by_side([("ours", stack.url, OURS), ("stock", stock, STOCK)])
        figures["levels"], stock_figures["levels"] = levels["ours"], levels["stock"]
        figures["stored_messages"] = stored_messages(
            f"sqlite:///{stack.env['BACKCARE_TRACKER_DB']}", figures["levels"])
        print(f"ours: user messages in SQLite {figures['stored_messages']}", flush=True)
        sweeps = length_sweeps([("ours", stack.url, OURS_SWEEP), ("stock", stock, STOCK_SWEEP)])
        figures["length_sweep_ms"] = sweeps["ours"]
        stock_figures["length_sweep_ms"] = sweeps["stock"]
        print(f"length sweep, the bots taking turns: {sweeps}", flush=True)
        figures["isolation"] = asyncio.run(isolation(stack.url))
        print(f"ours: long-message isolation {figures['isolation']}", flush=True)
        figures["memory_mb"] = {"rasa_server": memory_mb(stack.processes["rasa"].pid),
                                "action_server": memory_mb(stack.processes["actions"].pid)}
    finally:
        stack.stop_all()
    return stock_figures


def bench_prod(env: Dict[str, str], workdir: Path, model: Path, stock: str) -> Dict:
    """The `make prod` setup: load through nginx, taking turns with the stock bot.

    nginx, two Rasa servers, PostgreSQL and Redis, as `make prod` starts them.
    Skipped, with the reason, where PostgreSQL, Redis or nginx are not here.
    """
    from tests.services import SERVICES, fresh_postgres_database, reachable

    missing = [name for name, port in SERVICES.items() if not reachable(port)]
    if not Path("/usr/sbin/nginx").exists():
        missing.append("nginx")
    if missing:
        return {"skipped": f"{' and '.join(missing)} not available"}
    fresh_postgres_database("backcare_bench")
    env = {**env, "BACKCARE_ENV": "staging", "MODEL": str(model),
           "POSTGRES_DB": "backcare_bench", "POSTGRES_USER": "postgres",
           "POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": "5432", "REDIS_DB": "6",
           "BACKCARE_CLINIC_PROFILE": str(workdir / "no-clinic.yml"),
           **{name: str(free_port()) for name in ("PROXY_PORT", "RASA_PORT", "RASA_PORT_2",
                                                   "ACTION_PORT", "WEB_PORT", "CONSOLE_PORT")}}
    prod = ProductionStack(workdir / "prod", env, "scripts/prod.sh")
    figures: Dict = {"setup": "nginx + 2 Rasa servers + PostgreSQL + Redis (make prod)"}
    try:
        prod.wait_until_running()
        first_answer(prod.url)
        levels = side_by_side([("prod", prod.url, OURS), ("stock", stock, STOCK)])
        figures["levels"], figures["stock_levels"] = levels["prod"], levels["stock"]
        figures["stored_messages"] = stored_messages(
            "postgresql://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/{POSTGRES_DB}"
            .format(**env), figures["levels"])
        print(f"prod: user messages in PostgreSQL {figures['stored_messages']}", flush=True)
        pid_files = list((prod.var / "prod").glob("*.pid"))
        figures["memory_mb"] = {f.stem: memory_mb(int(f.read_text())) for f in pid_files}
        figures["processes"] = len(pid_files)
    finally:
        prod.ctrl_c()
    return figures


def bench_all(env: Dict[str, str], workdir: Path, args: argparse.Namespace) -> Dict:
    """Train both bots, then load each BackCare setup taking turns with the stock bot."""
    stock = train_stock(env, workdir, args.stock_model)
    ours = train_ours(env, workdir, args.ours_model)
    with stock_server(env, workdir, stock) as (stock_url, process):
        stock.update(bench_ours(ours, workdir, stock_url))
        prod = bench_prod(env, workdir, Path(ours["model"]), stock_url)
        stock["memory_mb"] = {"rasa_server": memory_mb(process.pid)}
    return {"ours": ours, "prod": prod, "stock": stock}


def level(report: Dict, name: str, concurrency: int) -> Dict:
    """One load level of one bot."""
    return next(lv for lv in report[name]["levels"] if lv["concurrency"] == concurrency)


def stock_level(report: Dict, setup: str, concurrency: int) -> Dict:
    """The stock bot's load level measured taking turns with a BackCare setup."""
    levels = report["prod"]["stock_levels"] if setup == "prod" else report["stock"]["levels"]
    return next(lv for lv in levels if lv["concurrency"] == concurrency)


def best_throughput_ratio(report: Dict, concurrency: int) -> float:
    """The faster BackCare setup's turns/s over the stock bot's, at one level.

    Each setup (one server, make prod's) is divided by the stock bot's figure
    measured taking turns with it.
    """
    setups = ["ours"] + (["prod"] if "levels" in report.get("prod", {}) else [])
    return max(level(report, name, concurrency)["turns_per_second"]
               / stock_level(report, name, concurrency)["turns_per_second"]
               for name in setups)


def sweep_growth(figures: Dict) -> float:
    """How much slower turn 400 is than turn 1 of one conversation."""
    sweep = figures["length_sweep_ms"]
    return sweep[str(SWEEP_MARKS[-1])] / sweep[str(SWEEP_MARKS[0])]


def total_memory(figures: Dict) -> float:
    """Resident memory of all of a bot's servers, MB."""
    return sum(part["rss"] for part in figures["memory_mb"].values())


def not_stored_once(figures: Dict) -> int:
    """User messages of the load levels lost or stored twice."""
    return figures["stored_messages"]["lost"] + figures["stored_messages"]["doubled"]


def check_targets(report: Dict) -> List[Dict]:
    """Each target of the issue with the measured value and whether it holds."""
    prod_ran = "levels" in report.get("prod", {})
    single = level(report, "ours", 1)["latency_ms"]["custom_action"]["p95"]
    stock_plain = level(report, "stock", 1)["latency_ms"]["plain"]["p95"]
    values = [
        single,
        single / stock_plain,
        level(report, "ours", 10)["turns_per_second"],
        level(report, "ours", 10)["errors"],
        level(report, "ours", 50)["errors"],
        report["ours"]["train_full_seconds"],
        report["ours"]["startup_seconds"]["both"],
        total_memory(report["ours"]),
        sweep_growth(report["ours"]) / sweep_growth(report["stock"]),
        best_throughput_ratio(report, 10),
        best_throughput_ratio(report, 50),
        total_memory(report["prod"]) if prod_ran else None,
        sum(lv["errors"] for lv in report["prod"]["levels"]) if prod_ran else None,
        not_stored_once(report["ours"]),
        not_stored_once(report["prod"]) if prod_ran else None,
    ]
    checked = []
    for (figure, limit, way), value in zip(TARGETS, values, strict=True):
        holds = None if value is None else (value <= limit if way == "below" else value >= limit)
        checked.append({"figure": figure, "target": limit, "way": way, "value": value,
                        "holds": holds})
    return checked


def fmt(value, digits: int = 1) -> str:
    """A number for the table, or a dash when it was not measured."""
    return "-" if value is None else f"{value:.{digits}f}"


def ratio(a, b) -> str:
    """The ratio of two figures for the table."""
    return "-" if a is None or not b else f"{a / b:.2f}"


def table(report: Dict) -> str:
    """Markdown tables: latency and throughput, one-off figures, targets."""
    ours, stock = report["ours"], report["stock"]
    rows = [f"Machine: {report['machine']['cpu_count']} CPUs, {report['machine']['cpu']}; "
            f"Rasa {report['machine']['rasa']}, Python {report['machine']['python']}.", "",
            "| concurrent | turn | ours p50 / p95 / p99 (ms) | stock plain p50 / p95 / p99 (ms) "
            "| p95 ours / stock | turns/s ours / stock | errors ours / stock |",
            "|---|---|---|---|---|---|---|"]
    for mine in ours["levels"]:
        theirs = level(report, "stock", mine["concurrency"])
        base = theirs["latency_ms"]["plain"]
        for kind, lat in mine["latency_ms"].items():
            rows.append(
                f"| {mine['concurrency']} | {kind} | {lat['p50']:.0f} / {lat['p95']:.0f} / "
                f"{lat['p99']:.0f} | {base['p50']:.0f} / {base['p95']:.0f} / {base['p99']:.0f} "
                f"| {ratio(lat['p95'], base['p95'])} | {mine['turns_per_second']:.1f} / "
                f"{theirs['turns_per_second']:.1f} | {mine['errors']} / {theirs['errors']} |")
    rows += ["", "| figure | ours | stock | ours / stock |", "|---|---|---|---|"]
    pairs = [
        ("full training (s)", ours["train_full_seconds"], stock["train_full_seconds"]),
        ("retraining after an NLU-only change (s)", ours["retrain_nlu_change_seconds"], None),
        ("startup: action server ready (s)", ours["startup_seconds"]["action_server"], None),
        ("startup: Rasa server to first answer (s)", ours["startup_seconds"]["rasa_server"],
         stock["startup_seconds"]["rasa_server"]),
        ("memory: Rasa server, resident after load (MB)",
         ours["memory_mb"]["rasa_server"]["rss"], stock["memory_mb"]["rasa_server"]["rss"]),
        ("memory: action server, resident after load (MB)",
         ours["memory_mb"]["action_server"]["rss"], None),
        ("memory: all servers (MB)", total_memory(ours), total_memory(stock)),
    ]
    for label, a, b in pairs:
        rows.append(f"| {label} | {fmt(a)} | {fmt(b)} | {ratio(a, b)} |")
    if "isolation" in ours:
        iso = ours["isolation"]
        rows += ["", "Long messages (3 of 100 KB, 3 of 1,999 characters) while 20 ordinary "
                 f"turns run: ordinary p50 {iso['ordinary_p50_s'] * 1000:.0f} ms, p95 "
                 f"{iso['ordinary_p95_s'] * 1000:.0f} ms, max {iso['ordinary_max_s'] * 1000:.0f} "
                 f"ms; over-long answered within {iso['over_long_max_s'] * 1000:.0f} ms."]
    prod = report.get("prod", {})
    if "levels" in prod:
        rows += ["", f"make prod's setup ({prod['setup']}; `make run` starts it when PostgreSQL "
                 "and Redis are configured), load through nginx:", "",
                 "| concurrent | turns/s prod / stock (taking turns with prod) "
                 "| custom-action p95 prod (ms) | errors prod |", "|---|---|---|---|"]
        for mine in prod["levels"]:
            n = mine["concurrency"]
            rows.append(f"| {n} | {mine['turns_per_second']:.1f} / "
                        f"{stock_level(report, 'prod', n)['turns_per_second']:.1f} | "
                        f"{mine['latency_ms']['custom_action']['p95']:.0f} | {mine['errors']} |")
        rows.append(f"\nMemory of everything make prod starts ({prod['processes']} processes): "
                    f"{total_memory(prod):.0f} MB.")
    else:
        rows += ["", f"make prod's setup: not measured ({prod.get('skipped', 'not run')})."]
    rows += ["", f"One conversation of {SWEEP_TURNS} turns: median turn (ms) near each mark.", "",
             "| bot | " + " | ".join(f"turn {m}" for m in SWEEP_MARKS) + " | 400 / 1 |",
             "|---" * (len(SWEEP_MARKS) + 2) + "|"]
    for name in ("ours", "stock"):
        sweep = report[name]["length_sweep_ms"]
        rows.append(f"| {name} | " + " | ".join(f"{sweep[str(m)]:.0f}" for m in SWEEP_MARKS)
                    + f" | {sweep_growth(report[name]):.2f} |")
    rows += ["", "| target | limit | measured | holds |", "|---|---|---|---|"]
    for target in report["targets"]:
        sign = "≤" if target["way"] == "below" else "≥"
        holds = {True: "yes", False: "**no**", None: "not measured"}[target["holds"]]
        rows.append(f"| {target['figure']} | {sign} {target['target']} | "
                    f"{fmt(target['value'], 2)} | {holds} |")
    return "\n".join(rows)


def plot(report: Dict) -> None:
    """p95 latency against concurrency for each turn kind, both bots."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4.5))
    for name, style in (("ours", "-"), ("stock", "--")):
        for kind in report[name]["levels"][0]["latency_ms"]:
            xs = [lv["concurrency"] for lv in report[name]["levels"]]
            ys = [lv["latency_ms"][kind]["p95"] for lv in report[name]["levels"]]
            axis.plot(xs, ys, style, marker="o", label=f"{name}: {kind}")
    axis.axhline(100, color="grey", linewidth=0.8, linestyle=":", label="100 ms")
    axis.set_xlabel("concurrent conversations")
    axis.set_ylabel("p95 latency per turn (ms)")
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xticks(LEVELS, [str(x) for x in LEVELS])
    axis.grid(True, alpha=0.3)
    axis.legend(fontsize=8)
    axis.set_title(f"BackCare vs stock Rasa, REST channel, "
                   f"{report['machine']['cpu_count']} CPUs")
    figure.tight_layout()
    figure.savefig(OUT / "bench-latency.png", dpi=110)


def machine() -> Dict:
    """What the figures were measured on."""
    import rasa

    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpu_count": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "rasa": rasa.__version__, "load_average_at_start": os.getloadavg()}


def parse_args() -> argparse.Namespace:
    """Options for quick runs while working on performance."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ours-model", type=Path,
                        help="serve this trained BackCare model instead of training one")
    parser.add_argument("--stock-model", type=Path,
                        help="serve this trained stock model instead of training one")
    return parser.parse_args()


def main() -> int:
    """Run everything and write the three outputs."""
    args = parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT),
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    report: Dict = {"machine": machine()}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="backcare-bench-") as tmp:
        workdir = Path(tmp)
        try:
            report.update(bench_all(env, workdir, args))
        except Exception:
            keep = OUT / "bench-logs"
            shutil.copytree(workdir, keep, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("ours", "stock", "cache-*"))
            print(f"bench failed; logs kept in {keep}", file=sys.stderr)
            raise
    report["bench_seconds"] = time.monotonic() - started
    report["targets"] = check_targets(report)
    (OUT / "bench.json").write_text(json.dumps(report, indent=2))
    markdown = table(report)
    (OUT / "bench.md").write_text(markdown + "\n")
    plot(report)
    print(markdown)
    print(f"\nwrote {OUT}/bench.json, bench.md, bench-latency.png "
          f"in {report['bench_seconds']:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
