"""The private runtime folder on Windows (issue 27, item 6): no os.getuid, mode bits that say nothing, and
on Python 3.13 no "/tmp" that counts as an absolute path. Simulated on POSIX by taking away what Windows
lacks; a spend cap must still find its folder."""

import os
import stat
from pathlib import Path

import pytest
from chat_helper.answers import run_counts
from chat_helper.core import environment


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    temp = tmp_path / "AppData" / "Local" / "Temp"
    temp.mkdir(parents=True)
    monkeypatch.setattr(environment, "WINDOWS", True, raising=False)
    monkeypatch.delattr(os, "getuid")
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.delenv("TMPDIR", raising=False)
    monkeypatch.setenv("TEMP", str(temp))
    monkeypatch.setenv("USERNAME", "Ada Lovelace")
    real_lstat = os.lstat

    def lstat_as_on_windows(path: str) -> os.stat_result:
        status = real_lstat(path)
        mode = (status.st_mode & ~0o777) | 0o777  # Windows reports every folder as 0o777, owned by uid 0
        return os.stat_result((mode, *status[1:4], 0, *status[5:]))

    monkeypatch.setattr(os, "lstat", lstat_as_on_windows)
    return temp


def test_a_capped_run_finds_its_folder_in_the_users_temp(windows: Path):
    folder = run_counts._runs_folder()

    assert folder == windows / "terraform-openai-chat-Ada_Lovelace" / "runs"
    assert folder.is_dir()


def test_the_users_temp_comes_before_slash_tmp(windows: Path):
    assert environment.runtime_bases()[0] == str(windows)


def test_a_link_is_not_trusted(windows: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    real_lstat = os.lstat
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def junction(path: str) -> os.stat_result:
        status = real_lstat(path)
        result = os.stat_result((stat.S_IFDIR | 0o777, *status[1:]))
        return _with_attributes(result, environment.REPARSE_POINT)

    monkeypatch.setattr(os, "lstat", junction)
    assert not environment.private_folder(str(elsewhere))


class _Status:
    def __init__(self, status: os.stat_result, attributes: int) -> None:
        self._status = status
        self.st_file_attributes = attributes

    def __getattr__(self, name: str) -> object:
        return getattr(self._status, name)


def _with_attributes(status: os.stat_result, attributes: int) -> os.stat_result:
    return _Status(status, attributes)  # type: ignore[return-value]
