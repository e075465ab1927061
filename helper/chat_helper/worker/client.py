"""The calling side: hand the query to a warm worker over a private Unix socket (the worker is server.py).

A call that finds no worker starts one and waits for it; any failure gives None, and the caller then
answers in-process, so the output is the same either way. Only modules Python has loaded before
main.py runs are imported here (plus _socket and fcntl): a call costs a Python start and a round trip.
"""

import os
import sys
import time

from ..core.run import calling_provider
from .rendezvous import MAIN_SCRIPT, WorkerPaths, same_file, worker_identity, worker_paths
from .wire import ACCEPTED, Reply, encode_request, read_reply

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and collections cost more to import than the rest of a call
    from collections.abc import Callable

try:
    import _socket
except ImportError:  # a Python without sockets answers in-process
    _socket = None  # type: ignore[assignment]

SWITCH_VARIABLE = "CHAT_HELPER_WORKER"  # "off" answers every call in-process
START_SECONDS = 20.0  # how long a call waits for a starting worker before answering in-process
# How long a call waits for a listening worker to take it up before answering in-process: a worker
# stuck in a system call (a hung network file system) must not hold later calls, or plans, forever.
# It covers the worker's one import of the SDK (1-3 s), during which it takes up no call.
ACCEPT_SECONDS = 10.0
POLL_SECONDS = 0.005
WORKER_ARGUMENT = "--worker"


def worker_enabled() -> bool:
    if os.environ.get(SWITCH_VARIABLE, "").strip().lower() in ("off", "0", "false", "no"):
        return False
    return os.name == "posix" and hasattr(_socket, "AF_UNIX") and hasattr(os, "fork")


def call_worker(
    query: bytes, python: str, prefix: str, search_path: list[str], may_start: "Callable[[], bool]", parent_pid: int
) -> Reply | None:
    """The reply of a worker running python (whose sys.prefix is prefix), or None when there is no usable
    worker; parent_pid names the run the call belongs to."""
    if not worker_enabled():
        return None
    try:
        identity = worker_identity(python, prefix, search_path)
        paths = worker_paths(identity)
        if paths is None:
            return None
        request = encode_request(query, parent_pid, calling_provider())
        connection = _connect(paths.socket) or _start_and_connect(paths, identity, python, may_start)
        if connection is None:
            return None
        try:
            connection.settimeout(ACCEPT_SECONDS)
            if connection.recv(len(ACCEPTED)) != ACCEPTED:
                return None
            connection.settimeout(None)  # taken up: the answer may wait on the API for as long as in-process
            connection.sendall(request)
            return read_reply(connection.recv)
        finally:
            connection.close()
    except (OSError, ValueError):
        return None  # the worker died mid-call, or never came: the caller answers in-process


def _connect(socket_path: str) -> "_socket.socket | None":
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        connection.connect(socket_path)
    except OSError:
        connection.close()
        return None
    return connection


def _start_and_connect(
    paths: WorkerPaths, identity: str, python: str, may_start: "Callable[[], bool]"
) -> "_socket.socket | None":
    """Starts the worker unless another call is starting it, then waits until it listens.

    The lock is held by the worker for its whole life (it inherits the starter's locked file), so a
    free lock means no worker: concurrent first calls start one worker, and a dead one is replaced.
    """
    import fcntl

    deadline = time.monotonic() + START_SECONDS
    started = False
    while time.monotonic() < deadline:
        lock = os.open(paths.lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pass  # a worker holds it: it is starting or listening
            else:
                if not same_file(lock, paths.lock):
                    time.sleep(POLL_SECONDS)
                    continue  # a worker removed this lock file as it exited: take the new one
                connection = _connect(paths.socket)  # it may have started and exited in between
                if connection is not None:
                    return connection
                if started or not may_start():
                    _remove(paths.lock)  # held and still named so: no one else uses it
                    return None  # the worker we started is gone already, or none can start: in-process
                if os.path.lexists(paths.socket):
                    os.unlink(paths.socket)
                _spawn_worker(lock, identity, python)
                started = True
        finally:
            os.close(lock)
        while time.monotonic() < deadline:
            connection = _connect(paths.socket)
            if connection is not None:
                return connection
            time.sleep(POLL_SECONDS)
            if not _locked(paths.lock):
                break
    return None


def _remove(path: str) -> bool:
    try:  # not contextlib.suppress: importing contextlib costs more than this whole module
        os.unlink(path)
    except OSError:
        return False
    return True


def _locked(lock_path: str) -> bool:
    import fcntl

    try:
        lock = os.open(lock_path, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(lock)  # closing also releases a lock taken just now
    return False


def _spawn_worker(lock: int, identity: str, python: str) -> None:
    """A detached process: own session, /dev/null for stdio so Terraform's pipes close with this call."""
    os.set_inheritable(lock, True)
    arguments = [python, *interpreter_flags(), MAIN_SCRIPT, WORKER_ARGUMENT, str(lock), identity]
    os.posix_spawn(
        python,
        arguments,
        os.environ,
        file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_DUP2, 1, 2),
        ],
    )


def interpreter_flags() -> list[str]:
    """The flags this interpreter was started with, so another process's sys.path and identity match."""
    flags = sys.flags
    arguments = []
    if flags.isolated:
        arguments.append("-I")
    else:
        arguments += ["-E"] if flags.ignore_environment else []
        arguments += ["-s"] if flags.no_user_site else []
    arguments += ["-S"] if flags.no_site else []
    arguments += ["-B"] if flags.dont_write_bytecode else []
    arguments += ["-" + "O" * flags.optimize] if flags.optimize else []
    arguments += ["-P"] if getattr(flags, "safe_path", False) and not flags.isolated else []
    for name, value in sys._xoptions.items():
        arguments += ["-X", name if value is True else f"{name}={value}"]
    for option in sys.warnoptions:
        arguments += ["-W", option]
    return arguments
