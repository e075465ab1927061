"""The botocore S3 client for a store: imported only when a call reads past the local folder.

Measured on 2 cores: importing botocore takes ~95 ms and building the first S3 client ~60 ms
(boto3 on top adds ~50 ms and s3transfer, which nothing here needs); another client from the same
session still takes 10-20 ms (each builds the S3 endpoint rules anew), 30-40 ms in a forked child.

A process keeps one session per AWS environment. The warm worker keeps two clients per store: one
for the reads it answers itself, which keeps its connections, and one it never uses, for the
children it forks. A connection shared by two processes would mix their bytes, so the children
never touch the first; the second has never opened a connection in the worker, so each child
inherits it clean and opens its own.
"""

import os
import time
from typing import Any

from ..core.errors import ConfigurationError
from ..core.store_url import StoreLocation, default_endpoint_is_custom

RETRY_ATTEMPTS = 3  # botocore's standard mode: throttling, 5xx and broken connections, with backoff
CONNECT_SECONDS = 5.0
READ_SECONDS = 15.0
# The worker's own reads (it answers other calls meanwhile): short, and one attempt; a failure
# leaves the call to a child, which has the whole policy.
QUICK_CONNECT_SECONDS = 0.5
QUICK_READ_SECONDS = 1.0
CONFIG_FILE_VARIABLES = ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")
DEFAULT_CONFIG_FILES = ("~/.aws/config", "~/.aws/credentials")

_session: tuple[str, Any] | None = None
# (the process that created them, the AWS environment, the store) -> (its own client, its children's)
_worker_clients: dict[tuple[int, str, StoreLocation], tuple[Any, Any]] = {}


def create_store_client(location: StoreLocation, deadline: float) -> Any:
    """A client for one call, with botocore's standard retries: in a worker's child, the one the worker
    made for its children; else a new one, with timeouts from the time left."""
    environment = _environment_key()
    for (creator, created_for, store), (_, for_children) in _worker_clients.items():
        if creator != os.getpid() and (created_for, store) == (environment, location):
            return for_children
    left = max(0.1, deadline - time.monotonic())
    return _client(location, min(CONNECT_SECONDS, left), min(READ_SECONDS, left), RETRY_ATTEMPTS)


def quick_store_client(location: StoreLocation) -> Any:
    """The worker's own long-lived client for the store: created once, its connections reused."""
    environment = _environment_key()
    cache_key = (os.getpid(), environment, location)
    clients = _worker_clients.get(cache_key)
    if clients is None:
        for stale in [key for key in _worker_clients if key[0] == os.getpid() and key[1] != environment]:
            del _worker_clients[stale]
        own = _client(location, QUICK_CONNECT_SECONDS, QUICK_READ_SECONDS, 1)
        clients = (own, _client(location, CONNECT_SECONDS, READ_SECONDS, RETRY_ATTEMPTS))
        _worker_clients[cache_key] = clients
    return clients[0]


def endpoint_of(client: Any) -> str:
    return str(client.meta.endpoint_url)


def _client(location: StoreLocation, connect_seconds: float, read_seconds: float, attempts: int) -> Any:
    from botocore.config import Config

    custom_endpoint = location.endpoint is not None or default_endpoint_is_custom()
    path_style = location.path_style if location.path_style is not None else custom_endpoint
    config = Config(
        connect_timeout=connect_seconds,
        read_timeout=read_seconds,
        retries={"mode": "standard", "total_max_attempts": attempts},
        s3={"addressing_style": "path" if path_style else "auto"},
        # Checksums only where the API requires them: many S3-compatible stores refuse the newer ones.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        user_agent_extra="terraform-openai-chat",
    )
    region = location.region or os.environ.get("AWS_REGION") or None  # botocore reads only AWS_DEFAULT_REGION
    return _botocore_session().create_client("s3", region_name=region, endpoint_url=location.endpoint, config=config)


def _botocore_session() -> Any:
    """The process's session for the current AWS environment (its loader and credentials are reused)."""
    global _session
    environment = _environment_key()
    if _session is None or _session[0] != environment:
        try:
            import botocore.session
        except ImportError:
            raise ConfigurationError(
                "cache_url needs the botocore package, which this Python lacks: install the helper's packages "
                "with python3 -m pip install -r helper/requirements.txt"
            ) from None
        _session = (environment, botocore.session.Session())
    return _session[1]


def _environment_key() -> str:
    """The AWS variables, and when the AWS config files last changed: a change means a new session."""
    pairs = [f"{name}={value}" for name, value in sorted(os.environ.items()) if name.upper().startswith("AWS_")]
    for variable, default in zip(CONFIG_FILE_VARIABLES, DEFAULT_CONFIG_FILES, strict=True):
        path = os.environ.get(variable) or default
        try:
            pairs.append(f"{path}:{os.stat(os.path.expanduser(path)).st_mtime_ns}")
        except OSError:
            pairs.append(f"{path}:absent")
    return "\0".join(pairs)
