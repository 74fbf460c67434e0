"""make bench's report: the targets, the Markdown table and the latency plot."""

from pathlib import Path
from typing import Dict, List

from scripts.evaluate.bench_load import LEVELS, SWEEP_MARKS, SWEEP_TURNS

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


def plot(report: Dict, path: Path) -> None:
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
    figure.savefig(path, dpi=110)
