"""modules/chat_completions through real Terraform and OpenTofu: a map of requests in one block, each key
cached as chat_completion caches it, only the keys that changed costing requests."""

import json
import os
from pathlib import Path
from typing import Any

from testing.openai_server import Delayed, api_error
from testing.paths import MODULES_DIR
from testing.store_entries import store_url
from testing.terraform_tool import Tool, assert_module_tests_pass

ROOT = """
variable "requests" {
  type = any
}

variable "max_concurrency" {
  type    = number
  default = null
}

variable "cache_mode" {
  type    = string
  default = "read-write"
}

variable "cache_url" {
  type    = string
  default = null
}

module "many" {
  source          = "MODULE"
  model           = "gpt-4o"
  requests        = var.requests
  max_concurrency = var.max_concurrency
  cache_mode      = var.cache_mode
  cache_url       = var.cache_url
}

output "contents" {
  value = module.many.contents
}

output "keys" {
  value = { for key, result in module.many.results : key => result.request_sha256 }
}

output "usage" {
  value = module.many.usage
}
"""


def root(workdir: Path) -> Path:
    """A root configuration with one chat_completions block, its source a relative path, as users write it."""
    workdir.mkdir(parents=True)
    source = Path(os.path.relpath(MODULES_DIR / "chat_completions", workdir)).as_posix()
    (workdir / "main.tf").write_text(ROOT.replace("MODULE", source))
    return workdir


def prompts(*names: str) -> dict[str, Any]:
    return {name: {"messages": [{"role": "user", "content": f"Describe {name}."}]} for name in names}


def set_requests(workdir: Path, requests: dict[str, Any], **variables: Any) -> None:
    (workdir / "terraform.tfvars.json").write_text(json.dumps({"requests": requests, **variables}))


def echoes(*names: str) -> dict[str, str]:
    return {name: f"Echo from gpt-4o: Describe {name}." for name in names}


def test_a_map_of_three_is_one_block_and_the_next_plan_is_quiet(tool: Tool, openai_server, tmp_path):
    workdir = root(tmp_path / "three")
    set_requests(workdir, prompts("billing", "search", "payments"))

    tool.init_apply(workdir)

    outputs = tool.outputs(workdir)
    assert outputs["contents"]["value"] == echoes("billing", "search", "payments")
    assert outputs["usage"]["value"]["total_tokens"] > 0
    assert len(openai_server.completion_requests()) == 3
    assert tool.plan_exit_code(workdir) == 0
    assert len(openai_server.completion_requests()) == 3


def test_a_map_of_two_hundred_is_answered_and_replanned_with_no_request(tool: Tool, openai_server, tmp_path):
    workdir = root(tmp_path / "two-hundred")
    names = [f"service-{number:03d}" for number in range(200)]
    set_requests(workdir, prompts(*names), max_concurrency=50)

    tool.init_apply(workdir)

    assert tool.outputs(workdir)["contents"]["value"] == echoes(*names)
    assert len(openai_server.completion_requests()) == 200
    assert tool.plan_exit_code(workdir) == 0
    assert len(openai_server.completion_requests()) == 200


def test_only_the_changed_and_added_keys_cost_requests_and_a_removed_key_none(tool: Tool, openai_server, tmp_path):
    workdir = root(tmp_path / "edits")
    set_requests(workdir, prompts("a", "b", "c"))
    tool.init_apply(workdir)

    changed = {**prompts("a", "c"), "b": {"messages": [{"role": "user", "content": "Describe b, briefly."}]}}
    set_requests(workdir, changed)
    tool.run(workdir, "apply", "-auto-approve", "-input=false")
    assert len(openai_server.completion_requests()) == 4

    set_requests(workdir, {**changed, **prompts("d")})  # a mix of cached keys and a new one
    tool.run(workdir, "apply", "-auto-approve", "-input=false")
    assert len(openai_server.completion_requests()) == 5

    set_requests(workdir, prompts("a", "c"))
    tool.run(workdir, "apply", "-auto-approve", "-input=false")
    assert tool.outputs(workdir)["contents"]["value"] == echoes("a", "c")
    assert len(openai_server.completion_requests()) == 5
    assert tool.plan_exit_code(workdir) == 0


