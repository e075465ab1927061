"""The spend guard through real Terraform and OpenTofu: one plan is one run (its hashicorp/external
provider process), every module block and parallel read of it counted together; and the spend report
against what the loopback server sent."""

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from testing.helper_process import helper_environment
from testing.openai_server import Reply
from testing.paths import HELPER, MODULES_DIR
from testing.store_entries import store_url
from testing.terraform_tool import Tool

ROOT = """
variable "topic" {
  type = string
}

variable "max_requests_per_run" {
  type    = number
  default = null
}

variable "max_tokens_per_run" {
  type    = number
  default = null
}

variable "cache_mode" {
  type    = string
  default = "read-write"
}

variable "python" {
  type    = string
  default = null
}

module "first" {
  source               = "MODULE/chat_completion"
  count                = 3
  model                = "gpt-4o"
  messages             = [{ role = "user", content = "${var.topic}: question ${count.index}" }]
  max_requests_per_run = var.max_requests_per_run
  max_tokens_per_run   = var.max_tokens_per_run
  cache_mode           = var.cache_mode
  python               = var.python
}

module "second" {
  source               = "MODULE/chat_completions"
  model                = "gpt-4o"
  requests = {
    for n in [3, 4] : "q${n}" => { messages = [{ role = "user", content = "${var.topic}: question ${n}" }] }
  }
  max_requests_per_run = var.max_requests_per_run
  max_tokens_per_run   = var.max_tokens_per_run
  cache_mode           = var.cache_mode
  python               = var.python
}

output "answers" {
  value = concat(module.first[*].content, values(module.second.contents))
}
"""
# Three blocks with no cap, then one with max_requests_per_run = 2 (it reads after them: depends_on).
MIXED = """
module "uncapped" {
  source   = "MODULE/chat_completion"
  count    = 3
  model    = "gpt-4o"
  messages = [{ role = "user", content = "Uncapped ${count.index}" }]
}

module "capped" {
  source               = "MODULE/chat_completion"
  model                = "gpt-4o"
  messages             = [{ role = "user", content = "Capped" }]
  max_requests_per_run = 2
  depends_on           = [module.uncapped]
}
"""
MAP_ROOT = """
module "map" {
  source             = "MODULE/chat_completions"
  model              = "gpt-4o"
  max_tokens         = MAX_TOKENS
  max_concurrency    = 10
  max_tokens_per_run = CAP
  requests = { for n in range(KEYS) : "k${n}" => { messages = [{ role = "user", content = "Q${n}" }] } }
}
"""
LIMIT = "max_requests_per_run = {limit}: this run sent {limit} requests to the API already, so this one is not sent"


def root(workdir: Path, topic: str, **variables: object) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    modules = Path(os.path.relpath(MODULES_DIR, workdir)).as_posix()
    (workdir / "main.tf").write_text(ROOT.replace("MODULE", modules))
    variables.setdefault("python", None)
    (workdir / "terraform.tfvars.json").write_text(json.dumps({"topic": topic, **variables}))
    return workdir


def map_root(workdir: Path, keys: int, max_tokens: int, max_tokens_per_run: int) -> Path:
    workdir.mkdir(parents=True)
    modules = Path(os.path.relpath(MODULES_DIR, workdir)).as_posix()
    text = MAP_ROOT.replace("MODULE", modules).replace("MAX_TOKENS", str(max_tokens))
    (workdir / "main.tf").write_text(text.replace("CAP", str(max_tokens_per_run)).replace("KEYS", str(keys)))
    return workdir


def completion_using(tokens: int, number: int) -> Reply:
    """A chat completion whose usage says it used this many tokens."""
    message = {"role": "assistant", "content": f"Answer {number}"}
    return Reply(
        200,
        {
            "id": f"chatcmpl-large{number}",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": "gpt-4o",
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": tokens - 10, "completion_tokens": 10, "total_tokens": tokens},
        },
    )


@pytest.fixture
def runtime(tool: Tool) -> Iterator[Tool]:
    """The tool with a runtime folder of the test's own (its runs' counts start empty), short enough for
    the worker's socket."""
    with tempfile.TemporaryDirectory(prefix="run-", dir="/tmp") as folder:
        tool.env["XDG_RUNTIME_DIR"] = folder
        yield tool


@pytest.mark.parametrize("worker", ["on", "off"])
def test_a_plan_stops_at_the_cap_across_module_blocks(runtime: Tool, openai_server, tmp_path, worker):
    runtime.env["CHAT_HELPER_WORKER"] = worker
    workdir = root(tmp_path / "capped", "Rivers", max_requests_per_run=3)
    runtime.run(workdir, "init", "-input=false")

    plan = runtime.run(workdir, "plan", "-input=false", check=False)

    assert plan.returncode == 1
    assert LIMIT.format(limit=3) in plan.message
    assert 'raise max_requests_per_run (or CHAT_HELPER_MAX_REQUESTS_PER_RUN), or plan with cache_mode = "replay"' in (
        plan.message
    )
    assert len(openai_server.completion_requests()) == 3


