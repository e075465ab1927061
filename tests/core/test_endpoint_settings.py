"""The endpoint settings every flow takes (core/settings.py): refused naming the input before any request,
or accepted as written."""

import pytest
from chat_helper.core.settings import parse_endpoint_settings

from testing.helper_process import USER_EXAMPLE, assert_one_error_line

AZURE_API_VERSION = "2024-10-21"  # the module's default, sent with azure_endpoint

# (what is wrong, inputs merged over a valid request, fragments the one error line must hold)
BAD_SETTINGS = [
    ("base_url without a scheme", {"base_url": "api.openai.com/v1"}, ["input base_url", "http://"]),
    (
        "base_url with credentials",
        {"base_url": "https://someone@api.example.com/v1"},
        ["input base_url", "credentials"],
    ),
    ("base_url with a space", {"base_url": "https://api.example.com/my v1"}, ["input base_url", "spaces"]),
    ("organization with a newline", {"organization": "org-1\nX"}, ["input organization", "printable ASCII"]),
    ("timeout_seconds zero", {"timeout_seconds": 0}, ["input timeout_seconds"]),
    ("base url not http", {"base_url": "ftp://example.com/v1"}, ["input base_url"]),
    (
        "azure endpoint not a url",
        {"azure_endpoint": "my-resource.openai.azure.com", "azure_deployment": "gpt-4o"},
        ["input azure_endpoint"],
    ),
    (
        "azure deployment bad name",
        {"azure_endpoint": "https://my-resource.openai.azure.com", "azure_deployment": "has space"},
        ["input azure_deployment"],
    ),
    (
        "azure endpoint without deployment",
        {"azure_endpoint": "https://my-resource.openai.azure.com"},
        ["input azure_endpoint"],
    ),
    (
        "azure endpoint with credentials",
        {"azure_endpoint": "https://someone@my-resource.openai.azure.com", "azure_deployment": "gpt-4o"},
        ["input azure_endpoint"],
    ),
    (
        "azure endpoint with base url",
        {
            "azure_endpoint": "https://my-resource.openai.azure.com",
            "azure_deployment": "gpt-4o",
            "base_url": "https://api.openai.com/v1",
        },
        ["input base_url"],
    ),
    (
        "azure endpoint with organization",
        {
            "azure_endpoint": "https://my-resource.openai.azure.com",
            "azure_deployment": "gpt-4o",
            "organization": "org-123",
        },
        ["input organization"],
    ),
]


@pytest.mark.parametrize(("case", "inputs", "fragments"), BAD_SETTINGS, ids=[c[0] for c in BAD_SETTINGS])
def test_a_bad_endpoint_setting_is_refused_naming_it_before_any_call(
    run_helper, openai_server, case, inputs, fragments
):
    query = {**USER_EXAMPLE, **inputs}
    if "azure_endpoint" in query:  # as the module sends it: with its API version, and no loopback base_url
        query = {"azure_api_version": AZURE_API_VERSION, "base_url": None, **query}
    assert_one_error_line(run_helper(query), "chat_completion:", *fragments)
    assert openai_server.requests == []


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/v1", "http://[::1]:8080/v1", "http://llm_server:8080/v1", "https://x.example/v1?a=b"]
)
def test_a_base_url_of_any_host_name_or_address_is_accepted(url):
    assert parse_endpoint_settings({"base_url": url}).base_url == url
    azure = parse_endpoint_settings({"azure_endpoint": url, "azure_deployment": "d", "azure_api_version": "2024-10-21"})
    assert azure.azure_endpoint == url
