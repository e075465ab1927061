"""modules/response through real Terraform and OpenTofu: the outputs as Terraform types, quiet re-plans, chaining,
structured output, each guardrail, a hosted tool as written, every bad input at plan, replay with no key, the
team store, Azure OpenAI, and the fault table's rows."""

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from testing.openai_server import RawBody, Reply, api_error
from testing.paths import MODULES_DIR
from testing.responses_api import ResponseOutcome
from testing.secret_canary import TEST_API_KEY
from testing.store_entries import store_url
from testing.terraform_tool import Completed, Tool, assert_module_tests_pass

RESPONSE_MODULE_DIR = MODULES_DIR / "response"
CAPITAL_SCHEMA = {
    "type": "object",
    "properties": {"capital": {"type": "string"}, "population": {"type": "integer"}},
    "required": ["capital", "population"],
    "additionalProperties": False,
}


def hcl(value: Any) -> str:
    """A value as an HCL expression: JSON is one (HCL objects take ':' as well as '=')."""
    return json.dumps(value)


class Expression(str):
    """An input's value written as an HCL expression (a reference, a for expression), not a literal."""


def block(name: str, **inputs: Any) -> str:
    """A response module block of these inputs (literals, or Expressions)."""
    lines = [f'module "{name}" {{', '  source = "SOURCE"']
    for key, value in {"model": "gpt-4o", **inputs}.items():
        lines.append(f"  {key} = {value if isinstance(value, Expression) else hcl(value)}")
    return "\n".join([*lines, "}", ""])


def root(workdir: Path, *blocks: str, outputs: dict[str, str] | None = None, variables: str = "") -> Path:
    """A root configuration of these blocks, its module source a relative path, as users write it."""
    workdir.mkdir(parents=True, exist_ok=True)
    source = Path(os.path.relpath(RESPONSE_MODULE_DIR, workdir)).as_posix()
    shown = "".join(f'output "{name}" {{\n  value = {value}\n}}\n' for name, value in (outputs or {}).items())
    (workdir / "main.tf").write_text(variables + "\n".join(blocks).replace("SOURCE", source) + shown)
    return workdir


def cache_entries(workdir: Path) -> list[Path]:
    return list((workdir / ".terraform" / "openai-chat-cache").glob("*/*.json"))


def failed_plan(tool: Tool, workdir: Path) -> Completed:
    plan = tool.run(workdir, "plan", "-input=false", check=False)
    assert plan.returncode == 1, plan.stdout
    assert "Traceback" not in plan.stderr
    return plan


def scripted_response(text: str) -> Reply:
    """A completed response whose one message says text."""
    message = {
        "id": "msg_scripted",
        "type": "message",
        "status": "completed",
        "role": "assistant",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }
    body = {"id": "resp_scripted", "object": "response", "created_at": 1700000000, "status": "completed"}
    return Reply(200, {**body, "model": "gpt-4o", "output": [message], "usage": None})


# -- answers ----------------------------------------------------------------------------------------


def test_an_answer_decodes_to_terraform_types_and_the_next_plans_make_no_request(tool: Tool, openai_server, tmp_path):
    declared = re.findall(r'^output "(\w+)"', (RESPONSE_MODULE_DIR / "outputs.tf").read_text(), re.M)
    workdir = root(
        tmp_path / "basic",
        block("answer", input="Name a planet.", instructions="Be brief.", reasoning_summary="auto"),
        outputs={"all": "{" + ", ".join(f"{name} = module.answer.{name}" for name in declared) + "}"},
    )
    tool.init_apply(workdir)

    output = tool.outputs(workdir)["all"]
    kind, types = output["type"]
    value = output["value"]
    assert kind == "object" and set(types) == set(declared)
    assert value["output_text"] == "Echo from gpt-4o: Name a planet."
    assert value["reasoning_summary"] == "Weighed: Name a planet." and value["status"] == "completed"
    assert types["usage"][0] == "object" and set(types["usage"][1].values()) == {"number"}
    assert types["created_at"] == "number" and types["function_calls"] == ["tuple", []]
    assert [item["type"] for item in value["output"]] == ["reasoning", "message"]
    assert types["output"][1][0][0] == "object" and value["output"][1]["content"][0]["text"] == value["output_text"]
    assert tool.plan_exit_code(workdir) == 0
    assert tool.plan_exit_code(workdir) == 0
    assert len(openai_server.response_requests()) == 1


