"""Where the checkout's parts are, for the tests, the bench and the demo."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
HELPER = REPO_ROOT / "helper" / "main.py"
MODULES_DIR = REPO_ROOT / "modules"
EXAMPLES_DIR = REPO_ROOT / "examples"
TOOLS = REPO_ROOT / ".tools"  # scripts/toolchain.sh builds here
