"""modules/chat_completions through real Terraform and OpenTofu: a map of requests in one block, each key
cached as chat_completion caches it, only the keys that changed costing requests."""

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from testing.openai_server import Delayed, Reply, api_error
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

variable "timeout_seconds" {
  type    = number
  default = null
}

variable "allow_length_cutoff" {
  type    = bool
  default = false
}

variable "response_format" {
  type    = any
  default = null
}

module "many" {
  source              = "MODULE"
  model               = "gpt-4o"
  requests            = var.requests
  max_concurrency     = var.max_concurrency
  cache_mode          = var.cache_mode
  cache_url           = var.cache_url
  timeout_seconds     = var.timeout_seconds
  allow_length_cutoff = var.allow_length_cutoff
  response_format     = var.response_format
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


def test_a_key_added_to_a_structured_output_map_on_a_fresh_worker_is_answered(tool: Tool, openai_server, tmp_path):
    """The worker that read the cached key imported jsonschema, not the SDK; the new key's request thread
    once found the SDK's import blocked: "internal error (NeedsImports: openai)" (issue 27, item 1)."""
    workdir = root(tmp_path / "structured")
    schema = {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}
    response_format = {"type": "json_schema", "name": "ticket", "schema": json.dumps(schema)}
    set_requests(workdir, prompts("a"), response_format=response_format)
    tool.init_apply(workdir)
    # A new socket folder, short enough for a socket path: a worker that has answered nothing yet.
    fresh_worker = tempfile.mkdtemp(prefix="chw", dir="/tmp")
    later = Tool(tool.name, tool.env["OPENAI_BASE_URL"], {"XDG_RUNTIME_DIR": fresh_worker})

    set_requests(workdir, prompts("a", "c"), response_format=response_format)
    try:
        later.run(workdir, "apply", "-auto-approve", "-input=false")
    finally:
        shutil.rmtree(fresh_worker)  # its worker exits once its socket is gone

    results = later.outputs(workdir)
    assert set(results["contents"]["value"]) == {"a", "c"}
    assert json.loads(results["contents"]["value"]["c"]) == {"title": "sample"}
    assert len(openai_server.completion_requests()) == 2


def test_each_key_has_its_own_time_budget_for_the_store_and_its_lease(
    tool: Tool, openai_server, s3_server, s3_bucket, s3_env, tmp_path
):
    """24 keys one at a time, each answered in 0.5 s, timeout_seconds = 8: the block runs past 8 s, and no
    key's write to the store is held to the block's start (issue 27, item 2)."""
    workdir = root(tmp_path / "long-block")
    names = [f"k{number:02d}" for number in range(24)]
    set_requests(
        workdir, prompts(*names), max_concurrency=1, timeout_seconds=8, cache_url=store_url(s3_server, s3_bucket)
    )
    machine = Tool(tool.name, tool.env["OPENAI_BASE_URL"], s3_env)
    openai_server.latency_seconds = 0.5

    machine.init_apply(workdir)

    assert machine.outputs(workdir)["contents"]["value"] == echoes(*names)
    assert len(openai_server.completion_requests()) == 24
    answers = [name for name in s3_server.objects(s3_bucket) if not name.startswith("answers/.leases/")]
    assert len(answers) == 24


def test_a_cached_answer_this_blocks_guardrails_refuse_fails_its_key_and_the_others_are_asked(
    tool: Tool, openai_server, tmp_path
):
    """allow_* are not part of the request: an answer cut off, cached by a block that allowed it, is refused by
    one that does not; that key fails, named, and the block's other keys are still asked (issue 27, item 3)."""
    workdir = root(tmp_path / "guardrails")
    set_requests(workdir, prompts("a"), allow_length_cutoff=True)
    cut_off = openai_server.completion_for(prompts("a")["a"] | {"model": "gpt-4o"})
    cut_off["choices"][0]["finish_reason"] = "length"
    openai_server.queue(Reply(200, cut_off))
    tool.init_apply(workdir)

    set_requests(workdir, prompts("a", "b"))
    refused = tool.run(workdir, "plan", "-input=false", check=False)

    assert refused.returncode == 1
    assert 'chat_completions: requests["a"]: ' in refused.message and "allow_length_cutoff" in refused.message
    assert 'requests["b"]' not in refused.message
    assert len(openai_server.completion_requests()) == 2, refused.message  # b was asked, and kept:
    set_requests(workdir, prompts("b"))
    assert tool.plan_exit_code(workdir) == 2
    assert len(openai_server.completion_requests()) == 2


def test_the_modules_test_files_pass(every_tool: Tool, tmp_path):
    assert_module_tests_pass(every_tool, MODULES_DIR / "chat_completions", tmp_path)
