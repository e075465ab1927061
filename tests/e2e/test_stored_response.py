"""modules/stored_response under real Terraform and OpenTofu: a response read back by its id with every page of its
input items, a missing id as one line, and the module's test files."""

import os
from pathlib import Path

from testing.paths import MODULES_DIR
from testing.terraform_tool import Tool, assert_module_tests_pass

STORED_RESPONSE_MODULE_DIR = MODULES_DIR / "stored_response"

READ_BACK = """
module "answer" {
  source       = "RESPONSE"
  model        = "gpt-4o"
  instructions = "Answer in one sentence."
  input_items = [
    { role = "developer", content = "You teach geography." },
    { role = "user", content = [{ type = "input_text", text = "What is the capital of France?" }] },
  ]
  metadata = { category = "geography" }
}

module "stored" {
  source      = "STORED"
  response_id = module.answer.id
}

output "stored" {
  value = module.stored
}

output "answer_id" {
  value = module.answer.id
}
"""


def root(workdir: Path, text: str) -> Path:
    """A root configuration whose module sources are relative paths, as users write them."""
    workdir.mkdir(parents=True)
    for name in ("response", "stored_response"):
        source = Path(os.path.relpath(MODULES_DIR / name, workdir)).as_posix()
        text = text.replace("STORED" if name == "stored_response" else "RESPONSE", source)
    (workdir / "main.tf").write_text(text)
    return workdir


def test_a_response_reads_back_by_id_with_every_page_of_its_input_items(tool: Tool, openai_server, tmp_path):
    openai_server.stored_page_limit = 1  # each input item is a page of its own
    workdir = root(tmp_path / "read-back", READ_BACK)

    tool.init_apply(workdir)

    outputs = tool.outputs(workdir)
    stored, answer_id = outputs["stored"]["value"], outputs["answer_id"]["value"]
    assert stored["id"] == answer_id and stored["status"] == "completed"
    assert stored["output_text"] == "Echo from gpt-4o: What is the capital of France?"
    assert stored["metadata"] == {"category": "geography"} and stored["error"] is None
    assert [(item["role"], item["text"]) for item in stored["input_items"]] == [
        ("developer", "You teach geography."),
        ("user", "What is the capital of France?"),
    ]
    pages = [r for r in openai_server.requests if r.path == f"/v1/responses/{answer_id}/input_items"]
    assert len(pages) == 2 and f"after={stored['input_items'][0]['id']}" in pages[1].headers["x-query"]
    kind, types = outputs["stored"]["type"]
    assert kind == "object"
    assert types["metadata"] == ["map", "string"] and types["usage"][0] == "object"

    assert tool.plan_exit_code(workdir) == 0, "a plan after apply shows no changes"
    assert len(openai_server.response_requests()) == 1, "the response comes from the cache; the read is a GET"


def test_a_missing_id_fails_the_plan_with_one_line_naming_it(tool: Tool, openai_server, tmp_path):
    workdir = root(
        tmp_path / "missing", 'module "stored" {\n  source      = "STORED"\n  response_id = "resp_gone"\n}\n'
    )
    tool.run(workdir, "init", "-input=false")

    plan = tool.run(workdir, "plan", "-input=false", check=False)

    assert plan.returncode == 1
    assert "stored_response: no stored response with id 'resp_gone'" in plan.message
    assert "check response_id" in plan.message and plan.message.count("stored_response:") == 1
    assert "Traceback" not in plan.stderr


def test_the_module_test_files_pass(every_tool: Tool, tmp_path):
    assert_module_tests_pass(every_tool, STORED_RESPONSE_MODULE_DIR, tmp_path)
