"""Pacing to an account's rate limits through real Terraform and OpenTofu, against the loopback server
metering per model as OpenAI does (testing/rate_meter.py), at limits scaled so a plan takes seconds.
Counts are asserted (429s, requests), never durations: the bench measures those."""

import json
import os
from pathlib import Path

from testing.paths import MODULES_DIR
from testing.rate_meter import Limits, RateMeter
from testing.terraform_tool import Tool

MODEL = "gpt-4o"
BLOCK = """
variable "requests" {
  type = any
}

variable "rate_limit_wait_seconds" {
  type    = number
  default = null
}

module "many" {
  source                  = "SOURCE/chat_completions"
  model                   = "gpt-4o"
  max_tokens              = 98
  requests                = var.requests
  rate_limit_wait_seconds = var.rate_limit_wait_seconds
}

output "contents" {
  value = module.many.contents
}
"""
SEPARATE = """
module "one" {
  source     = "SOURCE/chat_completion"
  count      = COUNT
  model      = "gpt-4o"
  max_tokens = MAX_TOKENS
  messages   = [{ role = "user", content = "Q${count.index}" }]
}

output "contents" {
  value = module.one[*].content
}
"""


def _root(workdir: Path, text: str, **variables: object) -> Path:
    workdir.mkdir(parents=True)
    source = Path(os.path.relpath(MODULES_DIR, workdir)).as_posix()
    (workdir / "main.tf").write_text(text.replace("SOURCE", source))
    (workdir / "terraform.tfvars.json").write_text(json.dumps(variables))
    return workdir


def _requests(count: int) -> dict[str, object]:
    # "user" and "Q000": 2 tokens, and max_tokens 98: 100 tokens per request.
    return {f"k{n:03d}": {"messages": [{"role": "user", "content": f"Q{n:03d}"}]} for n in range(count)}


def test_a_block_over_its_token_limit_is_paced_and_the_next_plan_sends_nothing(tool: Tool, openai_server, tmp_path):
    openai_server.meter = RateMeter({MODEL: Limits(tokens_per_minute=6000)})
    workdir = _root(tmp_path / "block", BLOCK, requests=_requests(64))  # 60 fit at once; 4 wait for room
    tool.init_apply(workdir)
    assert len(tool.outputs(workdir)["contents"]["value"]) == 64
    assert openai_server.meter.rate_limited <= 6  # see tests/answers/test_rate_limits.py; the bench holds the 5% target
    admitted = openai_server.meter.admitted
    assert tool.plan_exit_code(workdir) == 0
    assert openai_server.meter.admitted == admitted


def test_separate_blocks_share_one_view_across_terraforms_parallel_reads(tool: Tool, openai_server, tmp_path):
    """34 chat_completion instances, 10 read at once, at 30 requests per minute: 30 fit, 4 are paced."""
    openai_server.meter = RateMeter({MODEL: Limits(requests_per_minute=30)})
    text = SEPARATE.replace("COUNT", "34").replace("MAX_TOKENS", "10")
    workdir = _root(tmp_path / "separate", text)
    tool.run(workdir, "init", "-input=false")
    tool.run(workdir, "apply", "-auto-approve", "-input=false", "-parallelism=10")
    assert tool.outputs(workdir)["contents"]["value"] == [f"Echo from gpt-4o: Q{n}" for n in range(34)]
    assert openai_server.meter.rate_limited <= 2


def test_a_request_larger_than_the_token_limit_fails_the_plan_once_and_is_not_retried(
    tool: Tool, openai_server, tmp_path
):
    openai_server.meter = RateMeter({MODEL: Limits(tokens_per_minute=1000)})
    workdir = _root(tmp_path / "too-large", SEPARATE.replace("COUNT", "1").replace("MAX_TOKENS", "2000"))
    tool.run(workdir, "init", "-input=false")
    failed = tool.run(workdir, "plan", "-input=false", check=False)
    assert failed.returncode == 1
    for fragment in ("Request too large", "limit of 1,000 tokens", "estimated 2,002", "lower max_tokens"):
        assert fragment in failed.message, failed.message
    assert "Traceback" not in failed.stderr
    assert len(openai_server.completion_requests()) == 1


def test_a_block_that_cannot_fit_in_its_wait_fails_at_once_with_the_numbers(tool: Tool, openai_server, tmp_path):
    openai_server.meter = RateMeter({MODEL: Limits(tokens_per_minute=6000)})
    workdir = _root(tmp_path / "cannot-fit", BLOCK, requests=_requests(200), rate_limit_wait_seconds=10)
    tool.run(workdir, "init", "-input=false")
    failed = tool.run(workdir, "plan", "-input=false", check=False)
    assert failed.returncode == 1
    for fragment in ("keys left, 100 tokens each", "6,000 tokens per minute", "raise rate_limit_wait_seconds"):
        assert fragment in failed.message, failed.message
    assert "Traceback" not in failed.stderr
    assert len(openai_server.completion_requests()) <= 60
    assert openai_server.meter.rate_limited == 0


def test_without_headers_a_block_adapts_on_the_429s_words(tool: Tool, openai_server, tmp_path):
    """A server that sends no x-ratelimit-* headers (vLLM, a gateway that passes none), its minute nearly
    spent by another client: the first 429 names the limit and the wait, and the rest is paced."""
    openai_server.meter = RateMeter({MODEL: Limits(requests_per_minute=120)}, headers="none")
    openai_server.meter.use(MODEL, requests=115)
    workdir = _root(tmp_path / "no-headers", BLOCK, requests=_requests(15))
    tool.init_apply(workdir)
    assert len(tool.outputs(workdir)["contents"]["value"]) == 15
    # The first window's refusals (10 of 15 past the 5 left) and a few sent before the lesson reached them
    # (a loaded machine saw 17); a client retrying blindly draws one per attempt, dozens in a minute.
    assert openai_server.meter.rate_limited <= 20
