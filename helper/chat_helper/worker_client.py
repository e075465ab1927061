"""The fast path: hand the query to a warm worker over a private Unix socket (the worker is worker.py).

A call that finds no worker starts one and waits for it; any failure gives None, and the caller then
answers in-process, so the output is the same either way. Only modules Python has loaded before
main.py runs are imported here (plus _socket and fcntl): a call costs a Python start and a round trip.
"""

import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and collections cost more to import than the rest of a call
    from collections.abc import Callable

try:
    import _socket
except ImportError:  # a Python without sockets answers in-process
    _socket = None  # type: ignore[assignment]

SWITCH_VARIABLE = "CHAT_HELPER_WORKER"  # "off" answers every call in-process
IDLE_VARIABLE = "CHAT_HELPER_WORKER_IDLE_SECONDS"
DEFAULT_IDLE_SECONDS = 15.0
START_SECONDS = 20.0  # how long a call waits for a starting worker before answering in-process
# How long a call waits for a listening worker to take it up before answering in-process: a worker
# stuck in a system call (a hung network file system) must not hold later calls, or plans, forever.
# It covers the worker's one import of the SDK (1-3 s), during which it takes up no call.
ACCEPT_SECONDS = 10.0
ACCEPTED = b"+"
POLL_SECONDS = 0.005

# Besides the query, an answer depends on these variables: a call uses only a worker whose values
# match its own (their hash names the socket; the values never leave the process). Extend these
# when the helper reads another variable; a prefix covers every variable that starts with it.
# AWS_: where, and as whom, the object store of cache_url is reached.
ENVIRONMENT_PREFIXES = ("OPENAI_", "AZURE_OPENAI_", "CHAT_HELPER_", "AWS_")
ENVIRONMENT_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR")

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
HELPER_DIR = os.path.dirname(PACKAGE_DIR)
MAIN_SCRIPT = os.path.join(HELPER_DIR, "main.py")
WORKER_ARGUMENT = "--worker"
MAGIC = b"terraform-openai-chat worker 1\n"
REQUEST_FIELDS = 7  # cwd, umask, stdin, stdout encoding and errors, stderr encoding and errors
RESPONSE_FIELDS = 3  # exit code, stdout, stderr
MAX_FIELD_BYTES = 1 << 30
SOCKET_PATH_LIMIT = 100  # sun_path holds 104 bytes on macOS, 108 on Linux


class Reply:
    """What the worker answered: exactly the bytes an in-process run would have written."""

    def __init__(self, exit_code: int, stdout: bytes, stderr: bytes) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr


class WorkerPaths:
    def __init__(self, folder: str, identity: str) -> None:
        self.folder = folder
        self.socket = os.path.join(folder, identity + ".sock")
        self.lock = os.path.join(folder, identity + ".lock")


def worker_enabled() -> bool:
    if os.environ.get(SWITCH_VARIABLE, "").strip().lower() in ("off", "0", "false", "no"):
        return False
    return os.name == "posix" and hasattr(_socket, "AF_UNIX") and hasattr(os, "fork")


def call_worker(query: bytes, search_path: list[str], may_start: "Callable[[], bool]") -> Reply | None:
    """The worker's reply to this query, or None when there is no usable worker."""
    if not worker_enabled():
        return None
    try:
        identity = worker_identity(search_path)
        paths = worker_paths(identity)
        if paths is None:
            return None
        request = encode_fields(
            [
                os.fsencode(os.getcwd()),
                str(current_umask()).encode("ascii"),
                query,
                *_stream_codec(sys.stdout),
                *_stream_codec(sys.stderr),
            ]
        )
        connection = _connect(paths.socket) or _start_and_connect(paths, identity, search_path, may_start)
        if connection is None:
            return None
        try:
            connection.settimeout(ACCEPT_SECONDS)
            if connection.recv(len(ACCEPTED)) != ACCEPTED:
                return None
            connection.settimeout(None)  # taken up: the answer may wait on the API for as long as in-process
            connection.sendall(request)
            fields = read_fields(connection.recv, RESPONSE_FIELDS)
        finally:
            connection.close()
        if fields is None:
            return None
        return Reply(int(fields[0]), fields[1], fields[2])
    except (OSError, ValueError):
        return None  # the worker died mid-call, or never came: the caller answers in-process


def worker_identity(search_path: list[str]) -> str:
    """A hash of everything a worker's answers depend on besides the query (never the values in clear)."""
    parts = [
        sys.executable,
        sys.version,
        repr(sys.flags),
        repr(sorted(sys._xoptions.items())),
        repr(sys.warnoptions),
        HELPER_DIR,
    ]
    for folder in search_path:  # where packages come from, and when they last changed
        parts.append(f"{folder}:{_mtime_ns(folder)}")
    parts.append(relevant_environment())
    parts.append(f"main.py:{_mtime_ns(MAIN_SCRIPT)}")
    with os.scandir(PACKAGE_DIR) as entries:  # the helper's own source
        for source in sorted(entries, key=lambda entry: entry.name):
            if source.name.endswith(".py"):
                status = source.stat()
                parts.append(f"{source.name}:{status.st_mtime_ns}:{status.st_size}")
    return _sha256_hex("\0".join(parts).encode("utf-8", "surrogateescape"))[:32]