def test_chaining_sends_the_first_id_and_a_change_of_the_first_asks_both_again_in_order(
    tool: Tool, openai_server, tmp_path
):
    def config(first_input: str) -> None:
        root(
            tmp_path / "chain",
            block("first", input=first_input, instructions="You are a terse SRE."),
            block("second", input="How would I confirm it?", previous_response_id=Expression("module.first.id")),
            outputs={"ids": "[module.first.id, module.second.id]", "second": "module.second.output_text"},
        )

    config("Name a cause of high latency.")
    tool.init_apply(workdir := tmp_path / "chain")
    first_id, second_id = tool.outputs(workdir)["ids"]["value"]
    first, second = openai_server.response_requests()
    assert second.body == {"model": "gpt-4o", "input": "How would I confirm it?", "previous_response_id": first_id}
    assert first.body["instructions"] == "You are a terse SRE."
    assert tool.outputs(workdir)["second"]["value"].endswith(f"(continuing {first_id})")
    assert tool.plan_exit_code(workdir) == 0
    assert len(openai_server.response_requests()) == 2

    config("Name a cause of packet loss.")
    tool.run(workdir, "apply", "-auto-approve", "-input=false")
    new_first_id, new_second_id = tool.outputs(workdir)["ids"]["value"]
    *_, asked_first, asked_second = openai_server.response_requests()
    assert len(openai_server.response_requests()) == 4
    assert asked_first.body["input"] == "Name a cause of packet loss."
    assert asked_second.body["previous_response_id"] == new_first_id != first_id
    assert new_second_id != second_id
    assert tool.plan_exit_code(workdir) == 0
    assert len(openai_server.response_requests()) == 4


def test_changing_only_the_second_block_asks_only_the_second(tool: Tool, openai_server, tmp_path):
    def config(second_input: str) -> Path:
        return root(
            tmp_path / "second-only",
            block("first", input="Name a planet."),
            block("second", input=second_input, previous_response_id=Expression("module.first.id")),
        )

    tool.init_apply(config("Its moons?"))
    tool.run(config("Its rings?"), "apply", "-auto-approve", "-input=false")
    requests = openai_server.response_requests()
    assert [r.body["input"] for r in requests] == ["Name a planet.", "Its moons?", "Its rings?"]


def test_a_function_round_trip_sends_the_result_back_with_the_calls_id(tool: Tool, openai_server, tmp_path):
    weather = {
        "name": "get_weather",
        "parameters": json.dumps(
            {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
                "additionalProperties": False,
            }
        ),
    }
    answer_items = Expression(
        '[for call in module.ask.function_calls : { type = "function_call_output", call_id = call.call_id, '
        'output = "18 degrees in ${call.arguments_decoded.city}" }]'
    )
    workdir = root(
        tmp_path / "round-trip",
        block("ask", input="Weather in Paris?", tools=[weather]),
        block("answer", previous_response_id=Expression("module.ask.id"), tools=[weather], input_items=answer_items),
        outputs={
            "calls": "module.ask.function_calls",
            "ask_id": "module.ask.id",
            "answer": "module.answer.output_text",
        },
    )
    tool.init_apply(workdir)

    outputs = tool.outputs(workdir)
    [call], ask_id = outputs["calls"]["value"], outputs["ask_id"]["value"]
    assert (call["name"], call["arguments_decoded"]) == ("get_weather", {"city": "sample"})
    asked, answered = openai_server.response_requests()
    assert asked.body["tools"][0]["name"] == "get_weather" and "previous_response_id" not in asked.body
    assert answered.body["input"] == [
        {"type": "function_call_output", "call_id": call["call_id"], "output": "18 degrees in sample"}
    ]
    assert answered.body["previous_response_id"] == ask_id
    assert outputs["answer"]["value"] == (
        f"Echo from gpt-4o: Weather in Paris? ({call['call_id']} returned 18 degrees in sample) (continuing {ask_id})"
    )


