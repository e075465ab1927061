"""The LiteLLM gateway harness (testing/litellm_gateway.py), and what LiteLLM 1.108.7 does that the helper's
error handling will rest on (testing/gateway/FINDINGS.md): a change of LiteLLM shows here first."""

import json
import os
import time
from pathlib import Path

import openai
import pytest

from testing.helper_process import USER_EXAMPLE
from testing.litellm_gateway import LiteLLMGateway, gateway_unavailable_reason, require_gateway
from testing.openai_server import OpenAIServer, api_error
from testing.secret_canary import TEST_API_KEY, assert_no_canary

SETTLE_SECONDS = 1.0  # for a request LiteLLM might still send upstream after it answered (a retry of its own)
RATE_LIMITED = "Rate limit reached for gpt-4o in organization org-x on requests per min (RPM): Limit 3, Used 3."


def client_of(gateway: LiteLLMGateway, api_key: str | None = None) -> openai.OpenAI:
    """A client as the helper makes it: the openai SDK with its own retries off."""
    return openai.OpenAI(base_url=gateway.base_url, api_key=api_key or gateway.master_key, max_retries=0, timeout=30)


def failed_call(gateway: LiteLLMGateway, model: str = "gpt-4o", api_key: str | None = None) -> openai.APIStatusError:
    with pytest.raises(openai.APIStatusError) as caught:
        client_of(gateway, api_key).chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])
    response = caught.value.response
    assert_no_canary("a LiteLLM error response", response.text, json.dumps(dict(response.headers)))
    return caught.value


def upstream_requests_after_settling(server: OpenAIServer) -> list[str]:
    time.sleep(SETTLE_SECONDS)
    return [f"{request.method} {request.path}" for request in server.requests]


# -- the harness ---------------------------------------------------------------------------------


def test_a_missing_venv_is_named_with_the_way_to_build_it(tmp_path: Path) -> None:
    reason = gateway_unavailable_reason(tmp_path / "gateway-venv")
    assert reason is not None
    assert str(tmp_path / "gateway-venv") in reason and "scripts/toolchain.sh" in reason


def test_a_gateway_that_exits_at_start_fails_with_the_tail_of_its_log(tmp_path: Path) -> None:
    venv = tmp_path / "gateway-venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text("#!/bin/sh\necho 'config could not be read: line 3'\nexit 3\n")
    python.chmod(0o755)
    (venv / ".installed").write_text("stamp\n")
    gateway = LiteLLMGateway("http://127.0.0.1:9/v1", "upstream-key", venv=venv)
    with pytest.raises(RuntimeError, match=r"exited with status 3 .*\n.*config could not be read: line 3"):
        gateway.start()
    assert gateway.process is None
    assert not gateway.folder.exists()


def test_a_gateway_of_its_own_starts_quietly_serves_only_its_models_and_leaves_no_process() -> None:
    """One start for the whole life of a gateway (each start costs 7-8 s): no request upstream while it
    starts, no key in its config file, a model name it does not serve refused before the upstream
    (wildcard=False), and no process or folder left once it stops."""
    require_gateway()
    with OpenAIServer(api_key="upstream-key-for-this-test", validate_requests=False) as upstream:
        gateway = LiteLLMGateway(upstream.base_url, "upstream-key-for-this-test", wildcard=False).start()
        try:
            assert upstream.requests == [], "no model list, health check or cost map is asked for at start"
            config = (gateway.folder / "config.yaml").read_text()
            assert gateway.master_key not in config and "upstream-key-for-this-test" not in config
            error = failed_call(gateway, model="some-new-model-2099")
            assert (error.status_code, error.type) == (400, "invalid_request_error")
            assert "Invalid model name passed in model=some-new-model-2099" in error.message
            assert upstream.requests == []
            assert client_of(gateway).chat.completions.create(
                model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
            )
            process = gateway.process
            assert process is not None
        finally:
            gateway.stop()
        assert process.returncode is not None
        with pytest.raises(ProcessLookupError):
            os.kill(process.pid, 0)
        assert not gateway.folder.exists()


def test_a_completion_goes_through_the_gateway_with_the_upstream_key(
    litellm_gateway: LiteLLMGateway, openai_server: OpenAIServer
) -> None:
    completion = client_of(litellm_gateway).chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
    )
    assert completion.choices[0].message.content == "Echo from gpt-4o: hi"
    [request] = openai_server.completion_requests()
    assert request.body == {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
    assert request.headers["authorization"] == f"Bearer {TEST_API_KEY}"  # the gateway's key upstream, not the client's


def test_any_model_name_passes_through_the_wildcard(
    litellm_gateway: LiteLLMGateway, openai_server: OpenAIServer
) -> None:
    completion = client_of(litellm_gateway).chat.completions.create(
        model="some-new-model-2099", messages=[{"role": "user", "content": "hi"}]
    )
    assert completion.model == "some-new-model-2099"
    assert [r.body["model"] for r in openai_server.completion_requests()] == ["some-new-model-2099"]


def test_the_helper_answers_through_the_gateway(run_helper, litellm_gateway: LiteLLMGateway, openai_server) -> None:
    run = run_helper(
        {**USER_EXAMPLE, "base_url": litellm_gateway.base_url}, env={"OPENAI_API_KEY": litellm_gateway.master_key}
    )
    assert run.returncode == 0, run.stderr
    assert run.result["content"] == "Echo from gpt-3.5-turbo: Tell me about the solar system."
    assert len(openai_server.completion_requests()) == 1


def test_metadata_is_dropped_on_the_wire_without_preview_features(
    litellm_gateway: LiteLLMGateway, openai_server: OpenAIServer
) -> None:
    client_of(litellm_gateway).chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hi"}], store=True, metadata={"category": "geography"}
    )
    [request] = openai_server.completion_requests()
    assert request.body == {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "store": True}


