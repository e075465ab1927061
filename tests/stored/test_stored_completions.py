"""modules/stored_completion's reads, through the helper as data "external" runs it."""

import json
import urllib.request
from typing import Any

import pytest

from testing.helper_process import STORED_FLOW, assert_one_error_line
from testing.official_schema import official_violations, spec_path
from testing.openai_server import OpenAIServer, RawBody, Reply, api_error
from testing.secret_canary import TEST_API_KEY

CHAT_OUTPUTS = (
    "id",
    "created",
    "model",
    "choices",
    "content",
    "finish_reason",
    "function_call",
    "tool_calls",
    "refusal",
    "usage",
    "system_fingerprint",
    "service_tier",
)
CONVERSATION = [
    {"role": "system", "content": "You are a geography teacher."},
    {"role": "user", "content": "Name a capital."},
    {"role": "assistant", "content": "Paris."},
    {"role": "user", "content": "Another one?"},
    {"role": "assistant", "content": "Rome."},
    {"role": "user", "content": "And of Spain?"},
]


def stored_read(run_helper: Any, env: dict[str, str] | None = None, **inputs: Any) -> Any:
    """The module's query: no cache settings (run_helper adds cache_dir; None drops it)."""
    return run_helper({"cache_dir": None, **inputs}, env=env, flow=STORED_FLOW)


