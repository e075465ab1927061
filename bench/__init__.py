"""Benchmarks: scripts that print measured figures (run.py is the entry; `--help` lists the options)."""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # testing/ is imported from the checkout
    sys.path.insert(0, str(REPO_ROOT))
