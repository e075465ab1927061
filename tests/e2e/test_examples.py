"""Every example: init, apply, output and a quiet second plan, on Terraform and on OpenTofu."""

import json
from typing import Any

import pytest

from testing.paths import REPO_ROOT
from testing.terraform_tool import Tool, copy_root_config

EXAMPLES = sorted(p.name for p in (REPO_ROOT / "examples").iterdir() if (p / "main.tf").is_file())


def _check_basic_chat(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    assert outputs["assistant_response"]["value"] == "Echo from gpt-3.5-turbo: Tell me about the solar system."
    assert outputs["usage"]["type"] == [
        "object",
        {"completion_tokens": "number", "prompt_tokens": "number", "total_tokens": "number"},
    ]
    assert body["temperature"] == 0.7 and body["max_tokens"] == 500


def _check_function_calling(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    call = outputs["function_call"]["value"]
    assert call["name"] == "get_current_weather"
    assert outputs["function_arguments"]["value"] == {"location": "sample"}
    assert body["function_call"] == "auto"
    assert body["functions"][0]["parameters"]["required"] == ["location"]


def _check_conversation(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    assert outputs["answer"]["value"] == "Echo from gpt-4: Where was it played?"
    assert outputs["finish_reason"]["value"] == "stop"
    assert [m["role"] for m in body["messages"]] == ["system", "user", "assistant", "user"]


def _check_store(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    assert outputs["completion_id"]["value"].startswith("chatcmpl-")
    assert body["store"] is True and "metadata" not in body


def _check_store_with_metadata(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    assert outputs["completion_id"]["value"].startswith("chatcmpl-")
    assert body["store"] is True and body["metadata"] == {"category": "geography"}


def _check_pinned_answer(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    assert outputs["runbook"]["value"].startswith("Echo from gpt-4o: Three steps to rotate")
    assert outputs["completion_id"]["value"].startswith("chatcmpl-")
    assert [m["role"] for m in body["messages"]] == ["system", "user"]


def _check_tool_calling(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    [call] = outputs["tool_calls"]["value"]
    assert call["name"] == "open_ticket" and call["id"] and call["type"] == "function"
    assert outputs["ticket"]["value"] == {"title": "sample", "severity": "low", "host": "sample"}
    assert outputs["summary"]["value"] == "Echo from gpt-4o: Summarise what was done."
    assert body["tool_choice"] == {"type": "function", "function": {"name": "open_ticket"}}
    assert body["parallel_tool_calls"] is False
    assert body["tools"][1] == {
        "type": "function",
        "function": {"name": "page_on_call", "description": "Page whoever is on call (no arguments)"},
    }


def _check_structured_output(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    assert outputs["policy"]["value"] == {
        "statements": [{"effect": "Allow", "actions": ["sample"], "resources": ["sample"]}]
    }
    assert outputs["first_effect"]["value"] == "Allow"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True


def _check_current_parameters(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    assert outputs["runbook"]["sensitive"] is True
    assert outputs["runbook"]["value"] == "Echo from gpt-5-mini: Rotate the database credentials."
    provenance = outputs["provenance"]["value"]
    assert provenance["service_tier"] == "flex" and provenance["system_fingerprint"] == "fp_loopback"
    assert len(provenance["request_sha256"]) == 64
    sent = {k: body[k] for k in ("max_completion_tokens", "reasoning_effort", "verbosity", "seed", "service_tier")}
    assert sent == {
        "max_completion_tokens": 2000,
        "reasoning_effort": "low",
        "verbosity": "low",
        "seed": 42,
        "service_tier": "flex",
    }
    assert "max_tokens" not in body and len(body["safety_identifier"]) == 64


def _check_compatible_endpoint(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    assert outputs["answer"]["value"] == "Echo from llama-3.1-8b-instruct: Name three uses of a bastion host."
    assert body["temperature"] == 0.2


def _check_azure_openai(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    assert outputs["deployment_model"]["value"] == "gpt-4o-prod"
    assert outputs["description"]["value"].startswith("Echo from gpt-4o-prod: Write a one-line description")


def _check_stored_completion(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    assert outputs["stored_answer"]["value"] == "Echo from gpt-4o: What is the capital of France?"
    assert outputs["stored_metadata"]["value"] == body["metadata"]
    assert outputs["geography_ids"]["value"] == [outputs["completion_id"]["value"]]


def _check_many_prompts(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    descriptions = outputs["descriptions"]["value"]
    assert sorted(descriptions) == ["billing", "payments", "search"]
    assert descriptions["billing"].startswith("Echo from gpt-4o-mini: Describe the billing service.")
    assert outputs["billing_model"]["value"] == "gpt-4o-mini" and outputs["tokens_used"]["value"] > 0
    assert body["temperature"] == 0.2 and body["max_tokens"] == 60 and body["messages"][0]["role"] == "system"


def _check_response_basic(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    assert outputs["answer"]["value"] == "Echo from gpt-4o-mini: What does a NAT gateway do?"
    assert outputs["response_id"]["value"].startswith("resp_")
    assert outputs["usage"]["type"] == [
        "object",
        {
            "cached_tokens": "number",
            "input_tokens": "number",
            "output_tokens": "number",
            "reasoning_tokens": "number",
            "total_tokens": "number",
        },
    ]
    assert body == {
        "model": "gpt-4o-mini",
        "instructions": "Answer in two sentences, for an engineer new to AWS.",
        "input": "What does a NAT gateway do?",
        "metadata": {"example": "response_basic"},
    }


def _check_response_chaining(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    first_id, second_id = outputs["chain"]["value"]
    assert outputs["first_answer"]["value"] == "Echo from gpt-4o-mini: Name one cause of a rising p99 latency."
    assert outputs["follow_up_answer"]["value"] == (
        f"Echo from gpt-4o-mini: How would I confirm it on a Linux host? (continuing {first_id})"
    )  # the server read the first response's conversation: previous_response_id arrived
    assert second_id != first_id
    assert body["instructions"] == "You are a terse SRE." and "previous_response_id" not in body


def _check_response_function_round_trip(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    [call] = outputs["function_calls"]["value"]
    assert call["name"] == "get_weather" and call["arguments_decoded"] == {"city": "sample", "unit": "celsius"}
    result = '{"city":"sample","conditions":"rain","temperature":12,"unit":"celsius"}'
    assert outputs["answer"]["value"].startswith(
        f"Echo from gpt-4o: Should I take a coat in Paris today? ({call['call_id']} returned {result})"
    )
    assert body["tool_choice"] == {"type": "function", "name": "get_weather"}
    assert body["tools"][0]["strict"] is True and body["tools"][0]["parameters"]["required"] == ["city", "unit"]


def _check_response_structured_output(outputs: dict[str, Any], body: dict[str, Any]) -> None:
    assert outputs["capital"]["value"] == {"city": "sample", "population": 1, "landmarks": ["sample"]}
    assert outputs["city"]["value"] == "sample"
    text_format = body["text"]["format"]
    assert (text_format["type"], text_format["name"], text_format["strict"]) == ("json_schema", "capital", True)


CHECKS = {
    "basic_chat": _check_basic_chat,
    "function_calling": _check_function_calling,
    "conversation": _check_conversation,
    "store": _check_store,
    "store_with_metadata": _check_store_with_metadata,
    "pinned_answer": _check_pinned_answer,
    "tool_calling": _check_tool_calling,
    "structured_output": _check_structured_output,
    "current_parameters": _check_current_parameters,
    "compatible_endpoint": _check_compatible_endpoint,
    "azure_openai": _check_azure_openai,
    "stored_completion": _check_stored_completion,
    "many_prompts": _check_many_prompts,
    "response_basic": _check_response_basic,
    "response_chaining": _check_response_chaining,
    "response_function_round_trip": _check_response_function_round_trip,
    "response_structured_output": _check_response_structured_output,
}


def _apply_arguments(example: str, base_url: str) -> list[str]:
    """Examples whose endpoint is a variable point it at the loopback server."""
    if example == "compatible_endpoint":
        return ["-var", f"base_url={base_url}"]
    if example == "azure_openai":
        return ["-var", f"azure_endpoint={base_url.removesuffix('/v1')}"]
    return []


def _answer_requests(openai_server: Any) -> list[Any]:
    """The requests that asked for an answer: chat completions and responses, in the order they came."""
    return [
        r
        for r in openai_server.requests
        if r in openai_server.completion_requests() + openai_server.response_requests()
    ]


def test_every_example_has_a_check():
    assert sorted(CHECKS) == EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_applies_and_the_next_plans_are_quiet(every_tool: Tool, openai_server, tmp_path, example):
    tool = every_tool
    workdir = copy_root_config(REPO_ROOT / "examples" / example, tmp_path / example)
    arguments = _apply_arguments(example, openai_server.base_url)
    if example == "azure_openai":
        tool.env["AZURE_OPENAI_API_KEY"] = tool.env.pop("OPENAI_API_KEY")
    tool.init_apply(workdir, *arguments)
    outputs = tool.outputs(workdir)
    requests = _answer_requests(openai_server)
    CHECKS[example](outputs, requests[0].body)
    assert tool.plan_exit_code(workdir, *arguments) == 0, "a plan after apply must show no changes"
    assert tool.plan_exit_code(workdir, *arguments) == 0
    assert len(_answer_requests(openai_server)) == len(requests), "plans after apply must not call the API again"
    tool.run(workdir, "plan", "-input=false", "-out=saved.tfplan", *arguments)
    shown = json.loads(tool.run(workdir, "show", "-json", "saved.tfplan").stdout)  # Tool.run checks for the key
    assert shown["prior_state"]["values"]["root_module"], "the saved plan carries the state the canary scan reads"
