"""An interpreter too old, or without the packages when told to use its own, gets advice that works."""

import json
import runpy
import subprocess
import sys

import pytest

from testing.helper_process import USER_EXAMPLE, encode_query
from testing.paths import HELPER


def test_missing_packages_name_them_and_suggest_a_virtual_environment_not_the_system_pip():
    # -S hides site-packages: the same interpreter, as if nothing had been pip-installed. pip into a
    # system interpreter is what PEP 668 platforms refuse, so the advice is a virtual environment.
    completed = subprocess.run(
        [sys.executable, "-S", str(HELPER), "--python-packages=interpreter"],
        input=json.dumps(encode_query(USER_EXAMPLE)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout == ""
    [line] = completed.stderr.splitlines()
    assert "lacks the helper's packages (openai, jsonschema, tenacity)" in line
    assert "leave python_packages unset so that the module sets up its own environment" in line
    assert f'"{sys.executable}" -m venv DIR && DIR/bin/pip install -r "{HELPER.parent / "requirements.lock"}"' in line


def test_an_old_python_is_told_the_minimum_and_how_to_fix_it(monkeypatch, capsys):
    monkeypatch.setattr(sys, "version_info", (3, 8, 10, "final", 0))
    monkeypatch.setattr(sys, "argv", [str(HELPER)])
    with pytest.raises(SystemExit) as exited:
        runpy.run_path(str(HELPER), run_name="__main__")
    assert exited.value.code == 1
    line = capsys.readouterr().err.strip()
    assert "is 3.8; the helper needs 3.10 or newer" in line
    assert "set the module's python input to it" in line and "pip install" not in line
