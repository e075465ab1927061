"""How a failure reaches the user of each module: Terraform names the failing block ("with
module.my_chat_completion..."), the program is one line (program = local.program), and the helper's own line
follows, naming the module and the input. A postcondition could put the line higher, but Terraform then names
no block: with for_each or several blocks of one module, the user could not tell which failed."""

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
NOT_SHOWN = ("program = concat", "Traceback")


def _root(workdir: Path) -> Path:
    workdir.mkdir(parents=True)
    blocks = []
    for name, (inputs, _) in FAILING_BLOCKS.items():
        source = Path(os.path.relpath(MODULES_DIR / name, workdir)).as_posix()
        blocks.append(f'module "my_{name}" {{\n  source = "{source}"\n  {inputs}\n}}\n')
    (workdir / "main.tf").write_text("\n".join(blocks))
    return workdir


def test_each_modules_failure_names_its_block_and_gives_the_helpers_line_under_a_one_line_program(
    tool: Tool, openai_server, tmp_path
):
    workdir = _root(tmp_path / "failing")
    tool.run(workdir, "init", "-input=false")

    plan = tool.run(workdir, "plan", "-input=false", check=False)

    assert plan.returncode == 1
    errors = re.split(r"^Error: ", plan.stderr, flags=re.M)[1:]
    assert len(errors) == len(FAILING_BLOCKS), plan.stderr
    for name, (_, line) in FAILING_BLOCKS.items():
        [error] = [error for error in errors if f"with module.my_{name}.data.external.{name}" in error]
        message = " ".join(error.split())  # Terraform wraps a long line at its width
        assert line in message and message.count(line) == 1, error
        assert "program = local.program" in error, error
        lines = error.splitlines()
        block = next(number for number, text in enumerate(lines) if f"with module.my_{name}" in text)
        helper = next(number for number, text in enumerate(lines) if f"{name}: " in text or "response_id:" in text)
        assert block < helper <= block + 10, error
    for hidden in NOT_SHOWN:
        assert hidden not in plan.stderr
    assert openai_server.requests == []
