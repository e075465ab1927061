"""Every way of writing a module's `source` works with two instances of it in one root, and a module
folder copied without the repository's helper fails at plan with one line saying how to write it."""

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from testing.paths import REPO_ROOT
from testing.terraform_tool import Tool

MODULES = ("chat_completion", "stored_completion")
SOURCE_FORMS = ("relative path", "absolute path", "git URL with //", "archive with //")
COPIED = shutil.ignore_patterns(".terraform*", "__pycache__", "tests")

TWO_INSTANCES = {
    "chat_completion": """
module "first" {
  source   = "SOURCE"
  model    = "gpt-4o"
  messages = [{ role = "user", content = "First." }]
}
module "second" {
  source   = "SOURCE"
  model    = "gpt-4o"
  messages = [{ role = "user", content = "Second." }]
}
output "answers" { value = [module.first.content, module.second.content] }
""",
    "stored_completion": """
module "first" {
  source = "SOURCE"
  model  = "gpt-4o"
}
module "second" {
  source = "SOURCE"
  model  = "gpt-4o-mini"
}
output "answers" { value = [module.first.ids, module.second.ids] }
""",
}
EXPECTED_ANSWERS = {
    "chat_completion": ["Echo from gpt-4o: First.", "Echo from gpt-4o: Second."],
    "stored_completion": [[], []],
}


def _repository_copy(destination: Path) -> Path:
    """The parts of the repository a module user gets: modules/ and helper/."""
    for part in ("modules", "helper"):
        shutil.copytree(REPO_ROOT / part, destination / part, ignore=COPIED)
    return destination


def _source(form: str, module: str, root: Path, tmp_path: Path) -> str:
    repository = _repository_copy(tmp_path / "repository")
    if form == "relative path":
        return Path(os.path.relpath(repository / "modules" / module, root)).as_posix()
    if form == "absolute path":  # Terraform links the first instance and copies the second folder alone
        return (repository / "modules" / module).as_posix()
    if form == "git URL with //":
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "module"], ["tag", "v1.0.0"]):
            subprocess.run([*git, *args], cwd=repository, check=True, capture_output=True)
        return f"git::file://{repository}//modules/{module}?ref=v1.0.0"
    archive = tmp_path / "terraform-openai-chat.tar.gz"
    with tarfile.open(archive, "w:gz") as packed:
        for part in ("modules", "helper"):
            packed.add(repository / part, arcname=part)
    return f"{archive}//modules/{module}"


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("form", SOURCE_FORMS)
def test_two_instances_of_one_source_both_run_the_helper(tool: Tool, openai_server, tmp_path, form, module):
    root = tmp_path / "root"
    root.mkdir()
    source = _source(form, module, root, tmp_path)
    (root / "main.tf").write_text(TWO_INSTANCES[module].replace("SOURCE", source))

    tool.init_apply(root)

    assert tool.outputs(root)["answers"]["value"] == EXPECTED_ANSWERS[module]
    assert tool.plan_exit_code(root) == 0


@pytest.mark.parametrize("module", MODULES)
def test_a_module_folder_copied_alone_fails_at_plan_saying_how_to_write_source(
    tool: Tool, openai_server, tmp_path, module
):
    root = tmp_path / "root"
    shutil.copytree(REPO_ROOT / "modules" / module, root / "vendored", ignore=COPIED)
    (root / "main.tf").write_text(TWO_INSTANCES[module].replace("SOURCE", "./vendored"))
    tool.run(root, "init", "-input=false")

    plan = tool.run(root, "plan", "-input=false", check=False)

    message = plan.message
    assert plan.returncode == 1
    assert f"{module} cannot find its helper" in message
    assert f"a git URL or archive ending //modules/{module}" in message
    assert "Traceback" not in message and "can't open file" not in message
    assert openai_server.requests == []
