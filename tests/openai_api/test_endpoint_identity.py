"""An endpoint's part of the cache key: no credential a base URL carries, one identity per configuration,
and the identity of every common configuration as it always was (existing caches still hit)."""

import json

import pytest
from chat_helper.answers.fingerprint import request_identity, request_sha256
from chat_helper.core.redaction import safe_line, url_without_credentials
from chat_helper.openai_api.endpoint import Endpoint

from testing.bare_python import refusing_port
from testing.helper_process import USER_EXAMPLE, assert_one_error_line

OPENAI = "https://api.openai.com/v1"
TOKEN = "Xk29fLq0ZpW7mNvB4cR8tY1u"  # a path token as a gateway may take one
HEX_TOKEN = "9f86d081884c7d659a2feaa0c55ad015"  # lowercase hex: only its name says it is a credential
REQUEST = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}

# (organization, project, the identity, the request_sha256 of REQUEST under it as main at 8f8c0f5 made it)
KEPT = [
    (None, None, OPENAI, "1232b6a893f619161c252bef6fe645d9806274b98a83d2db03176ad712afa863"),
    ("org-abc", None, f"{OPENAI} org-abc", "3f8d751a163f48f5bbd22688d7a9b7da602e04117242b736145313fa29e2442b"),
    (None, "proj_abc", f"{OPENAI} proj_abc", "56508c7028de8325a75f203faa05e0a6bec42c9f1f5cd52460950ab62ffe841b"),
    (
        "org-abc",
        "proj_abc",
        f"{OPENAI} org-abc proj_abc",
        "f99835296dcbd0c4f77edba3d1c9206b9df0575f012484e8d909d99c56d63803",
    ),
]


@pytest.mark.parametrize(("organization", "project", "identity", "key"), KEPT)
def test_the_common_configurations_keep_their_identity_and_their_cache_keys(organization, project, identity, key):
    endpoint = Endpoint(OPENAI, organization, project)
    assert endpoint.identity == identity
    assert request_sha256(request_identity(REQUEST, endpoint.identity, "")) == key


def test_a_plain_base_url_keeps_its_cache_key():
    endpoint = Endpoint("http://127.0.0.1:8080/v1", None, None)
    key = request_sha256(request_identity(REQUEST, endpoint.identity, ""))
    assert key == "4e750337eedb6e194dd48d8fd7e3d1ecadaa3822a8c318702fa7069f1a753b4c"


def test_organization_and_project_of_the_same_value_are_two_identities():
    identities = {
        Endpoint(OPENAI, "X", None).identity,
        Endpoint(OPENAI, None, "X").identity,
        Endpoint(OPENAI, "X", "X").identity,
        Endpoint(OPENAI, "X Y", None).identity,
        Endpoint(OPENAI, "X", "Y").identity,
        Endpoint(OPENAI, "proj_X", None).identity,
        Endpoint(OPENAI, None, "proj_X").identity,
        Endpoint(OPENAI, 'project="X"', None).identity,
    }
    assert len(identities) == 8


@pytest.mark.parametrize(
    "url",
    [
        f"https://gateway.example.com/{TOKEN}/v1",
        "https://gateway.example.com/sk-live-0123456789/v1",
        f"https://gateway.example.com/v1?key={TOKEN}",
        f"https://gateway.example.com/v1#{TOKEN}",
        f"https://gateway.example.com/token-{HEX_TOKEN}/v1",  # a segment that names itself a token
        f"https://gateway.example.com/api_key={HEX_TOKEN}/v1",
        f"https://gateway.example.com/token/{HEX_TOKEN}/v1",  # the segment after one that is only the name
    ],
)
def test_a_credential_in_the_base_url_is_in_no_identity_and_no_line(url):
    secret = next(value for value in (TOKEN, HEX_TOKEN, "sk-live-0123456789") if value in url)
    endpoint = Endpoint(url, None, None)
    entry = json.dumps(request_identity(REQUEST, endpoint.identity, ""))
    assert secret not in entry and "gateway.example.com" in entry
    assert secret not in safe_line(f"no answer from {url}; check base_url") and "[redacted]" in entry


@pytest.mark.parametrize(
    "url",
    [
        OPENAI,
        "https://api.cloudflare.com/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/ai/v1",
        "https://gateway.example.com/123e4567-e89b-12d3-a456-426614174000/v1",
        "https://generativelanguage.googleapis.com/v1beta/openai",
        "http://[::1]:8080/v1",
        "https://gateway.example.com/tokenizer/v1",  # a word that starts like a credential's name
    ],
)
def test_a_url_without_credentials_is_shown_and_kept_as_it_is(url):
    assert url_without_credentials(url) == url
    assert Endpoint(url, None, None).identity == url


def test_a_failure_line_shows_openai_base_url_without_its_credential(run_helper, openai_server):
    url = f"http://127.0.0.1:{refusing_port()}/{TOKEN}/v1"
    run = run_helper({**USER_EXAMPLE, "base_url": None, "timeout_seconds": 5}, env={"OPENAI_BASE_URL": url})
    assert_one_error_line(run, f"cannot reach {url.replace(TOKEN, '[redacted]')}")
    assert TOKEN not in run.stderr