def test_a_hosted_tool_is_sent_exactly_as_written(tool: Tool, openai_server, tmp_path):
    search = {
        "type": "web_search",
        "search_context_size": "low",
        "user_location": {"type": "approximate", "country": "GB", "city": "London"},
        "filters": {"allowed_domains": ["example.com"]},
    }
    workdir = root(
        tmp_path / "hosted",
        block("search", input="News about Mars", hosted_tools=[search], include=["web_search_call.action.sources"]),
        outputs={"items": "module.search.output"},
    )
    tool.init_apply(workdir)

    [request] = openai_server.response_requests()
    assert request.body["tools"] == [search]
    searched = tool.outputs(workdir)["items"]["value"][0]
    assert searched["type"] == "web_search_call"
    assert json.loads(searched["json"])["action"]["sources"] == [
        {"type": "url", "url": "https://example.com/loopback-search-result"}
    ]


# -- structured output ------------------------------------------------------------------------------


def test_an_answer_that_breaks_the_schema_fails_the_plan_and_is_not_cached(tool: Tool, openai_server, tmp_path):
    text_format = {"type": "json_schema", "name": "capital", "schema": json.dumps(CAPITAL_SCHEMA), "strict": True}
    workdir = root(tmp_path / "schema", block("capital", input="Spain", text_format=text_format))
    tool.run(workdir, "init", "-input=false")
    openai_server.queue(scripted_response(json.dumps({"capital": "Madrid", "population": "three million"})))

    plan = failed_plan(tool, workdir)

    assert "response: the answer does not match text_format.schema at /population" in plan.message
    assert "'three million' is not of type 'integer'" in plan.message
    assert cache_entries(workdir) == []


# -- guardrails -------------------------------------------------------------------------------------

GUARDRAILS = [
    # (outcome, what the failed plan says, the input that accepts it, or None, and the output that then says so)
    (
        ResponseOutcome("incomplete", reason="max_output_tokens"),
        'the answer was cut off (status = "incomplete", incomplete_details.reason = "max_output_tokens"',
        "allow_length_cutoff",
        ("incomplete_reason", "max_output_tokens"),
    ),
    (
        ResponseOutcome("incomplete", reason="content_filter"),
        'the answer was withheld by the content filter (status = "incomplete", incomplete_details.reason = '
        '"content_filter")',
        "allow_content_filter",
        ("incomplete_reason", "content_filter"),
    ),
    (
        ResponseOutcome(refusal="I can't help with that."),
        """the model refused (status = "completed"): "I can't help with that."; change input""",
        "allow_refusal",
        ("refusal", "I can't help with that."),
    ),
    (
        ResponseOutcome("failed", error_code="server_error", error_message="The model crashed."),
        'the API did not answer: status = "failed", error server_error: The model crashed.; nothing was cached',
        None,
        None,
    ),
    (
        ResponseOutcome("cancelled"),
        'the API did not answer: status = "cancelled" (the API gave no error); nothing was cached',
        None,
        None,
    ),
    (ResponseOutcome("queued"), 'the API answered status = "queued": the response is not ready', None, None),
]


