"""The helper's private Python environment, made by the helper itself from a bare system Python: once,
whoever asks first, never half-made, and with a line that says what to do when it cannot be made."""

import json
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from testing.bare_python import SYSTEM_PYTHON, bare_path, bare_python_problem, environments_built, refusing_port
from testing.helper_process import USER_EXAMPLE, HelperRun, encode_query
from testing.paths import HELPER
from testing.secret_canary import TEST_API_KEY, assert_no_canary
from testing.toolchain import in_ci

PROBLEM = bare_python_problem()
if PROBLEM is not None and in_ci():
    raise AssertionError(f"CI=true: the provisioning tests need this machine kind's bare Python: {PROBLEM}")
pytestmark = pytest.mark.skipif(PROBLEM is not None, reason=f"needs a bare system Python: {PROBLEM}")


class BareMachine:
    """Runs helper/main.py with the system's python3, as a newcomer's Terraform would."""

    def __init__(self, tmp_path: Path, base_url: str, with_uv: bool) -> None:
        self.env_dir = tmp_path / "python-envs"
        self.env = {
            "PATH": bare_path(tmp_path / "bin", with_uv),
            "HOME": str(tmp_path / "home"),
            "OPENAI_API_KEY": TEST_API_KEY,
            "OPENAI_BASE_URL": base_url,
            "CHAT_HELPER_PYTHON_ENV_DIR": str(self.env_dir),
            "CHAT_HELPER_WORKER_IDLE_SECONDS": "2",
            "TMPDIR": tempfile.mkdtemp(prefix="chp", dir="/tmp"),  # the worker's socket folder, short
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        }
        self.cache_dir = tmp_path / "cache"

    def run(self, inputs: dict[str, Any], *arguments: str, env: dict[str, str] | None = None) -> HelperRun:
        query = encode_query({"flow": "chat_completion", "cache_dir": str(self.cache_dir), **inputs})
        completed = subprocess.run(
            [str(SYSTEM_PYTHON), str(HELPER), *arguments],
            input=json.dumps(query),
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            timeout=600,
            check=False,
        )
        assert_no_canary("a bare machine's helper", completed.stdout, completed.stderr)
        return HelperRun(completed.returncode, completed.stdout, completed.stderr)

    def builds(self) -> int:
        return environments_built(self.env_dir)

    def environments(self) -> list[Path]:
        return sorted(p for p in self.env_dir.iterdir() if p.is_dir())


def ask(question: str) -> dict[str, Any]:
    return {**USER_EXAMPLE, "messages": [{"role": "user", "content": question}]}


def test_the_first_call_makes_the_environment_with_venv_and_pip_and_later_calls_reuse_it(openai_server, tmp_path):
    machine = BareMachine(tmp_path, openai_server.base_url, with_uv=False)

    first = machine.run(ask("First."))
    second = machine.run(ask("Second."))

    assert first.returncode == 0, first.stderr
    assert first.result["content"] == "Echo from gpt-3.5-turbo: First."
    assert second.returncode == 0 and second.result["content"] == "Echo from gpt-3.5-turbo: Second."
    assert "with venv and pip" in first.stderr
    assert machine.builds() == 1
    [environment] = machine.environments()
    assert environment.name.startswith("cpython3")
    assert (environment / "terraform-openai-chat-ready").is_file()
    assert not list(machine.env_dir.glob("*.partial")), "nothing half-made is left"


def test_concurrent_first_calls_make_it_once(openai_server, tmp_path):
    machine = BareMachine(tmp_path, openai_server.base_url, with_uv=True)

    with ThreadPoolExecutor(10) as pool:
        runs = list(pool.map(lambda n: machine.run(ask(f"Question {n}.")), range(10)))

    assert [run.returncode for run in runs] == [0] * 10, [run.stderr for run in runs if run.returncode]
    assert sorted(run.result["content"] for run in runs) == sorted(
        f"Echo from gpt-3.5-turbo: Question {n}." for n in range(10)
    )
    assert machine.builds() == 1
    assert len(machine.environments()) == 1


def test_an_interrupted_build_is_never_used(openai_server, tmp_path):
    machine = BareMachine(tmp_path, openai_server.base_url, with_uv=True)
    assert machine.run(ask("Once.")).returncode == 0
    [environment] = machine.environments()
    (environment / "terraform-openai-chat-ready").unlink()  # as if the build had stopped before its last step
    (environment.parent / f"{environment.name}.partial").mkdir()

    run = machine.run(ask("Again."))

    assert run.returncode == 0, run.stderr
    assert machine.builds() == 2 and machine.environments() == [environment]
    assert (environment / "terraform-openai-chat-ready").is_file()


def test_python_env_dir_points_the_environment_elsewhere(openai_server, tmp_path):
    machine = BareMachine(tmp_path, openai_server.base_url, with_uv=True)
    elsewhere = tmp_path / "elsewhere"

    run = machine.run(ask("Elsewhere."), f"--python-env-dir={elsewhere}")

    assert run.returncode == 0, run.stderr
    assert len([p for p in elsewhere.iterdir() if p.is_dir()]) == 1
    assert not machine.env_dir.exists()


