"""How a failed set-up of the private environment is reported: once per build, in one line, never a
traceback (the builds themselves are in test_provision.py, on a bare system Python)."""

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from chat_helper.core.file_lock import exclusive_lock
from chat_helper.python_env import provision
from chat_helper.python_env.provision import ProvisionError

from testing.helper_process import USER_EXAMPLE, encode_query
from testing.paths import HELPER

NAME = "cpython3-test"
OFFLINE = "cannot install the helper's packages into the folder: the package index could not be reached"


def test_calls_queued_behind_a_failed_build_report_its_failure_instead_of_building_again(monkeypatch, tmp_path):
    builds: list[str] = []

    def failing_build(root: str, name: str, progress: Any) -> str:
        builds.append(name)
        raise ProvisionError(OFFLINE)

    monkeypatch.setattr(provision, "_build", failing_build)
    read_before_waiting = threading.Event()
    failure = provision._failure

    def noting_failure(root: str, name: str) -> str | None:
        found = failure(root, name)
        read_before_waiting.set()
        return found

    monkeypatch.setattr(provision, "_failure", noting_failure)
    errors: list[str] = []

    def queued_call() -> None:
        try:
            provision.provision(str(tmp_path), NAME, lambda message: None)
        except ProvisionError as error:
            errors.append(str(error))

    with exclusive_lock(tmp_path / f"{NAME}.lock", float("inf"), "the test"):  # the call that builds first
        queued = threading.Thread(target=queued_call)
        queued.start()
        assert read_before_waiting.wait(60)
        with pytest.raises(ProvisionError):
            provision._build_remembering_failure(str(tmp_path), NAME, lambda message: None)
    queued.join(60)

    assert errors == [OFFLINE] and len(builds) == 1, "the queued call reported the failure and built nothing"
    with pytest.raises(ProvisionError, match="could not be reached"):  # a later plan tries again
        provision.provision(str(tmp_path), NAME, lambda message: None)
    assert len(builds) == 2


def test_a_failed_rename_of_the_new_environment_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setattr(provision, "_install", lambda folder, uv, root, log: os.makedirs(folder))

    def refusing_rename(source: str, destination: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(provision.os, "rename", refusing_rename)
    with pytest.raises(ProvisionError) as failed:
        provision.provision(str(tmp_path), NAME, lambda message: None)

    assert "cannot move the helper's new Python environment into place" in str(failed.value)
    assert "Permission denied" in str(failed.value)
    assert not (tmp_path / f"{NAME}.partial").exists()


@pytest.mark.parametrize(
    ("path", "variables"),
    [
        ("Library/Application Support/pip/pip.conf", {}),  # macOS, the user's
        (".config/pip/pip.conf", {}),
        (".pip/pip.conf", {}),
        ("AppData/Roaming/pip/pip.ini", {"APPDATA": "AppData/Roaming"}),  # Windows, the user's
        ("ProgramData/pip/pip.ini", {"PROGRAMDATA": "ProgramData"}),  # Windows, global
        ("xdg/pip/pip.conf", {"XDG_CONFIG_DIRS": "xdg"}),
        ("prefix/pip.conf", {"prefix": "prefix"}),  # the interpreter's own (site)
    ],
)
def test_pips_configuration_files_on_every_platform_make_pip_install(monkeypatch, tmp_path, path, variables):
    """A private index configured there is then used: uv does not read pip's configuration."""
    for variable in ("XDG_CONFIG_HOME", "XDG_CONFIG_DIRS", "APPDATA", "PROGRAMDATA", *provision.PIP_CONFIG_VARIABLES):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for variable, folder in variables.items():
        if variable == "prefix":
            monkeypatch.setattr(provision.sys, "prefix", str(tmp_path / folder))
        else:
            monkeypatch.setenv(variable, str(tmp_path / folder))
    is_file = os.path.isfile
    monkeypatch.setattr(provision.os.path, "isfile", lambda name: name.startswith(str(tmp_path)) and is_file(name))
    assert not provision._pip_is_configured()  # the machine's own /etc/pip.conf, if any, is not looked at here

    (tmp_path / path).parent.mkdir(parents=True)
    (tmp_path / path).write_text("[global]\nindex-url = https://pypi.example.internal/simple\n")

    assert provision._pip_is_configured()


def test_a_helper_without_its_requirements_lock_says_so_in_one_line(tmp_path):
    copy = tmp_path / "helper"
    shutil.copytree(HELPER.parent, copy, ignore=shutil.ignore_patterns("__pycache__", "requirements.lock"))
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CHAT_HELPER_"))}

    completed = subprocess.run(
        [sys.executable, str(copy / "main.py")],
        input=json.dumps(encode_query(USER_EXAMPLE)),
        capture_output=True,
        text=True,
        env={**environment, "CHAT_HELPER_PYTHON_ENV_DIR": str(tmp_path / "envs")},
        timeout=60,
        check=False,
    )

    # run by hand (no --module=NAME): its lines start with the project's name
    assert completed.returncode == 1 and completed.stdout == ""
    [line] = completed.stderr.splitlines()
    assert line.startswith(f"terraform-openai-chat: cannot read the helper's {Path(copy, 'requirements.lock')}")
    assert "point the module's source at the whole repository" in line
