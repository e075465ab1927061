"""A newcomer's machine: Terraform and OpenTofu with only the system's Python (externally managed, none
of the helper's packages). `init && apply` works: the helper makes its own environment, once."""

import threading
from pathlib import Path

import pytest

from testing.bare_python import bare_path, bare_python_problem, environments_built, refusing_port
from testing.paths import REPO_ROOT
from testing.terraform_tool import Tool, copy_root_config
from testing.toolchain import in_ci

PROBLEM = bare_python_problem()
if PROBLEM is not None and in_ci():
    raise AssertionError(f"CI=true: the provisioning tests need this machine kind's bare Python: {PROBLEM}")
pytestmark = pytest.mark.skipif(PROBLEM is not None, reason=f"needs a bare system Python: {PROBLEM}")

TEN_INSTANCES = """
module "chat" {
  source   = "SOURCE"
  count    = 10
  model    = "gpt-4o"
  messages = [{ role = "user", content = "Question ${count.index % 5}." }]
}
output "answers" { value = module.chat[*].content }
"""


def on_a_bare_machine(tool: Tool, tmp_path: Path, with_uv: bool) -> Path:
    """The tool's runs see only the system's python3 (and uv if asked), and an empty environment folder."""
    env_dir = tmp_path / "python-envs"
    tool.env.update({"PATH": bare_path(tmp_path / "bin", with_uv), "CHAT_HELPER_PYTHON_ENV_DIR": str(env_dir)})
    return env_dir


def test_init_and_apply_work_with_only_the_system_python(tool: Tool, openai_server, tmp_path):
    env_dir = on_a_bare_machine(tool, tmp_path, with_uv=False)
    workdir = copy_root_config(REPO_ROOT / "examples" / "basic_chat", tmp_path / "basic_chat")

    tool.init_apply(workdir)

    assert tool.outputs(workdir)["assistant_response"]["value"].startswith("Echo from gpt-3.5-turbo:")
    assert tool.plan_exit_code(workdir) == 0
    assert environments_built(env_dir) == 1 and len(openai_server.completion_requests()) == 1


def test_two_plans_of_ten_instances_at_once_make_the_environment_once(tool: Tool, openai_server, tmp_path):
    env_dir = on_a_bare_machine(tool, tmp_path, with_uv=True)
    roots = []
    for name in ("first", "second"):
        root = tmp_path / name
        root.mkdir()
        (root / "main.tf").write_text(TEN_INSTANCES.replace("SOURCE", str(REPO_ROOT / "modules" / "chat_completion")))
        tool.run(root, "init", "-input=false")
        roots.append(root)

    errors: list[BaseException] = []

    def apply(root: Path) -> None:
        try:
            tool.run(root, "apply", "-auto-approve", "-input=false")
        except BaseException as error:  # reported below, with the other thread's
            errors.append(error)

    threads = [threading.Thread(target=apply, args=(root,)) for root in roots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    for root in roots:
        answers = tool.outputs(root)["answers"]["value"]
        assert answers == [f"Echo from gpt-4o: Question {n % 5}." for n in range(10)]
    assert environments_built(env_dir) == 1


def test_offline_the_plan_fails_with_one_line_saying_what_to_check(tool: Tool, openai_server, tmp_path):
    env_dir = on_a_bare_machine(tool, tmp_path, with_uv=False)
    tool.env.update({"PIP_INDEX_URL": f"http://127.0.0.1:{refusing_port()}/simple", "PIP_RETRIES": "0"})
    workdir = copy_root_config(REPO_ROOT / "examples" / "basic_chat", tmp_path / "offline")
    tool.run(workdir, "init", "-input=false")

    plan = tool.run(workdir, "plan", "-input=false", check=False)

    message = plan.message
    assert plan.returncode == 1
    assert "cannot install the helper's packages into" in message
    assert "check the network, a proxy (HTTPS_PROXY) or the package index that pip uses" in message
    assert "Traceback" not in message and "externally-managed-environment" not in message
    assert environments_built(env_dir) == 0 and openai_server.requests == []
