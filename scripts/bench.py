"""`make bench`: speed and memory of BackCare, side by side with a stock Rasa bot.

Measures on this machine, in one run: full training and NLU-only retraining;
startup to first answer; per-turn latency through the REST channel (p50, p95,
p99) for a plain response, a custom-action turn and a form step, at 1, 10 and
50 concurrent conversations, with throughput and errors; resident memory of
the Rasa server and the action server. The stock bot is the one `rasa init`
creates, trained and served here too. Load goes to 127.0.0.1 only, bounded in
turns. Writes reports/bench/bench.json, bench.md and latency.png.
"""

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.stack import Stack, free_port, wait_for  # noqa: E402

RASA = str(ROOT / ".venv" / "bin" / "rasa")
OUT = ROOT / "reports" / "bench"
LEVELS = [1, 10, 50]
CYCLES = {1: 12, 10: 4, 50: 2}  # conversation cycles per level (4 measured turns each)
OURS = [("plain", "thanks a lot"), ("custom_action", "any tips?"),
        ("form_step", "walk me through it"), ("form_step", "no"), ("plain", "stop")]
STOCK = [("plain", "hello"), ("plain", "I am feeling great")]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    pids = [pid] + [int(p) for p in subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def timed(args: List[str], cwd: Path, env: Dict[str, str]) -> float:
    """Run a command; its wall time in seconds."""
    started = time.monotonic()
    subprocess.run(args, cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def percentiles(values: List[float]) -> Dict[str, float]:
    """p50, p95, p99 in milliseconds."""
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "n": 0}
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "n": len(values)}


async def conversation(client: httpx.AsyncClient, url: str, sender: str, script, cycles: int,
                       results: Dict[str, List[float]], errors: List[str]) -> int:
    """One conversation: a warm-up turn, then the script `cycles` times."""
    turns = 0
    await client.post(url, json={"sender": sender, "message": "hello"})
    for _ in range(cycles):
        for kind, text in script:
            started = time.perf_counter()
            try:
                response = await client.post(url, json={"sender": sender, "message": text})
                ok = response.status_code == 200 and response.json()
            except httpx.HTTPError as error:
                ok, response = False, error
            elapsed = (time.perf_counter() - started) * 1000
            turns += 1
            if ok:
                results.setdefault(kind, []).append(elapsed)
            else:
                errors.append(f"{kind}: {response}")
    return turns


async def load(base: str, script, level: int) -> Dict:
    """`level` concurrent conversations; latency per kind, throughput, errors."""
    url = f"{base}/webhooks/rest/webhook"
    results: Dict[str, List[float]] = {}
    errors: List[str] = []
    limits = httpx.Limits(max_connections=level + 5)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started = time.perf_counter()
        turns = await asyncio.gather(*[
            conversation(client, url, f"bench-{level}-{i}-{time.time_ns()}", script,
                         CYCLES[level], results, errors) for i in range(level)])
        wall = time.perf_counter() - started
    return {"concurrency": level, "turns": sum(turns), "seconds": wall,
            "turns_per_second": sum(turns) / wall, "errors": len(errors),
            "latency_ms": {kind: percentiles(values) for kind, values in results.items()}}


def serve_and_measure(name: str, stack_start, base_url: str, script, pids) -> Dict:
    """Start a bot, time its startup, run the load levels, read memory."""
    started = time.monotonic()
    stack_start()
    httpx.post(f"{base_url}/webhooks/rest/webhook",
               json={"sender": "startup", "message": "hello"}, timeout=120).raise_for_status()
    startup = time.monotonic() - started
    levels = [asyncio.run(load(base_url, script, level)) for level in LEVELS]
    memory = {label: rss_mb(pid) for label, pid in pids().items()}
    print(f"{name}: startup {startup:.1f}s, memory {memory}", flush=True)
    return {"startup_seconds": startup, "levels": levels, "memory_mb": memory}


def bench_ours(env: Dict[str, str], workdir: Path) -> Dict:
    """Train BackCare from scratch, retrain after an NLU change, serve and load it."""
    project = workdir / "ours"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".venv", ".git", "models", "reports", "results", "var", ".rasa", "node_modules"))
    env = {**env, "RASA_CACHE_DIRECTORY": str(workdir / "cache-ours")}
    full = timed([RASA, "train", "--out", "models", "--fixed-model-name", "backcare"],
                 project, env)
    with (project / "data" / "nlu" / "chitchat.yml").open("a") as handle:
        handle.write("- intent: greet\n  examples: |\n    - hello from the benchmark\n")
    nlu_only = timed([RASA, "train", "--out", "models", "--fixed-model-name", "backcare"],
                     project, env)
    stack = Stack(workdir)
    result = serve_and_measure(
        "ours", stack.start, stack.url, OURS,
        lambda: {"rasa_server": stack.processes["rasa"].pid,
                 "action_server": stack.processes["actions"].pid})
    stack.stop_all()
    return {"train_full_seconds": full, "retrain_nlu_change_seconds": nlu_only, **result}


