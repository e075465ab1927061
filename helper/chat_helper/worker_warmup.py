"""What the worker does once, before forking children that call the API, so each child pays only for its call.

Measured on 2 cores: a forked child's cache miss costs ~220 ms with the modules merely imported,
~30 ms after this warm-up. Each step is best-effort: when one fails, children do that work
themselves, exactly as an in-process call would.
"""

import contextlib
import gc
import importlib
import json
import os
import pkgutil
import sys
import threading
from collections.abc import Callable
from typing import Any

REHEARSAL_SECONDS = 2.0
REHEARSAL_ANSWER = {
    "id": "chatcmpl-rehearsal",
    "object": "chat.completion",
    "created": 0,
    "model": "rehearsal",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


def warm_up(package: str, environment_key: Callable[[], str]) -> None:
    """Imports every helper module, rehearses one SDK round trip, and shares the SDK client."""
    _import_every_module(package)
    if sys.platform != "darwin":  # macOS system frameworks (TLS trust, proxies) are not fork-safe once used
        with contextlib.suppress(Exception):
            _rehearse_a_call()
        with contextlib.suppress(Exception):
            _share_the_default_client(package, environment_key)
    gc.freeze()  # children then copy fewer of the parent's pages


def _import_every_module(package: str) -> None:
    folder = os.path.dirname(os.path.abspath(__file__))
    names = [module.name for module in pkgutil.iter_modules([folder])]
    for name in sorted(names):
        if not name.startswith("worker"):
            with contextlib.suppress(Exception):  # a child importing it fails as in-process would
                importlib.import_module(f"{package}.{name}")


def _rehearse_a_call() -> None:
    """One chat completion through the SDK against a loopback answerer in this process, with a dummy key.

    The SDK imports and builds much of itself on first use; done here, it is done for every child.
    """
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from .sdk import openai

    class Answerer(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            body = json.dumps(REHEARSAL_ANSWER).encode("utf-8")
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Answerer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = openai.OpenAI(
            api_key="rehearsal",  # never the user's key: it stays where it was
            base_url=f"http://127.0.0.1:{server.server_address[1]}/v1",
            max_retries=0,
            http_client=openai.DefaultHttpxClient(trust_env=False),  # no proxy for loopback
        )
        with client:
            response = client.with_options(timeout=REHEARSAL_SECONDS).chat.completions.with_raw_response.create(
                model="rehearsal", messages=[{"role": "user", "content": "rehearsal"}]
            )
            json.loads(response.http_response.text)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()  # no thread may outlive this: children are forked next


def _share_the_default_client(package: str, environment_key: Callable[[], str]) -> None:
    """Builds the SDK client for the environment's endpoint here; children reuse it instead of each
    setting up TLS (~40 ms). A child whose call has another endpoint, or whose environment differs,
    builds its own as in-process. (api.create_client caching its client would make this unneeded.)
    """
    api = importlib.import_module(f"{package}.api")
    endpoint_module = importlib.import_module(f"{package}.endpoint")
    inputs = importlib.import_module(f"{package}.inputs")
    create_client = api.create_client
    endpoint = endpoint_module.resolve_endpoint(inputs.Settings())
    shared = (endpoint, environment_key(), create_client(endpoint))

    def create_or_share(requested: Any) -> Any:
        shared_endpoint, shared_environment, client = shared
        if requested == shared_endpoint and environment_key() == shared_environment:
            return client
        return create_client(requested)

    setattr(api, "create_client", create_or_share)  # noqa: B010 - a module attribute, replaced on purpose
