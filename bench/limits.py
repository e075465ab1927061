"""Rate limits: plans against the loopback server metering per model as OpenAI does (testing/rate_meter.py).

Under limits: N keys in one chat_completions block at a tokens-per-minute limit (400 output tokens
each), and N separate chat_completion blocks at a requests-per-minute limit; each plan cold (empty
cache, no worker) with a fresh rate-limit view (the first plan on a machine: nothing known) and a
fresh meter (the account's minute untouched). Beside each, the time the limits allow: the pacing the
buckets force, (N x cost - limit) / (limit / 60), plus the same plan's own time with no limit.

Without limits: a model's latency, an account with headroom (every answer's headers say so), the
module's defaults: one block of N prompts cold, beside N `data "http"` POSTs, the first plan on the
machine and a later one (the view kept); and warm, beside the POSTs at no latency.
"""

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.configs import http_config, module_config
from bench.measure import Row, Sample, progress
from bench.workload import REPO_ROOT, Workload
from testing.rate_meter import Limits, RateMeter

MANY_MODULE = REPO_ROOT / "modules" / "chat_completions"
SINGLE_MODULE = REPO_ROOT / "modules" / "chat_completion"
OUTPUT_TOKENS = 400
BLOCK = """module "many" {{
  source     = "{source}"
  model      = "gpt-4o"
  max_tokens = {max_tokens}
  requests = {{
    for index in range({count}) : "q${{index}}" => {{
      messages = [{{ role = "user", content = "Question ${{index}}" }}]
    }}
  }}
}}
"""


@dataclass
class Options:
    tools: list[str]
    keys: list[int]  # one block of N keys under the token limit
    tokens_per_minute: int
    blocks: int  # separate blocks under the request limit
    requests_per_minute: int
    prompts: int  # the cold case without limits
    latency: float
    runs: int  # of the cold and warm rows (the limited ones run once: each takes minutes)


@dataclass
class Limited:
    label: str
    requests: int
    seconds: float
    allowed: float
    rate_limited: int
    admitted: int


