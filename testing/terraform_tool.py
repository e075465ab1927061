"""Terraform and OpenTofu as the end-to-end tests run them: with the project's provider mirror, the
loopback API, the helper's Python, and a TF_LOG=trace log checked for the session's secrets."""

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import MODULES_DIR, REPO_ROOT, TOOLS
from .secret_canary import SECRET_CANARY, TEST_API_KEY, assert_no_canary

TOOLS_THAT_RAN: list[str] = []  # filled by the smoke test, printed in the run's summary


@dataclass
class Completed:
    returncode: int
    stdout: str
    stderr: str

    @property
    def message(self) -> str:
        """stderr on one line: Terraform wraps an error's lines at its own width."""
        return " ".join(self.stderr.split())


class Tool:
    """terraform or tofu (or a floor of either), as .tools/bin has it."""

    def __init__(self, name: str, base_url: str, extra_env: dict[str, str] | None = None) -> None:
        self.name = name
        self.binary = str(TOOLS / "bin" / name)
        venv_bin = TOOLS / "venv" / "bin"
        unrelated = ("OPENAI_", "TF_", "CHAT_HELPER_", "AWS_")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(unrelated)}
        self.env.update(
            {
                "TF_CLI_CONFIG_FILE": str(TOOLS / "terraformrc"),
                "CHECKPOINT_DISABLE": "1",
                "TF_IN_AUTOMATION": "1",
                "TF_INPUT": "0",
                "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
                "OPENAI_API_KEY": TEST_API_KEY,
                "OPENAI_BASE_URL": base_url,
                # The module's default: the helper's private environment, made on first use; kept
                # between runs here (tests/python_env and test_python_provisioning.py make new ones).
                "CHAT_HELPER_PYTHON_ENV_DIR": str(TOOLS / "python-envs"),
            }
        )
        self.env.update(extra_env or {})

    def run(self, cwd: Path, *args: str, check: bool = True, timeout: float = 600) -> Completed:
        """Runs the tool with a TF_LOG=trace log, and fails if a secret shows up in any output of this run
        (a leak of an earlier run failed that run, and fails the session: it does not fail every later one)."""
        found_before = len(SECRET_CANARY.found)
        descriptor, trace_log = tempfile.mkstemp(prefix=f"{self.name}-", suffix=".trace.log")
        os.close(descriptor)
        try:
            completed = subprocess.run(
                [self.binary, *args, *(["-no-color"] if args[0] not in ("version", "fmt", "output") else [])],
                cwd=cwd,
                env={**self.env, "TF_LOG": "trace", "TF_LOG_PATH": trace_log},
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        finally:
            SECRET_CANARY.note_trace_log(Path(trace_log))
        assert_no_canary(f"{self.name} {' '.join(args)}", completed.stdout, completed.stderr)
        leaked = SECRET_CANARY.found[found_before:]
        assert not leaked, f"a secret is in {leaked[-1]}, the TF_LOG=trace log of {self.name} {' '.join(args)}"
        result = Completed(completed.returncode, completed.stdout, completed.stderr)
        if check and completed.returncode != 0:
            raise AssertionError(
                f"{self.name} {' '.join(args)} exited {completed.returncode}:\n{completed.stdout}\n{completed.stderr}"
            )
        return result

    def init_apply(self, cwd: Path, *apply_args: str) -> None:
        self.run(cwd, "init", "-input=false")
        self.run(cwd, "apply", "-auto-approve", "-input=false", *apply_args)

    def outputs(self, cwd: Path) -> dict[str, Any]:
        return json.loads(self.run(cwd, "output", "-json").stdout)  # type: ignore[no-any-return]

    def plan_exit_code(self, cwd: Path, *args: str) -> int:
        """0: no changes, 2: changes (plan -detailed-exitcode)."""
        return self.run(cwd, "plan", "-detailed-exitcode", "-input=false", *args, check=False).returncode

    def version(self) -> str:
        return json.loads(self.run(REPO_ROOT, "version", "-json").stdout)["terraform_version"]  # type: ignore[no-any-return]


def copy_root_config(source: Path, destination: Path) -> Path:
    """Copies a root configuration, pointing its module sources at this repository's modules.

    The new source is a relative path, as users write it: an absolute path is installed like a
    package, and a second call of the same module would get a copy without ../../helper beside it.
    """
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    modules = Path(os.path.relpath(MODULES_DIR, destination)).as_posix()
    for tf_file in destination.glob("*.tf"):
        text = tf_file.read_text()
        tf_file.write_text(re.sub(r'source\s*=\s*"\.\./\.\./modules/', f'source = "{modules}/', text))
    return destination


def assert_module_tests_pass(tool: Tool, module_dir: Path, tmp_path: Path) -> None:
    """Runs a module's `terraform test` / `tofu test` files on a copy: every run must pass."""
    workdir = tmp_path / "repository" / "modules" / module_dir.name  # the helper two folders up, as in a checkout
    shutil.copytree(module_dir, workdir, ignore=shutil.ignore_patterns(".terraform*"))
    shutil.copytree(
        REPO_ROOT / "helper", tmp_path / "repository" / "helper", ignore=shutil.ignore_patterns("__pycache__")
    )
    tool.run(workdir, "init", "-input=false")
    completed = tool.run(workdir, "test", check=False)
    summary = completed.stdout.strip().splitlines()[-1]
    assert completed.returncode == 0, completed.stdout + completed.stderr
    test_files = (module_dir / "tests").glob("*.tftest.hcl")
    runs = sum(len(re.findall(r'^run "', test_file.read_text(), re.M)) for test_file in test_files)
    assert summary == f"Success! {runs} passed, 0 failed.", summary