def test_offline_the_call_fails_with_one_line_saying_what_to_check(openai_server, tmp_path):
    # An index that refuses every connection; pip is configured, so pip installs even where uv is.
    machine = BareMachine(tmp_path, openai_server.base_url, with_uv=True)
    offline = {"PIP_INDEX_URL": f"http://127.0.0.1:{refusing_port()}/simple", "PIP_RETRIES": "0"}

    run = machine.run(ask("Offline."), env=offline)

    assert run.returncode == 1 and run.stdout == ""
    *progress, line = run.stderr.splitlines()
    assert all(p.startswith("terraform-openai-chat: setting up") and "venv and pip" in p for p in progress), progress
    assert line.startswith("terraform-openai-chat: cannot install the helper's packages into ")
    assert "check the network, a proxy (HTTPS_PROXY) or the package index that pip uses" in line
    assert 'python_packages = "interpreter"' in line and "Traceback" not in run.stderr
    assert machine.environments() == [] and openai_server.requests == []


def test_a_python_without_a_working_venv_is_told_which_package_to_install(openai_server, tmp_path):
    # What Debian's python3 without python3-venv answers to -m venv (venv's own message there).
    fake_stdlib = tmp_path / "no-venv"
    (fake_stdlib / "venv").mkdir(parents=True)
    (fake_stdlib / "venv" / "__init__.py").write_text("")
    (fake_stdlib / "venv" / "__main__.py").write_text(
        "import sys\nprint('The virtual environment was not created successfully because ensurepip is not\\n"
        "available.  On Debian/Ubuntu systems, you need to install the python3-venv\\npackage.')\nsys.exit(1)\n"
    )
    machine = BareMachine(tmp_path, openai_server.base_url, with_uv=False)

    run = machine.run(ask("No venv."), env={"PYTHONPATH": str(fake_stdlib)})

    assert run.returncode == 1
    line = run.stderr.splitlines()[-1]
    assert "has no working venv" in line and "apt-get install python3-venv" in line
    assert "pip install" not in line and "Traceback" not in run.stderr


def test_python_packages_interpreter_uses_the_interpreter_as_it_is(openai_server, tmp_path):
    machine = BareMachine(tmp_path, openai_server.base_url, with_uv=True)

    run = machine.run(ask("As it is."), "--python-packages=interpreter")

    assert run.returncode == 1
    [line] = run.stderr.splitlines()
    assert "lacks the helper's packages (openai, jsonschema, tenacity)" in line
    assert "-m venv DIR && DIR/bin/pip install -r" in line
    assert not machine.env_dir.exists(), "nothing is provisioned when told to use the interpreter's own"


def test_the_environment_variable_opts_out_too(openai_server, tmp_path):
    machine = BareMachine(tmp_path, openai_server.base_url, with_uv=True)

    run = machine.run(ask("Opt out."), env={"CHAT_HELPER_PYTHON_PACKAGES": "interpreter"})

    assert run.returncode == 1 and "lacks the helper's packages" in run.stderr
    assert not machine.env_dir.exists()


def test_without_a_worker_the_answer_still_comes_from_the_private_environment(openai_server, tmp_path):
    machine = BareMachine(tmp_path, openai_server.base_url, with_uv=True)

    run = machine.run(ask("No worker."), env={"CHAT_HELPER_WORKER": "off"})

    assert run.returncode == 0, run.stderr
    assert run.result["content"] == "Echo from gpt-3.5-turbo: No worker."
    worker_files = [
        name
        for folder in Path(machine.env["TMPDIR"]).iterdir()
        for name in os.listdir(folder)
        if name.endswith((".sock", ".lock"))
    ]
    assert worker_files == [], "no worker socket or lock is made when the worker is off (the run's counts may be)"


def test_prepare_makes_the_environment_ahead_so_that_the_first_call_waits_for_nothing(openai_server, tmp_path):
    """helper/main.py prepare (make apply and make demo-local run it before the plan)."""
    machine = BareMachine(tmp_path, openai_server.base_url, with_uv=True)

    def prepare() -> subprocess.CompletedProcess[str]:
        command = [str(SYSTEM_PYTHON), str(HELPER), "prepare"]
        return subprocess.run(command, capture_output=True, text=True, env=machine.env, timeout=600, check=False)

    prepared, again = prepare(), prepare()
    run = machine.run(ask("Prepared."))

    [environment] = machine.environments()
    assert prepared.returncode == 0 and prepared.stdout == f"{environment}\n"
    assert "setting up the helper's Python environment" in prepared.stderr
    assert again.returncode == 0 and again.stdout == prepared.stdout and again.stderr == ""
    assert run.returncode == 0 and run.stderr == "" and run.result["content"] == "Echo from gpt-3.5-turbo: Prepared."
    assert machine.builds() == 1
