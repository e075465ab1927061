"""`plan` as configurations grow: N instances of the module written as N separate blocks, as one block
with count or with for_each, beside N `data "http"` POSTs written the same way, and the module's
interface alone (the floor). The cost of each block past the first shows whether growth is linear."""

import time
from dataclasses import dataclass
from pathlib import Path

from bench.configs import http_config, module_config
from bench.measure import Failed, Row, progress
from bench.modules import interface_floor
from bench.workload import MODULE, Workload

ROWS = {
    "http": '`data "http"` POSTs (the baseline)',
    "floor": "the module's interface alone (its variables and outputs; no rules), a no-op program: the floor",
    "noop": "the module, a no-op program instead of the helper",
    "warm": "the module, warm: answers cached, worker running",
    "copied": "the module, warm, by absolute path: a copy per block, whose program finds the helper",
    "cold": "the module, cold: empty cache, no worker",
}

Key = tuple[str, str, int, str]  # tool, form, size, row


@dataclass
class Options:
    tools: list[str]
    forms: list[str]
    sizes: list[int]
    runs: int
    cold_max: int  # cold rows at these sizes and below
    copied: bool  # also the module by absolute path (Terraform installs a copy of the folder per block)


def growth_rows(workload: Workload, options: Options) -> dict[Key, Row]:
    """Every (tool, form, size, row) is planned once per round, in the same order each round."""
    floor = interface_floor(MODULE, workload.workdir / "modules" / "interface-floor")
    noop = str(workload.noop_program())
    directories: dict[tuple[str, str, int], dict[str, Path]] = {}
    for size in options.sizes:
        for tool in options.tools:
            for form in options.forms:
                module, floor_source = workload.source(tool, MODULE), workload.source(tool, floor)
                texts = {
                    "http": http_config(form, size, workload.server.base_url),
                    "floor": module_config(form, size, floor_source, python=noop),
                    "noop": module_config(form, size, module, python=noop),
                    "module": module_config(form, size, module),
                }
                if options.copied:
                    texts["copied"] = module_config(form, size, str(MODULE))
                directories[tool, form, size] = {
                    name: workload.config(tool, f"{form}-{name}-{size}", text) for name, text in texts.items()
                }
                for directory in directories[tool, form, size].values():
                    workload.init(tool, directory)
    rows: dict[Key, Row] = {}
    for tool, form, size in directories:
        for name, label in ROWS.items():
            if (name != "cold" or size <= options.cold_max) and (name != "copied" or options.copied):
                rows[tool, form, size, name] = Row(label)
    for (tool, form, size), folders in directories.items():
        if size > options.cold_max:  # no cold plan fills the cache before the warm one
            workload.plan(tool, folders["module"], f"{tool} {form} {size}: answers cached", None)
        if options.copied:
            workload.plan(tool, folders["copied"], f"{tool} {form} {size}: answers cached (copied)", None)
    started = time.monotonic()
    for round_number in range(1, options.runs + 1):
        for (tool, form, size), folders in directories.items():
            label = f"round {round_number}/{options.runs}, {tool}, {form} {size}"
            for name, calls in (("http", size), ("floor", 0), ("noop", 0)):
                rows[tool, form, size, name].samples.append(
                    workload.plan(tool, folders[name], f"{label}: {name}", calls)
                )
            if size <= options.cold_max:
                workload.forget_answers(folders["module"])
                rows[tool, form, size, "cold"].samples.append(
                    workload.plan(tool, folders["module"], f"{label}: cold", size)
                )
            else:
                workload.ensure_worker()
            workers = set(workload.worker_pids())
            rows[tool, form, size, "warm"].samples.append(workload.plan(tool, folders["module"], f"{label}: warm", 0))
            if options.copied:
                rows[tool, form, size, "copied"].samples.append(
                    workload.plan(tool, folders["copied"], f"{label}: warm, copied", 0)
                )
            if set(workload.worker_pids()) - workers:
                raise Failed(f"bench: {label}: a warm plan started a worker: it was not warm")
        minutes = (time.monotonic() - started) / 60
        progress(f"growth: round {round_number}/{options.runs} done, {minutes:.1f} minutes so far")
    workload.stop_workers()
    return rows
