"""make bench's load: simulated people through the REST channel, timed.

Levels of 1, 10 and 50 people at once, the bots taking turns block by block
(side_by_side), one long conversation per bot (length_sweeps), resident memory,
and the check that every message the load sent was stored once (stored_messages).
Load goes to 127.0.0.1 only and is bounded in turns and in time.
"""

import asyncio
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Tuple

import httpx

LEVELS = [1, 10, 50]
# Turns each level sends, the same for every bot: the simulated people have as
# many conversations, one after another, as that takes. Short levels made the
# ratios noise (the stock bot's 10-level used to last under 3 s). At 1, 700 turns
# give 200 custom-action turns of ours, so its p95 is not one of a few slow turns.
LEVEL_TURNS = {1: 700, 10: 1120, 50: 1400}
BLOCKS = 4  # blocks per bot and level, the bots taking turns (side_by_side)
LEVEL_TIMEOUT = 300  # seconds; a level that takes longer counts its unfinished turns as errors
# Length sweep: one conversation of SWEEP_TURNS turns; the median turn near each mark.
SWEEP_TURNS = 400
SWEEP_MARKS = [1, 50, 100, 200, 400]
SWEEP_WINDOW = 20  # turns up to each mark (turn 1: turns 1-20, after the greeting), as in issue 18


def memory_mb(pid: int, children: bool = True) -> Dict[str, float]:
    """Current and peak resident memory of a process (and its children), in MB."""
    current = peak = 0
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    for one in [pid] + ([int(p) for p in found.split()] if children else []):
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