@pytest.mark.parametrize(
    ("outcome", "said", "allow", "accepted"),
    GUARDRAILS,
    ids=["max_output_tokens", "content_filter", "refusal", "failed", "cancelled", "queued"],
)
def test_each_guardrail_fails_the_plan_until_its_allow_input_accepts_it(
    tool: Tool, openai_server, tmp_path, outcome, said, allow, accepted
):
    variables = 'variable "allow" {\n  type    = bool\n  default = false\n}\n'
    settings = {allow: Expression("var.allow")} if allow else {}
    workdir = root(
        tmp_path / "guardrail",
        block("answer", input="Tell me.", max_output_tokens=16, **settings),
        outputs={"answer": "module.answer"},
        variables=variables,
    )
    tool.run(workdir, "init", "-input=false")
    openai_server.queue(outcome)

    plan = failed_plan(tool, workdir)

    assert f"response: {said}" in plan.message
    if allow is not None:
        assert f"{allow} = true" in plan.message
    assert cache_entries(workdir) == []
    if allow is None:
        return
    openai_server.queue(outcome)
    tool.run(workdir, "apply", "-auto-approve", "-input=false", "-var", "allow=true")
    name, value = accepted
    assert tool.outputs(workdir)["answer"]["value"][name] == value
    assert len(openai_server.response_requests()) == 2
    assert tool.plan_exit_code(workdir, "-var", "allow=true") == 0


# -- bad input --------------------------------------------------------------------------------------

