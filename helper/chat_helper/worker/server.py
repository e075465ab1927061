"""The warm worker: one process per environment that imports the helper once and answers many calls.

The first call that finds none starts it (client.py). It listens on a private Unix socket, and takes
up one call at a time: it answers ACCEPTED, then the caller sends its request (wire.py). A call whose
answer is stored is answered by the worker itself (reading a file costs less than a fork); any other
call runs in a child forked for it. Either way the caller's working folder and umask are taken and
entry.main runs on the caller's stdin, so an answer is exactly the in-process one, without the imports.
The SDK (and every flow with it) is imported by the worker before its first child: a plan whose answers
are all cached never pays for it, and a child never imports anything the worker has not (a child that
did would pay for it on every call, in whichever thread reached for it). The worker exits when idle, on
any failure of its own, and when its socket is removed or replaced.
"""

import contextlib
import io
import os
import select
import signal
import socket
import sys
import time
import warnings
from dataclasses import dataclass
from typing import Any

from .. import entry
from ..core.errors import NeedsMoreThanCache
from ..core.run import Run
from ..core.time_limit import TimeUp, time_limit
from .rendezvous import WorkerPaths, same_file, worker_identity, worker_paths
from .wire import ACCEPTED, Reply, Request, current_umask, encode_reply, read_request

IDLE_VARIABLE = "CHAT_HELPER_WORKER_IDLE_SECONDS"
DEFAULT_IDLE_SECONDS = 15.0

CHILD_FAILED = 70
REQUEST_READ_SECONDS = 10.0
# A stored answer is read in milliseconds; a read that takes longer (a FIFO at the entry's path, a
# stalled network file system) is left to a child, so that it never holds up the worker's other calls.
CACHE_READ_SECONDS = 3.0
BUSY_POLL_SECONDS = 0.01
IDLE_POLL_SECONDS = 1.0


@dataclass
class Call:
    connection: socket.socket
    request: Request


def run_worker(arguments: list[str], search_path: list[str]) -> int:
    """main.py --worker LOCK_FD IDENTITY: serve until idle; the exit code is for no one (stdio is /dev/null)."""
    with contextlib.suppress(OSError):  # already a session leader
        os.setsid()
    lock = int(arguments[0])
    identity = arguments[1]
    os.closerange(3, lock)  # nothing of the caller's but the lock may stay open here
    os.closerange(lock + 1, 1 << 16)
    os.chdir("/")
    paths = worker_paths(identity)
    if paths is None or not _holds_lock(lock):
        return 1
    # Started in a way it cannot reproduce: its callers answer in-process.
    if worker_identity(sys.executable, sys.prefix, search_path) != identity:
        if same_file(lock, paths.lock):
            os.unlink(paths.lock)
        return 1
    os.lseek(lock, 0, os.SEEK_END)  # one line per worker ever started here: tests count them
    os.write(lock, f"{os.getpid()}\n".encode("ascii"))
    signal.signal(signal.SIGTERM, _exit_on_signal)  # kill <pid> cleans up like an idle exit
    try:
        Worker(paths, lock).serve()
    except BaseException:
        return 1
    return 0


def _exit_on_signal(number: int, frame: Any) -> None:
    raise SystemExit(0)


