"""The loopback server's Responses API (testing/responses_api.py), through the openai SDK as the helper calls it."""

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import jsonschema
import openai
import pytest

from testing.official_schema import official_violations, spec_path
from testing.openai_server import OpenAIServer, api_error
from testing.responses_api import ResponseOutcome
from testing.secret_canary import TEST_API_KEY

needs_spec = pytest.mark.skipif(spec_path() is None, reason="the official openapi.yaml is not available")

WEATHER = {
    "type": "function",
    "name": "get_weather",
    "description": "The weather in a city.",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
        "required": ["city", "unit"],
        "additionalProperties": False,
    },
    "strict": True,
}
ANSWER_SCHEMA = {
    "type": "object",
    "properties": {"capital": {"type": "string"}, "population": {"type": "integer"}},
    "required": ["capital", "population"],
    "additionalProperties": False,
}


@pytest.fixture
def client(openai_server: OpenAIServer) -> openai.OpenAI:
    return openai.OpenAI(api_key=TEST_API_KEY, base_url=openai_server.base_url, max_retries=0)


@pytest.fixture(scope="module")
def _unchecked() -> Iterator[OpenAIServer]:
    with OpenAIServer(api_key=TEST_API_KEY) as server:
        yield server


@pytest.fixture
def unchecked_server(_unchecked: OpenAIServer) -> OpenAIServer:
    """A server of this file's own, for requests that break the schema on purpose (the shared fixture refuses them)."""
    _unchecked.reset()
    return _unchecked


def create(client: openai.OpenAI, **request: Any) -> Any:
    return client.responses.create(**{"model": "gpt-4o", **request})


# -- answers ---------------------------------------------------------------------------------------


def test_a_string_input_is_echoed_in_one_completed_message(client):
    response = create(client, input="Tell me about the solar system.", instructions="Be brief.")
    assert response.output_text == "Echo from gpt-4o: Tell me about the solar system."
    assert (response.object, response.status, response.model) == ("response", "completed", "gpt-4o")
    assert response.id.startswith("resp_")
    assert response.instructions == "Be brief."
    [message] = response.output
    assert (message.type, message.role, message.status) == ("message", "assistant", "completed")
    assert message.id.startswith("msg_")
    assert [part.model_dump(exclude_none=True) for part in message.content] == [
        {"type": "output_text", "text": response.output_text, "annotations": [], "logprobs": []}
    ]
    assert response.error is None and response.incomplete_details is None


def test_usage_counts_the_words_in_and_out(client):
    usage = create(client, input="one two three", instructions="four five").usage
    assert usage.input_tokens == 5 + 3
    assert usage.output_tokens == 6 + 1  # "Echo from gpt-4o: one two three", and one
    assert usage.total_tokens == usage.input_tokens + usage.output_tokens
    assert usage.input_tokens_details.cached_tokens == 0
    assert usage.output_tokens_details.reasoning_tokens == 0


def test_the_request_settings_are_echoed_with_the_api_defaults(client):
    response = create(client, input="Hi", metadata={"team": "infra"}, temperature=0.2)
    assert response.metadata == {"team": "infra"}
    assert (response.temperature, response.top_p, response.tool_choice, response.tools) == (0.2, 1.0, "auto", [])
    assert response.store is True and response.parallel_tool_calls is True and response.previous_response_id is None
    assert response.text.format.type == "text"
    assert (response.reasoning.effort, response.reasoning.summary) == (None, None)


def test_the_last_user_message_is_echoed_whether_its_content_is_a_string_or_parts(client):
    conversation = [
        {"role": "developer", "content": "You are a geography teacher."},
        {"role": "user", "content": "Name a capital."},
        {"role": "assistant", "content": "Paris."},
        {
            "role": "user",
            "content": [{"type": "input_text", "text": "And of"}, {"type": "input_text", "text": "Spain?"}],
        },
    ]
    assert create(client, input=conversation).output_text == "Echo from gpt-4o: And of Spain?"
    assert create(client, input=conversation[:2]).output_text == "Echo from gpt-4o: Name a capital."


