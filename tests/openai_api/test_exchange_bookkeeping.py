"""An answer that arrived is returned whatever its bookkeeping does afterwards (issue 27, item 5)."""

import time

import pytest
from chat_helper.core.errors import HelperError
from chat_helper.core.settings import EndpointSettings
from chat_helper.openai_api.endpoint import resolve_endpoint
from chat_helper.openai_api.exchange import exchange

from testing.openai_server import OpenAIServer
from testing.secret_canary import TEST_API_KEY


class FailingBookkeeping:
    """A pacer whose record of a finished request fails, as a lock that times out or a full disk would."""

    def __init__(self) -> None:
        self.finished = 0

    @property
    def exchange_deadline(self) -> float:
        return time.monotonic() + 30

    def wait_turn(self, *arguments: object) -> float:
        return time.time()

    def finish(self, *arguments: object) -> None:
        self.finished += 1
        raise HelperError("timed out waiting for the pacing lock")


def test_an_answer_is_returned_when_recording_it_fails(openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPENAI_API_KEY", TEST_API_KEY)
    endpoint = resolve_endpoint(EndpointSettings(base_url=openai_server.base_url))
    pacer = FailingBookkeeping()

    def send(client):  # type: ignore[no-untyped-def]
        return client.chat.completions.with_raw_response.create(
            model="gpt-4o", messages=[{"role": "user", "content": "Kept"}]
        )

    body = exchange(endpoint, time.monotonic() + 30, send, pacer)
    assert "Echo from gpt-4o: Kept" in body
    assert pacer.finished == 1
    assert len(openai_server.completion_requests()) == 1