class Worker:
    def __init__(self, paths: WorkerPaths, lock: int) -> None:
        self.paths = paths
        self.lock = lock
        self.idle_seconds = _idle_seconds()
        self.everything_imported = False
        self.children: dict[int, Call] = {}
        if os.path.lexists(paths.socket):
            os.unlink(paths.socket)  # a dead worker's; the lock says no worker is alive
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(paths.socket)
        self.listener.listen(128)
        self.socket_inode = os.stat(paths.socket).st_ino
        self.last_activity = time.monotonic()

    def serve(self) -> None:
        closing = False
        try:
            while True:
                self._reap_children()
                if not closing and (not self._socket_is_ours() or self._idle_for_long()):
                    closing = True  # unlink first: new calls then wait for the lock and start a new worker
                    self._unlink_socket()
                busy = bool(self.children)
                if closing and not busy and not self._pending_connection(0):
                    return
                if self._pending_connection(BUSY_POLL_SECONDS if busy or closing else IDLE_POLL_SECONDS):
                    self._accept()
        finally:
            self._shut_down()

    def _accept(self) -> None:
        connection, _ = self.listener.accept()
        self.last_activity = time.monotonic()
        connection.settimeout(REQUEST_READ_SECONDS)
        try:
            connection.sendall(ACCEPTED)  # the caller sends its query only now: one that gave up sent nothing
            request = read_request(connection.recv)
        except OSError:
            request = None
        if request is None:
            connection.close()
            return
        call = Call(connection, request)
        reply = self._answer_from_cache(call)
        if reply is None:
            connection.settimeout(None)  # a child's reply may wait on the API for long
            self._fork(call)
            return
        with contextlib.suppress(OSError):  # a caller that stops reading holds the others up 10 s at most
            connection.sendall(reply)
        connection.close()

    def _answer_from_cache(self, call: Call) -> bytes | None:
        """The reply when the answer is stored (read here, without a fork), else None: a child answers."""
        umask = current_umask()
        streams = sys.stdin, sys.stdout, sys.stderr
        try:
            # A warning shows on every call, as in-process, not once per worker.
            with time_limit(CACHE_READ_SECONDS), warnings.catch_warnings():
                return self._answer(call, cache_only=True)
        except (NeedsMoreThanCache, TimeUp, Exception):  # a child runs it, and fails the same way if it must
            return None
        finally:
            sys.stdin, sys.stdout, sys.stderr = streams
            os.umask(umask)
            os.chdir("/")

    def _fork(self, call: Call) -> None:
        self._import_everything()  # before the child: it then imports nothing, in any thread
        pid = os.fork()
        if pid == 0:
            self._run_child(call)  # never returns
        self.children[pid] = call

    def _run_child(self, call: Call) -> None:
        code = CHILD_FAILED
        try:
            self.listener.close()
            os.close(self.lock)
            for other in self.children.values():
                other.connection.close()
            call.connection.sendall(self._answer(call))
            code = 0
        except BaseException:
            code = CHILD_FAILED
        finally:
            os._exit(code)

    def _answer(self, call: Call, cache_only: bool = False) -> bytes:
        """Runs entry.main as main.py would in the caller's folder; returns the encoded reply."""
        request = call.request
        os.chdir(request.cwd)  # a child has the caller's folder and umask: relative paths and modes as in-process
        os.umask(request.umask)
        stdin = io.TextIOWrapper(io.BytesIO(request.query), encoding="utf-8")
        stdout_bytes, stderr_bytes = io.BytesIO(), io.BytesIO()
        stdout = io.TextIOWrapper(stdout_bytes, encoding=request.stdout_codec[0], errors=request.stdout_codec[1])
        stderr = io.TextIOWrapper(stderr_bytes, encoding=request.stderr_codec[0], errors=request.stderr_codec[1])
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr  # for anything that writes there directly
        exit_code = entry.main(stdin, stdout, stderr, cache_only, Run(request.parent_pid, request.provider))
        stdout.flush()
        stderr.flush()
        return encode_reply(Reply(exit_code, stdout_bytes.getvalue(), stderr_bytes.getvalue()))

    def _reap_children(self) -> None:
        while self.children:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return
            call = self.children.pop(pid, None)
            if call is None:
                continue
            self.last_activity = time.monotonic()
            call.connection.close()  # after a failed child the caller sees the end and answers in-process

    def _import_everything(self) -> None:
        """Every flow of the helper (so the SDK, jsonschema and tenacity), once, in the parent."""
        if not self.everything_imported:
            from .warmup import warm_up  # imports the SDK: only once a call needs it

            warm_up()
            self.everything_imported = True

    def _pending_connection(self, timeout: float) -> bool:
        readable, _, _ = select.select([self.listener], [], [], timeout)
        return bool(readable)

    def _idle_for_long(self) -> bool:
        idle = not self.children
        return idle and time.monotonic() - self.last_activity >= self.idle_seconds

    def _socket_is_ours(self) -> bool:
        try:
            return os.stat(self.paths.socket).st_ino == self.socket_inode
        except OSError:
            return False

    def _unlink_socket(self) -> None:
        if self._socket_is_ours():
            with contextlib.suppress(OSError):
                os.unlink(self.paths.socket)

    def _shut_down(self) -> None:
        self._unlink_socket()
        if same_file(self.lock, self.paths.lock):  # still locked: no call can be using it
            with contextlib.suppress(OSError):
                os.unlink(self.paths.lock)
        self.listener.close()
        for call in self.children.values():
            call.connection.close()


def _holds_lock(lock: int) -> bool:
    import fcntl

    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the starter's lock, inherited: ours already
    except OSError:
        return False
    return True


def _idle_seconds() -> float:
    try:
        seconds = float(os.environ.get(IDLE_VARIABLE, DEFAULT_IDLE_SECONDS))
    except ValueError:
        return DEFAULT_IDLE_SECONDS
    return seconds if 0 < seconds <= 3600 else DEFAULT_IDLE_SECONDS
