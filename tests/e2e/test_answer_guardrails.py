"""Guardrails and structured output as a Terraform user meets them: the plan fails, then is allowed."""

import json

from testing.openai_server import Reply
from testing.paths import REPO_ROOT
from testing.terraform_tool import Tool, copy_root_config


def _cut_off_answer(openai_server, content: str) -> Reply:
    body = openai_server.completion_for({"model": "gpt-5-mini", "messages": [{"role": "user", "content": "x"}]})
    body["choices"][0]["message"]["content"] = content
    body["choices"][0]["finish_reason"] = "length"
    return Reply(200, body)


def _message(completed) -> str:
    return completed.message


def test_a_cut_off_answer_fails_the_plan_until_allowed(tool: Tool, openai_server, tmp_path):
    workdir = copy_root_config(REPO_ROOT / "examples" / "current_parameters", tmp_path / "cut_off")
    tool.run(workdir, "init", "-input=false")
    openai_server.queue(_cut_off_answer(openai_server, "1. Open the vault"))
    plan = tool.run(workdir, "plan", "-input=false", check=False)
    assert plan.returncode == 1
    assert 'the answer was cut off (choice 0: finish_reason = "length"' in _message(plan)
    assert "allow_length_cutoff = true" in _message(plan)
    assert "Traceback" not in plan.stderr

    main = workdir / "main.tf"
    main.write_text(main.read_text().replace("sensitive = true", "sensitive = true\n  allow_length_cutoff = true"))
    openai_server.queue(_cut_off_answer(openai_server, "1. Open the vault"))
    tool.run(workdir, "apply", "-auto-approve", "-input=false")
    outputs = tool.outputs(workdir)
    assert outputs["provenance"]["value"]["finish_reason"] == "length"
    assert outputs["runbook"]["value"] == "1. Open the vault"
    assert len(openai_server.completion_requests()) == 2, "the refused answer was not cached, so it was asked again"
    assert tool.plan_exit_code(workdir) == 0


def test_a_structured_answer_that_breaks_its_schema_names_the_violation(tool: Tool, openai_server, tmp_path):
    workdir = copy_root_config(REPO_ROOT / "examples" / "structured_output", tmp_path / "schema")
    tool.run(workdir, "init", "-input=false")
    body = openai_server.completion_for({"model": "gpt-4o", "messages": [{"role": "user", "content": "x"}]})
    wrong = {"statements": [{"effect": "Maybe", "actions": ["s3:GetObject"], "resources": ["*"]}]}
    body["choices"][0]["message"]["content"] = json.dumps(wrong)
    openai_server.queue(Reply(200, body))
    plan = tool.run(workdir, "plan", "-input=false", check=False)
    assert plan.returncode == 1
    message = _message(plan)
    assert "the answer does not match response_format.schema at /statements/0/effect" in message
    assert "'Maybe' is not one of ['Allow', 'Deny']" in message
    assert not list((workdir / ".terraform" / "openai-chat-cache").rglob("*.json"))


def test_sensitive_answers_are_hidden_in_the_plan(tool: Tool, openai_server, tmp_path):
    workdir = copy_root_config(REPO_ROOT / "examples" / "current_parameters", tmp_path / "hidden")
    tool.run(workdir, "init", "-input=false")
    plan = tool.run(workdir, "plan", "-input=false")
    shown = " ".join(plan.stdout.split())
    assert "runbook = (sensitive value)" in shown
    assert "Rotate the database credentials" not in shown
    assert 'system_fingerprint = "fp_loopback"' in shown, "the provenance is not sensitive and is shown"
