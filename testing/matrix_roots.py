"""The matrix's root configurations: one module block over a map of prompts (for_each, or
chat_completions' requests), with the case's features as its inputs."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .matrix_cases import Features, ModuleName
from .paths import MODULES_DIR

ANSWER_SCHEMA = {
    "type": "object",
    "properties": {"answer": {"type": "string"}, "score": {"type": "integer"}},
    "required": ["answer", "score"],
    "additionalProperties": False,
}
TOOL_PARAMETERS = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
TOOL_NAME = "lookup"
OUTPUTS: dict[ModuleName, tuple[str, str]] = {  # the answers and the cache keys, by key
    "chat_completion": (
        "{ for key, block in module.ask : key => block.content }",
        "{ for key, block in module.ask : key => block.request_sha256 }",
    ),
    "chat_completions": (
        "module.ask.contents",
        "{ for key, result in module.ask.results : key => result.request_sha256 }",
    ),
    "response": (
        "{ for key, block in module.ask : key => block.output_text }",
        "{ for key, block in module.ask : key => block.request_sha256 }",
    ),
}


def hcl(value: Any) -> str:
    """A value as an HCL expression (JSON is one)."""
    return json.dumps(value)


def prompt(key: str, version: int) -> str:
    return f"Describe {key}, version {version}."


def block_inputs(module: ModuleName, features: Features, cache_dir: str | None, cache_url: str | None) -> list[str]:
    """The module block's lines after source: its requests, then the case's features."""
    lines = ['model = "gpt-4o"']
    if module == "chat_completions":
        lines.append(
            'requests = { for key, text in var.prompts : key => { messages = [{ role = "user", content = text }] } }'
        )
    elif module == "chat_completion":
        lines += ["for_each = var.prompts", 'messages = [{ role = "user", content = each.value }]']
    else:
        lines += ["for_each = var.prompts", "input = each.value"]
    if features.structured:
        name = "text_format" if module == "response" else "response_format"
        lines.append(f'{name} = {{ type = "json_schema", name = "answer", schema = {hcl(json.dumps(ANSWER_SCHEMA))} }}')
    if features.tools:
        lines.append(f'tools = [{{ name = "{TOOL_NAME}", parameters = {hcl(json.dumps(TOOL_PARAMETERS))} }}]')
    if features.n != 1:
        lines.append(f"n = {features.n}")
    lines += [f"{name} = true" for name in features.allow]
    if features.store_metadata:
        lines += ["store = true", 'metadata = { team = "matrix" }']
    if cache_dir is not None:
        lines.append(f"cache_dir = {hcl(cache_dir)}")
    if cache_url is not None:
        lines.append(f"cache_url = {hcl(cache_url)}")
    if features.sensitive:
        lines.append("sensitive = true")
    for name in ("requests_per_minute", "max_requests_per_run", "max_tokens_per_run"):
        value = getattr(features, name)
        if value is not None:
            lines.append(f"{name} = {value}")
    if module == "chat_completions" and features.max_concurrency is not None:
        lines.append(f"max_concurrency = {features.max_concurrency}")
    lines += [
        f"timeout_seconds = {features.timeout_seconds}",
        "cache_mode = var.cache_mode",
        "regenerate = var.regenerate",
    ]
    return lines


def write_root(
    workdir: Path, module: ModuleName, features: Features, cache_dir: str | None, cache_url: str | None
) -> None:
    """main.tf of a root: its module source a relative path, as users write it."""
    workdir.mkdir(parents=True, exist_ok=True)
    source = Path(os.path.relpath(MODULES_DIR / module, workdir)).as_posix()
    inputs = "".join(f"  {line}\n" for line in block_inputs(module, features, cache_dir, cache_url))
    sensitive = "  sensitive = true\n" if features.sensitive else ""
    answers, keys = OUTPUTS[module]
    (workdir / "main.tf").write_text(
        'variable "prompts" {\n  type = map(string)\n}\n\n'
        'variable "cache_mode" {\n  type    = string\n  default = "read-write"\n}\n\n'
        'variable "regenerate" {\n  type    = string\n  default = null\n}\n\n'
        f'module "ask" {{\n  source = "{source}"\n{inputs}}}\n\n'
        f'output "answers" {{\n  value = {answers}\n{sensitive}}}\n\n'
        f'output "keys" {{\n  value = {keys}\n{sensitive}}}\n'
    )


def write_values(workdir: Path, prompts: dict[str, str], regenerate: str | None, replay: bool) -> None:
    """terraform.tfvars.json: the root's prompts, its regenerate value, and the cache mode of the next run."""
    values: dict[str, Any] = {"prompts": prompts, "cache_mode": "replay" if replay else "read-write"}
    if regenerate is not None:
        values["regenerate"] = regenerate
    (workdir / "terraform.tfvars.json").write_text(json.dumps(values, indent=2))
