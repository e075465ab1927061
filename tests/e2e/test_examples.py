"""Every example: init, apply, output and a quiet second plan, on Terraform and on OpenTofu."""

from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.e2e.conftest import Tool, copy_root_config

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


CHECKS = {
    "basic_chat": _check_basic_chat,
    "function_calling": _check_function_calling,
    "conversation": _check_conversation,
    "store": _check_store,
    "store_with_metadata": _check_store_with_metadata,
    "pinned_answer": _check_pinned_answer,
}


def test_every_example_has_a_check():
    assert sorted(CHECKS) == EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_applies_and_the_next_plans_are_quiet(tool: Tool, openai_server, tmp_path, example):
    workdir = copy_root_config(REPO_ROOT / "examples" / example, tmp_path / example)
    tool.init_apply(workdir)
    outputs = tool.outputs(workdir)
    [request] = openai_server.completion_requests()
    CHECKS[example](outputs, request.body)
    assert tool.plan_exit_code(workdir) == 0, "a plan after apply must show no changes"
    assert tool.plan_exit_code(workdir) == 0
    assert len(openai_server.completion_requests()) == 1, "plans after apply must not call the API again"