def test_the_token_cap_is_never_passed_by_requests_in_flight(runtime: Tool, openai_server, tmp_path):
    """The issue's map: 10 keys at max_concurrency = 10, each answer 400 tokens, max_tokens = 400, against
    max_tokens_per_run = 1000. Each request reserves 402 tokens before it is sent: two are sent, 800
    tokens used, and the other eight are named with the cap."""
    openai_server.latency_seconds = 0.5
    openai_server.queue(*(completion_using(400, number) for number in range(10)))
    workdir = map_root(tmp_path / "tokens", keys=10, max_tokens=400, max_tokens_per_run=1000)
    runtime.run(workdir, "init", "-input=false")

    plan = runtime.run(workdir, "plan", "-input=false", check=False)

    assert plan.returncode == 1
    assert plan.message.count("max_tokens_per_run = 1000: the answers this run received used 800 tokens") == 8
    assert len(openai_server.completion_requests()) == 2


def test_uncapped_blocks_count_toward_a_capped_blocks_line(runtime: Tool, openai_server, tmp_path):
    workdir = tmp_path / "mixed"
    workdir.mkdir()
    modules = Path(os.path.relpath(MODULES_DIR, workdir)).as_posix()
    (workdir / "main.tf").write_text(MIXED.replace("MODULE", modules))
    runtime.run(workdir, "init", "-input=false")

    plan = runtime.run(workdir, "plan", "-input=false", check=False)

    assert plan.returncode == 1
    assert "max_requests_per_run = 2: this run sent 3 requests to the API already" in plan.message
    assert len(openai_server.completion_requests()) == 3


def test_two_plans_of_one_pipeline_share_the_cap(runtime: Tool, openai_server, tmp_path):
    """A matrix job's plans at once, sharing CHAT_HELPER_RUN_ID: 4 requests in all, not 4 each."""
    runtime.env["CHAT_HELPER_RUN_ID"] = f"pipeline-{tmp_path.name}"
    runtime.env["CHAT_HELPER_MAX_REQUESTS_PER_RUN"] = "4"
    workdirs = [root(tmp_path / f"plan-{number}", f"Topic {number}") for number in range(2)]
    for workdir in workdirs:
        runtime.run(workdir, "init", "-input=false")

    with ThreadPoolExecutor(2) as pool:
        plans = list(pool.map(lambda workdir: runtime.run(workdir, "plan", "-input=false", check=False), workdirs))

    assert [plan.returncode for plan in plans].count(1) >= 1
    assert len(openai_server.completion_requests()) == 4
    assert all(LIMIT.format(limit=4) in plan.message for plan in plans if plan.returncode)


def test_two_machines_of_one_pipeline_share_the_cap_through_the_store(
    tool: Tool, openai_server, s3_server, s3_bucket, s3_env, tmp_path
):
    """Two machines (each its own runtime folder and cache folder), one pipeline, one store: the run's
    counts are an object in the store, changed by conditional writes."""
    url = store_url(s3_server, s3_bucket)
    machines = []
    for number in range(2):
        folder = tmp_path / f"m{number}-run"  # its own runtime folder, as another machine has
        folder.mkdir()
        env = {
            **s3_env,
            "XDG_RUNTIME_DIR": str(folder),
            "CHAT_HELPER_RUN_ID": "pipeline 9",
            "CHAT_HELPER_CACHE_URL": url,
        }
        machines.append((Tool(tool.name, openai_server.base_url, env), root(tmp_path / f"m{number}", f"Sea {number}")))
    for machine, workdir in machines:
        machine.run(workdir, "init", "-input=false")
    env_limit = {"CHAT_HELPER_MAX_REQUESTS_PER_RUN": "3"}
    for machine, _ in machines:
        machine.env.update(env_limit)

    with ThreadPoolExecutor(2) as pool:
        plans = list(pool.map(lambda pair: pair[0].run(pair[1], "plan", "-input=false", check=False), machines))

    assert len(openai_server.completion_requests()) == 3
    assert [plan.returncode for plan in plans].count(1) >= 1
    assert any(name.startswith("answers/.runs/pipeline-") for name in s3_server.objects(s3_bucket))


