"""What the worker does once, before forking children that call the API, so each child pays only for its call.

Measured on 2 cores: a forked child's cache miss costs ~220 ms with the modules merely imported,
~30 ms after this warm-up. Each step is best-effort: when one fails, children do that work
themselves, exactly as an in-process call would.
"""

import contextlib
import gc
import json
import sys
import threading
from typing import Any

from .. import entry
from ..core.settings import EndpointSettings
from ..openai_api.client import client_for
from ..openai_api.endpoint import resolve_endpoint
from ..openai_api.sdk import openai

REHEARSAL_SECONDS = 2.0
REHEARSAL_ANSWER = {
    "id": "chatcmpl-rehearsal",
    "object": "chat.completion",
    "created": 0,
    "model": "rehearsal",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


def warm_up() -> None:
    """Imports every flow (so the SDK, jsonschema and tenacity), rehearses one SDK round trip, and makes
    the default SDK client, which children then share."""
    entry.import_every_flow()
    if sys.platform != "darwin":  # macOS system frameworks (TLS trust, proxies) are not fork-safe once used
        with contextlib.suppress(Exception):
            _rehearse_a_call()
        with contextlib.suppress(Exception):  # no key set, say: each child then fails, or makes its own, as in-process
            client_for(resolve_endpoint(EndpointSettings()))
    gc.freeze()  # children then copy fewer of the parent's pages


def _rehearse_a_call() -> None:
    """One chat completion through the SDK against a loopback answerer in this process, with a dummy key.

    The SDK imports and builds much of itself on first use; done here, it is done for every child.
    """
    from http.server import BaseHTTPRequestHandler, HTTPServer

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
