"""The module README's Inputs and Outputs tables match the code."""

import re
import subprocess
import sys

from tests.conftest import REPO_ROOT

MODULE = REPO_ROOT / "modules" / "chat_completion"


def test_readme_tables_are_generated_from_the_code():
    completed = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "module_docs.py"), "--check", str(MODULE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


def test_every_variable_and_output_is_documented():
    readme = (MODULE / "README.md").read_text()
    for kind, file in (("variable", "variables.tf"), ("output", "outputs.tf")):
        for name in re.findall(rf'^{kind} "([^"]+)"', (MODULE / file).read_text(), re.M):
            assert f"| `{name}` |" in readme, f"{kind} {name} is missing from the README"