STRICT_TOOL = {
    "name": "lookup",
    "parameters": json.dumps(
        {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"], "additionalProperties": False}
    ),
}
# (block name, inputs over model = "gpt-4o" and input = "hi", what its one error line says)
BAD_INPUTS = [
    ("no_input", {"input": None}, "input input: is required: set input (a string) or input_items"),
    (
        "both_inputs",
        {"input_items": [{"role": "user", "content": "hi"}]},
        "input input: cannot be combined with input_items",
    ),
    (
        "item_role",
        {"input": None, "input_items": [{"role": "tool", "content": "x"}]},
        "input input_items[0].role: 'tool'",
    ),
    (
        "item_call_id",
        {"input": None, "input_items": [{"type": "function_call_output", "output": "x"}]},
        "input input_items[0]: 'call_id' is a required property",
    ),
    ("valid", {"instructions": ""}, None),  # the one valid block: it alone is sent
    ("tool_name", {"tools": [{**STRICT_TOOL, "name": "look up"}]}, "input tools[0].name: 'look up' does not match"),
    ("tool_twice", {"tools": [STRICT_TOOL, STRICT_TOOL]}, "input tools[1].name: 'lookup' is declared twice"),
    (
        "tool_not_strict",
        {"tools": [{**STRICT_TOOL, "parameters": json.dumps({"type": "object"})}]},
        "input tools[0].parameters: strict = true needs additionalProperties = false",
    ),
    ("hosted_keys", {"hosted_tools": [{"type": "file_search"}]}, "input hosted_tools[0]: 'vector_store_ids'"),
    ("hosted_type", {"hosted_tools": [{"type": "web-search"}]}, "input hosted_tools[0].type: 'web-search'"),
    (
        "choice_undeclared",
        {"tools": [STRICT_TOOL], "tool_choice": "search"},
        "input tool_choice: names 'search', which is not a declared tool",
    ),
    ("choice_no_tools", {"tool_choice": "auto"}, "input tool_choice: is set, but no tools are declared"),
    ("parallel_no_tools", {"parallel_tool_calls": True}, "input parallel_tool_calls: is set, but no tools"),
    (
        "max_tool_calls",
        {"hosted_tools": [{"type": "web_search"}], "max_tool_calls": 0},
        "input max_tool_calls: 0 is less",
    ),
    ("format_type", {"text_format": {"type": "yaml"}}, "input text_format.type: 'yaml' is not one of"),
    (
        "format_schema",
        {"text_format": {"type": "json_schema", "name": "a"}},
        "input text_format: 'schema' is a required",
    ),
    ("verbosity", {"verbosity": "terse"}, "input verbosity: 'terse' is not one of"),
    ("effort", {"reasoning_effort": "extreme"}, "input reasoning_effort: 'extreme' is not one of"),
    ("summary", {"reasoning_summary": "short"}, "input reasoning_summary: 'short' is not one of"),
    ("max_output_tokens", {"max_output_tokens": 15}, "input max_output_tokens: 15 is less than the minimum of 16"),
    ("temperature", {"temperature": 2.5}, "input temperature: 2.5 is greater than the maximum of 2"),
    ("top_p", {"top_p": 1.5}, "input top_p: 1.5 is greater than the maximum of 1"),
    ("top_logprobs", {"top_logprobs": 21}, "input top_logprobs: 21 is greater than the maximum of 20"),
    (
        "metadata_pairs",
        {"metadata": {f"k{i}": "v" for i in range(17)}},
        "input metadata: has 17 entries; the limit is 16",
    ),
    ("metadata_key", {"metadata": {"k" * 65: "v"}}, "input metadata: is 65 characters long; the limit is 64"),
    ("metadata_value", {"metadata": {"k": "v" * 513}}, "input metadata.k: is 513 characters long; the limit is 512"),
    ("include", {"include": ["reasoning"]}, "input include[0]: 'reasoning' is not one of"),
    ("service_tier", {"service_tier": "cheap"}, "input service_tier: 'cheap' is not one of"),
    ("safety_identifier", {"safety_identifier": "u" * 65}, "input safety_identifier: is 65 characters long"),
    ("previous_response_id", {"previous_response_id": ""}, "input previous_response_id: '' should be non-empty"),
]


def _error_lines(stderr: str) -> list[str]:
    """Each failed block's error line (the helper's, after hashicorp/external's "Error Message:"), from a
    plan's diagnostics."""
    lines = []
    for diagnostic in re.split(r"^(?:│ )?Error: ", stderr, flags=re.M)[1:]:
        text = " ".join(line.lstrip("│ ") for line in diagnostic.splitlines())
        said = re.search(r"(response: .*?)(?: State: exit status \d+)?\s*$", text)
        if said and 'in data "external" "response":' in text:
            lines.append(" ".join(said.group(1).split()))
    return lines


def test_every_bad_input_fails_its_block_at_plan_naming_the_input_with_no_request(tool: Tool, openai_server, tmp_path):
    blocks = [block(name, **{"input": "hi", **inputs}) for name, inputs, _ in BAD_INPUTS]
    workdir = root(tmp_path / "bad", *blocks)
    tool.run(workdir, "init", "-input=false")

    plan = failed_plan(tool, workdir)

    lines = _error_lines(plan.stderr)
    expected = [said for _, _, said in BAD_INPUTS if said is not None]
    assert len(lines) == len(expected), plan.stderr
    for said in expected:
        assert len([line for line in lines if line.startswith(f"response: {said}")]) == 1, (said, lines)
    assert [r.body["instructions"] for r in openai_server.response_requests()] == [""]  # the one valid block


# -- the cache --------------------------------------------------------------------------------------


def test_replay_plans_with_no_api_key_and_a_new_request_fails_naming_it(tool: Tool, openai_server, tmp_path):
    variables = 'variable "input" {\n  type = string\n}\nvariable "mode" {\n  type = string\n}\n'
    workdir = root(
        tmp_path / "replay",
        block("answer", input=Expression("var.input"), cache_mode=Expression("var.mode")),
        outputs={"answer": "module.answer.output_text"},
        variables=variables,
    )
    tool.init_apply(workdir, "-var", "input=Name a planet.", "-var", "mode=read-write")
    del tool.env["OPENAI_API_KEY"]

    assert tool.plan_exit_code(workdir, "-var", "input=Name a planet.", "-var", "mode=replay") == 0
    missing = tool.run(
        workdir, "plan", "-input=false", "-var", "input=Name a moon.", "-var", "mode=replay", check=False
    )

    assert missing.returncode == 1
    assert "response: cache_mode = \"replay\" and no stored answer for the request whose input is 'Name a moon.'" in (
        missing.message
    )
    assert len(openai_server.response_requests()) == 1


def test_two_machines_sharing_a_store_make_one_request(
    tool: Tool, openai_server, s3_server, s3_bucket, s3_env, tmp_path
):
    url = store_url(s3_server, s3_bucket)
    answers = []
    for name in ("laptop", "ci-runner"):
        workdir = root(
            tmp_path / name,
            block("answer", input="Describe the billing service.", cache_url=url),
            outputs={"answer": "module.answer.output_text", "id": "module.answer.id"},
        )
        sockets = tmp_path / f"{name}-run"
        sockets.mkdir()
        machine = Tool(tool.name, tool.env["OPENAI_BASE_URL"], {**s3_env, "XDG_RUNTIME_DIR": str(sockets)})
        machine.init_apply(workdir)
        answers.append(machine.outputs(workdir))
        assert machine.plan_exit_code(workdir) == 0
    assert answers[0] == answers[1]
    assert len(openai_server.response_requests()) == 1


# -- endpoints and faults ---------------------------------------------------------------------------


def test_azure_openai_answers_for_the_deployment_the_model_names(tool: Tool, openai_server, tmp_path):
    azure_endpoint = openai_server.base_url.removesuffix("/v1")
    workdir = root(
        tmp_path / "azure",
        block("answer", model="gpt-4o-prod", input="Describe a VPC.", azure_endpoint=azure_endpoint),
        outputs={"answer": "module.answer.output_text"},
    )
    tool.env["AZURE_OPENAI_API_KEY"] = tool.env.pop("OPENAI_API_KEY")
    tool.init_apply(workdir)

    assert tool.outputs(workdir)["answer"]["value"] == "Echo from gpt-4o-prod: Describe a VPC."
    [request] = openai_server.response_requests()
    assert request.path == "/openai/responses" and "api-version=2025-04-01-preview" in request.headers["x-query"]
    assert request.headers["api-key"] == TEST_API_KEY and "authorization" not in request.headers


FAULTS = [
    # (what the server does, the requests it receives, what the plan says, or None when it answers)
    ([api_error(429, "Rate limit reached.", "requests", "rate_limit_exceeded", headers={"retry-after": "1"})], 2, None),
    ([api_error(503, "The server is overloaded.", "server_error", None)], 2, None),
    (
        [api_error(429, "You exceeded your current quota.", "insufficient_quota", "insufficient_quota")],
        1,
        "response: OpenAI API error 429 insufficient_quota: You exceeded your current quota. -> the account is out of "
        "quota",
    ),
    (
        [api_error(404, "The model `gpt-9` does not exist.", "invalid_request_error", "model_not_found")],
        1,
        "model 'gpt-9' does not exist or this key has no access to it; check the model input",
    ),
    ([RawBody(b"<html>502 Bad Gateway</html>")], 1, "the body is not JSON (28 bytes, starting '<html>502 Bad Gateway"),
]


@pytest.mark.parametrize(
    ("steps", "requests", "said"), FAULTS, ids=["429-then-answer", "503-then-answer", "quota", "model", "garbage"]
)
def test_the_fault_table_for_responses(tool: Tool, openai_server, tmp_path, steps, requests, said):
    workdir = root(
        tmp_path / "fault", block("answer", model="gpt-9", input="Hello"), outputs={"text": "module.answer.output_text"}
    )
    tool.run(workdir, "init", "-input=false")
    openai_server.queue(*steps)

    if said is None:
        tool.run(workdir, "apply", "-auto-approve", "-input=false")
        assert tool.outputs(workdir)["text"]["value"] == "Echo from gpt-9: Hello"
    else:
        plan = failed_plan(tool, workdir)
        assert said in plan.message and plan.message.count("response:") == 1
        assert cache_entries(workdir) == []
    assert len(openai_server.response_requests()) == requests


def test_the_module_test_files_pass(every_tool: Tool, tmp_path):
    assert_module_tests_pass(every_tool, RESPONSE_MODULE_DIR, tmp_path)
