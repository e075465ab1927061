"""Makes the helper's private Python environment: a virtual environment with the packages pinned in
helper/requirements.lock, with uv when the machine has it (and pip is not configured), else venv and pip.

Concurrent first calls build it once (a lock file); it is built under another name and renamed into
place once it imports the packages, so a half-made environment is never used. Standard library only:
it runs on whatever interpreter Terraform starts.
"""

import os
import sys

from .locate import ENV_DIR_VARIABLE, LOCK_FILE, READY_MARKER, environment_python, ready_environment

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TextIO

REQUIRED_IMPORTS = ("openai", "jsonschema", "tenacity")
BUILD_WAIT_SECONDS = 900.0  # how long a concurrent first call waits for another call's build
PIP_CONFIG_VARIABLES = ("PIP_CONFIG_FILE", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_TRUSTED_HOST", "PIP_CERT")
OPT_OUT = (
    'or set python_packages = "interpreter" with python pointing at an interpreter that has '
    "openai, jsonschema and tenacity (helper/requirements.lock lists the versions)"
)


class ProvisionError(Exception):
    """The environment could not be made; the message says what to do on this platform."""


def provision(root: str, name: str, progress: "Callable[[str], None]") -> str:
    """Builds the environment unless another call is building or has built it; returns its folder."""
    import time
    from pathlib import Path

    from ..core.errors import HelperError
    from ..core.file_lock import exclusive_lock, make_private_dir

    try:
        make_private_dir(Path(root))
    except OSError as error:
        raise ProvisionError(
            f"cannot create the folder of the helper's Python environment {root}: {error.strerror}; set "
            f"python_env_dir (or {ENV_DIR_VARIABLE}) to a writable folder"
        ) from None
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    failed_before = _failure(root, name)  # a build that failed before this call came: this call tries again
    try:
        with exclusive_lock(Path(root, f"{name}.lock"), deadline, "another call setting up the Python environment"):
            ready = ready_environment(root, name)
            if ready is not None:
                return ready
            failed_meanwhile = _failure(root, name)
            if failed_meanwhile is not None and failed_meanwhile != failed_before:
                # The call this one waited for failed: its line, at once, rather than the same build again
                # (a plan's queued reads would each redo it, one after another).
                raise ProvisionError(failed_meanwhile.split("\n", 1)[1])
            return _build_remembering_failure(root, name, progress)
    except HelperError as error:  # the lock: waited too long, or cannot be opened
        raise ProvisionError(f"{error}; if no other call is running, remove {root}/{name}.lock") from None


def _build_remembering_failure(root: str, name: str, progress: "Callable[[str], None]") -> str:
    """_build, and on failure its line in <name>.failed (a unique first line: each failure is a new one)."""
    import contextlib
    import secrets

    failure_path = os.path.join(root, f"{name}.failed")
    try:
        built = _build(root, name, progress)
    except ProvisionError as error:
        try:
            with open(failure_path, "w", encoding="utf-8") as failure:
                failure.write(f"{secrets.token_hex(8)}\n{error}")
        except OSError:
            raise error from None  # then the calls that waited build again, as before
        raise
    with contextlib.suppress(OSError):  # none there: the usual case
        os.unlink(failure_path)
    return built


def _failure(root: str, name: str) -> str | None:
    """What <name>.failed holds: the last failed build's id and line, or None."""
    try:
        with open(os.path.join(root, f"{name}.failed"), encoding="utf-8") as failure:
            text = failure.read()
    except (OSError, ValueError):
        return None
    return text if "\n" in text else None


def _build(root: str, name: str, progress: "Callable[[str], None]") -> str:
    """Under the lock: a new environment in <name>.partial, checked, then renamed into place."""
    import shutil

    final = os.path.join(root, name)
    partial = final + ".partial"
    for leftover in (partial, final):  # an interrupted build, or an environment whose interpreter is gone
        shutil.rmtree(leftover, ignore_errors=True)
    log_path = final + ".log"  # what the installer said, for whoever debugs a failed set-up
    uv = None if _pip_is_configured() else shutil.which("uv")  # uv does not read pip's configuration
    progress(
        f"setting up the helper's Python environment in {final} with {'uv' if uv else 'venv and pip'} "
        f"(once per machine and module version; the installer's output goes to {log_path})"
    )
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(f"building {name} for {sys.executable} (process {os.getpid()})\n")
        log.flush()
        try:
            _install(partial, uv, root, log)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)  # nothing half-made stays behind
            raise
        try:
            os.rename(partial, final)
        except OSError as error:
            shutil.rmtree(partial, ignore_errors=True)
            raise ProvisionError(
                f"cannot move the helper's new Python environment into place ({partial} -> {final}): "
                f"{error.strerror}; check that nothing else writes in {root}, then plan again, {OPT_OUT}"
            ) from None
        log.write(f"built {name}\n")
    progress(f"the helper's Python environment is ready in {final}")
    return final


