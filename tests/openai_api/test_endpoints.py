"""Where requests go: Azure OpenAI deployments, and the settings that choose an endpoint."""

import pytest

from testing.helper_process import USER_EXAMPLE, assert_one_error_line
from testing.openai_server import api_error
from testing.secret_canary import TEST_API_KEY


def _azure(openai_server, **overrides):
    settings = {
        "base_url": None,
        "azure_endpoint": openai_server.base_url.removesuffix("/v1"),
        "azure_deployment": "prod-gpt-4o",
        "azure_api_version": "2024-10-21",
    }
    return {**USER_EXAMPLE, **settings, **overrides}


def test_azure_sends_to_the_deployment_with_its_key_header(run_helper, openai_server):
    run = run_helper(_azure(openai_server), env={"OPENAI_API_KEY": "", "AZURE_OPENAI_API_KEY": TEST_API_KEY})
    assert run.returncode == 0, run.stderr
    assert run.result["model"] == "prod-gpt-4o"
    assert run.result["content"] == "Echo from prod-gpt-4o: Tell me about the solar system."
    [request] = openai_server.completion_requests()
    assert request.path == "/openai/deployments/prod-gpt-4o/chat/completions"
    assert "api-version=2024-10-21" in request.headers["x-query"]
    assert request.headers["api-key"] == TEST_API_KEY
    assert "authorization" not in request.headers


def test_azure_answers_are_cached_apart_from_openai_answers(run_helper, openai_server):
    env = {"AZURE_OPENAI_API_KEY": TEST_API_KEY}
    azure = run_helper(_azure(openai_server), env=env).result
    again = run_helper(_azure(openai_server), env=env).result
    other_version = run_helper(_azure(openai_server, azure_api_version="2025-04-01-preview"), env=env).result
    openai = run_helper(USER_EXAMPLE).result
    assert azure == again
    assert len({azure["request_sha256"], other_version["request_sha256"], openai["request_sha256"]}) == 3
    assert len(openai_server.completion_requests()) == 3


def test_azure_without_its_key_names_the_azure_variable(run_helper, openai_server):
    run = run_helper(_azure(openai_server), env={"AZURE_OPENAI_API_KEY": ""})
    assert_one_error_line(run, "AZURE_OPENAI_API_KEY is not set")
    assert openai_server.completion_requests() == []


def test_azure_refusing_the_key_names_the_azure_variable_without_the_key(run_helper, openai_server):
    wrong = "a" * 32
    run = run_helper(_azure(openai_server), env={"AZURE_OPENAI_API_KEY": wrong})
    assert_one_error_line(run, "401", "check AZURE_OPENAI_API_KEY", "not shown")
    assert wrong not in run.stderr


@pytest.mark.parametrize(
    ("overrides", "fragments"),
    [
        ({"azure_deployment": None}, ["input azure_endpoint", "missing azure_deployment"]),
        ({"azure_api_version": "latest"}, ["input azure_api_version", "2024-10-21"]),
        ({"azure_deployment": "has space"}, ["input azure_deployment", "deployment name"]),
        ({"azure_endpoint": "my-resource.openai.azure.com"}, ["input azure_endpoint", "http:// or https://"]),
        ({"base_url": "http://127.0.0.1:9/v1"}, ["input base_url", "cannot be combined with azure_endpoint"]),
    ],
)
def test_azure_settings_are_checked_before_any_call(run_helper, openai_server, overrides, fragments):
    run = run_helper(_azure(openai_server, **overrides), env={"AZURE_OPENAI_API_KEY": TEST_API_KEY})
    assert_one_error_line(run, *fragments)
    assert openai_server.requests == []


def test_azure_rejects_openai_only_settings(run_helper, openai_server):
    run = run_helper(_azure(openai_server, organization="org-123"), env={"AZURE_OPENAI_API_KEY": TEST_API_KEY})
    assert_one_error_line(run, "input organization", "cannot be combined with azure_endpoint")


def test_an_unknown_azure_deployment_points_at_the_azure_settings(run_helper, openai_server):
    openai_server.queue(
        api_error(
            404, "The API deployment for this resource does not exist.", "invalid_request_error", "DeploymentNotFound"
        )
    )
    run = run_helper(_azure(openai_server), env={"AZURE_OPENAI_API_KEY": TEST_API_KEY})
    assert_one_error_line(run, "404", "no deployment 'prod-gpt-4o'", "check azure_deployment and azure_api_version")


def test_a_key_that_does_not_look_like_a_key_is_still_kept_out_of_errors(run_helper, openai_server):
    azure_style_key = "0123456789abcdef" * 2
    openai_server.queue(
        api_error(401, f"Access denied: key {azure_style_key} is invalid.", "invalid_request_error", "401")
    )
    run = run_helper(_azure(openai_server), env={"AZURE_OPENAI_API_KEY": azure_style_key})
    assert_one_error_line(run, "401", "[redacted]")
    assert azure_style_key not in run.stderr


def test_an_openai_base_url_with_credentials_is_refused_without_showing_it(run_helper, openai_server):
    with_credentials = openai_server.base_url.replace("://", "://someone:hunter2@")
    run = run_helper({**USER_EXAMPLE, "base_url": None}, env={"OPENAI_BASE_URL": with_credentials})
    assert_one_error_line(run, "OPENAI_BASE_URL must be", "no credentials", "value is not shown")
    assert "hunter2" not in run.stderr + run.stdout
    assert openai_server.completion_requests() == []


def test_openai_base_url_is_used_when_base_url_is_not_set(run_helper, openai_server):
    run = run_helper({**USER_EXAMPLE, "base_url": None}, env={"OPENAI_BASE_URL": openai_server.base_url})
    assert run.returncode == 0, run.stderr
    assert len(openai_server.completion_requests()) == 1
