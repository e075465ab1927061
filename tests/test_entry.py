"""The entry routes each query to its module's flow by the flow key the modules send."""

import json
import re

from chat_helper.entry import FLOWS

from testing.helper_process import STORED_FLOW, USER_EXAMPLE, assert_one_error_line, encode_query
from testing.paths import MODULES_DIR

EVERY_FLOW = " or ".join(f'"{name}"' for name in FLOWS)

EVERY_FLOW = "one of " + ", ".join(f'"{name}"' for name in FLOWS)


def test_a_query_without_the_flow_key_is_one_line_naming_it(run_helper, openai_server):
    query = {name: value for name, value in encode_query(USER_EXAMPLE).items() if name != "flow"}
    run = run_helper({}, raw_stdin=json.dumps(query))
    assert_one_error_line(run, "chat_completion:", "no 'flow' key", EVERY_FLOW)
    assert openai_server.requests == []


def test_an_unknown_flow_is_one_line_naming_the_key(run_helper, openai_server):
    run = run_helper(USER_EXAMPLE, flow="embeddings")
    assert_one_error_line(run, "query key 'flow'", EVERY_FLOW, "embeddings")
    assert openai_server.requests == []


def test_the_flow_key_decides_which_module_speaks(run_helper, openai_server):
    """The same inputs go to the flow the key names, and its errors carry that module's name."""
    run = run_helper({"operation": "list", "cache_dir": None}, flow=STORED_FLOW)
    assert run.returncode == 0, run.stderr
    assert run.result["ids"] == []
    chat = run_helper({"operation": "list"})
    assert_one_error_line(chat, "chat_completion:", "input operation", "not an input")


def test_every_module_names_a_flow_the_entry_knows():
    """Each module's query names its flow; the entry routes every one of them."""
    named = {
        path.parent.name: re.search(r'^\s+flow\s+=\s+"(\w+)"', path.read_text(), re.M)
        for path in MODULES_DIR.glob("*/main.tf")
    }
    assert {module: match.group(1) if match else None for module, match in named.items()} == {
        name: name for name in FLOWS
    }
