"""A Python as a newcomer's machine has it: the system's own, with none of the helper's packages and
marked externally managed (PEP 668), so that pip refuses to install into it.

This machine kind's /usr/bin/python3 is Debian's; a virtual environment cannot stand in for it (pip
ignores the marker inside one).
"""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

SYSTEM_PYTHON = Path("/usr/bin/python3")


def bare_python_problem() -> str | None:
    """Why /usr/bin/python3 is not such a Python here, or None when it is."""
    if not SYSTEM_PYTHON.exists():
        return f"{SYSTEM_PYTHON} does not exist"
    probe = (
        "import importlib.util, os, sys, sysconfig\n"
        "marker = os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')\n"
        "found = [n for n in ('openai', 'jsonschema', 'tenacity') if importlib.util.find_spec(n)]\n"
        "print(sys.version_info >= (3, 10), os.path.exists(marker), ','.join(found))\n"
    )
    completed = subprocess.run([str(SYSTEM_PYTHON), "-I", "-c", probe], capture_output=True, text=True, check=False)
    recent, managed, found = [*completed.stdout.strip().split(" "), "", "", ""][:3]
    if recent != "True":
        return f"{SYSTEM_PYTHON} is older than 3.10"
    if managed != "True":
        return f"{SYSTEM_PYTHON} is not marked externally managed (PEP 668)"
    if found:
        return f"{SYSTEM_PYTHON} already has {found}"
    return None


def bare_path(folder: Path, with_uv: bool = False) -> str:
    """A PATH whose python3 is the system's, with the system's folders and, if asked, uv."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "python3").symlink_to(SYSTEM_PYTHON)
    if with_uv:
        uv = shutil.which("uv", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
        assert uv is not None, "uv is in the test extra: make setup installs it"
        (folder / "uv").symlink_to(uv)
    return os.pathsep.join([str(folder), "/usr/local/bin", "/usr/bin", "/bin"])


def environments_built(env_dir: Path) -> int:
    """How many private environments were built in env_dir (each build logs one line "built <name>")."""
    return sum(log.read_text().count("\nbuilt ") for log in env_dir.glob("*.log"))


def refusing_port() -> int:
    """A port on 127.0.0.1 where nothing listens (an index URL there refuses every connection)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
