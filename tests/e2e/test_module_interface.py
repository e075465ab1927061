"""The module as users meet it: output types, variable validations, errors (sources: test_module_sources.py)."""

import re

from testing.paths import MODULES_DIR, REPO_ROOT
from testing.terraform_tool import Tool, assert_module_tests_pass, copy_root_config

CHAT_MODULE_DIR = MODULES_DIR / "chat_completion"


def test_outputs_decode_to_terraform_types(tool: Tool, openai_server, tmp_path):
    workdir = copy_root_config(REPO_ROOT / "tests" / "e2e" / "all_outputs", tmp_path / "all_outputs")
    tool.init_apply(workdir)
    output = tool.outputs(workdir)["all"]
    kind, attributes = output["type"]
    assert kind == "object"
    assert attributes["created"] == "number"
    assert attributes["usage"] == [
        "object",
        {"completion_tokens": "number", "prompt_tokens": "number", "total_tokens": "number"},
    ]
    assert attributes["choices"][0] == "tuple" and len(attributes["choices"][1]) == 2
    assert attributes["choices"][1][0][0] == "object"
    assert attributes["function_call"] == "dynamic"  # null
    value = output["value"]
    assert value["content"] == "Echo from gpt-4o: Name a planet."
    assert value["choices"][1]["message"]["content"] == "Echo from gpt-4o: Name a planet. (choice 1)"
    assert value["function_call"] is None and value["tool_calls"] is None and value["refusal"] is None
    assert re.fullmatch(r"[0-9a-f]{64}", value["request_sha256"])
    assert value["parsed"] is None and value["choices"][0]["logprobs"] is None
    declared = set(re.findall(r'^output "(\w+)"', (CHAT_MODULE_DIR / "outputs.tf").read_text(), re.M))
    assert set(attributes) == declared, "the all_outputs configuration must read every output of the module"


def test_the_module_test_files_pass_on_every_tool(every_tool: Tool, tmp_path):
    assert_module_tests_pass(every_tool, CHAT_MODULE_DIR, tmp_path)


def test_an_invalid_input_fails_at_plan_naming_it(tool: Tool, openai_server, tmp_path):
    workdir = copy_root_config(REPO_ROOT / "examples" / "basic_chat", tmp_path / "bad")
    main = workdir / "main.tf"
    main.write_text(main.read_text().replace("temperature = 0.7", "temperature = 3"))
    tool.run(workdir, "init", "-input=false")
    plan = tool.run(workdir, "plan", "-input=false", check=False)
    assert plan.returncode == 1
    assert "chat_completion: input temperature: 3 is greater than the maximum of 2" in plan.message
    assert "Traceback" not in plan.stderr
    assert openai_server.requests == []


def test_a_helper_error_reaches_the_user_as_one_clear_line(tool: Tool, openai_server, tmp_path):
    from testing.openai_server import api_error

    openai_server.queue(
        api_error(
            404,
            "The model `gpt-3.5-turbo` does not exist or you do not have access to it.",
            "invalid_request_error",
            "model_not_found",
        )
    )
    workdir = copy_root_config(REPO_ROOT / "examples" / "basic_chat", tmp_path / "missing_model")
    tool.run(workdir, "init", "-input=false")
    plan = tool.run(workdir, "plan", "-input=false", check=False)
    message = plan.message
    assert plan.returncode == 1
    assert "404 model_not_found" in message and "check the model input" in message
    assert "Traceback" not in message
    assert message.count("chat_completion:") == 1


def test_response_format_written_as_the_apis_docs_nest_it_is_told_the_modules_shape(
    tool: Tool, openai_server, tmp_path
):
    """json_schema = { name, schema, strict } is dropped by the variable's type: the line says where this
    module takes them, not "'name' is a required property" (issue 27, item 9)."""
    workdir = copy_root_config(REPO_ROOT / "examples" / "basic_chat", tmp_path / "nested_format")
    main = workdir / "main.tf"
    nested = (
        'max_tokens  = 500\n  response_format = {\n    type = "json_schema"\n    json_schema = {\n'
        '      name = "answer"\n      schema = jsonencode({ type = "object" })\n      strict = true\n    }\n  }'
    )
    main.write_text(main.read_text().replace("max_tokens  = 500", nested))
    tool.run(workdir, "init", "-input=false")

    plan = tool.run(workdir, "plan", "-input=false", check=False)

    assert plan.returncode == 1
    assert (
        'chat_completion: input response_format: type = "json_schema" needs name and schema beside it' in plan.message
    )
    assert "name, schema (jsonencode of a JSON Schema object) and strict at the top level" in plan.message
    assert openai_server.requests == []