def limits_section(workload: Workload, options: Options, versions: dict[str, str]) -> list[str]:
    output = [
        "",
        f"Rate limits, under them: one plan each, cold, with a fresh rate-limit view (nothing known) and the "
        f"account's minute untouched. The limits allow: the pacing their buckets force, (N x tokens - limit) / "
        f"(limit / 60), plus the same plan's time with no limit. Tokens: each request's estimate as the server "
        f"makes it (characters / 4 + max_tokens = {OUTPUT_TOKENS}).",
        "",
        "| tool | case | requests | wall | the limits allow | ratio | 429s | 429s per request | all answered |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for tool in options.tools:
        for result in _limited_rows(workload, tool, options):
            share = result.rate_limited / max(1, result.requests)
            output.append(
                f"| {tool} {versions[tool]} | {result.label} | {result.requests} | {result.seconds:.1f} s | "
                f"{result.allowed:.1f} s | {result.seconds / result.allowed:.2f}x | {result.rate_limited} | "
                f"{share:.1%} | {'yes' if result.admitted == result.requests else 'no'} |"
            )
    output += [
        "",
        f"Rate limits, none reached: {options.prompts} prompts, the module's defaults, an account with headroom (the "
        f'answers\' headers say so); medians of {options.runs} runs; in brackets the ratio to the `data "http"` POSTs '
        "at the same latency. Cold: empty cache, no worker; first plan: no rate-limit view yet; later plan: the view "
        "of an earlier plan kept. Warm: every answer cached, the worker running.",
        "",
        f'| tool | `data "http"`, {options.latency * 1000:.0f} ms | one block, cold, first plan | one block, cold, '
        'later plan | `data "http"`, 0 ms | one block, warm |',
        "|---|---:|---:|---:|---:|---:|",
    ]
    for tool in options.tools:
        rows = _unlimited_rows(workload, tool, options)
        http, first, later, http_now, warm = (row.median for row in rows)
        output.append(
            f"| {tool} {versions[tool]} | {http:.2f} s | {first:.2f} s ({first / http:.2f}x) | {later:.2f} s "
            f"({later / http:.2f}x) | {http_now:.2f} s | {warm:.2f} s ({warm / http_now:.2f}x) |"
        )
    return output


def _limited_rows(workload: Workload, tool: str, options: Options) -> list[Limited]:
    results = []
    block_source = workload.source(tool, MANY_MODULE)
    single_source = workload.source(tool, SINGLE_MODULE)
    per_second_tokens = options.tokens_per_minute / 60
    for count in options.keys:
        directory = workload.config(
            tool, f"limits-block-{count}", BLOCK.format(source=block_source, count=count, max_tokens=OUTPUT_TOKENS)
        )
        workload.init(tool, directory)
        tokens = _tokens(f"Question {count - 1}") + OUTPUT_TOKENS  # the largest key's; the others' are close
        free = _free_plan(workload, tool, directory, f"{tool}: {count} keys, no limit")
        meter = RateMeter({"gpt-4o": Limits(tokens_per_minute=options.tokens_per_minute)})
        sample = _plan(workload, tool, directory, f"{tool}: {count} keys, {options.tokens_per_minute} TPM", meter)
        pacing = max(0.0, count * tokens - options.tokens_per_minute) / per_second_tokens
        label = f"one block of {count} keys, {options.tokens_per_minute:,} tokens per minute"
        results.append(Limited(label, count, sample.seconds, pacing + free.seconds, meter.rate_limited, meter.admitted))
    directory = workload.config(
        tool, f"limits-separate-{options.blocks}", module_config("separate", options.blocks, single_source)
    )
    workload.init(tool, directory)
    free = _free_plan(workload, tool, directory, f"{tool}: {options.blocks} blocks, no limit")
    meter = RateMeter({"gpt-4o": Limits(requests_per_minute=options.requests_per_minute)})
    sample = _plan(
        workload, tool, directory, f"{tool}: {options.blocks} blocks, {options.requests_per_minute} RPM", meter
    )
    pacing = max(0, options.blocks - options.requests_per_minute) * 60 / options.requests_per_minute
    label = f"{options.blocks} separate blocks, {options.requests_per_minute} requests per minute"
    results.append(
        Limited(label, options.blocks, sample.seconds, pacing + free.seconds, meter.rate_limited, meter.admitted)
    )
    return results


def _unlimited_rows(workload: Workload, tool: str, options: Options) -> list[Row]:
    http_dir = workload.config(
        tool, f"limits-http-{options.prompts}", http_config("separate", options.prompts, workload.server.base_url)
    )
    block_dir = workload.config(
        tool,
        f"limits-cold-{options.prompts}",
        BLOCK.replace("  max_tokens = {max_tokens}\n", "").format(
            source=workload.source(tool, MANY_MODULE), count=options.prompts
        ),
    )
    for directory in (http_dir, block_dir):
        workload.init(tool, directory)
    rows = [Row(name) for name in ("http", "first", "later", "http-now", "warm")]
    kept = Path(tempfile.mkdtemp(prefix="chat-bench-view-"))
    try:
        workload.server.latency_seconds = options.latency
        _plan(
            workload,
            tool,
            block_dir,
            f"{tool}: {options.prompts} prompts: a first plan, for the view",
            RateMeter(Limits()),
            kept,
        )
        for round_number in range(1, options.runs + 1):
            label = f"{tool}: {options.prompts} prompts, round {round_number}/{options.runs}"
            workload.server.latency_seconds = options.latency
            workload.server.meter = RateMeter(Limits())
            rows[0].samples.append(workload.plan(tool, http_dir, f"{label}: http", options.prompts))
            workload.forget_answers(block_dir)
            rows[1].samples.append(_plan(workload, tool, block_dir, f"{label}: cold, first plan", RateMeter(Limits())))
            workload.forget_answers(block_dir)
            rows[2].samples.append(
                _plan(workload, tool, block_dir, f"{label}: cold, later plan", RateMeter(Limits()), kept)
            )
            workload.server.latency_seconds = 0.0
            rows[3].samples.append(workload.plan(tool, http_dir, f"{label}: http, 0 ms", options.prompts))
            rows[4].samples.append(
                _plan(workload, tool, block_dir, f"{label}: warm", RateMeter(Limits()), kept, expected=0)
            )
    finally:
        workload.server.latency_seconds = 0.0
        workload.server.meter = None
        shutil.rmtree(kept, ignore_errors=True)
    workload.stop_workers()
    return rows


def _free_plan(workload: Workload, tool: str, directory: Path, label: str) -> Sample:
    """The plan's own time with no limit reached: the faster of two (a busy machine slows one)."""
    samples = [_plan(workload, tool, directory, f"{label}, {run}/2", RateMeter(Limits())) for run in (1, 2)]
    return min(samples, key=lambda sample: sample.seconds)


def _plan(
    workload: Workload,
    tool: str,
    directory: Path,
    label: str,
    meter: RateMeter,
    view: Path | None = None,
    expected: int | None = None,
) -> Sample:
    """One plan with this meter on the server; cold unless expected = 0. view: the rate-limit view's
    folder to keep (else a fresh one, removed after)."""
    if expected != 0:
        workload.forget_answers(directory)
    folder = view or Path(tempfile.mkdtemp(prefix="chat-bench-view-"))
    workload.server.meter = meter
    try:
        sample = workload.plan(
            tool, directory, label, None, {**workload.env, "CHAT_HELPER_RATE_LIMITS_DIR": str(folder)}
        )
    finally:
        workload.server.meter = None
        if view is None:
            shutil.rmtree(folder, ignore_errors=True)
    progress(f"{label}: {meter.admitted} answered, {meter.rate_limited} 429s")
    if expected is not None and meter.admitted != expected:
        raise SystemExit(f"bench: {label} sent {meter.admitted} requests, expected {expected}")
    return sample


def _tokens(content: str) -> int:
    return -(-(len("user") + len(content)) // 4)
