"""modules/stored_completion under real Terraform and OpenTofu: the example, its errors, its validations."""

import os
from pathlib import Path

from testing.paths import REPO_ROOT
from testing.terraform_tool import Tool, assert_module_tests_pass, copy_root_config

STORED_MODULE_DIR = REPO_ROOT / "modules" / "stored_completion"


def _root_config(workdir: Path, body: str) -> Path:
    """A root module calling stored_completion by a relative path, as users write it."""
    workdir.mkdir(parents=True)
    source = Path(os.path.relpath(STORED_MODULE_DIR, workdir)).as_posix()
    (workdir / "main.tf").write_text(body.replace("SOURCE", source))
    return workdir


def test_the_example_reads_back_what_was_stored_page_after_page(tool: Tool, openai_server, tmp_path):
    openai_server.stored_page_limit = 1  # every message and every listed completion is a page of its own
    workdir = copy_root_config(REPO_ROOT / "examples" / "stored_completion", tmp_path / "stored_completion")

    tool.init_apply(workdir)

    outputs = tool.outputs(workdir)
    [created] = openai_server.completion_requests()
    completion_id = outputs["completion_id"]["value"]
    assert outputs["stored_answer"]["value"] == "Echo from gpt-4o: What is the capital of France?"
    assert outputs["stored_metadata"] == {
        "sensitive": False,
        "type": ["map", "string"],
        "value": {"category": "geography", "example": "stored_completion"},
    }
    assert outputs["stored_prompt"]["value"] == [
        "system: Answer in one sentence.",
        "user: What is the capital of France?",
    ]
    assert outputs["geography_ids"]["value"] == [completion_id]
    assert created.body["store"] is True and created.body["metadata"]["category"] == "geography"
    message_pages = [r for r in openai_server.requests if r.path.endswith(f"{completion_id}/messages")]
    assert any(f"after={completion_id}-0" in r.headers["x-query"] for r in message_pages)

    assert tool.plan_exit_code(workdir) == 0, "a plan after apply must show no changes"
    assert len(openai_server.completion_requests()) == 1, "the completion comes from the cache, not a new call"


def test_the_list_outputs_decode_to_terraform_types(tool: Tool, openai_server, tmp_path):
    workdir = _root_config(
        tmp_path / "list",
        'module "recent" {\n  source = "SOURCE"\n  order  = "desc"\n}\noutput "all" { value = module.recent }\n',
    )
    tool.init_apply(workdir)

    kind, attributes = tool.outputs(workdir)["all"]["type"]
    value = tool.outputs(workdir)["all"]["value"]

    assert kind == "object"
    assert value["ids"] == [] and value["completions"] == [] and value["has_more"] is False
    assert attributes["has_more"] == "bool"
    assert all(value[name] is None for name in ("id", "content", "metadata", "messages"))


def test_an_unknown_completion_id_fails_the_plan_with_one_line_naming_it(tool: Tool, openai_server, tmp_path):
    workdir = _root_config(
        tmp_path / "missing",
        'module "stored" {\n  source        = "SOURCE"\n  completion_id = "chatcmpl-missing"\n}\n',
    )
    tool.run(workdir, "init", "-input=false")

    plan = tool.run(workdir, "plan", "-input=false", check=False)

    message = plan.message
    assert plan.returncode == 1
    assert "no stored chat completion with id 'chatcmpl-missing'" in message and "check completion_id" in message
    assert message.count("stored_completion:") == 1
    assert "Traceback" not in message


def test_a_malformed_completion_id_fails_at_plan_naming_the_input(tool: Tool, openai_server, tmp_path):
    workdir = _root_config(
        tmp_path / "bad_id",
        'module "stored" {\n  source        = "SOURCE"\n  completion_id = "chatcmpl-1/../../models"\n}\n',
    )
    tool.run(workdir, "init", "-input=false")

    plan = tool.run(workdir, "plan", "-input=false", check=False)

    assert plan.returncode == 1
    message = plan.message
    assert "stored_completion: input completion_id: 'chatcmpl-1/../../models' must look like chatcmpl-abc123" in message
    assert openai_server.requests == []


def test_the_module_test_files_pass_on_every_tool(every_tool: Tool, tmp_path):
    assert_module_tests_pass(every_tool, STORED_MODULE_DIR, tmp_path)
