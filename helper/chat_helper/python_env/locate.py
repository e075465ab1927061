"""Where the helper's private Python environment is, and whether it is ready: on every call, so it
imports only what Python has loaded at start (and the digest) and costs a file read and two stats.

One environment per user, Python version and lock file (helper/requirements.lock): an upgrade of the
module gets a new one, and two machines with the same module run the same packages.
"""

import os
import sys

from ..core.digest import sha256_hex

ENV_DIR_VARIABLE = "CHAT_HELPER_PYTHON_ENV_DIR"
HELPER_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOCK_FILE = os.path.join(HELPER_DIR, "requirements.lock")
READY_MARKER = "terraform-openai-chat-ready"  # written last: its presence means the environment works


def environments_root(configured: str | None) -> str:
    """The python_env_dir input, else CHAT_HELPER_PYTHON_ENV_DIR, else the user's cache folder."""
    chosen = configured or os.environ.get(ENV_DIR_VARIABLE, "").strip()
    if chosen:
        return os.path.abspath(os.path.expanduser(chosen))
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "terraform-openai-chat", "python")


def environment_name() -> str:
    """This Python's version and a hash of the lock file, the interpreter and the platform."""
    with open(LOCK_FILE, "rb") as lock:
        digest = sha256_hex(b"\0".join([lock.read(), os.fsencode(sys.executable), sys.platform.encode("ascii")]))
    return f"{sys.implementation.name}{sys.version_info[0]}{sys.version_info[1]}-{digest[:16]}"


def environment_python(folder: str) -> str:
    if os.name == "nt":
        return os.path.join(folder, "Scripts", "python.exe")
    return os.path.join(folder, "bin", "python")


def is_private_environment(prefix: str) -> bool:
    """Whether an interpreter whose sys.prefix is this one runs inside one of these environments."""
    return os.path.isfile(os.path.join(prefix, READY_MARKER))


def ready_environment(root: str, name: str) -> str | None:
    """The environment's folder when it is complete and its interpreter still exists, else None."""
    folder = os.path.join(root, name)
    if is_private_environment(folder) and os.path.exists(environment_python(folder)):
        return folder
    return None


def marker_stamp(prefix: str) -> str:
    """The environment and when it was made: part of a worker's identity in place of its sys.path."""
    try:
        made = os.stat(os.path.join(prefix, READY_MARKER)).st_mtime_ns
    except OSError:
        made = 0
    return f"{prefix}:{made}"
