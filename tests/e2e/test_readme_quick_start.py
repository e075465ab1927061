"""The README runs as written: the quick start's configuration, unchanged, beside a clone of this
repository (its `source`), answers at apply; the test server's command serves on a bare Python."""

import json
import re
import subprocess
import urllib.request

from testing.bare_python import SYSTEM_PYTHON, bare_python_problem
from testing.paths import REPO_ROOT
from testing.terraform_tool import Tool
from testing.toolchain import require


def _quick_start_configuration() -> str:
    readme = (REPO_ROOT / "README.md").read_text()
    quick_start = readme[readme.index("## Quick start") :]
    found = re.search(r"```hcl\n(.*?)```", quick_start, re.S)
    assert found, "the quick start shows a configuration"
    return found.group(1)


def test_the_quick_start_configuration_applies_as_written_beside_a_clone(tool: Tool, openai_server, tmp_path):
    configuration = _quick_start_configuration()
    assert 'source      = "../terraform-openai-chat/modules/chat_completion"' in configuration
    (tmp_path / "terraform-openai-chat").symlink_to(REPO_ROOT)  # "cloned beside it"
    workdir = tmp_path / "mine"
    workdir.mkdir()
    (workdir / "main.tf").write_text(configuration)

    tool.init_apply(workdir)

    assert tool.outputs(workdir)["assistant_response"]["value"] == (
        "Echo from gpt-3.5-turbo: Tell me about the solar system."
    )


def test_the_test_servers_command_serves_on_a_python_without_packages(tmp_path):
    readme = (REPO_ROOT / "README.md").read_text()
    assert "python3 -m testing.openai_server --port 8787" in readme
    require("a bare system Python", bare_python_problem())
    server = subprocess.Popen(
        [str(SYSTEM_PYTHON), "-m", "testing.openai_server", "--port", "0"],  # 0: a free port, not 8787
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        banner = server.stdout.readline() if server.stdout else ""
        found = re.findall(r"http://127\.0\.0\.1:\d+/v1", banner)
        assert len(found) == 1, banner + (server.stderr.read() if server.stderr and server.poll() is not None else "")
        base_url = found[0]
        body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi."}]}
        request = urllib.request.Request(
            f"{base_url}/chat/completions",
            data=json.dumps(body).encode(),
            headers={"Authorization": "Bearer any-key", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.load(response)
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert answer["choices"][0]["message"]["content"] == "Echo from gpt-4o: Hi."
