"""Two root configurations of 50 instances each, at -parallelism=10, sharing one cache folder, twice."""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from testing.paths import REPO_ROOT
from testing.terraform_tool import Tool

INSTANCES = 50
DISTINCT = 10


def _root(workdir: Path, cache_dir: Path) -> Path:
    workdir.mkdir()
    (workdir / "main.tf").write_text(
        f'module "chat" {{\n  source = "{REPO_ROOT}/modules/chat_completion"\n  count  = {INSTANCES}\n'
        '  model  = "gpt-4o"\n'
        f'  messages = [{{ role = "user", content = "Shared ${{count.index % {DISTINCT}}}" }}]\n'
        f'  cache_dir = "{cache_dir.as_posix()}"\n}}\n'
        'output "contents" { value = module.chat[*].content }\n'
    )
    return workdir


def test_two_runs_of_fifty_share_one_cache_folder_twice(tool: Tool, openai_server, tmp_path):
    cache_dir = tmp_path / "shared-cache"
    roots = [_root(tmp_path / name, cache_dir) for name in ("team-a", "team-b")]
    for root in roots:
        tool.run(root, "init", "-input=false")
    expected = [f"Echo from gpt-4o: Shared {i % DISTINCT}" for i in range(INSTANCES)]

    for round_number in (1, 2):
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(
                pool.map(
                    lambda root: tool.run(root, "apply", "-auto-approve", "-input=false", "-parallelism=10"), roots
                )
            )
        for root in roots:
            assert tool.outputs(root)["contents"]["value"] == expected, f"round {round_number}, {root.name}"
        assert len(openai_server.completion_requests()) == DISTINCT, "one call per distinct request, ever"

    entries = sorted(cache_dir.rglob("*.json"))
    assert len(entries) == DISTINCT
    for entry in entries:
        stored = json.loads(entry.read_text(encoding="utf-8"))
        assert stored["request_sha256"] == entry.stem
        assert stored["response"]["choices"][0]["message"]["content"].startswith("Echo from gpt-4o: Shared ")
