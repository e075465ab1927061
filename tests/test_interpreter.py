"""An interpreter without the helper's packages, or too old, gets the one command that fixes it."""

import json
import runpy
import subprocess
import sys

import pytest

from tests.conftest import HELPER, USER_EXAMPLE, encode_query


def test_missing_packages_name_them_and_the_install_command():
    # -S hides site-packages: the same interpreter, as if nothing had been pip-installed.
    completed = subprocess.run(
        [sys.executable, "-S", str(HELPER)],
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
    assert f'"{sys.executable}" -m pip install -r "{HELPER.parent / "requirements.txt"}"' in line


def test_an_old_python_is_told_the_minimum_and_how_to_fix_it(monkeypatch, capsys):
    monkeypatch.setattr(sys, "version_info", (3, 8, 10, "final", 0))
    monkeypatch.setattr(sys, "argv", [str(HELPER)])
    with pytest.raises(SystemExit) as exited:
        runpy.run_path(str(HELPER), run_name="__main__")
    assert exited.value.code == 1
    line = capsys.readouterr().err.strip()
    assert "is 3.8; the helper needs 3.10 or newer" in line
    assert "python input" in line and "-m pip install -r" in line
