"""Module users' offline tests: every example's `terraform test` file, and docs/testing.md's replay
configuration as written, pass on Terraform and OpenTofu with no API key and no server."""

import os
import re
from pathlib import Path

import pytest

from testing.paths import MODULES_DIR, REPO_ROOT
from testing.terraform_tool import Tool, copy_root_config

EXAMPLES = sorted(p.name for p in (REPO_ROOT / "examples").iterdir() if (p / "main.tf").is_file())
NOWHERE = "http://127.0.0.1:9/v1"  # nothing listens there: a request would fail the test
DOCS_BLOCK = re.compile(r"<!-- testing: (\S+) -->\n```hcl\n(.*?)```", re.S)


def offline(tool: Tool) -> Tool:
    """The tool with no API key, and an endpoint no server answers on."""
    tool.env.pop("OPENAI_API_KEY", None)
    tool.env["OPENAI_BASE_URL"] = NOWHERE
    return tool


def assert_every_run_passes(tool: Tool, workdir: Path) -> None:
    completed = tool.run(workdir, "test", check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    runs = sum(len(re.findall(r'^run "', test.read_text(), re.M)) for test in workdir.glob("tests/*.tftest.hcl"))
    assert runs > 0 and completed.stdout.strip().splitlines()[-1] == f"Success! {runs} passed, 0 failed."


def test_every_example_has_an_offline_test():
    assert [
        name for name in EXAMPLES if not (REPO_ROOT / "examples" / name / "tests" / "offline.tftest.hcl").is_file()
    ] == []


@pytest.mark.parametrize("example", EXAMPLES)
def test_an_examples_offline_test_passes_with_no_key_and_no_server(tool: Tool, openai_server, tmp_path, example):
    workdir = copy_root_config(REPO_ROOT / "examples" / example, tmp_path / example)
    tool = offline(tool)
    tool.run(workdir, "init", "-input=false")

    assert_every_run_passes(tool, workdir)
    assert openai_server.requests == []


def test_the_docs_replay_configuration_passes_from_its_committed_answers(tool: Tool, openai_server, tmp_path):
    """docs/testing.md as written (its module source pointed at this checkout): recorded once with a key,
    then tested with none, answering from the folder alone."""
    workdir = tmp_path / "user-config"
    for name, text in DOCS_BLOCK.findall((REPO_ROOT / "docs" / "testing.md").read_text()):
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        (workdir / name).write_text(text)
    modules = Path(os.path.relpath(MODULES_DIR, workdir)).as_posix()
    main = workdir / "main.tf"
    main.write_text(
        re.sub(
            r'source\s*=\s*"git::[^"]*//modules/([a-z_]+)\?ref=[^"]*"', rf'source = "{modules}/\1"', main.read_text()
        )
    )
    tool.env["OPENAI_BASE_URL"] = openai_server.base_url  # recorded against this endpoint, replayed with it
    tool.run(workdir, "init", "-input=false")
    tool.run(workdir, "plan", "-input=false")  # records the answer into chat-answers/
    recorded = len(openai_server.completion_requests())
    assert recorded == 1 and list((workdir / "chat-answers").glob("??/*.json"))

    tool.env.pop("OPENAI_API_KEY")
    assert_every_run_passes(tool, workdir)
    assert len(openai_server.completion_requests()) == recorded
