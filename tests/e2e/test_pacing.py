"""requests_per_minute through Terraform: 30 instances at parallelism 10 against a rate-limited server."""

import time

from testing.paths import REPO_ROOT
from testing.terraform_tool import Tool

INSTANCES = 30
SERVER_LIMIT = 25


def test_thirty_instances_under_a_cap_at_the_servers_limit_get_no_429(tool: Tool, openai_server, tmp_path):
    openai_server.rate_limit_per_minute = SERVER_LIMIT
    workdir = tmp_path / "root"
    workdir.mkdir()
    (workdir / "main.tf").write_text(
        f'module "chat" {{\n  source = "{REPO_ROOT}/modules/chat_completion"\n  count  = {INSTANCES}\n'
        '  model  = "gpt-4o"\n'
        '  messages = [{ role = "user", content = "Prompt ${count.index}" }]\n'
        f"  requests_per_minute = {SERVER_LIMIT}\n"
        "  timeout_seconds     = 150\n}\n"
        'output "contents" { value = module.chat[*].content }\n'
    )
    tool.run(workdir, "init", "-input=false")
    started = time.monotonic()
    tool.run(workdir, "apply", "-auto-approve", "-input=false", "-parallelism=10")
    elapsed = time.monotonic() - started

    contents = tool.outputs(workdir)["contents"]["value"]
    assert contents == [f"Echo from gpt-4o: Prompt {i}" for i in range(INSTANCES)]
    assert openai_server.rate_limited == 0, "the cap must keep every request under the server's limit"
    assert len(openai_server.completion_requests()) == INSTANCES
    assert elapsed >= 55, "the last 5 requests had to wait for the first minute's window to pass"
