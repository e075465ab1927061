"""The helper run as hashicorp/external runs it: a query of JSON-encoded strings on stdin, one answer
or one error line out."""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import HELPER
from .secret_canary import TEST_API_KEY, assert_no_canary

CHAT_FLOW = "chat_completion"
STORED_FLOW = "stored_completion"
RESPONSE_FLOW = "response"
STORED_RESPONSE_FLOW = "stored_response"
# The user's own example request (MISSION.md).
USER_EXAMPLE: dict[str, Any] = {
    "model": "gpt-3.5-turbo",
    "messages": [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "Tell me about the solar system."},
    ],
    "temperature": 0.7,
    "max_tokens": 500,
}
# Past timeout_seconds, what a bounded call may still take on a loaded 2-core machine: a Python
# start, the worker's start or its own short read of the store first, and writing the error line.
SLACK_SECONDS = 7.0


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


def encode_query(inputs: dict[str, Any], flow: str = CHAT_FLOW) -> dict[str, str]:
    """What a module's query does: the key naming its flow, and jsonencode every input that is not null."""
    return {name: json.dumps(value) for name, value in {"flow": flow, **inputs}.items() if value is not None}


def own_rate_limits_env(folder: Path) -> dict[str, str]:
    """A test's own rate-limit view (answers/pacing.py): the session's one server is one endpoint, and a
    test's limits or 429s must not pace the next test."""
    return {"CHAT_HELPER_RATE_LIMITS_DIR": str(folder / "rate-limits")}


def helper_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without OPENAI_ and AWS_ variables, with the session's API key, and
    the helper using this interpreter's packages (tests/python_env is where the helper provisions)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AWS_"))}
    environment["OPENAI_API_KEY"] = TEST_API_KEY
    environment["CHAT_HELPER_PYTHON_PACKAGES"] = "interpreter"
    environment.update(env or {})
    return environment


def run_helper_process(
    query: dict[str, str],
    *,
    raw_stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    arguments: tuple[str, ...] = (),
) -> HelperRun:
    """Runs helper/main.py with this query on stdin; fails the test if a secret shows up in its output."""
    completed = subprocess.run(
        [sys.executable, str(HELPER), *arguments],
        input=raw_stdin if raw_stdin is not None else json.dumps(query),
        capture_output=True,
        text=True,
        env=helper_environment(env),
        timeout=timeout,
        check=False,
    )
    assert_no_canary(f"helper run of {sorted(query)}", completed.stdout, completed.stderr)
    return HelperRun(completed.returncode, completed.stdout, completed.stderr)


def assert_one_error_line(run: HelperRun, *fragments: str) -> None:
    """Exit 1, nothing on stdout, exactly one line on stderr holding every fragment."""
    assert run.returncode == 1, (run.stdout, run.stderr)
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert "Traceback" not in run.stderr
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
