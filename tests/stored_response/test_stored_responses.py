"""modules/stored_response's flow: a stored response read back by id with every page of its input items, never
cached; a missing id, a malformed id and a server that does not store responses are one line each."""

import json

import openai
import pytest

from testing.helper_process import RESPONSE_FLOW, STORED_RESPONSE_FLOW, assert_one_error_line
from testing.openai_server import RawBody, api_error
from testing.responses_api import ResponseOutcome
from testing.secret_canary import TEST_API_KEY

CONVERSATION = [
    {"role": "developer", "content": "Answer in one word."},
    {"role": "user", "content": "Name a planet."},
    {"role": "assistant", "content": "Mars."},
    {"role": "user", "content": [{"type": "input_text", "text": "Another?"}]},
]


@pytest.fixture
def read(run_helper):
    """Reads a stored response as modules/stored_response does (no cache settings: it has none)."""

    def run(response_id, **settings):
        return run_helper({"response_id": response_id, "cache_dir": None, **settings}, flow=STORED_RESPONSE_FLOW)

    return run


@pytest.fixture
def answered(run_helper):
    """The outputs of a response made by the response flow."""

    def run(**inputs):
        made = run_helper({"model": "gpt-4o", **inputs}, flow=RESPONSE_FLOW)
        assert made.returncode == 0, made.stderr
        return made.result

    return run


def test_a_stored_response_reads_back_with_the_outputs_the_response_gave(read, answered, openai_server):
    made = answered(input_items=CONVERSATION, metadata={"category": "geography"})
    stored = read(made["id"])
    assert stored.returncode == 0, stored.stderr
    result = stored.result
    shared = ("id", "created_at", "status", "model", "output_text", "refusal", "function_calls", "output", "usage")
    assert {name: result[name] for name in shared} == {name: made[name] for name in shared}
    assert result["metadata"] == {"category": "geography"} and result["error"] is None
    assert "request_sha256" not in result


def test_every_page_of_input_items_is_read_oldest_first(read, answered, openai_server):
    openai_server.stored_page_limit = 1  # every item is a page of its own
    made = answered(input_items=CONVERSATION)
    items = read(made["id"]).result["input_items"]
    assert [(item["role"], item["text"]) for item in items] == [
        ("developer", "Answer in one word."),
        ("user", "Name a planet."),
        ("assistant", "Mars."),
        ("user", "Another?"),
    ]
    assert all(item["type"] == "message" and item["id"] for item in items)
    pages = [r for r in openai_server.requests if r.path.endswith(f"{made['id']}/input_items")]
    assert len(pages) == 4 and all("order=asc" in page.headers["x-query"] for page in pages)
    assert f"after={items[0]['id']}" in pages[1].headers["x-query"]


def test_a_function_call_output_item_reads_back_with_its_output(read, answered, openai_server):
    weather = {
        "name": "get_weather",
        "parameters": json.dumps({"type": "object", "properties": {}, "additionalProperties": False}),
    }
    first = answered(input="Weather?", tools=[weather])
    call_id = first["function_calls"][0]["call_id"]
    output = {"type": "function_call_output", "call_id": call_id, "output": "sunny"}
    second = answered(input_items=[output], previous_response_id=first["id"], tools=[weather])
    [item] = read(second["id"]).result["input_items"]
    assert (item["type"], item["call_id"], item["output"]) == ("function_call_output", call_id, "sunny")


def test_reads_are_never_cached(read, answered, openai_server):
    made = answered(input="Hi")
    read(made["id"])
    read(made["id"])
    gets = [r for r in openai_server.requests if r.method == "GET" and r.path == f"/v1/responses/{made['id']}"]
    assert len(gets) == 2


def test_a_stored_json_answer_is_parsed_from_its_own_text_format(read, answered, openai_server):
    schema = {"type": "object", "properties": {"capital": {"type": "string"}}, "required": ["capital"]}
    text_format = {"type": "json_schema", "name": "capital", "schema": json.dumps(schema), "strict": False}
    made = answered(input="Capital of Spain?", text_format=text_format)
    assert read(made["id"]).result["parsed"] == made["parsed"] == {"capital": "sample"}


def test_a_failed_response_reads_back_with_its_error_and_no_guardrail(read, openai_server):
    client = openai.OpenAI(api_key=TEST_API_KEY, base_url=openai_server.base_url, max_retries=0)
    openai_server.queue(ResponseOutcome("failed", error_code="server_error", error_message="It broke."))
    failed = client.responses.create(model="gpt-4o", input="Hi")
    result = read(failed.id).result
    assert result["status"] == "failed" and result["error"] == {"code": "server_error", "message": "It broke."}
    assert result["output"] == [] and result["usage"] is None and result["parsed"] is None


def test_a_missing_id_is_one_line_naming_response_id(read, openai_server):
    run = read("resp_missing")
    assert_one_error_line(
        run, "stored_response: no stored response with id 'resp_missing'", "check response_id", "store = true"
    )


@pytest.mark.parametrize(
    "refusal",
    [
        api_error(404, "Unknown request URL: GET /v1/responses/resp_1.", "invalid_request_error", "unknown_url"),
        api_error(405, "Method Not Allowed", "invalid_request_error", None),
        RawBody(b'{"detail": "Not Found"}', status=404),  # a gateway's (FastAPI's) own 404
    ],
    ids=["404 unknown_url", "405", "gateway 404"],
)
def test_a_server_that_does_not_store_responses_says_so(read, openai_server, refusal):
    openai_server.queue(refusal)
    run = read("resp_1")
    assert_one_error_line(
        run,
        f"stored_response: the server at {openai_server.base_url} does not serve stored responses "
        "(GET /responses/resp_1: OpenAI API error",
        "-> check base_url",
    )


@pytest.mark.parametrize(
    ("response_id", "fragment"),
    [
        ("resp_1/../../models", "must look like resp_abc123"),
        ("", "must look like resp_abc123"),
        (7, "must be a string"),
        (None, "is required"),
    ],
)
def test_a_bad_response_id_fails_before_any_request(read, openai_server, response_id, fragment):
    assert_one_error_line(read(response_id), "stored_response: input response_id", fragment)
    assert openai_server.requests == []


def test_an_input_of_response_is_not_an_input_here(read, openai_server):
    assert_one_error_line(read("resp_1", model="gpt-4o"), "input model", "not an input of stored_response")
    assert openai_server.requests == []
