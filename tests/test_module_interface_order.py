"""What is stated in two places says the same in both: the request's inputs come in one order in
variables.tf, main.tf's query and the helper, and both modules run the same helper-finding lines."""

import re

from chat_helper.answers.settings import ANSWER_SETTINGS
from chat_helper.chat.inputs import REQUEST_PARAMETERS
from chat_helper.core.settings import ENDPOINT_SETTINGS
from chat_helper.response.inputs import REQUEST_PARAMETERS as RESPONSE_PARAMETERS
from chat_helper.stored_response.query import QUERY_KEYS as STORED_RESPONSE_KEYS

from testing.paths import REPO_ROOT

SETTINGS = (*ENDPOINT_SETTINGS, *ANSWER_SETTINGS)
PROGRAM_INPUTS = {"python", "python_packages", "python_env_dir"}

MODULES = REPO_ROOT / "modules"


def declared_variables(module: str) -> list[str]:
    return re.findall(r'^variable "(\w+)"', (MODULES / module / "variables.tf").read_text(), re.M)


def query_keys(module: str) -> list[str]:
    main = (MODULES / module / "main.tf").read_text()
    body = main[main.index("  query = {") : main.index("} : name => jsonencode(value)")]
    return re.findall(r"^\s+(\w+)\s+=", body, re.M)[1:]  # [0] is the for expression's own line


def test_the_request_inputs_come_in_one_order_in_variables_main_and_the_helper():
    request = list(REQUEST_PARAMETERS)
    assert [name for name in declared_variables("chat_completion") if name in request] == request
    assert [name for name in query_keys("chat_completion") if name in request] == request


def test_every_chat_completion_input_is_sent_or_shapes_the_program():
    sent = set(query_keys("chat_completion"))
    program_inputs = {"python", "python_packages", "python_env_dir"}
    assert set(declared_variables("chat_completion")) == (sent - {"flow"}) | program_inputs
    assert sent - {"flow"} <= set(REQUEST_PARAMETERS) | set(SETTINGS)


def test_both_modules_find_their_helper_with_the_same_lines():
    def find_helper(module: str) -> str:
        main = (MODULES / module / "main.tf").read_text()
        return main[main.index("find_helper = <<-PYTHON") : main.index("  PYTHON\n")]

    assert find_helper("chat_completion") == find_helper("stored_completion")


def test_the_response_inputs_come_in_one_order_in_variables_main_and_the_helper():
    request = list(RESPONSE_PARAMETERS)
    assert [name for name in declared_variables("response") if name in request] == request
    assert [name for name in query_keys("response") if name in request] == request


def test_every_response_input_is_sent_or_shapes_the_program():
    """azure_deployment is sent but not an input: on Azure the model names the deployment."""
    sent = set(query_keys("response"))
    assert set(declared_variables("response")) == (sent - {"flow", "azure_deployment"}) | PROGRAM_INPUTS
    assert sent - {"flow"} <= set(RESPONSE_PARAMETERS) | set(SETTINGS)


def test_every_stored_response_input_is_sent_or_shapes_the_program():
    sent = set(query_keys("stored_response"))
    assert set(declared_variables("stored_response")) == (sent - {"flow"}) | PROGRAM_INPUTS | {"sensitive"}
    assert sent - {"flow"} == set(STORED_RESPONSE_KEYS)


def test_response_sends_every_endpoint_and_answer_setting_of_chat_completion():
    """The endpoint, cache, guardrail and sensitive inputs mean the same in both modules."""
    shared = [name for name in query_keys("chat_completion") if name in SETTINGS]
    assert [name for name in query_keys("response") if name in SETTINGS] == shared
