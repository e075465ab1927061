"""Through a real gateway (the LiteLLM proxy in front of the loopback server), with Terraform and OpenTofu:
the user's examples answer with the parameters exact on the wire and plan quietly again; a rate limit's
wait is honoured, a quota error is not retried, and a read of stored completions says the gateway does
not serve it. The gateway's master key is in the secret canary like every other key."""

from pathlib import Path
from typing import Any

import pytest

from testing.litellm_gateway import LiteLLMGateway
from testing.openai_server import OpenAIServer, api_error
from testing.paths import EXAMPLES_DIR
from testing.terraform_tool import Tool, copy_root_config

EXAMPLES = (
    "basic_chat",
    "function_calling",
    "conversation",
    "store_with_metadata",
    "tool_calling",
    "structured_output",
)


def through(tool: Tool, gateway: LiteLLMGateway) -> Tool:
    """The tool pointed at the gateway, with the gateway's key, as a team behind one runs it."""
    return Tool(tool.name, gateway.base_url, {"OPENAI_API_KEY": gateway.master_key})


def applied(tool: Tool, example: str, workdir: Path, server: OpenAIServer) -> tuple[dict[str, Any], list[Any]]:
    """The example's outputs, and the bodies the upstream received for its apply."""
    before = len(server.completion_requests())
    copy_root_config(EXAMPLES_DIR / example, workdir)
    tool.init_apply(workdir)
    return tool.outputs(workdir), [request.body for request in server.completion_requests()[before:]]


def gateway_for(example: str, request: pytest.FixtureRequest) -> LiteLLMGateway:
    """LiteLLM drops a request's metadata unless told otherwise (enable_preview_features), and told so
    it adds metadata of its own to a request that sends none: the example that sends metadata goes
    through a gateway told so, the others through one with LiteLLM's defaults."""
    fixture = "team_gateway" if example == "store_with_metadata" else "litellm_gateway"
    gateway: LiteLLMGateway = request.getfixturevalue(fixture)
    return gateway


@pytest.mark.parametrize("example", [*EXAMPLES, "store_with_metadata"])
def test_an_example_through_the_gateway_sends_exactly_what_it_sends_direct(
    tool: Tool, openai_server, request, tmp_path, example
):
    direct_outputs, direct_bodies = applied(tool, example, tmp_path / "direct", openai_server)
    gateway_tool = through(tool, gateway_for(example, request))

    outputs, bodies = applied(gateway_tool, example, tmp_path / "gateway", openai_server)

    assert bodies == direct_bodies, "the upstream must receive through the gateway what it receives direct"
    assert {name: output["value"] for name, output in outputs.items() if "id" not in name} == {
        name: output["value"] for name, output in direct_outputs.items() if "id" not in name
    }
    requests = len(openai_server.completion_requests())
    assert gateway_tool.plan_exit_code(tmp_path / "gateway") == 0
    assert len(openai_server.completion_requests()) == requests


def test_a_rate_limits_wait_is_honoured_through_the_gateway(tool: Tool, openai_server, litellm_gateway, tmp_path):
    limited = api_error(
        429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", headers={"retry-after": "2"}
    )
    openai_server.queue(limited)
    gateway_tool = through(tool, litellm_gateway)

    outputs, _ = applied(gateway_tool, "basic_chat", tmp_path / "limited", openai_server)

    assert outputs["assistant_response"]["value"] == "Echo from gpt-3.5-turbo: Tell me about the solar system."
    first, second = openai_server.completion_requests()
    assert second.arrived - first.arrived >= 1.9, (
        "the upstream's retry-after (as llm_provider-retry-after) was not waited for"
    )


def test_a_quota_error_through_the_gateway_is_one_line_and_not_retried(
    tool: Tool, openai_server, litellm_gateway, tmp_path
):
    quota = "You exceeded your current quota, please check your plan and billing details."
    openai_server.queue(api_error(429, quota, "insufficient_quota", "insufficient_quota"))
    gateway_tool = through(tool, litellm_gateway)
    workdir = copy_root_config(EXAMPLES_DIR / "basic_chat", tmp_path / "quota")
    gateway_tool.run(workdir, "init", "-input=false")

    plan = gateway_tool.run(workdir, "plan", "-input=false", check=False)

    assert plan.returncode == 1
    assert (
        "chat_completion: OpenAI API error 429: You exceeded your current quota, please check your plan and billing"
        in (plan.message)
    )
    assert "out of quota: check the plan and billing details (not retried)" in plan.message
    assert "litellm" not in plan.message.lower() and "429 429" not in plan.message
    assert len(openai_server.completion_requests()) == 1


def test_stored_completions_through_the_gateway_say_it_does_not_serve_them(
    tool: Tool, openai_server, litellm_gateway, tmp_path
):
    gateway_tool = through(tool, litellm_gateway)
    workdir = copy_root_config(EXAMPLES_DIR / "stored_completion", tmp_path / "stored")
    gateway_tool.run(workdir, "init", "-input=false")

    apply = gateway_tool.run(workdir, "apply", "-auto-approve", "-input=false", check=False)

    assert apply.returncode == 1
    assert f"stored_completion: the server at {litellm_gateway.base_url} does not serve stored chat completions" in (
        apply.message
    )
    assert "check base_url" in apply.message and '{"detail"' not in apply.message
    assert openai_server.completion_requests()[0].body["store"] is True  # the completion was stored upstream