def test_a_failed_key_fails_the_plan_naming_it_and_the_next_plan_pays_for_it_alone(tool: Tool, openai_server, tmp_path):
    workdir = root(tmp_path / "one-fails")
    set_requests(workdir, prompts("a", "b", "c"), max_concurrency=1)  # in key order: b is the second request
    tool.run(workdir, "init", "-input=false")
    openai_server.queue(Delayed(0), api_error(400, "Invalid content for b.", "invalid_request_error", None))

    failed = tool.run(workdir, "plan", "-input=false", check=False)

    assert failed.returncode == 1
    assert 'chat_completions: requests["b"]: OpenAI API error 400: Invalid content for b.' in failed.message
    assert 'requests["a"]' not in failed.message and 'requests["c"]' not in failed.message
    assert len(openai_server.completion_requests()) == 3

    tool.run(workdir, "apply", "-auto-approve", "-input=false")
    assert tool.outputs(workdir)["contents"]["value"] == echoes("a", "b", "c")
    assert len(openai_server.completion_requests()) == 4


def test_bad_input_in_one_key_fails_at_plan_naming_the_key_and_the_input(tool: Tool, openai_server, tmp_path):
    workdir = root(tmp_path / "bad-input")
    set_requests(workdir, {**prompts("a"), "b": {**prompts("b")["b"], "temperature": 3}})
    tool.run(workdir, "init", "-input=false")

    failed = tool.run(workdir, "plan", "-input=false", check=False)

    assert failed.returncode == 1
    assert 'chat_completions: input requests["b"].temperature: 3 is greater than the maximum of 2' in failed.message
    assert openai_server.requests == []


def test_a_misspelt_or_mistyped_input_in_a_key_fails_at_plan_naming_it(tool: Tool, openai_server, tmp_path):
    """requests is not an object type, so Terraform drops no misspelt input: the helper names it."""
    workdir = root(tmp_path / "misspelt")
    set_requests(workdir, {**prompts("a"), "b": {**prompts("b")["b"], "temprature": 0.2}, "c": {"messages": "c"}})
    tool.run(workdir, "init", "-input=false")

    failed = tool.run(workdir, "plan", "-input=false", check=False)

    assert failed.returncode == 1
    assert 'input requests["b"].temprature: is not an input of a request; did you mean temperature?' in failed.message
    assert "input requests[\"c\"].messages: 'c' is not of type 'array'" in failed.message
    assert openai_server.requests == []


def test_max_concurrency_is_honoured(tool: Tool, openai_server, tmp_path):
    workdir = root(tmp_path / "concurrency")
    set_requests(workdir, prompts(*(f"k{number}" for number in range(8))), max_concurrency=2)
    openai_server.latency_seconds = 0.3

    tool.init_apply(workdir)

    assert len(tool.outputs(workdir)["contents"]["value"]) == 8
    assert openai_server.most_in_flight == 2


def test_replay_answers_the_map_with_no_api_key(tool: Tool, openai_server, tmp_path):
    workdir = root(tmp_path / "replay")
    set_requests(workdir, prompts("a", "b"))
    tool.init_apply(workdir)
    del tool.env["OPENAI_API_KEY"]

    set_requests(workdir, prompts("a", "b"), cache_mode="replay")
    assert tool.plan_exit_code(workdir) == 0
    set_requests(workdir, prompts("a", "b", "new"), cache_mode="replay")
    missing = tool.run(workdir, "plan", "-input=false", check=False)

    assert missing.returncode == 1
    assert 'requests["new"]: cache_mode = "replay" and no stored answer' in missing.message
    assert len(openai_server.completion_requests()) == 2


def test_two_machines_sharing_a_store_plan_no_changes_with_one_request_per_key(
    tool: Tool, openai_server, s3_server, s3_bucket, s3_env, tmp_path
):
    url = store_url(s3_server, s3_bucket)
    machines = {}
    for name in ("laptop", "ci-runner"):
        workdir = root(tmp_path / name)
        set_requests(workdir, prompts("a", "b", "c"), cache_url=url)
        sockets = tmp_path / f"{name}-run"
        sockets.mkdir()
        machines[name] = (
            workdir,
            Tool(tool.name, tool.env["OPENAI_BASE_URL"], {**s3_env, "XDG_RUNTIME_DIR": str(sockets)}),
        )
    for workdir, machine in machines.values():
        machine.init_apply(workdir)

    outputs = [machine.outputs(workdir) for workdir, machine in machines.values()]
    assert outputs[0]["contents"]["value"] == outputs[1]["contents"]["value"] == echoes("a", "b", "c")
    assert len(openai_server.completion_requests()) == 3
    for workdir, machine in machines.values():
        assert machine.plan_exit_code(workdir) == 0
    keys = outputs[0]["keys"]["value"].values()
    assert sorted(s3_server.objects(s3_bucket)) == sorted(f"answers/{key[:2]}/{key}.json" for key in keys)


def test_the_modules_test_files_pass(every_tool: Tool, tmp_path):
    assert_module_tests_pass(every_tool, MODULES_DIR / "chat_completions", tmp_path)
