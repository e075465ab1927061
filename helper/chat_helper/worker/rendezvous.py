"""Where a call and its worker meet: the worker's identity, and its socket and lock in a private folder.

A call uses only a worker started by the same user, interpreter, packages, helper source and
environment: their hash names the socket. Both sides use this module; the calling side on every
call, so it imports only what Python has loaded before main.py runs (and core/environment.py).
"""

import os
import sys

from ..core.digest import sha256_hex
from ..core.environment import private_folder, relevant_environment, runtime_bases, runtime_folder
from ..python_env.locate import is_private_environment, marker_stamp

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELPER_DIR = os.path.dirname(PACKAGE_DIR)
MAIN_SCRIPT = os.path.join(HELPER_DIR, "main.py")
SOCKET_PATH_LIMIT = 100  # sun_path holds 104 bytes on macOS, 108 on Linux


class WorkerPaths:
    def __init__(self, folder: str, identity: str) -> None:
        self.folder = folder
        self.socket = os.path.join(folder, identity + ".sock")
        self.lock = os.path.join(folder, identity + ".lock")


def worker_identity(python: str, prefix: str, search_path: list[str]) -> str:
    """A hash of everything a worker's answers depend on besides the query (never the values in clear).

    python and prefix name the worker's interpreter (sys.executable and sys.prefix, on its side): the
    calling one, or the helper's private environment, whose packages are then named by when it was made.
    """
    parts = [
        python,
        sys.version,
        repr(sys.flags),
        repr(sorted(sys._xoptions.items())),
        repr(sys.warnoptions),
        HELPER_DIR,
    ]
    if is_private_environment(prefix):
        parts.append(marker_stamp(prefix))
    else:
        for folder in search_path:  # where packages come from, and when they last changed
            parts.append(f"{folder}:{_mtime_ns(folder)}")
    parts.append(relevant_environment())
    parts.append(f"main.py:{_mtime_ns(MAIN_SCRIPT)}")
    parts += _source_stamps(PACKAGE_DIR, "")
    return sha256_hex("\0".join(parts).encode("utf-8", "surrogateescape"))[:32]


def worker_paths(identity: str) -> WorkerPaths | None:
    """The socket and lock of this identity's worker, in a folder only this user can enter."""
    for base in runtime_bases():
        folder = runtime_folder(base)
        paths = WorkerPaths(folder, identity)
        if len(os.fsencode(paths.socket)) <= SOCKET_PATH_LIMIT:
            return paths if private_folder(folder) else None
    return None


def same_file(descriptor: int, path: str) -> bool:
    """Whether path still names the open file (a worker removes its lock file as it exits)."""
    try:
        opened, named = os.fstat(descriptor), os.stat(path)
    except OSError:
        return False
    return (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino)


def _source_stamps(folder: str, prefix: str) -> list[str]:
    """The helper's own source, every folder of it: each file's path, modification time and size."""
    stamps = []
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda entry: entry.name):
            if entry.name.endswith(".py"):
                status = entry.stat()
                stamps.append(f"{prefix}{entry.name}:{status.st_mtime_ns}:{status.st_size}")
            elif entry.name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                stamps += _source_stamps(entry.path, f"{prefix}{entry.name}/")
    return stamps


def _mtime_ns(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0
