"""Many prompts: N questions as one modules/chat_completions block, as N separate chat_completion blocks
and as N separate `data "http"` POSTs, warm (every answer cached) and cold (empty cache, no worker),
with the loopback server answering at once and after a real model's latency."""

import time
from dataclasses import dataclass
from pathlib import Path

from bench.configs import http_config, many_config, module_config
from bench.measure import Row, progress
from bench.workload import REPO_ROOT, Workload

MANY_MODULE = REPO_ROOT / "modules" / "chat_completions"
SINGLE_MODULE = REPO_ROOT / "modules" / "chat_completion"
WIDE = 50  # the max_concurrency the cold target names, beside the module's default
ROWS = {  # the column headers of the tables
    "http": '`data "http"`',
    "separate-warm": "N blocks, warm",
    "separate-cold": "N blocks, cold",
    "many-warm": "one block, warm",
    "many-cold": "one block, cold",
    "many-cold-wide": f"one block, cold, {WIDE} at once",
}
LEGEND = (
    '`data "http"`: N separate hashicorp/http POSTs, which Terraform reads 10 at a time (the baseline); '
    "N blocks: N separate modules/chat_completion blocks; one block: one modules/chat_completions block of N "
    "requests, its defaults (a window that adapts to the rate limits, at most max_concurrency = 256), or "
    f"max_concurrency = {WIDE}. Warm: every answer cached, the "
    "worker running; cold: empty cache, no worker."
)

Key = tuple[str, float, int, str]  # tool, latency, size, row


@dataclass
class Options:
    tools: list[str]
    sizes: list[int]
    latencies: list[float]  # seconds
    runs: int


def many_rows(workload: Workload, options: Options) -> dict[Key, Row]:
    """Every (tool, latency, size, row) planned once per round, interleaved, in the same order each round."""
    directories: dict[tuple[str, int], dict[str, Path]] = {}
    for tool in options.tools:
        for size in options.sizes:
            texts = {
                "http": http_config("separate", size, workload.server.base_url),
                "separate": module_config("separate", size, workload.source(tool, SINGLE_MODULE)),
                "many": many_config(size, workload.source(tool, MANY_MODULE)),
                "many-wide": many_config(size, workload.source(tool, MANY_MODULE), WIDE),
            }
            directories[tool, size] = {
                name: workload.config(tool, f"many-{name}-{size}", text) for name, text in texts.items()
            }
            for directory in directories[tool, size].values():
                workload.init(tool, directory)
    rows = {
        (tool, latency, size, name): Row(label)
        for tool, size in directories
        for latency in options.latencies
        for name, label in ROWS.items()
    }
    started = time.monotonic()
    try:
        for round_number in range(1, options.runs + 1):
            for (tool, size), folders in directories.items():
                for latency in options.latencies:
                    label = f"round {round_number}/{options.runs}, {tool}, {size} prompts, {latency * 1000:.0f} ms"
                    _one_round(workload, tool, size, latency, folders, rows, label)
            minutes = (time.monotonic() - started) / 60
            progress(f"many: round {round_number}/{options.runs} done, {minutes:.1f} minutes so far")
    finally:
        workload.server.latency_seconds = 0.0
    workload.stop_workers()
    return rows


def _one_round(
    workload: Workload,
    tool: str,
    size: int,
    latency: float,
    folders: dict[str, Path],
    rows: dict[Key, Row],
    label: str,
) -> None:
    workload.server.latency_seconds = latency
    rows[tool, latency, size, "http"].samples.append(workload.plan(tool, folders["http"], f"{label}: http", size))
    for kind, folder in (("separate", "separate"), ("many", "many"), ("many-wide", "many-wide")):
        workload.forget_answers(folders[folder])
        cold = "many-cold-wide" if kind == "many-wide" else f"{kind}-cold"
        rows[tool, latency, size, cold].samples.append(workload.plan(tool, folders[folder], f"{label}: {cold}", size))
        if kind != "many-wide":  # warm: the same answers again, the worker running
            rows[tool, latency, size, f"{kind}-warm"].samples.append(
                workload.plan(tool, folders[folder], f"{label}: {kind}-warm", 0)
            )