def test_a_function_tool_is_called_with_a_sample_of_its_parameters(client):
    response = create(client, input="Weather in Paris?", tools=[WEATHER])
    [call] = response.output
    assert (call.type, call.name, call.status) == ("function_call", "get_weather", "completed")
    assert call.id.startswith("fc_") and call.call_id.startswith("call_")
    assert json.loads(call.arguments) == {"city": "sample", "unit": "celsius"}
    assert response.output_text == ""
    assert response.tools[0].name == "get_weather" and response.tools[0].strict is True


def test_tool_choice_none_answers_with_a_message_despite_the_tools(client):
    response = create(client, input="Weather in Paris?", tools=[WEATHER], tool_choice="none")
    assert [item.type for item in response.output] == ["message"]


def test_a_function_call_output_is_answered_with_a_message_that_mentions_it(client):
    first = create(client, input="Weather in Paris?", tools=[WEATHER])
    call = first.output[0]
    output = {"type": "function_call_output", "call_id": call.call_id, "output": '{"temperature": 21}'}
    second = create(client, input=[output], previous_response_id=first.id, tools=[WEATHER])
    [message] = second.output
    assert message.type == "message"
    assert second.output_text == (
        f'Echo from gpt-4o: Weather in Paris? ({call.call_id} returned {{"temperature": 21}}) (continuing {first.id})'
    )
    assert second.previous_response_id == first.id
    assert second.usage.input_tokens > first.usage.input_tokens  # the previous input and output are context


def test_a_function_call_output_may_come_with_its_call_instead_of_a_previous_response(client):
    first = create(client, input="Weather in Paris?", tools=[WEATHER], store=False)
    call = first.output[0].model_dump(exclude_none=True)
    output = {"type": "function_call_output", "call_id": call["call_id"], "output": "sunny"}
    second = create(client, input=[{"role": "user", "content": "Weather in Paris?"}, call, output], tools=[WEATHER])
    assert second.output_text.endswith(f"({call['call_id']} returned sunny)")


def test_a_function_call_output_of_no_known_call_is_400(client):
    output = {"type": "function_call_output", "call_id": "call_nobody_made", "output": "sunny"}
    with pytest.raises(openai.BadRequestError) as raised:
        create(client, input=[output])
    assert raised.value.body["message"] == "No tool call found for function call output with call_id call_nobody_made."


def test_a_tool_choice_of_a_function_that_is_not_in_tools_is_400(client):
    with pytest.raises(openai.BadRequestError) as raised:
        create(client, input="Hi", tools=[WEATHER], tool_choice={"type": "function", "name": "get_time"})
    assert raised.value.body["param"] == "tool_choice"


def test_a_json_schema_format_answers_with_an_instance_of_the_schema(client):
    text = {"format": {"type": "json_schema", "name": "capital", "schema": ANSWER_SCHEMA, "strict": True}}
    response = create(client, input="The capital of Spain?", text=text)
    jsonschema.validate(json.loads(response.output_text), ANSWER_SCHEMA)
    assert response.text.format.type == "json_schema" and response.text.format.name == "capital"


def test_a_json_object_format_answers_with_a_json_object(client):
    response = create(client, input="The capital of Spain?", text={"format": {"type": "json_object"}})
    assert json.loads(response.output_text) == {"answer": "The capital of Spain?"}


def test_a_reasoning_summary_comes_first_and_counts_reasoning_tokens(client):
    response = create(
        client, model="o4-mini", input="Why is the sky blue?", reasoning={"effort": "low", "summary": "auto"}
    )
    reasoning, message = response.output
    assert reasoning.type == "reasoning" and reasoning.id.startswith("rs_")
    assert [part.type for part in reasoning.summary] == ["summary_text"]
    assert "Why is the sky blue?" in reasoning.summary[0].text
    assert message.type == "message"
    assert response.usage.output_tokens_details.reasoning_tokens > 0
    assert response.usage.output_tokens > response.usage.output_tokens_details.reasoning_tokens
    assert (response.reasoning.effort, response.reasoning.summary) == ("low", "auto")


def test_encrypted_reasoning_is_given_when_included(client):
    response = create(
        client, input="Why?", reasoning={"summary": "concise"}, include=["reasoning.encrypted_content"], store=False
    )
    assert response.output[0].encrypted_content


