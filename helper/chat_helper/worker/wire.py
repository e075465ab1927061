"""The worker's wire format, one module for both sides of its socket.

The worker takes a call up by sending ACCEPTED; the call then sends its request, and the worker
answers with a reply. Each message is MAGIC and length-prefixed fields. The calling side imports
this on every call, so it imports only what Python has loaded before main.py runs.
"""

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and collections cost more to import than the rest of a call
    from collections.abc import Callable

ACCEPTED = b"+"
MAGIC = b"terraform-openai-chat worker 2\n"
REQUEST_FIELDS = 8  # cwd, umask, stdin, stdout encoding and errors, stderr encoding and errors, the run
REPLY_FIELDS = 3  # exit code, stdout, stderr
MAX_FIELD_BYTES = 1 << 30


class Request:
    """A call as the worker runs it: in the caller's folder and umask, on its stdin, for its console, as
    part of the caller's run (the process that started the caller: core/run.py)."""

    def __init__(
        self,
        cwd: str,
        umask: int,
        query: bytes,
        stdout_codec: tuple[str, str],
        stderr_codec: tuple[str, str],
        parent_pid: int,
        provider: str = "",
    ) -> None:
        self.cwd = cwd
        self.umask = umask
        self.query = query
        self.stdout_codec = stdout_codec  # (encoding, errors) of the caller's stdout
        self.stderr_codec = stderr_codec
        self.parent_pid = parent_pid
        self.provider = provider  # the caller's provider certificate (core/run.py), "" when none


class Reply:
    """What the worker answered: exactly the bytes an in-process run would have written."""

    def __init__(self, exit_code: int, stdout: bytes, stderr: bytes) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr


def encode_request(query: bytes, parent_pid: int, provider: str = "") -> bytes:
    """This process's call with this stdin, in the run of parent_pid and provider (core/run.py)."""
    return _encode(
        [
            os.fsencode(os.getcwd()),
            str(current_umask()).encode("ascii"),
            query,
            *_stream_codec(sys.stdout),
            *_stream_codec(sys.stderr),
            f"{parent_pid} {provider}".encode("ascii", "replace"),
        ]
    )


def read_request(receive: "Callable[[int], bytes]") -> Request | None:
    """The request on the stream; None when it ends early or is not ours."""
    fields = _read_fields(receive, REQUEST_FIELDS)
    if fields is None:
        return None
    cwd, umask, query, stdout_encoding, stdout_errors, stderr_encoding, stderr_errors, run = fields
    try:
        stdout_codec = (stdout_encoding.decode("ascii"), stdout_errors.decode("ascii"))
        stderr_codec = (stderr_encoding.decode("ascii"), stderr_errors.decode("ascii"))
        parent_pid, _, provider = run.decode("ascii").partition(" ")
        return Request(os.fsdecode(cwd), int(umask), query, stdout_codec, stderr_codec, int(parent_pid), provider)
    except ValueError:  # UnicodeDecodeError included
        return None


def encode_reply(reply: Reply) -> bytes:
    return _encode([str(reply.exit_code).encode("ascii"), reply.stdout, reply.stderr])


def read_reply(receive: "Callable[[int], bytes]") -> Reply | None:
    """The reply on the stream; None when it ends early (the worker died mid-call) or is not ours."""
    fields = _read_fields(receive, REPLY_FIELDS)
    if fields is None:
        return None
    try:
        return Reply(int(fields[0]), fields[1], fields[2])
    except ValueError:
        return None


def current_umask() -> int:
    """The process umask; reading it means setting it, so it is set back at once."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _stream_codec(stream: object) -> tuple[bytes, bytes]:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    errors = getattr(stream, "errors", None) or "strict"
    return encoding.encode("ascii"), errors.encode("ascii")


def _encode(fields: list[bytes]) -> bytes:
    return MAGIC + b"".join(len(field).to_bytes(8, "big") + field for field in fields)


def _read_fields(receive: "Callable[[int], bytes]", count: int) -> list[bytes] | None:
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