def test_a_launcher_that_starts_python_as_its_child_does_not_make_each_read_a_run(
    runtime: Tool, openai_server, tmp_path
):
    """python = a wrapper that runs the interpreter as its child (no exec), as Windows' py launcher does:
    every read has another parent, and the cap holds all the same."""
    launcher = tmp_path / "python-launcher"
    launcher.write_text(f'#!/bin/sh\n"{sys.executable}" "$@"\nexit $?\n')
    launcher.chmod(0o755)
    workdir = root(tmp_path / "launched", "Forests", max_requests_per_run=2, python=str(launcher))
    runtime.run(workdir, "init", "-input=false")

    plan = runtime.run(workdir, "plan", "-input=false", check=False)

    assert plan.returncode == 1 and LIMIT.format(limit=2) in plan.message
    assert len(openai_server.completion_requests()) == 2


@pytest.mark.parametrize("module", ["chat_completion", "response"])
def test_flex_without_capacity_falls_back_to_the_standard_tier(tool: Tool, openai_server, tmp_path, module):
    openai_server.flex_capacity = False
    workdir = tmp_path / module
    workdir.mkdir()
    modules = Path(os.path.relpath(MODULES_DIR, workdir)).as_posix()
    prompt = (
        'messages = [{ role = "user", content = "Tidy the plan." }]'
        if module == "chat_completion"
        else 'input = "Tidy the plan."'
    )
    (workdir / "main.tf").write_text(
        f'module "flex" {{\n  source = "{modules}/{module}"\n  model = "gpt-4o"\n  {prompt}\n'
        '  service_tier = "flex"\n  flex_fallback = true\n}\n'
        'output "tier" { value = module.flex.service_tier }\n'
    )
    tool.init_apply(workdir)

    assert tool.outputs(workdir)["tier"]["value"] == "default"
    sent = openai_server.completion_requests() + openai_server.response_requests()
    assert [request.body["service_tier"] for request in sent] == ["flex", "auto"]
    assert tool.plan_exit_code(workdir) == 0


def test_a_run_after_a_run_has_its_own_count_and_replay_is_unaffected(runtime: Tool, openai_server, tmp_path):
    workdir = root(tmp_path / "runs", "Hills", max_requests_per_run=5)
    runtime.init_apply(workdir)
    root(workdir, "Valleys", max_requests_per_run=5)
    runtime.run(workdir, "apply", "-auto-approve", "-input=false")
    assert len(openai_server.completion_requests()) == 10

    del runtime.env["OPENAI_API_KEY"]
    root(workdir, "Valleys", max_requests_per_run=0, cache_mode="replay")
    assert runtime.plan_exit_code(workdir) == 0
    assert len(openai_server.completion_requests()) == 10


def test_two_runs_at_once_each_have_their_own_count(runtime: Tool, openai_server, tmp_path):
    workdirs = [root(tmp_path / f"run-{number}", f"Topic {number}", max_requests_per_run=5) for number in range(2)]
    for workdir in workdirs:
        runtime.run(workdir, "init", "-input=false")

    with ThreadPoolExecutor(2) as pool:
        applies = list(
            pool.map(lambda workdir: runtime.run(workdir, "apply", "-auto-approve", "-input=false"), workdirs)
        )

    assert all(apply.returncode == 0 for apply in applies)
    assert len(openai_server.completion_requests()) == 10


def test_the_spend_report_totals_what_the_server_sent(tool: Tool, openai_server, tmp_path):
    workdir = root(tmp_path / "report", "Mountains")
    tool.init_apply(workdir)
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"currency": "USD", "prices": [{"model": "gpt-4o", "input": 2.5, "output": 10}]}))

    report = subprocess.run(
        [
            sys.executable,
            str(HELPER),
            "spend",
            "--cache-dir",
            str(workdir / ".terraform" / "openai-chat-cache"),
            "--prices",
            str(prices),
            "--json",
        ],
        capture_output=True,
        text=True,
        env=helper_environment(),
        check=False,
    )

    assert report.returncode == 0, report.stderr
    [row] = json.loads(report.stdout)
    replies = [request.reply for request in openai_server.completion_requests()]
    assert row["model"] == "gpt-4o" and row["requests"] == len(replies) == 5
    assert row["input_tokens"] == sum(reply["usage"]["prompt_tokens"] for reply in replies)
    assert row["output_tokens"] == sum(reply["usage"]["completion_tokens"] for reply in replies)
    assert row["total_tokens"] == sum(reply["usage"]["total_tokens"] for reply in replies)
    inputs, outputs = (
        sum(reply["usage"][name] for reply in replies) for name in ("prompt_tokens", "completion_tokens")
    )
    assert row["tier"] == "default" and row["cost"] == pytest.approx((inputs * 2.5 + outputs * 10) / 1e6)
