"""What is stated in more than one place says the same everywhere: a flow's request inputs come in one
order in its inputs.py and in its modules' variables.tf and main.tf query, every input is sent or
shapes the program, every module that answers sends the same settings, and chat_completions takes
each of chat_completion's request inputs with the same type on the block, and lists them for each key of
requests."""

import re

import pytest
from chat_helper.answers.settings import ANSWER_SETTINGS
from chat_helper.chat.inputs import REQUEST_PARAMETERS
from chat_helper.chat_completions.query import KEY_INPUTS
from chat_helper.core.settings import ENDPOINT_SETTINGS
from chat_helper.response.inputs import REQUEST_PARAMETERS as RESPONSE_PARAMETERS
from chat_helper.stored_response.query import QUERY_KEYS as STORED_RESPONSE_KEYS

from testing.paths import MODULES_DIR

SETTINGS = (*ENDPOINT_SETTINGS, *ANSWER_SETTINGS)
PROGRAM_INPUTS = {"python", "python_packages", "python_env_dir"}
REQUEST_INPUTS = {  # the modules that ask for answers, and their request inputs
    "chat_completion": REQUEST_PARAMETERS,
    "chat_completions": REQUEST_PARAMETERS,
    "response": RESPONSE_PARAMETERS,
}
BLOCK_INPUTS = {"chat_completions": {"requests", "max_concurrency"}}
# Sent but not an input: on Azure, response's model names the deployment.
SENT_ONLY = {"response": {"azure_deployment"}}


def variable_types(module: str) -> dict[str, str]:
    """Each variable's type expression, as written, in the order of variables.tf."""
    text = (MODULES_DIR / module / "variables.tf").read_text()
    blocks = re.findall(r'^variable "(\w+)" \{\n(.*?)\n\}\n', text, re.M | re.S)
    return {
        name: re.search(r"^  type\s*=\s*(.*?)\n  (?:description|default|nullable)", body, re.M | re.S)[1]
        for name, body in blocks
    }


def query_keys(module: str) -> list[str]:
    main = (MODULES_DIR / module / "main.tf").read_text()
    body = main[main.index("  query = {") : main.index("} : name => jsonencode(value)")]
    return re.findall(r"^      (\w+)\s+=", body, re.M)


def requests_description() -> str:
    text = (MODULES_DIR / "chat_completions" / "variables.tf").read_text()
    return re.search(r'^variable "requests" \{\n.*?^  description = "(.*?)"\n', text, re.M | re.S)[1]


@pytest.mark.parametrize("module", REQUEST_INPUTS)
def test_the_request_inputs_come_in_one_order_in_variables_main_and_the_helper(module):
    request = list(REQUEST_INPUTS[module])
    assert [name for name in variable_types(module) if name in request] == request
    assert [name for name in query_keys(module) if name in request] == request


@pytest.mark.parametrize("module", REQUEST_INPUTS)
def test_every_input_is_sent_or_shapes_the_program(module):
    sent = set(query_keys(module)) - {"flow"}
    assert set(variable_types(module)) == (sent - SENT_ONLY.get(module, set())) | PROGRAM_INPUTS
    assert sent <= set(REQUEST_INPUTS[module]) | set(SETTINGS) | BLOCK_INPUTS.get(module, set())


def test_chat_completions_takes_every_request_input_with_chat_completions_type():
    single, many = variable_types("chat_completion"), variable_types("chat_completions")
    for name in REQUEST_PARAMETERS:
        assert " ".join(many[name].split()) == " ".join(single[name].split()), name


def test_requests_lists_every_input_a_key_may_set_in_the_helpers_order():
    """requests is not typed (the helper checks every key's inputs): its description is where a reader
    learns what a key may set, so it lists them all, as the helper takes them."""
    assert variable_types("chat_completions")["requests"] == "any"
    listed = re.search(r"\(([a-z_, ]+)\)", requests_description())[1].split(", ")
    assert listed == list(KEY_INPUTS)


def test_every_stored_response_input_is_sent_or_shapes_the_program():
    sent = set(query_keys("stored_response"))
    assert set(variable_types("stored_response")) == (sent - {"flow"}) | PROGRAM_INPUTS | {"sensitive"}
    assert sent - {"flow"} == set(STORED_RESPONSE_KEYS)
