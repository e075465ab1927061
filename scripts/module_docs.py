"""Writes a module README's Inputs and Outputs tables from its variables.tf and outputs.tf.

Usage: python scripts/module_docs.py [--check] MODULE_DIR...
The tables sit between <!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS -->; --check exits 1 on drift.
"""

import re
import sys
from pathlib import Path

BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"


def blocks(text: str, kind: str) -> list[tuple[str, str]]:
    """(name, body) of every top-level `kind "name" { ... }` block, braces balanced."""
    found = []
    for match in re.finditer(rf'^{kind} "([^"]+)" {{', text, re.M):
        depth, position = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[position], 0)
            position += 1
        found.append((match.group(1), text[match.end() : position - 1]))
    return found


def attribute(body: str, name: str) -> str | None:
    """The expression assigned to a top-level attribute of a block body, brackets balanced."""
    match = re.search(rf"^  {name}\s*=\s*", body, re.M)
    if not match:
        return None
    depth, position, start = 0, match.end(), match.end()
    while position < len(body):
        character = body[position]
        if character == '"':
            position = re.match(r'"(?:[^"\\]|\\.)*"', body[position:]).end() + position  # type: ignore[union-attr]
            continue
        if character in "([{":
            depth += 1
        elif character in ")]}":
            depth -= 1
        elif character == "\n" and depth == 0:
            break
        position += 1
    return body[start:position].strip()


def cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def description(body: str) -> str:
    raw = attribute(body, "description") or '""'
    return cell(raw[1:-1].replace('\\"', '"'))


def tables(module_dir: Path) -> str:
    lines = ["## Inputs", "", "| Name | Description | Type | Default | Required |", "|---|---|---|---|:---:|"]
    for name, body in blocks((module_dir / "variables.tf").read_text(), "variable"):
        default = attribute(body, "default")
        type_ = cell(attribute(body, "type") or "any")
        shown = "n/a" if default is None else f"`{cell(default)}`"
        lines.append(f"| `{name}` | {description(body)} | `{type_}` | {shown} | {'yes' if default is None else 'no'} |")
    lines += ["", "## Outputs", "", "| Name | Description |", "|---|---|"]
    for name, body in blocks((module_dir / "outputs.tf").read_text(), "output"):
        lines.append(f"| `{name}` | {description(body)} |")
    return "\n".join(lines)


def rendered(readme: str, module_dir: Path) -> str:
    before, rest = readme.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    return f"{before}{BEGIN}\n{tables(module_dir)}\n{END}{after}"


def main(arguments: list[str]) -> int:
    check = "--check" in arguments
    drifted = []
    for module in (Path(a) for a in arguments if a != "--check"):
        readme = module / "README.md"
        current = readme.read_text()
        expected = rendered(current, module)
        if current != expected:
            if check:
                drifted.append(str(readme))
            else:
                readme.write_text(expected)
    if drifted:
        print(f"out of date (run make docs): {', '.join(drifted)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
