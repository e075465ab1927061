"""A team's answers on an S3-compatible object store, through real Terraform and OpenTofu: "machines"
are separate root folders, each with its own local cache folder and its own warm worker, sharing one
bucket on a real S3 server (SeaweedFS) on 127.0.0.1."""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from testing.openai_server import Delayed
from testing.paths import REPO_ROOT
from testing.store_entries import store_url
from testing.terraform_tool import Tool


def _machine(tool: Tool, workdir: Path, s3_env: dict[str, str], **env: str) -> Tool:
    """The tool as run on another machine: its own folder, and its own worker (socket folder)."""
    sockets = workdir.parent / f"{workdir.name}-run"
    sockets.mkdir(parents=True)
    return Tool(tool.name, tool.env["OPENAI_BASE_URL"], {**s3_env, "XDG_RUNTIME_DIR": str(sockets), **env})


def _root(workdir: Path, url: str, *, instances: int = 1, distinct: int = 1, cache_mode: str | None = None) -> Path:
    workdir.mkdir(parents=True)
    mode = f'  cache_mode = "{cache_mode}"\n' if cache_mode else ""
    (workdir / "main.tf").write_text(
        f'module "chat" {{\n  source = "{REPO_ROOT}/modules/chat_completion"\n  count  = {instances}\n'
        '  model  = "gpt-4o"\n'
        f'  messages = [{{ role = "user", content = "Shared ${{count.index % {distinct}}}" }}]\n'
        f'  cache_url = "{url}"\n{mode}}}\n'
        'output "contents" { value = module.chat[*].content }\n'
        'output "ids" { value = module.chat[*].id }\n'
        'output "keys" { value = module.chat[*].request_sha256 }\n'
    )
    return workdir


def test_two_machines_share_one_answer_and_both_plan_no_changes(
    tool: Tool, openai_server, s3_server, s3_bucket, s3_env, tmp_path
):
    url = store_url(s3_server, s3_bucket)
    roots = {name: _root(tmp_path / name, url) for name in ("laptop", "ci-runner")}
    machines = {name: _machine(tool, root, s3_env) for name, root in roots.items()}
    for name, root in roots.items():
        machines[name].init_apply(root)
    laptop, runner = (machines[name].outputs(roots[name]) for name in roots)
    assert laptop["ids"]["value"] == runner["ids"]["value"]
    assert laptop["contents"]["value"] == ["Echo from gpt-4o: Shared 0"]
    assert len(openai_server.completion_requests()) == 1
    for name, root in roots.items():
        assert machines[name].plan_exit_code(root) == 0, f"{name} plans changes"
    assert len(openai_server.completion_requests()) == 1
    [key] = laptop["keys"]["value"]
    stored = s3_server.objects(s3_bucket)
    assert list(stored) == [f"answers/{key[:2]}/{key}.json"]
    local = roots["ci-runner"] / ".terraform" / "openai-chat-cache" / key[:2] / f"{key}.json"
    assert local.read_bytes() == stored[f"answers/{key[:2]}/{key}.json"]
    assert json.loads(local.read_text())["response"]["id"] == laptop["ids"]["value"][0]


def test_three_machines_of_ten_instances_make_one_call_per_distinct_request(
    tool: Tool, openai_server, s3_server, s3_bucket, s3_env, tmp_path
):
    instances, distinct = 10, 5
    openai_server.queue(*[Delayed(1.0)] * 3 * instances)  # slow answers: the machines really race
    url = store_url(s3_server, s3_bucket)
    roots = [_root(tmp_path / f"machine-{n}", url, instances=instances, distinct=distinct) for n in range(3)]
    machines = [_machine(tool, root, s3_env) for root in roots]
    for machine, root in zip(machines, roots, strict=True):
        machine.run(root, "init", "-input=false")
    with ThreadPoolExecutor(max_workers=3) as pool:
        applies = [
            pool.submit(machine.run, root, "apply", "-auto-approve", "-input=false", "-parallelism=10")
            for machine, root in zip(machines, roots, strict=True)
        ]
        for apply in applies:
            apply.result()
    assert len(openai_server.completion_requests()) == distinct
    outputs = [machine.outputs(root) for machine, root in zip(machines, roots, strict=True)]
    assert all(output["ids"]["value"] == outputs[0]["ids"]["value"] for output in outputs)
    assert outputs[0]["contents"]["value"] == [f"Echo from gpt-4o: Shared {i % distinct}" for i in range(instances)]
    names = list(s3_server.objects(s3_bucket))
    assert len(names) == distinct and not any(".leases" in name for name in names)
    assert [machine.plan_exit_code(root) for machine, root in zip(machines, roots, strict=True)] == [0, 0, 0]
    assert len(openai_server.completion_requests()) == distinct


def test_ci_replays_from_the_store_with_no_api_key(tool: Tool, openai_server, s3_server, s3_bucket, s3_env, tmp_path):
    url = store_url(s3_server, s3_bucket)
    laptop_root = _root(tmp_path / "laptop", url)
    laptop = _machine(tool, laptop_root, s3_env)
    laptop.init_apply(laptop_root)
    ci_root = _root(tmp_path / "ci", url, cache_mode="replay")
    ci = _machine(tool, ci_root, s3_env, OPENAI_API_KEY="")
    ci.init_apply(ci_root)
    assert ci.outputs(ci_root)["ids"]["value"] == laptop.outputs(laptop_root)["ids"]["value"]
    assert len(openai_server.completion_requests()) == 1


def test_a_store_refusing_the_credentials_fails_the_plan_with_one_line(
    tool: Tool, openai_server, s3_server, s3_bucket, s3_env, tmp_path
):
    root = _root(tmp_path / "laptop", store_url(s3_server, s3_bucket))
    machine = _machine(tool, root, s3_env, AWS_SECRET_ACCESS_KEY="not-the-secret-0042")
    machine.run(root, "init", "-input=false")
    plan = machine.run(root, "plan", "-input=false", check=False)
    message = plan.message
    assert plan.returncode == 1
    assert f"access denied to s3://{s3_bucket}/answers" in message and "s3:GetObject" in message
    assert "not-the-secret-0042" not in plan.stdout + plan.stderr
    assert openai_server.completion_requests() == []