def _install(folder: str, uv: str | None, root: str, log: "TextIO") -> None:
    """A virtual environment in folder with the locked packages, checked, then marked ready."""
    python = environment_python(folder)
    if uv:
        _run([uv, "venv", "--quiet", "--python", sys.executable, folder], "uv venv", root, log)
        _run([uv, "pip", "install", "--require-hashes", "--python", python, "-r", LOCK_FILE], "install", root, log)
    else:
        _run([sys.executable, "-m", "venv", folder], "venv", root, log)
        pip = [python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--require-hashes"]
        _run([*pip, "-r", LOCK_FILE], "install", root, log)
    _run([python, "-c", f"import {', '.join(REQUIRED_IMPORTS)}"], "the import check", root, log)
    with open(os.path.join(folder, READY_MARKER), "w", encoding="utf-8") as marker:
        marker.write(f"{sys.executable}\n")


def _pip_is_configured() -> bool:
    """Whether the user configured pip (an index, a proxy, certificates): then pip itself installs."""
    if any(os.environ.get(variable) for variable in PIP_CONFIG_VARIABLES):
        return True
    return any(os.path.isfile(path) for path in pip_config_files())


def pip_config_files() -> list[str]:
    """Every file pip reads its configuration from, on any platform (pip's own list: global, user, site):
    a file of another platform's list is never there, so one list serves all."""
    config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    config_dirs = os.environ.get("XDG_CONFIG_DIRS") or "/etc/xdg"
    files = [os.path.join(folder, "pip", "pip.conf") for folder in config_dirs.split(os.pathsep) if folder]
    files += [
        "/etc/pip.conf",
        "/Library/Application Support/pip/pip.conf",  # macOS, global
        os.path.join(config_home, "pip", "pip.conf"),
        os.path.expanduser("~/Library/Application Support/pip/pip.conf"),  # macOS, user
        os.path.expanduser("~/.pip/pip.conf"),
        os.path.join(sys.prefix, "pip.conf"),  # site: the interpreter's own
    ]
    for variable in ("APPDATA", "PROGRAMDATA"):  # Windows, user and global
        if os.environ.get(variable):
            files.append(os.path.join(os.environ[variable], "pip", "pip.ini"))
    files.append(os.path.expanduser(os.path.join("~", "pip", "pip.ini")))  # Windows, user (legacy)
    files.append(os.path.join(sys.prefix, "pip.ini"))
    return files


def _run(command: list[str], step: str, root: str, log: "TextIO") -> None:
    import subprocess

    try:
        completed = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    except OSError as error:
        raise ProvisionError(f"cannot run {command[0]} ({step}): {error.strerror}; {OPT_OUT}") from None
    log.write(f"$ {' '.join(command)}\n{completed.stdout}{completed.stderr}")
    if completed.returncode != 0:
        raise ProvisionError(_advice(step, completed.stdout + completed.stderr, root))


def _advice(step: str, output: str, root: str) -> str:
    """One line: what failed, the installer's own words, and what to do on this platform."""
    lines = [line.strip() for line in output.splitlines() if line.strip() and not line.startswith("WARNING: ")]
    said = lines[-1] if lines else "no message"
    lowered = output.lower()
    if step == "venv" and ("ensurepip" in output or "no module named venv" in lowered):
        if os.path.exists("/etc/debian_version"):
            version = f"{sys.version_info[0]}.{sys.version_info[1]}"
            fix = f"install its venv module: apt-get install python3-venv (or python{version}-venv)"
        else:
            fix = "install the venv module and ensurepip for it, or install uv"
        return (
            f"cannot create the helper's Python environment: {sys.executable} has no working venv ({said}); "
            f"{fix}, {OPT_OUT}"
        )
    if "hash" in lowered and ("mismatch" in lowered or "do not match" in lowered):
        return (
            f"a package downloaded for the helper does not match its hash in helper/requirements.lock ({said}); "
            f"check the package index or proxy that pip uses (pip config list), {OPT_OUT}"
        )
    if step == "install":
        if any(sign in lowered for sign in ("connection", "network", "timed out", "no matching distribution")):
            said = f"the package index could not be reached or does not have them: {said}"
        return (
            f"cannot install the helper's packages into {root}: {said}; check the network, a proxy (HTTPS_PROXY) "
            f"or the package index that pip uses (pip config list, PIP_INDEX_URL), then plan again, {OPT_OUT}"
        )
    return f"cannot set up the helper's Python environment in {root}: {step} failed ({said}); {OPT_OUT}"
