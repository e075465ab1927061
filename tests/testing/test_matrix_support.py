"""What the generated matrix (tests/e2e/test_matrix.py) stands on: the loopback server names the queued
step that answered each request and serves a base URL with a token in its path, and every case the
generator draws is one a user could run."""

import json
import urllib.request

from testing.matrix_cases import MODULES, draw_case
from testing.openai_server import OpenAIServer, api_error
from testing.secret_canary import SECRET_CANARY, TEST_API_KEY, TEST_BASE_URL_TOKEN


def _post(url: str) -> int:
    body = json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}).encode()
    request = urllib.request.Request(
        url, body, {"content-type": "application/json", "authorization": f"Bearer {TEST_API_KEY}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_a_request_names_the_queued_step_that_answered_it_and_a_token_in_the_path_is_served_as_v1():
    quota = api_error(429, "You exceeded your current quota.", "insufficient_quota", "insufficient_quota")
    with OpenAIServer(api_key=TEST_API_KEY) as server:
        server.queue(quota)
        root = server.base_url.removesuffix("/v1")
        statuses = [_post(f"{root}/{TEST_BASE_URL_TOKEN}/v1/chat/completions") for _ in range(2)]
    assert statuses == [429, 200]
    assert [request.scripted for request in server.requests] == [quota, None]
    assert [request.path for request in server.requests] == ["/v1/chat/completions"] * 2
    assert TEST_BASE_URL_TOKEN in SECRET_CANARY.secrets


def test_every_drawn_case_starts_with_an_apply_and_edits_only_keys_its_root_has():
    for seed in range(300):
        case = draw_case(seed)
        assert case.steps[0].kind == "apply" and case.steps[-1].kind in ("plan", "apply", "replay")
        keys = [set(root.keys) for root in case.roots]
        for root in case.roots:
            assert root.module in MODULES[case.features.api]
        for step in case.steps:
            if step.kind == "add":
                assert step.key not in keys[step.root]
                keys[step.root].add(str(step.key))
            elif step.kind in ("change", "remove"):
                assert step.key in keys[step.root]
                if step.kind == "remove":
                    keys[step.root].discard(str(step.key))
                    assert keys[step.root], f"seed {seed} removes the last key of root{step.root}"
