"""`plan` of N separate blocks of a small synthetic module, and of it with K of one part added
(variables, validations, preconditions, outputs, locals): each part's cost per block, measured in the
same run, beside the module's interface alone and the module itself, all running a no-op program."""

import time
from dataclasses import dataclass

from bench.configs import module_config
from bench.measure import Row, progress
from bench.modules import PARTS, interface_floor, synthetic
from bench.workload import MODULE, Workload

BASE_LABEL = "the synthetic base: 3 variables, one data source, one local, one output"
FLOOR_LABEL = "the module's interface alone (its variables and outputs; no rules)"
MODULE_LABEL = "the module (running the same no-op program)"


@dataclass
class Options:
    tools: list[str]
    size: int
    k: int
    runs: int


def parts_rows(workload: Workload, options: Options) -> dict[tuple[str, str], Row]:
    """Rows by (tool, name): "base", each of PARTS, "floor" and "module"."""
    folders = {"base": synthetic(workload.workdir / "modules" / "part-base", None, options.k)}
    for part in PARTS:
        folders[part] = synthetic(workload.workdir / "modules" / f"part-{part}", part, options.k)
    folders["floor"] = interface_floor(MODULE, workload.workdir / "modules" / "interface-floor")
    folders["module"] = MODULE
    labels = {"base": BASE_LABEL, **{part: f"the base, {options.k} {part} more" for part in PARTS}}
    labels["validations"] = f"the base, {options.k} variables more, each with one validation"
    labels |= {"floor": FLOOR_LABEL, "module": MODULE_LABEL}
    noop = str(workload.noop_program())
    directories = {}
    for tool in options.tools:
        for name, folder in folders.items():
            text = module_config("separate", options.size, workload.source(tool, folder), python=noop)
            directories[tool, name] = workload.config(tool, f"parts-{name}-{options.size}", text)
            workload.init(tool, directories[tool, name])
    rows = {key: Row(labels[key[1]]) for key in directories}
    started = time.monotonic()
    for round_number in range(1, options.runs + 1):
        for (tool, name), directory in directories.items():
            label = f"parts round {round_number}/{options.runs}, {tool}, {options.size} blocks: {name}"
            rows[tool, name].samples.append(workload.plan(tool, directory, label, 0))
        minutes = (time.monotonic() - started) / 60
        progress(f"parts: round {round_number}/{options.runs} done, {minutes:.1f} minutes so far")
    return rows
