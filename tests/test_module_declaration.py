"""The one declaration of the modules' interfaces (scripts/module_interface.py) holds: the module
files it generates are as it writes them, a hand edit of one is caught, and the helper takes exactly
what each module sends, its request inputs in the declaration's order."""

import shutil

import pytest
from chat_helper.answers.settings import ANSWER_SETTINGS
from chat_helper.chat.inputs import REQUEST_PARAMETERS
from chat_helper.chat.request import QUERY_KEYS as CHAT_QUERY_KEYS
from chat_helper.chat_completions.query import BLOCK_INPUTS, KEY_INPUTS
from chat_helper.core.settings import ENDPOINT_SETTINGS
from chat_helper.response.inputs import REQUEST_PARAMETERS as RESPONSE_PARAMETERS
from chat_helper.response.request import QUERY_KEYS as RESPONSE_QUERY_KEYS
from chat_helper.stored.query import QUERY_KEYS as STORED_COMPLETION_QUERY_KEYS
from chat_helper.stored_response.query import QUERY_KEYS as STORED_RESPONSE_QUERY_KEYS

from scripts.generate_modules import query, stale_files
from scripts.module_interface import CHAT_REQUEST, INPUTS, MODULES, OUTPUTS, modules_with_input
from testing.paths import MODULES_DIR

HELPER_QUERY_KEYS = {  # what each flow's helper reads from the query, the flow key aside
    "chat_completion": CHAT_QUERY_KEYS,
    "chat_completions": (*CHAT_QUERY_KEYS, *BLOCK_INPUTS),
    "response": RESPONSE_QUERY_KEYS,
    "stored_completion": STORED_COMPLETION_QUERY_KEYS,
    "stored_response": STORED_RESPONSE_QUERY_KEYS,
}
REQUEST_INPUTS = {
    "chat_completion": REQUEST_PARAMETERS,
    "chat_completions": REQUEST_PARAMETERS,
    "response": RESPONSE_PARAMETERS,
}
PROGRAM_INPUTS = {"python", "python_packages", "python_env_dir"}


def test_every_generated_module_file_is_as_the_declaration_writes_it():
    assert stale_files() == []


def test_a_hand_edit_of_a_generated_file_is_caught(tmp_path):
    modules = tmp_path / "modules"
    shutil.copytree(MODULES_DIR, modules)
    edited = modules / "chat_completion" / "variables.tf"
    edited.write_text(edited.read_text().replace("Sampling temperature, 0 to 2.", "Sampling temperature."))
    assert stale_files(modules) == [edited]


def test_the_declaration_and_the_modules_list_the_same_modules():
    assert set(MODULES) == {path.name for path in MODULES_DIR.iterdir() if (path / "versions.tf").is_file()}


def test_every_declared_input_and_output_belongs_to_a_module_and_each_once():
    for name, module in MODULES.items():
        assert len(set(module.input_names())) == len(module.input_names()), name
        assert len(set(module.output_names())) == len(module.output_names()), name
    assert all(modules_with_input(name) for name in INPUTS)
    used_outputs = {output for module in MODULES.values() for output in module.output_names()}
    assert used_outputs == set(OUTPUTS)
    for declared in (*INPUTS.values(), *OUTPUTS.values()):
        assert set(declared.differs) <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_the_helper_reads_exactly_what_the_module_sends(module):
    sent = [key for key, _ in query(module, MODULES[module])]
    assert sent[0] == "flow"
    assert sorted(sent[1:]) == sorted(HELPER_QUERY_KEYS[module])


@pytest.mark.parametrize("module", MODULES)
def test_every_input_is_sent_or_shapes_the_program(module):
    sent = {key for key, _ in query(module, MODULES[module])}
    for name in MODULES[module].input_names():
        assert name in sent or name in PROGRAM_INPUTS or (name == "sensitive" and module.startswith("stored_")), name


@pytest.mark.parametrize("module", REQUEST_INPUTS)
def test_a_module_that_asks_sends_its_request_inputs_in_the_helpers_order_and_every_setting(module):
    request = list(REQUEST_INPUTS[module])
    inputs = MODULES[module].input_names()
    assert [name for name in inputs if name in request] == request
    assert set(ENDPOINT_SETTINGS) | set(ANSWER_SETTINGS) <= {key for key, _ in query(module, MODULES[module])}


def test_chat_completions_takes_chat_completions_request_inputs_with_the_same_types_and_lists_them_for_a_key():
    assert list(CHAT_REQUEST) == list(REQUEST_PARAMETERS)
    for name in CHAT_REQUEST:
        assert INPUTS[name].seen_by("chat_completions").type == INPUTS[name].seen_by("chat_completion").type, name
    assert INPUTS["requests"].type == "any"  # the helper checks every key's inputs (see its comment)
    assert f"({', '.join(KEY_INPUTS)})" in INPUTS["requests"].description
