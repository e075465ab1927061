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
from testing.paths import HELPER, MODULES_DIR
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

module "first" {
  source               = "MODULE/chat_completion"
  count                = 3
  model                = "gpt-4o"
  messages             = [{ role = "user", content = "${var.topic}: question ${count.index}" }]
  max_requests_per_run = var.max_requests_per_run
  max_tokens_per_run   = var.max_tokens_per_run
  cache_mode           = var.cache_mode
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
}

output "answers" {
  value = concat(module.first[*].content, values(module.second.contents))
}
"""
LIMIT = "max_requests_per_run = {limit}: this run sent {limit} requests to the API already, so this one is not sent"


def root(workdir: Path, topic: str, **variables: object) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    modules = Path(os.path.relpath(MODULES_DIR, workdir)).as_posix()
    (workdir / "main.tf").write_text(ROOT.replace("MODULE", modules))
    (workdir / "terraform.tfvars.json").write_text(json.dumps({"topic": topic, **variables}))
    return workdir


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


def test_the_token_cap_stops_the_next_request(runtime: Tool, openai_server, tmp_path):
    workdir = root(tmp_path / "tokens", "Lakes", max_tokens_per_run=1)
    runtime.run(workdir, "init", "-input=false")

    plan = runtime.run(workdir, "plan", "-input=false", "-parallelism=1", check=False)

    assert plan.returncode == 1
    sent = openai_server.completion_requests()
    used = sum(request.reply["usage"]["total_tokens"] for request in sent)
    assert f"max_tokens_per_run = 1: the answers this run received used {used} tokens" in plan.message
    assert len(sent) in (1, 2)  # the first read's: one instance's request, or the map's two keys sent at once


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

    report = subprocess.run(
        [
            sys.executable,
            str(HELPER),
            "spend",
            "--cache-dir",
            str(workdir / ".terraform" / "openai-chat-cache"),
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
