"""Each module README's Inputs and Outputs tables match the code."""

import re
import subprocess
import sys

import pytest

from testing.paths import REPO_ROOT

MODULES = sorted(p for p in (REPO_ROOT / "modules").iterdir() if (p / "variables.tf").is_file())


def test_every_module_is_checked_by_make_lint_and_regenerated_by_make_docs():
    def commands(target: str) -> list[str]:
        """What make would run for the target (-n: nothing runs), one command a line."""
        completed = subprocess.run(
            ["make", "--no-print-directory", "-n", target], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        )
        return [line for line in completed.stdout.splitlines() if "module_docs.py" in line]

    [lint], [docs] = commands("lint"), commands("docs")
    assert "--check" in lint and "--check" not in docs
    for module in MODULES:
        assert f"modules/{module.name}" in lint.split("--check", 1)[1].split(), f"make lint skips {module.name}"
        assert f"modules/{module.name}" in docs.split("module_docs.py", 1)[1].split(), f"make docs skips {module.name}"


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_readme_tables_are_generated_from_the_code(module):
    completed = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "module_docs.py"), "--check", str(module)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_every_variable_and_output_is_documented(module):
    readme = (module / "README.md").read_text()
    for kind, file in (("variable", "variables.tf"), ("output", "outputs.tf")):
        for name in re.findall(rf'^{kind} "([^"]+)"', (module / file).read_text(), re.M):
            assert f"| `{name}` |" in readme, f"{kind} {name} is missing from {module.name}'s README"