def bench_stock(env: Dict[str, str], workdir: Path) -> Dict:
    """`rasa init`, then train again from scratch (timed), serve and load it."""
    project = workdir / "stock"
    env = {**env, "RASA_CACHE_DIRECTORY": str(workdir / "cache-stock")}
    subprocess.run([RASA, "init", "--no-prompt", "--init-dir", str(project)], env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(workdir / "cache-stock", ignore_errors=True)
    full = timed([RASA, "train", "--force", "--out", "models", "--fixed-model-name", "stock"],
                 project, env)
    port = free_port()
    log = (workdir / "stock.log").open("wb")
    process: Optional[subprocess.Popen] = None

    def start() -> None:
        nonlocal process
        process = subprocess.Popen(
            [RASA, "run", "--model", "models/stock.tar.gz", "--port", str(port)], cwd=project,
            env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_for(f"http://127.0.0.1:{port}/", process, workdir / "stock.log")

    result = serve_and_measure("stock", start, f"http://127.0.0.1:{port}", STOCK,
                               lambda: {"rasa_server": process.pid})
    process.terminate()
    process.wait(timeout=30)
    return {"train_full_seconds": full, **result}


def table(report: Dict) -> str:
    """Markdown table of the main figures, ours next to stock."""
    ours, stock = report["ours"], report["stock"]
    stock_plain = {lv["concurrency"]: lv["latency_ms"]["plain"] for lv in stock["levels"]}
    rows = ["| concurrency | kind | ours p50 / p95 / p99 (ms) | stock plain p50 / p95 (ms) "
            "| ours p95 / stock p95 | ours turns/s | ours errors |",
            "|---|---|---|---|---|---|---|"]
    for level in ours["levels"]:
        base = stock_plain[level["concurrency"]]
        for kind, lat in level["latency_ms"].items():
            ratio = lat["p95"] / base["p95"] if base["p95"] else 0
            rows.append(f"| {level['concurrency']} | {kind} | {lat['p50']:.0f} / {lat['p95']:.0f}"
                        f" / {lat['p99']:.0f} | {base['p50']:.0f} / {base['p95']:.0f} "
                        f"| {ratio:.2f} | {level['turns_per_second']:.1f} | {level['errors']} |")
    memory = sum(ours["memory_mb"].values())
    rows += ["", "| figure | ours | stock | ratio |", "|---|---|---|---|"]
    for label, a, b in [
        ("full training (s)", ours["train_full_seconds"], stock["train_full_seconds"]),
        ("startup to first answer (s)", ours["startup_seconds"], stock["startup_seconds"]),
        ("resident memory, all servers (MB)", memory, sum(stock["memory_mb"].values())),
    ]:
        rows.append(f"| {label} | {a:.1f} | {b:.1f} | {a / b:.2f} |")
    rows.append(f"| retraining after an NLU-only change (s) | "
                f"{ours['retrain_nlu_change_seconds']:.1f} | - | - |")
    return "\n".join(rows)


def plot(report: Dict) -> None:
    """Latency (p95) against concurrency for each turn kind."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4.5))
    for name in ("ours", "stock"):
        kinds = report[name]["levels"][0]["latency_ms"].keys()
        for kind in kinds:
            xs = [lv["concurrency"] for lv in report[name]["levels"]]
            ys = [lv["latency_ms"][kind]["p95"] for lv in report[name]["levels"]]
            axis.plot(xs, ys, marker="o", label=f"{name}: {kind}")
    axis.set_xlabel("concurrent conversations")
    axis.set_ylabel("p95 latency per turn (ms)")
    axis.set_xscale("log")
    axis.set_xticks(LEVELS, [str(x) for x in LEVELS])
    axis.grid(True, alpha=0.3)
    axis.legend()
    axis.set_title(f"BackCare vs stock Rasa, REST channel, {os.cpu_count()} CPUs")
    figure.tight_layout()
    figure.savefig(OUT / "latency.png", dpi=110)


def main() -> int:
    """Run everything and write the three outputs."""
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT),
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="backcare-bench-") as tmp:
        workdir = Path(tmp)
        report = {"cpu_count": os.cpu_count(), "ours": bench_ours(env, workdir),
                  "stock": bench_stock(env, workdir)}
    report["bench_seconds"] = time.monotonic() - started
    (OUT / "bench.json").write_text(json.dumps(report, indent=2))
    markdown = table(report)
    (OUT / "bench.md").write_text(markdown + "\n")
    plot(report)
    print(markdown)
    print(f"\nwrote {OUT}/bench.json, bench.md, latency.png in {report['bench_seconds']:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