def store(server: OpenAIServer, content: str, metadata: dict[str, str] | None = None, model: str = "gpt-4o") -> str:
    """Creates a stored completion straight on the server (quicker than a helper run); returns its id."""
    body: dict[str, Any] = {"model": model, "messages": [{"role": "user", "content": content}], "store": True}
    if metadata is not None:
        body["metadata"] = metadata
    request = urllib.request.Request(
        f"{server.base_url}/chat/completions",
        data=json.dumps(body).encode(),
        headers={"authorization": f"Bearer {TEST_API_KEY}", "content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.loads(response.read())["id"])


def gets(server: OpenAIServer, path_end: str = "") -> list[str]:
    """The query strings of the GETs received whose path ends with path_end."""
    return [r.headers["x-query"] for r in server.requests if r.method == "GET" and r.path.endswith(path_end)]


# -- reading one stored completion -----------------------------------------------------------


def test_a_stored_completion_reads_back_with_the_chat_outputs_plus_metadata_and_messages(run_helper, openai_server):
    chat = run_helper({"model": "gpt-4o", "messages": CONVERSATION, "store": True, "metadata": {"topic": "capitals"}})
    assert chat.returncode == 0, chat.stderr
    answer = chat.result

    read = stored_read(run_helper, operation="retrieve", completion_id=answer["id"])

    assert read.returncode == 0, read.stderr
    stored = read.result
    assert {name: stored[name] for name in CHAT_OUTPUTS} == {name: answer[name] for name in CHAT_OUTPUTS}
    assert stored["metadata"] == {"topic": "capitals"}
    assert [(m["role"], m["content"]) for m in stored["messages"]] == [(m["role"], m["content"]) for m in CONVERSATION]
    assert stored["messages"][0] == {
        "id": f"{answer['id']}-0",
        "role": "system",
        "content": "You are a geography teacher.",
        "content_parts": None,
        "name": None,
        "tool_call_id": None,
        "function_call": None,
        "tool_calls": None,
    }
    assert stored["completions"] is None and stored["ids"] is None and stored["has_more"] is None


def test_the_messages_are_read_across_every_page(run_helper, openai_server):
    openai_server.stored_page_limit = 2
    chat = run_helper({"model": "gpt-4o", "messages": CONVERSATION, "store": True})
    completion_id = chat.result["id"]

    stored = stored_read(run_helper, operation="retrieve", completion_id=completion_id).result

    assert [m["content"] for m in stored["messages"]] == [m["content"] for m in CONVERSATION]
    assert [m["id"] for m in stored["messages"]] == [f"{completion_id}-{i}" for i in range(6)]
    pages = gets(openai_server, "/messages")
    assert len(pages) == 3
    assert "after" not in pages[0] and f"after={completion_id}-1" in pages[1] and f"after={completion_id}-3" in pages[2]


def test_a_stored_completion_without_metadata_reads_back_an_empty_map(run_helper, openai_server):
    completion_id = store(openai_server, "No tags.")

    stored = stored_read(run_helper, operation="retrieve", completion_id=completion_id).result

    assert stored["metadata"] == {}
    assert stored["content"] == "Echo from gpt-4o: No tags."


def test_reads_are_not_cached_so_each_plan_sees_what_is_stored_now(run_helper, openai_server):
    completion_id = store(openai_server, "Read me twice.", {"state": "draft"})
    first = stored_read(run_helper, operation="retrieve", completion_id=completion_id).result
    openai_server.stored[completion_id]["metadata"] = {"state": "final"}  # as the update endpoint would

    second = stored_read(run_helper, operation="retrieve", completion_id=completion_id).result

    assert (first["metadata"], second["metadata"]) == ({"state": "draft"}, {"state": "final"})
    assert len(gets(openai_server, completion_id)) == 2


# -- listing stored completions --------------------------------------------------------------


def test_the_list_filters_by_model_and_metadata_across_several_pages(run_helper, openai_server):
    openai_server.stored_page_limit = 2
    wanted = [store(openai_server, f"Question {i}", {"team": "maps", "env": "ci"}) for i in range(5)]
    store(openai_server, "Other team", {"team": "search", "env": "ci"})
    store(openai_server, "Other model", {"team": "maps", "env": "ci"}, model="gpt-4o-mini")
    store(openai_server, "Only one tag", {"team": "maps"})

    listed = stored_read(run_helper, operation="list", model="gpt-4o", metadata={"team": "maps", "env": "ci"}).result

    assert listed["ids"] == wanted
    assert listed["has_more"] is False
    pages = gets(openai_server, "/v1/chat/completions")
    assert len(pages) == 3
    assert all("model=gpt-4o&" in page or page.endswith("model=gpt-4o") for page in pages)
    assert all("metadata%5Bteam%5D=maps" in page and "metadata%5Benv%5D=ci" in page for page in pages)
    assert f"after={wanted[1]}" in pages[1] and f"after={wanted[3]}" in pages[2]


def test_the_list_stops_at_limit_and_says_that_more_match(run_helper, openai_server):
    openai_server.stored_page_limit = 2
    ids = [store(openai_server, f"Item {i}", {"batch": "limit"}) for i in range(5)]

    listed = stored_read(run_helper, operation="list", metadata={"batch": "limit"}, limit=3).result

    assert listed["ids"] == ids[:3]
    assert listed["has_more"] is True
    pages = gets(openai_server, "/v1/chat/completions")
    assert len(pages) == 2 and "limit=1" in pages[1], "the last page asks only for what is still wanted"


def test_the_list_in_descending_order_gives_the_newest_first(run_helper, openai_server):
    ids = [store(openai_server, f"Item {i}", {"batch": "order"}) for i in range(3)]

    listed = stored_read(run_helper, operation="list", metadata={"batch": "order"}, order="desc").result

    assert listed["ids"] == ids[::-1]


def test_each_listed_completion_has_the_shape_of_a_read_without_messages(run_helper, openai_server):
    completion_id = store(openai_server, "Shape me.", {"kind": "shape"})
    read = stored_read(run_helper, operation="retrieve", completion_id=completion_id).result

    listed = stored_read(run_helper, operation="list", metadata={"kind": "shape"}).result

    [item] = listed["completions"]
    assert item == {name: read[name] for name in (*CHAT_OUTPUTS, "metadata")}
    assert all(listed[name] is None for name in (*CHAT_OUTPUTS, "metadata", "messages"))


def test_a_metadata_filter_with_reserved_characters_reaches_the_api_intact(run_helper, openai_server):
    tag = {"path/key": "a b&c=d"}
    completion_id = store(openai_server, "Odd tags.", tag)

    listed = stored_read(run_helper, operation="list", metadata=tag).result

    assert listed["ids"] == [completion_id]


def test_an_empty_list_is_an_empty_list(run_helper, openai_server):
    listed = stored_read(run_helper, operation="list", metadata={"nothing": "matches"}).result

    assert listed["ids"] == [] and listed["completions"] == [] and listed["has_more"] is False


# -- errors ----------------------------------------------------------------------------------


def test_an_unknown_completion_id_is_one_line_naming_it(run_helper, openai_server):
    run = stored_read(run_helper, operation="retrieve", completion_id="chatcmpl-doesnotexist")

    assert_one_error_line(
        run,
        "stored_completion:",
        "no stored chat completion with id 'chatcmpl-doesnotexist'",
        "404",
        "No chat completion found",  # the API's own message
        "check completion_id",
        "store = true",
    )


def test_a_refused_key_is_reported_without_the_key(run_helper, openai_server):
    wrong_key = "sk-wrong-" + "x" * 30

    run = stored_read(run_helper, operation="retrieve", completion_id="chatcmpl-any", env={"OPENAI_API_KEY": wrong_key})

    assert_one_error_line(run, "stored_completion:", "401", "invalid_api_key", "OPENAI_API_KEY", "not shown")
    assert wrong_key not in run.stderr


def test_a_missing_key_says_what_to_set_and_sends_nothing(run_helper, openai_server):
    run = stored_read(run_helper, operation="list", env={"OPENAI_API_KEY": ""})

    assert_one_error_line(run, "stored_completion:", "OPENAI_API_KEY is not set", "export OPENAI_API_KEY")
    assert openai_server.requests == []


def test_a_forbidden_project_is_told_to_check_permissions(run_helper, openai_server):
    openai_server.queue(
        api_error(403, "You are not allowed to list stored completions.", "invalid_request_error", None)
    )

    run = stored_read(run_helper, operation="list")

    assert_one_error_line(run, "403", "not allowed to list", "check its permissions")


def test_an_endpoint_without_stored_completions_is_named(run_helper, openai_server):
    openai_server.queue(api_error(404, "Not Found", "invalid_request_error", None))

    run = stored_read(run_helper, operation="list")

    assert_one_error_line(run, "404", "does not serve stored chat completions", "check base_url")


@pytest.mark.parametrize(
    ("status", "detail", "inputs"),
    [
        (405, "Method Not Allowed", {"operation": "list"}),
        (404, "Not Found", {"operation": "retrieve", "completion_id": "chatcmpl-abc123"}),
    ],
    ids=["list-405", "retrieve-404"],
)
def test_a_gateway_that_does_not_serve_the_reads_is_one_line_naming_base_url(
    run_helper, openai_server, status, detail, inputs
):
    """A gateway (FastAPI) answers a route it lacks with {"detail": ...}: not an unknown id, but no such API."""
    openai_server.queue(RawBody(json.dumps({"detail": detail}).encode(), status=status))

    run = stored_read(run_helper, **inputs)

    assert_one_error_line(
        run,
        f"stored_completion: the server at {openai_server.base_url} does not serve stored chat completions "
        f"(OpenAI API error {status}: {detail}) -> check base_url",
    )
    assert '{"detail"' not in run.stderr
    assert len(openai_server.requests) == 1


def test_a_server_error_is_retried_like_a_completion(run_helper, openai_server):
    completion_id = store(openai_server, "Flaky.")
    openai_server.queue(api_error(503, "The server is overloaded.", "server_error", None, headers={"retry-after": "0"}))

    read = stored_read(run_helper, operation="retrieve", completion_id=completion_id)

    assert read.returncode == 0, read.stderr
    assert len(gets(openai_server, completion_id)) == 2


def test_a_404_is_not_retried(run_helper, openai_server):
    stored_read(run_helper, operation="retrieve", completion_id="chatcmpl-gone")

    assert len(gets(openai_server, "chatcmpl-gone")) == 1


def test_a_page_cursor_that_does_not_advance_fails_instead_of_looping(run_helper, openai_server):
    stuck = {"object": "list", "data": [], "first_id": "x", "last_id": "x", "has_more": True}
    openai_server.queue(Reply(200, stuck), Reply(200, stuck))

    run = stored_read(run_helper, operation="list")

    assert_one_error_line(run, "malformed response", "has_more", "does not lead to a new page")


def test_a_body_that_is_not_a_completion_is_malformed(run_helper, openai_server):
    openai_server.queue(Reply(200, {"object": "chat.completion", "id": "chatcmpl-x"}))

    run = stored_read(run_helper, operation="retrieve", completion_id="chatcmpl-x")

    assert_one_error_line(run, "malformed response", "'chatcmpl-x'", "choices")


# (what is wrong, the query's inputs, fragments the one error line must hold)
BAD_INPUTS = [
    ("no completion_id", {"operation": "retrieve"}, ["input completion_id", "required"]),
    ("empty completion_id", {"operation": "retrieve", "completion_id": ""}, ["input completion_id", "chatcmpl-abc123"]),
    (
        "completion_id with a slash",
        {"operation": "retrieve", "completion_id": "a/../b"},
        ["input completion_id", "a/../b"],
    ),
    ("completion_id not a string", {"operation": "retrieve", "completion_id": 7}, ["input completion_id", "string"]),
    (
        "completion_id with a list filter",
        {"operation": "retrieve", "completion_id": "chatcmpl-1", "model": "gpt-4o"},
        ["input model", "cannot be combined with completion_id"],
    ),
    ("unknown operation", {"operation": "delete"}, ["input operation", "retrieve, list"]),
    ("empty model", {"operation": "list", "model": " "}, ["input model", "not empty"]),
    ("metadata not strings", {"operation": "list", "metadata": {"n": 1}}, ["input metadata", "map of strings"]),
    (
        "17 metadata pairs",
        {"operation": "list", "metadata": {f"k{i}": "v" for i in range(17)}},
        ["input metadata", "17 pairs", "16"],
    ),
    ("metadata key over 64", {"operation": "list", "metadata": {"k" * 65: "v"}}, ["input metadata", "1 to 64"]),
    ("metadata value over 512", {"operation": "list", "metadata": {"k": "v" * 513}}, ["input metadata", "512"]),
    ("unknown order", {"operation": "list", "order": "newest"}, ["input order", '"asc" or "desc"']),
    ("limit zero", {"operation": "list", "limit": 0}, ["input limit", "1 to 1000"]),
    ("limit over 1000", {"operation": "list", "limit": 1001}, ["input limit", "1 to 1000"]),
    ("limit a fraction", {"operation": "list", "limit": 2.5}, ["input limit", "whole number"]),
    ("limit a bool", {"operation": "list", "limit": True}, ["input limit", "whole number"]),
    ("bad base_url", {"operation": "list", "base_url": "ftp://x"}, ["input base_url", "http://"]),
    ("timeout zero", {"operation": "list", "timeout_seconds": 0}, ["input timeout_seconds", "greater than 0"]),
    ("organization with spaces", {"operation": "list", "organization": "org 1"}, ["input organization", "no spaces"]),
    ("a chat_completion input", {"operation": "list", "cache_mode": "off"}, ["input cache_mode", "not an input"]),
    (
        "completion_id with spaces",
        {"operation": "retrieve", "completion_id": " chatcmpl-abc123"},
        ["input completion_id"],
    ),
    (
        "completion_id over 256 characters",
        {"operation": "retrieve", "completion_id": "chatcmpl-" + "a" * 248},
        ["input completion_id", "1 to 256 characters"],
    ),
    ("metadata key empty", {"operation": "list", "metadata": {"": "value"}}, ["input metadata", "1 to 64"]),
    ("timeout over 3600", {"operation": "list", "timeout_seconds": 3601}, ["input timeout_seconds", "at most 3600"]),
]


@pytest.mark.parametrize(("inputs", "fragments"), [case[1:] for case in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_one_line_naming_the_input_and_sends_nothing(run_helper, openai_server, inputs, fragments):
    run = stored_read(run_helper, **inputs)

    assert_one_error_line(run, "stored_completion:", *fragments)
    assert openai_server.requests == []


def test_a_query_value_that_is_not_json_names_the_input(run_helper, openai_server):
    raw = json.dumps({"flow": '"stored_completion"', "operation": '"list"', "limit": "ten"})

    run = run_helper({}, raw_stdin=raw)

    assert_one_error_line(run, "stored_completion:", "input limit", "JSON-encoded")


# -- the test server against the official API description ------------------------------------


@pytest.mark.skipif(spec_path() is None, reason="the official openapi.yaml is not available")
def test_the_servers_stored_completion_answers_match_the_official_schemas(openai_server):
    openai_server.stored_page_limit = 1
    completion_id = store(openai_server, "Check my shape.", {"kind": "schema"})
    store(openai_server, "And mine.", {"kind": "schema"})

    def get(path: str) -> Any:
        request = urllib.request.Request(
            f"{openai_server.base_url}{path}", headers={"authorization": f"Bearer {TEST_API_KEY}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    assert official_violations(get(f"/chat/completions/{completion_id}"), "CreateChatCompletionResponse") == []
    page = get("/chat/completions?metadata%5Bkind%5D=schema&limit=5")
    assert official_violations(page, "ChatCompletionList") == []
    assert page["has_more"] is True and page["first_id"] == page["last_id"] == completion_id
    messages = get(f"/chat/completions/{completion_id}/messages")
    # ChatCompletionMessageList's items reuse the assistant response-message schema (role "assistant",
    # refusal required), while the spec's own example is a user message with neither: check the rest.
    violations = official_violations(messages, "ChatCompletionMessageList") or []
    assert violations == ["data/0/role: 'user' is not one of ['assistant']", "data/0: 'refusal' is a required property"]
    assert messages["data"][0] == {
        "id": f"{completion_id}-0",
        "role": "user",
        "content": "Check my shape.",
        "name": None,
        "content_parts": None,
    }