def test_a_developer_message_reaches_gpt_4o_as_a_system_message(
    litellm_gateway: LiteLLMGateway, openai_server: OpenAIServer
) -> None:
    messages = [{"role": "developer", "content": "Be brief."}, {"role": "user", "content": "hi"}]
    client_of(litellm_gateway).chat.completions.create(model="gpt-4o", messages=messages)
    [request] = openai_server.completion_requests()
    assert [m["role"] for m in request.body["messages"]] == ["system", "user"]


# -- LiteLLM's own retries are off: the helper's policy is the only one ----------------------------


@pytest.mark.parametrize("status", [500, 503])
def test_the_gateway_does_not_retry_a_server_error_itself(
    litellm_gateway: LiteLLMGateway, openai_server: OpenAIServer, status: int
) -> None:
    openai_server.queue(*[api_error(status, "The server had an error.", "server_error", None)] * 3)
    error = failed_call(litellm_gateway)
    assert error.status_code == status
    assert upstream_requests_after_settling(openai_server) == ["POST /v1/chat/completions"]


def test_the_gateway_does_not_retry_a_rate_limit_itself(litellm_gateway: LiteLLMGateway, openai_server) -> None:
    openai_server.queue(
        *[api_error(429, RATE_LIMITED, "requests", "rate_limit_exceeded", headers={"retry-after": "1"})] * 3
    )
    error = failed_call(litellm_gateway)
    assert error.status_code == 429
    assert upstream_requests_after_settling(openai_server) == ["POST /v1/chat/completions"]


# -- what LiteLLM 1.108.7 does to an upstream's error (FINDINGS.md) ---------------------------------


def test_the_upstream_retry_headers_arrive_only_under_the_llm_provider_prefix(
    litellm_gateway: LiteLLMGateway, openai_server: OpenAIServer
) -> None:
    headers = {"retry-after-ms": "1500", "retry-after": "2"}
    openai_server.queue(api_error(429, RATE_LIMITED, "requests", "rate_limit_exceeded", headers=headers))
    received = failed_call(litellm_gateway).response.headers
    assert (received.get("llm_provider-retry-after-ms"), received.get("llm_provider-retry-after")) == ("1500", "2")
    assert "retry-after" not in received and "retry-after-ms" not in received


def test_the_upstream_error_code_is_replaced_by_the_status_and_the_message_is_wrapped(
    litellm_gateway: LiteLLMGateway, openai_server: OpenAIServer
) -> None:
    quota = "You exceeded your current quota, please check your plan and billing details."
    openai_server.queue(api_error(429, quota, "insufficient_quota", "insufficient_quota"))
    error = failed_call(litellm_gateway)
    assert (error.status_code, error.code, error.type) == (429, "429", "throttling_error")
    assert error.message.startswith(
        f"Error code: 429 - litellm.RateLimitError: RateLimitError: OpenAIException - {quota}"
    )


@pytest.mark.parametrize("wrong_key", ["sk-wrong-0123456789abcdef", "canary-wrong-0123456789abcdef"])
def test_a_wrong_master_key_is_refused_without_echo_and_without_a_request_upstream(
    litellm_gateway: LiteLLMGateway, openai_server: OpenAIServer, wrong_key: str
) -> None:
    error = failed_call(litellm_gateway, api_key=wrong_key)
    # With no database (this harness), LiteLLM looks any other key up in one it does not have.
    assert (error.status_code, error.type, error.message) == (
        400,
        "no_db_connection",
        "Error code: 400 - No connected db.",
    )
    assert wrong_key[-6:] not in error.response.text
    assert openai_server.requests == []


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/chat/completions", 405, "Method Not Allowed"),
        ("/chat/completions/chatcmpl-test000001", 404, "Not Found"),
        ("/chat/completions/chatcmpl-test000001/messages", 404, "Not Found"),
    ],
)
def test_stored_completion_reads_are_not_served_by_the_gateway(
    litellm_gateway: LiteLLMGateway, openai_server: OpenAIServer, path: str, status: int, detail: str
) -> None:
    client = client_of(litellm_gateway)
    with pytest.raises(openai.APIStatusError) as caught:
        client.get(path, cast_to=object)
    assert caught.value.status_code == status
    assert caught.value.response.json() == {"detail": detail}
    assert openai_server.requests == []
