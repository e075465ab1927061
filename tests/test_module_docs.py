"""Each module README's Inputs and Outputs tables are what terraform-docs writes from the code."""

import subprocess
from pathlib import Path

import pytest

from testing.paths import REPO_ROOT
from testing.toolchain import TOOLS, require_tool

MODULES = sorted(p for p in (REPO_ROOT / "modules").iterdir() if (p / "variables.tf").is_file())


@pytest.fixture(scope="module")
def terraform_docs() -> Path:
    """.tools/bin/terraform-docs; without it the tests are skipped with the reason, or, under CI, fail."""
    require_tool("terraform-docs", plans=False)
    return TOOLS / "bin" / "terraform-docs"


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_readme_tables_match_the_code(terraform_docs, module):
    completed = subprocess.run(
        [terraform_docs, "--output-check", module.relative_to(REPO_ROOT)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, f"{completed.stderr.strip()}: run make docs"


def test_every_module_has_the_same_terraform_docs_config():
    configs = {module.name: module / ".terraform-docs.yml" for module in MODULES}
    missing = [name for name, config in configs.items() if not config.is_file()]
    assert not missing, f"modules without a .terraform-docs.yml (copy modules/chat_completion's): {missing}"
    texts = {config.read_text() for config in configs.values()}
    assert len(texts) == 1, "the modules' .terraform-docs.yml differ: every module's tables come from one config"