def test_a_hosted_web_search_tool_searches_before_the_message_that_cites_it(client):
    response = create(client, input="News about Mars", tools=[{"type": "web_search"}])
    search, message = response.output
    assert (search.type, search.status) == ("web_search_call", "completed")
    assert search.id.startswith("ws_")
    assert (search.action.type, search.action.query) == ("search", "News about Mars")
    [citation] = message.content[0].annotations
    assert citation.type == "url_citation" and citation.end_index == len(response.output_text)


def test_web_search_sources_are_given_when_included(client):
    tools = [{"type": "web_search"}]
    response = create(client, input="News", tools=tools, include=["web_search_call.action.sources"])
    assert [source.type for source in response.output[0].action.sources] == ["url"]


def test_a_forced_function_is_called_rather_than_the_web_searched(client):
    choice = {"type": "function", "name": "get_weather"}
    response = create(client, input="Weather?", tools=[{"type": "web_search"}, WEATHER], tool_choice=choice)
    assert [item.type for item in response.output] == ["function_call"]


# -- stored responses and their input items ------------------------------------------------------------


def test_a_stored_response_is_retrieved_as_it_was_created(client):
    created = create(client, input="Keep me.")
    assert client.responses.retrieve(created.id).model_dump() == created.model_dump()


def test_store_false_leaves_nothing_to_retrieve(client):
    created = create(client, input="Forget me.", store=False)
    assert created.store is False
    with pytest.raises(openai.NotFoundError):
        client.responses.retrieve(created.id)


def test_an_unknown_id_is_404_with_the_api_error_body(client):
    for read in (client.responses.retrieve, client.responses.input_items.list, client.responses.delete):
        with pytest.raises(openai.NotFoundError) as raised:
            read("resp_nobody")
        assert raised.value.body == {
            "message": "Response with id 'resp_nobody' not found.",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }


def test_a_deleted_response_is_gone(client):
    created = create(client, input="Delete me.")
    client.responses.delete(created.id)
    with pytest.raises(openai.NotFoundError):
        client.responses.retrieve(created.id)


def test_an_unknown_previous_response_id_is_the_apis_400(client):
    # The real API answers 400 (BadRequestError), not 404, for a previous response it does not have.
    with pytest.raises(openai.BadRequestError) as raised:
        create(client, input="Go on.", previous_response_id="resp_nobody")
    assert raised.value.body == {
        "message": "Previous response with id 'resp_nobody' not found.",
        "type": "invalid_request_error",
        "param": "previous_response_id",
        "code": "previous_response_not_found",
    }


def test_input_items_are_listed_newest_first_with_ids(client):
    conversation = [{"role": "user", "content": f"Question {n}"} for n in range(3)]
    response = create(client, input=conversation)
    page = client.responses.input_items.list(response.id)
    assert [item.content[0].text for item in page.data] == ["Question 2", "Question 1", "Question 0"]
    assert all(item.id.startswith("msg_") and item.role == "user" for item in page.data)
    assert (page.first_id, page.last_id, page.has_more) == (page.data[0].id, page.data[-1].id, False)


def test_input_items_are_paged_with_after_and_limit(client, openai_server):
    openai_server.stored_page_limit = 2
    conversation = [{"role": "user", "content": f"Question {n}"} for n in range(5)]
    response = create(client, input=conversation)
    items = list(client.responses.input_items.list(response.id, order="asc", limit=10))
    assert [item.content[0].text for item in items] == [f"Question {n}" for n in range(5)]
    pages = [r for r in openai_server.requests if r.path.endswith("/input_items")]
    assert len(pages) == 3
    assert "after=" not in pages[0].headers["x-query"] and f"after={items[1].id}" in pages[1].headers["x-query"]


def test_input_items_refuse_a_limit_out_of_range(client):
    response = create(client, input="Hi")
    with pytest.raises(openai.BadRequestError) as raised:
        client.responses.input_items.list(response.id, limit=101)
    assert raised.value.body["param"] == "limit"


def test_the_input_items_of_a_continuation_are_its_new_input_only(client):
    first = create(client, input="First question.")
    second = create(client, input="Second question.", previous_response_id=first.id)
    assert [item.content[0].text for item in client.responses.input_items.list(second.id)] == ["Second question."]


