"""Module folders a plan compares the real module with: its interface alone (generated from its
files), and a small synthetic module with K of one part added, to price each part per block."""

import re
import shutil
from dataclasses import dataclass, fields
from pathlib import Path

PARTS = ("variables", "validations", "preconditions", "outputs", "locals")
# What a variant is compared with: the validations variant adds k variables that each have one rule, as
# the module spreads its rules over its variables (a variable's rules share one evaluation scope).
REFERENCE = {
    "variables": "base",
    "validations": "variables",
    "preconditions": "base",
    "outputs": "base",
    "locals": "base",
}

VERSIONS = """terraform {
  required_providers {
    external = { source = "hashicorp/external" }
  }
}
"""

BASE_VARIABLES = """variable "model" {
  type        = string
  description = "The model."
}

variable "messages" {
  type        = list(object({ role = string, content = optional(string) }))
  description = "The conversation."
}

variable "python" {
  type        = string
  description = "The program the data source runs."
}
"""

# Mostly scalars, as the module's own variables are.
EXTRA_VARIABLE_TYPES = ("string", "number", "bool", "string", "list(string)")

RESULT_LOCAL = """locals {
  result = data.external.chat_completion.result
}
"""


@dataclass(frozen=True)
class PartCounts:
    """How many of each part a module declares, counted from its files."""

    variables: int
    validations: int
    preconditions: int
    outputs: int
    locals: int

    def of(self, part: str) -> int:
        return int(getattr(self, part))


def count_parts(module: Path) -> PartCounts:
    text = "\n".join(path.read_text() for path in sorted(module.glob("*.tf")))
    in_locals = False
    local_names = 0
    for line in text.splitlines():
        if line == "locals {":
            in_locals = True
        elif line == "}":
            in_locals = False
        elif in_locals and re.match(r"  [A-Za-z_][\w-]*\s*=", line):
            local_names += 1
    counts = {
        "variables": len(re.findall(r'^variable "', text, re.M)),
        "validations": len(re.findall(r"^\s+validation \{", text, re.M)),
        "preconditions": len(re.findall(r"^\s+(?:pre|post)condition \{", text, re.M)),
        "outputs": len(re.findall(r'^output "', text, re.M)),
        "locals": local_names,
    }
    assert set(counts) == {field.name for field in fields(PartCounts)}
    return PartCounts(**counts)


def interface_floor(module: Path, into: Path) -> Path:
    """The module's variables (without their validations) and outputs around one data source that runs
    var.python: no rules, no locals but the one result. What this interface costs a plan at least."""
    variables_text = _without_blocks((module / "variables.tf").read_text(), "  validation {", "  }")
    names = [name for name in re.findall(r'^variable "([^"]+)"', variables_text, re.M) if name != "python"]
    width = max(len(name) for name in names)
    query = "\n".join(f"      {name.ljust(width)} = var.{name}" for name in names)
    main = (
        RESULT_LOCAL
        + '\ndata "external" "chat_completion" {\n  program = [var.python, "unused"]\n'
        + f"  query = {{\n    for name, value in {{\n{query}\n    }} :\n"
        + "    name => jsonencode(value) if value != null\n  }\n}\n"
    )
    outputs = [
        _output(name, _description(body), f"jsondecode(local.result.{name})")
        for name, body in re.findall(
            r'^output "([^"]+)" \{\n(.*?)^\}', (module / "outputs.tf").read_text(), re.M | re.S
        )
    ]
    folder = _write(into, variables_text, main, "\n".join(outputs))
    for versions in ("versions.tf", "versions.tofu"):
        if (module / versions).exists():
            shutil.copy(module / versions, folder / versions)
    return folder


def synthetic(into: Path, part: str | None, k: int) -> Path:
    """A small module (3 variables, one data source, one local, one output), with k of one part added
    (validations: k variables more, each with one; see REFERENCE)."""
    variables = BASE_VARIABLES
    locals_text = RESULT_LOCAL
    lifecycle = ""
    outputs = [_output("content", "The answer.", "jsondecode(local.result.content)")]
    if part in ("variables", "validations"):
        variables += "".join(_extra_variable(index, validated=part == "validations") for index in range(k))
    elif part == "preconditions":
        lifecycle = (
            "\n  lifecycle {\n"
            + "".join(
                f"    precondition {{\n      condition     = length(var.model) < {1000 + index}\n"
                f'      error_message = "model rule {index}."\n    }}\n'
                for index in range(k)
            )
            + "  }\n"
        )
    elif part == "outputs":
        outputs += [
            _output(f"extra_{index}", "The answer again.", "jsondecode(local.result.content)") for index in range(k)
        ]
    elif part == "locals":
        locals_text = RESULT_LOCAL.replace(
            "}\n", "".join(f'  extra_{index} = "${{var.model}}-{index}"\n' for index in range(k)) + "}\n"
        )
    elif part is not None:
        raise ValueError(f"unknown part {part!r}; one of {', '.join(PARTS)}")
    main = (
        locals_text
        + '\ndata "external" "chat_completion" {\n  program = [var.python, "unused"]\n'
        + "  query   = { model = jsonencode(var.model), messages = jsonencode(var.messages) }\n"
        + lifecycle
        + "}\n"
    )
    folder = _write(into, variables, main, "\n".join(outputs))
    (folder / "versions.tf").write_text(VERSIONS)
    return folder


def _extra_variable(index: int, validated: bool) -> str:
    """An optional variable the caller leaves unset; validated, with one rule of the module's usual form."""
    name = f"extra_{index}"
    rule = (
        f"\n  validation {{\n    condition     = var.{name} == null ? true : length(jsonencode(var.{name})) < 1000\n"
        f'    error_message = "{name} is too long."\n  }}\n'
    )
    return (
        f'\nvariable "{name}" {{\n  type        = {EXTRA_VARIABLE_TYPES[index % len(EXTRA_VARIABLE_TYPES)]}\n'
        f'  description = "An optional input the caller leaves unset ({index})."\n  default     = null\n'
        + (rule if validated else "")
        + "}\n"
    )


def _write(folder: Path, variables: str, main: str, outputs: str) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "variables.tf").write_text(variables)
    (folder / "main.tf").write_text(main)
    (folder / "outputs.tf").write_text(outputs)
    return folder


def _output(name: str, description: str, value: str) -> str:
    return f'output "{name}" {{\n  description = "{description}"\n  value       = {value}\n}}\n'


def _description(block_body: str) -> str:
    found = re.search(r'^  description = "(.*)"$', block_body, re.M)
    return found.group(1) if found else ""


def _without_blocks(text: str, opening: str, closing: str) -> str:
    """text without every block from a line equal to opening to the next line equal to closing."""
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):
        if not skipping and line.rstrip() == opening:
            skipping = True
        elif skipping:
            skipping = line.rstrip() != closing
        else:
            kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "".join(kept)).replace("\n\n}", "\n}")
