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
from typing import Dict, Optional

from backcare_stack.stack import ProductionStack, Stack, free_port, wait_for
from scripts.evaluate.bench_load import (
    first_answer,
    length_sweeps,
    memory_mb,
    side_by_side,
    stored_messages,
    timed,
)
from scripts.evaluate.bench_report import check_targets, plot, table
from scripts.evaluate.isolation import isolation

ROOT = Path(__file__).resolve().parents[2]
RASA = str(ROOT / ".venv" / "bin" / "rasa")
OUT = ROOT / "reports"  # bench.json, bench.md, bench-latency.png (bench-logs/ if it fails)
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
OURS_SWEEP = ["any tips?", "thanks", "is massage safe for me?", "how much does massage cost?"]
STOCK_SWEEP = ["I am feeling great", "hello"]


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
    from backcare_stack.services import SERVICES, fresh_postgres_database, reachable

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
    prod = ProductionStack(workdir / "prod", env, "scripts/operate/prod.sh")
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
        pids = prod.pids()
        # supervisord's own memory: its children are the programs, counted each.
        figures["memory_mb"] = {name: memory_mb(pid, children=name != "supervisord")
                                for name, pid in pids.items()}
        figures["processes"] = len(pids)
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
    plot(report, OUT / "bench-latency.png")
    print(markdown)
    print(f"\nwrote {OUT}/bench.json, bench.md, bench-latency.png "
          f"in {report['bench_seconds']:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