def test_an_item_reference_without_a_type_is_listed_as_one(client, openai_server):
    first = create(client, input="Hi")
    second = create(client, input=[{"id": first.output[0].id}, {"role": "user", "content": "Again"}])
    [reference, _] = raw_get(openai_server, f"/responses/{second.id}/input_items?order=asc")["data"]
    assert reference == {"type": "item_reference", "id": first.output[0].id}


# -- scripted outcomes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["max_output_tokens", "content_filter"])
def test_an_incomplete_response_has_its_reason_and_a_cut_message(client, openai_server, reason):
    openai_server.queue(ResponseOutcome("incomplete", reason=reason))
    response = create(client, input="Tell me a long story.", max_output_tokens=16)
    assert (response.status, response.incomplete_details.reason) == ("incomplete", reason)
    [message] = response.output
    assert message.status == "incomplete"
    assert "Echo from gpt-4o: Tell me a long story.".startswith(response.output_text)
    assert 0 < len(response.output_text) < len("Echo from gpt-4o: Tell me a long story.")
    if reason == "max_output_tokens":
        assert response.usage.output_tokens == 16


def test_an_incomplete_structured_answer_is_no_longer_json(client, openai_server):
    openai_server.queue(ResponseOutcome("incomplete"))
    text = {"format": {"type": "json_schema", "name": "capital", "schema": ANSWER_SCHEMA, "strict": True}}
    response = create(client, input="The capital of Spain?", text=text)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.output_text)


def test_a_failed_response_has_an_error_and_no_output(client, openai_server):
    openai_server.queue(ResponseOutcome("failed", error_code="server_error", error_message="The model broke."))
    response = create(client, input="Hi")
    assert response.status == "failed"
    assert (response.error.code, response.error.message) == ("server_error", "The model broke.")
    assert response.output == [] and response.usage is None


def test_a_cancelled_response_has_its_message_in_progress(client, openai_server):
    openai_server.queue(ResponseOutcome("cancelled"))
    response = create(client, input="Hi there", background=True)
    assert response.status == "cancelled" and response.output[0].status == "in_progress"
    assert response.usage is None and response.completed_at is None


def test_a_background_response_is_polled_from_queued_to_completed(client, openai_server):
    openai_server.queue(ResponseOutcome("queued"), ResponseOutcome("in_progress"))
    created = create(client, input="Take your time.", background=True)
    assert (created.status, created.output, created.usage) == ("queued", [], None)
    assert client.responses.retrieve(created.id).status == "in_progress"
    assert client.responses.retrieve(created.id).status == "in_progress"  # a stored outcome stays
    openai_server.queue(ResponseOutcome())
    done = client.responses.retrieve(created.id)
    assert (done.status, done.output_text) == ("completed", "Echo from gpt-4o: Take your time.")


def test_a_refusal_is_the_messages_only_part(client, openai_server):
    openai_server.queue(ResponseOutcome(refusal="I can't help with that."))
    response = create(client, input="Something forbidden.")
    [message] = response.output
    assert [part.model_dump(exclude_none=True) for part in message.content] == [
        {"type": "refusal", "refusal": "I can't help with that."}
    ]
    assert response.status == "completed" and response.output_text == ""


def test_a_response_outcome_queued_for_a_chat_completion_is_a_test_mistake(client, openai_server):
    openai_server.queue(ResponseOutcome("failed"))
    with pytest.raises(openai.InternalServerError, match="queued a ResponseOutcome"):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])


def test_queued_replies_answer_responses_requests_too(client, openai_server):
    openai_server.queue(api_error(429, "Rate limit reached.", "requests", "rate_limit_exceeded"))
    with pytest.raises(openai.RateLimitError):
        create(client, input="Hi")
    assert create(client, input="Hi").status == "completed"


# -- keys and the official schema ---------------------------------------------------------------------


def test_a_wrong_key_is_401_with_the_api_error_body(openai_server):
    wrong = openai.OpenAI(api_key="sk-wrong", base_url=openai_server.base_url, max_retries=0)
    with pytest.raises(openai.AuthenticationError) as raised:
        wrong.responses.create(model="gpt-4o", input="Hi")
    assert raised.value.body["code"] == "invalid_api_key"
    with pytest.raises(openai.AuthenticationError):
        wrong.responses.retrieve("resp_any")


