"""How a failure reaches the user of each module: the helper's own line as the error's message, under the
location of the module's data source, and none of hashicorp/external's wrapping ("External Program
Execution Failed", the program's lines, "Error Message:", the exit status)."""

import os
import re
from pathlib import Path

from testing.paths import MODULES_DIR
from testing.terraform_tool import Tool

# One block of each module, each with an input the helper refuses: (its inputs, the line it gets).
FAILING_BLOCKS = {
    "chat_completion": (
        'model = "gpt-4o"\n  messages = [{ role = "user", content = "Hi." }]\n  temperature = 3',
        "chat_completion: input temperature: 3 is greater than the maximum of 2",
    ),
    "chat_completions": (
        'model = "gpt-4o"\n  requests = { web = { messages = [{ role = "user", content = "Hi." }], temprature = 1 } }',
        'chat_completions: input requests["web"].temprature: is not an input of a request; did you mean temperature?',
    ),
    "response": (
        'model = "gpt-4o"\n  input = "Hi."\n  max_output_tokens = 8',
        "response: input max_output_tokens: 8 is less than the minimum of 16",
    ),
    "stored_completion": (
        'completion_id = "not an id!"',
        "stored_completion: input completion_id: 'not an id!' must look like chatcmpl-abc123",
    ),
    "stored_response": (
        'response_id = "not an id!"',
        "response_id: 'not an id!' must look like resp_abc123",
    ),
}
WRAPPING = ("External Program Execution Failed", "program = concat", "Error Message:", "exit status", "Traceback")


def _root(workdir: Path) -> Path:
    workdir.mkdir(parents=True)
    blocks = []
    for name, (inputs, _) in FAILING_BLOCKS.items():
        source = Path(os.path.relpath(MODULES_DIR / name, workdir)).as_posix()
        blocks.append(f'module "my_{name}" {{\n  source = "{source}"\n  {inputs}\n}}\n')
    (workdir / "main.tf").write_text("\n".join(blocks))
    return workdir


def test_each_modules_failure_is_its_own_line_under_its_data_source_with_no_wrapping(
    tool: Tool, openai_server, tmp_path
):
    workdir = _root(tmp_path / "failing")
    tool.run(workdir, "init", "-input=false")

    plan = tool.run(workdir, "plan", "-input=false", check=False)

    assert plan.returncode == 1
    errors = re.split(r"^Error: ", plan.stderr, flags=re.M)[1:]
    assert len(errors) == len(FAILING_BLOCKS), plan.stderr
    for name, (_, line) in FAILING_BLOCKS.items():
        [error] = [error for error in errors if f'in data "external" "{name}":' in error]
        message = " ".join(error.split())  # Terraform wraps a long line at its width
        assert line in message, error
        assert message.count(line) == 1, "the condition's values do not repeat the line"
        # The summary, the location, the condition's one line and its one value, then the helper's line.
        lines = error.splitlines()
        first = next(number for number, text in enumerate(lines) if text.startswith(f"{name}: "))
        assert first <= 7 and f'in data "external" "{name}":' in "".join(lines[:first]), error
    for wrapping in WRAPPING:
        assert wrapping not in plan.stderr
    assert openai_server.requests == []
