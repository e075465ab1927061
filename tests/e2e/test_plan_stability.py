"""Plans stay quiet: the same request gives the same answer, without another call (issue 3)."""

import shutil
from pathlib import Path

from testing.paths import REPO_ROOT
from testing.terraform_tool import Tool, copy_root_config


def _root(
    workdir: Path,
    *,
    content: str = "Hello",
    regenerate: str | None = None,
    cache_mode: str | None = None,
    instances: int = 1,
    distinct: int = 1,
) -> Path:
    workdir.mkdir(exist_ok=True)
    settings = "".join(
        f'  {name} = "{value}"\n'
        for name, value in (("regenerate", regenerate), ("cache_mode", cache_mode))
        if value is not None
    )
    (workdir / "main.tf").write_text(
        f'module "chat" {{\n  source = "{REPO_ROOT}/modules/chat_completion"\n  count  = {instances}\n'
        f'  model  = "gpt-4o"\n'
        f'  messages = [{{ role = "user", content = "{content} ${{count.index % {distinct}}}" }}]\n{settings}}}\n'
        'output "contents" { value = module.chat[*].content }\n'
        'output "ids" { value = module.chat[*].id }\n'
    )
    return workdir


def test_apply_then_two_plans_make_one_request(tool: Tool, openai_server, tmp_path):
    workdir = _root(tmp_path / "root")
    tool.init_apply(workdir)
    assert tool.plan_exit_code(workdir) == 0
    assert tool.plan_exit_code(workdir) == 0
    assert len(openai_server.completion_requests()) == 1


def test_a_changed_message_makes_one_new_request(tool: Tool, openai_server, tmp_path):
    workdir = _root(tmp_path / "root")
    tool.init_apply(workdir)
    _root(workdir, content="Goodbye")
    tool.run(workdir, "apply", "-auto-approve", "-input=false")
    assert tool.outputs(workdir)["contents"]["value"] == ["Echo from gpt-4o: Goodbye 0"]
    assert len(openai_server.completion_requests()) == 2
    assert tool.plan_exit_code(workdir) == 0


def test_changing_regenerate_makes_one_new_request(tool: Tool, openai_server, tmp_path):
    workdir = _root(tmp_path / "root", regenerate="1")
    tool.init_apply(workdir)
    first_id = tool.outputs(workdir)["ids"]["value"][0]
    _root(workdir, regenerate="2")
    tool.run(workdir, "apply", "-auto-approve", "-input=false")
    assert tool.outputs(workdir)["ids"]["value"][0] != first_id
    assert len(openai_server.completion_requests()) == 2
    assert tool.plan_exit_code(workdir) == 0
    assert len(openai_server.completion_requests()) == 2


def test_replay_with_an_empty_cache_fails_clearly_and_calls_nothing(tool: Tool, openai_server, tmp_path):
    workdir = _root(tmp_path / "root", cache_mode="replay", content="Replay me")
    tool.run(workdir, "init", "-input=false")
    plan = tool.run(workdir, "plan", "-input=false", check=False)
    message = plan.message
    assert plan.returncode == 1
    assert 'cache_mode = "replay" and no stored answer' in message and "'Replay me 0'" in message
    assert ".terraform/openai-chat-cache" in message
    assert openai_server.completion_requests() == []


def test_fifty_instances_at_parallelism_ten_make_one_request_per_distinct_request(tool: Tool, openai_server, tmp_path):
    workdir = _root(tmp_path / "root", instances=50, distinct=5)
    tool.init_apply(workdir, "-parallelism=10")
    contents = tool.outputs(workdir)["contents"]["value"]
    assert contents == [f"Echo from gpt-4o: Hello {i % 5}" for i in range(50)]
    assert len(openai_server.completion_requests()) == 5


def test_a_teammate_without_the_cache_sees_no_diff_with_the_pinned_answer(tool: Tool, openai_server, tmp_path):
    workdir = copy_root_config(REPO_ROOT / "examples" / "pinned_answer", tmp_path / "pinned")
    tool.init_apply(workdir)
    pinned = tool.outputs(workdir)["completion_id"]["value"]
    shutil.rmtree(workdir / "chat-cache")  # the teammate's machine: same state, no cache
    assert tool.plan_exit_code(workdir) == 0
    assert len(openai_server.completion_requests()) == 2, "the teammate's plan asked the API again"
    tool.run(workdir, "apply", "-auto-approve", "-input=false")
    assert tool.outputs(workdir)["completion_id"]["value"] == pinned
    tool.run(workdir, "apply", "-auto-approve", "-input=false", "-var", "regenerate=2")
    assert tool.outputs(workdir)["completion_id"]["value"] != pinned


def test_a_committed_cache_folder_lets_ci_replay_with_no_key_and_no_call(tool: Tool, openai_server, tmp_path):
    recorded = copy_root_config(REPO_ROOT / "examples" / "pinned_answer", tmp_path / "recorded")
    tool.init_apply(recorded)
    ci = copy_root_config(REPO_ROOT / "examples" / "pinned_answer", tmp_path / "ci")
    shutil.copytree(recorded / "chat-cache", ci / "chat-cache")
    main = ci / "main.tf"
    main.write_text(
        main.read_text().replace('cache_dir = "chat-cache"', 'cache_dir = "chat-cache"\n  cache_mode = "replay"')
    )
    tool.env["OPENAI_API_KEY"] = ""
    tool.init_apply(ci)
    assert tool.outputs(ci)["runbook"]["value"] == tool.outputs(recorded)["runbook"]["value"]
    assert len(openai_server.completion_requests()) == 1