def test_a_missing_model_is_400(unchecked_server):
    client = openai.OpenAI(api_key=TEST_API_KEY, base_url=unchecked_server.base_url, max_retries=0)
    with pytest.raises(openai.BadRequestError) as raised:
        client.responses.create(input="Hi")
    assert raised.value.body["code"] == "missing_required_parameter"


def test_response_requests_are_the_creations_only(client, openai_server):
    created = create(client, input="Hi")
    client.responses.retrieve(created.id)
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
    [request] = openai_server.response_requests()
    assert request.body == {"model": "gpt-4o", "input": "Hi"}


@needs_spec
def test_a_message_with_a_list_of_parts_meets_the_official_schema(client, openai_server):
    content = [{"type": "input_text", "text": "What is in this image?"}]
    create(
        client, input=[{"role": "user", "content": content}, {"type": "message", "role": "user", "content": content}]
    )
    [request] = openai_server.response_requests()
    assert request.official_violations == []
    # CreateResponse alone refuses it: the message matches two branches of InputItem's oneOf.
    assert official_violations(request.body, "CreateResponse") != []


@needs_spec
def test_an_unknown_top_level_key_is_a_violation(unchecked_server):
    client = openai.OpenAI(api_key=TEST_API_KEY, base_url=unchecked_server.base_url, max_retries=0)
    client.responses.create(model="gpt-4o", input="Hi", extra_body={"max_tokens": 50})
    [request] = unchecked_server.response_requests()
    assert request.official_violations == ["(top): 'max_tokens' is not a request key of CreateResponse"]


@needs_spec
@pytest.mark.parametrize(
    ("request_body", "violation"),
    [
        ({"input": "Hi", "temperature": "warm"}, "temperature: 'warm' is not of type 'number'"),
        ({"input": [{"role": "robot", "content": "Hi"}]}, "input/0/role: 'robot' is not one of"),
        ({"input": [{"type": "function_call_output", "call_id": "c"}]}, "input/0: 'output' is a required property"),
        ({"input": "Hi", "tools": [{"type": "file_search"}]}, "tools/0: 'vector_store_ids' is a required property"),
        ({"input": "Hi", "include": ["everything"]}, "include/0: 'everything' is not one of"),
    ],
)
def test_a_body_of_a_wrong_shape_is_a_violation(unchecked_server, request_body, violation):
    raw_post(unchecked_server, {"model": "gpt-4o", **request_body})
    [request] = unchecked_server.response_requests()
    assert request.official_violations is not None
    assert [v for v in request.official_violations if v.startswith(violation)], request.official_violations


@needs_spec
def test_the_servers_answers_meet_the_official_response_schemas(client, openai_server):
    first = create(client, input="Weather?", tools=[WEATHER, {"type": "web_search"}], reasoning={"summary": "auto"})
    output = {"type": "function_call_output", "call_id": first.output[1].call_id, "output": "sunny"}
    second = create(client, input=[output], previous_response_id=first.id, tools=[{"type": "web_search"}])
    openai_server.queue(ResponseOutcome(refusal="No."))
    third = create(client, input=[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}])
    for response_id in (first.id, second.id, third.id):
        # The schema's `user` is a string, while the API (and the spec's own examples) give null.
        assert official_violations(raw_get(openai_server, f"/responses/{response_id}"), "Response") == [
            "user: None is not of type 'string'"
        ]
        items = raw_get(openai_server, f"/responses/{response_id}/input_items")
        assert official_violations(items, "ResponseItemList") == []


def raw_get(server: OpenAIServer, path: str) -> Any:
    """The JSON body of a GET, as the server sent it (not as the SDK's models parse it)."""
    request = urllib.request.Request(f"{server.base_url}{path}", headers={"authorization": f"Bearer {TEST_API_KEY}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def raw_post(server: OpenAIServer, body: Any) -> int:
    """POSTs body to /responses as it is (no SDK between); returns the status."""
    request = urllib.request.Request(
        f"{server.base_url}/responses",
        data=json.dumps(body).encode(),
        headers={"authorization": f"Bearer {TEST_API_KEY}", "content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