def relevant_environment() -> str:
    """The variables an answer may depend on, with their values (never leaves the process in clear)."""
    pairs = []
    for name in sorted(os.environ):
        upper = name.upper()
        if upper.startswith(ENVIRONMENT_PREFIXES) or upper in ENVIRONMENT_VARIABLES:
            pairs.append(f"{name}={os.environ[name]}")
    return "\0".join(pairs)


def worker_paths(identity: str) -> WorkerPaths | None:
    """The socket and lock of this identity's worker, in a folder only this user can enter."""
    for base in _socket_folder_bases():
        folder = os.path.join(base, f"terraform-openai-chat-{os.getuid()}")
        paths = WorkerPaths(folder, identity)
        if len(os.fsencode(paths.socket)) <= SOCKET_PATH_LIMIT:
            return paths if _private_folder(folder) else None
    return None


def worker_pids(lock_path: str) -> list[int]:
    """The pids of the workers started for this lock, oldest first (for tests and the benchmark)."""
    try:
        with open(lock_path, encoding="ascii") as handle:
            return [int(line) for line in handle.read().split()]
    except (OSError, ValueError):
        return []


def encode_fields(fields: list[bytes]) -> bytes:
    return MAGIC + b"".join(len(field).to_bytes(8, "big") + field for field in fields)


def read_fields(receive: "Callable[[int], bytes]", count: int) -> list[bytes] | None:
    """Reads MAGIC and count length-prefixed fields; None when the stream ends or is not ours."""
    if _read_exactly(receive, len(MAGIC)) != MAGIC:
        return None
    fields = []
    for _ in range(count):
        header = _read_exactly(receive, 8)
        if header is None:
            return None
        length = int.from_bytes(header, "big")
        if length > MAX_FIELD_BYTES:
            return None
        field = _read_exactly(receive, length)
        if field is None:
            return None
        fields.append(field)
    return fields


def _read_exactly(receive: "Callable[[int], bytes]", length: int) -> bytes | None:
    chunks = []
    while length > 0:
        chunk = receive(min(length, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        length -= len(chunk)
    return b"".join(chunks)


def current_umask() -> int:
    """The process umask; reading it means setting it, so it is set back at once."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _stream_codec(stream: object) -> tuple[bytes, bytes]:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    errors = getattr(stream, "errors", None) or "strict"
    return encoding.encode("ascii"), errors.encode("ascii")


def _connect(socket_path: str) -> "_socket.socket | None":
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        connection.connect(socket_path)
    except OSError:
        connection.close()
        return None
    return connection


def _start_and_connect(
    paths: WorkerPaths, identity: str, search_path: list[str], may_start: "Callable[[], bool]"
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
                _spawn_worker(lock, identity, search_path)
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


def same_file(descriptor: int, path: str) -> bool:
    """Whether path still names the open file (a worker removes its lock file as it exits)."""
    try:
        opened, named = os.fstat(descriptor), os.stat(path)
    except OSError:
        return False
    return (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino)


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


def _spawn_worker(lock: int, identity: str, search_path: list[str]) -> None:
    """A detached process: own session, /dev/null for stdio so Terraform's pipes close with this call."""
    os.set_inheritable(lock, True)
    arguments = [sys.executable, *_interpreter_flags(), MAIN_SCRIPT, WORKER_ARGUMENT, str(lock), identity]
    os.posix_spawn(
        sys.executable,
        arguments,
        os.environ,
        file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_DUP2, 1, 2),
        ],
    )


def _interpreter_flags() -> list[str]:
    """The flags this interpreter was started with, so the worker's sys.path and identity match."""
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


def _socket_folder_bases() -> list[str]:
    bases = [os.environ.get("XDG_RUNTIME_DIR", ""), os.environ.get("TMPDIR", ""), "/tmp"]
    return [base for base in bases if os.path.isabs(base)]


def _private_folder(folder: str) -> bool:
    """Creates the folder owner-only, and trusts it only when it is a real folder that stayed so."""
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    try:
        status = os.lstat(folder)
    except OSError:
        return False
    is_folder = status.st_mode & 0o170000 == 0o040000
    return is_folder and status.st_uid == os.getuid() and status.st_mode & 0o077 == 0


def _mtime_ns(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def _sha256_hex(data: bytes) -> str:
    try:  # the C module alone: hashlib's import costs more than the rest of a call here
        from _sha2 import sha256  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found, no-redef, unused-ignore]
        except ImportError:
            from hashlib import sha256
    return sha256(data).hexdigest()  # type: ignore[no-any-return, unused-ignore]
