"""`plan` of one module block with count = N: where the time goes (stand-ins for the helper, cold and
warm, the worker exited or off, answers in an object store), beside N `data "http"` POSTs."""

from dataclasses import dataclass

from bench.configs import external_config, http_config, module_config
from bench.measure import Row, progress
from bench.workload import MODULE, Workload

SHAPE_FLOOR = "the module running a Python that only prints a stored answer (the floor of the shape)"


@dataclass
class Options:
    sizes: list[int]
    runs: int
    in_process: bool


def instance_rows(workload: Workload, tool: str, options: Options) -> dict[int, list[Row]]:
    """Per size, rows in table order: the baseline first; the rows below SHAPE_FLOOR are the module's."""
    source = workload.source(tool, MODULE)
    noop_python = str(workload.noop_program())
    printing_python = str(workload.printing_python())
    table: dict[int, list[Row]] = {}
    for count in options.sizes:
        configs = {
            "http": http_config("count", count, workload.server.base_url),
            "external": external_config("count", count, noop_python),
            "external-python": external_config("count", count, printing_python),
            "noop": module_config("count", count, source, python=noop_python),
            "python": module_config("count", count, source, python=printing_python),
            "module": module_config("count", count, source),
        }
        if workload.store is not None:
            configs["store"] = module_config("count", count, source, cache_url=workload.store_url(f"{tool}-{count}"))
        directories = {name: workload.config(tool, f"count-{name}-{count}", text) for name, text in configs.items()}
        for directory in directories.values():
            workload.init(tool, directory)
        rows = [
            Row('`data "http"` POSTs (the baseline)'),
            Row('`data "external"` running a no-op program, no module'),
            Row('`data "external"` running a Python that only prints a stored answer, no module'),
            Row("the module running a no-op program instead of Python"),
            Row(SHAPE_FLOOR),
            Row("the module, cold: empty cache, no worker"),
            Row("the module, warm: cache filled, worker running"),
            Row("the module, warm: cache filled, worker exited"),
        ]
        if options.in_process:
            rows += [
                Row("the module, cold, worker off (in-process)"),
                Row("the module, warm, worker off (in-process)"),
            ]
        store_dir = directories.get("store")
        if store_dir is not None:
            rows += [
                Row("the module, warm, answers read from the object store (local folder empty)"),
                Row("the module, warm, answers in the local folder, cache_url set"),
            ]
            progress(f"{tool} plan, {count} instances: storing the answers in the object store")
            workload.plan(tool, store_dir, f"{tool} plan, {count} instances: store filled", count)
        module_dir = directories["module"]
        for round_number in range(1, options.runs + 1):
            label = f"{tool} plan, count = {count}, round {round_number}/{options.runs}"
            plans = [
                (rows[0], "http", "data http", count),
                (rows[1], "external", "data external, no-op", 0),
                (rows[2], "external-python", "data external, Python", 0),
                (rows[3], "noop", "module, no-op", 0),
                (rows[4], "python", "module, printing Python", 0),
            ]
            for row, name, what, calls in plans:
                row.samples.append(workload.plan(tool, directories[name], f"{label}: {what}", calls))
            workload.forget_answers(module_dir)
            rows[5].samples.append(workload.plan(tool, module_dir, f"{label}: cold", count))
            workload.record_worker_peak()
            rows[6].samples.append(workload.plan(tool, module_dir, f"{label}: warm", 0))
            workload.stop_workers()
            rows[7].samples.append(workload.plan(tool, module_dir, f"{label}: warm, worker exited", 0))
            if options.in_process:
                off = {**workload.env, "CHAT_HELPER_WORKER": "off"}
                workload.forget_answers(module_dir)
                rows[8].samples.append(workload.plan(tool, module_dir, f"{label}: cold, worker off", count, off))
                rows[9].samples.append(workload.plan(tool, module_dir, f"{label}: warm, worker off", 0, off))
            if store_dir is not None:
                workload.plan(tool, store_dir, f"{label}: store, worker started", 0)  # a warm worker
                workload.empty_cache(store_dir)
                rows[-2].samples.append(workload.plan(tool, store_dir, f"{label}: warm, from the store", 0))
                rows[-1].samples.append(workload.plan(tool, store_dir, f"{label}: warm, store set", 0))
        table[count] = rows
    workload.stop_workers()
    return table
