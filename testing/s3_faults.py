"""Faults of an object store, for the helper's tests: a forwarding proxy in front of the real S3 server
that counts what passes and answers chosen requests with an S3 error instead, and a listener that
never answers.

The proxy forwards every request byte for byte (the Host header included, so the client's SigV4
signature stays valid) over one upstream connection per client connection.
"""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "expect", "proxy-connection", "upgrade"})


@dataclass(frozen=True)
class Seen:
    method: str
    path: str  # /bucket/key?query
    status: int


@dataclass(frozen=True)
class S3Failure:
    status: int
    code: str
    message: str = "injected by the test"


class S3Proxy:
    """Start with `with S3Proxy(upstream_url) as proxy:`; point the client at proxy.endpoint_url."""

    def __init__(self, upstream: str) -> None:
        self.upstream = urlsplit(upstream)
        self.seen: list[Seen] = []
        self.connections = 0
        self.fail: Callable[[str, str], S3Failure | None] = lambda method, path: None
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> S3Proxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def requests(self, method: str | None = None, containing: str = "") -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if (method is None or s.method == method) and containing in s.path]


def _handler_for(proxy: S3Proxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        upstream: http.client.HTTPConnection | None = None

        def setup(self) -> None:
            super().setup()
            with proxy._lock:
                proxy.connections += 1

        def handle_expect_100(self) -> bool:
            return True  # the request body follows at once: no 100 Continue is owed

        def _forward(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            failure = proxy.fail(self.command, self.path)
            if failure is not None:
                self._answer_error(failure)
                return
            if self.upstream is None:
                host = proxy.upstream.hostname or "127.0.0.1"
                self.upstream = http.client.HTTPConnection(host, proxy.upstream.port, timeout=30)
            self.upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    self.upstream.putheader(name, value)
            self.upstream.endheaders(body or None)
            response = self.upstream.getresponse()
            payload = response.read()
            proxy.record(Seen(self.command, self.path, response.status))
            self.send_response_only(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        def _answer_error(self, failure: S3Failure) -> None:
            proxy.record(Seen(self.command, self.path, failure.status))
            xml = (
                f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{failure.code}</Code>'
                f"<Message>{failure.message}</Message></Error>"
            ).encode()
            self.send_response(failure.status)
            self.send_header("content-type", "application/xml")
            self.send_header("content-length", str(len(xml)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(xml)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class SilentListener:
    """A port that accepts connections (the kernel does) and never answers: a store that hangs."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    def __enter__(self) -> SilentListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self._socket.close()
