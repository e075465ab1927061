"""helper/main.py run by a module (--module=NAME, as every module's program passes it): a failure comes back
as the result's helper_error key with exit status 0, for the module's postcondition to show as the error's
message; run otherwise (tests, the bench, by hand), a failure is lines on stderr and exit status 1."""

import json

import pytest

from testing.helper_process import CHAT_FLOW, USER_EXAMPLE, encode_query, run_helper_process

MODULES = ("chat_completion", "chat_completions", "response", "stored_completion", "stored_response")


def _query(openai_server, tmp_path, **inputs):
    settings = {"base_url": openai_server.base_url, "cache_dir": str(tmp_path / "cache")}
    return encode_query({**USER_EXAMPLE, **settings, **inputs}, CHAT_FLOW)


def test_a_modules_failure_is_the_results_helper_error_key_and_exit_status_0(openai_server, tmp_path):
    run = run_helper_process(_query(openai_server, tmp_path, temperature=3), arguments=("--module=chat_completion",))

    assert run.returncode == 0 and run.stderr == ""
    assert json.loads(run.stdout) == {
        "helper_error": "chat_completion: input temperature: 3 is greater than the maximum of 2"
    }
    assert openai_server.requests == []


def test_run_by_hand_a_failure_is_still_a_line_on_stderr_and_exit_status_1(openai_server, tmp_path):
    run = run_helper_process(_query(openai_server, tmp_path, temperature=3))

    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr == "chat_completion: input temperature: 3 is greater than the maximum of 2\n"


def test_an_answer_is_the_same_whoever_runs_the_helper(openai_server, tmp_path):
    by_module = run_helper_process(_query(openai_server, tmp_path), arguments=("--module=chat_completion",))
    by_hand = run_helper_process(_query(openai_server, tmp_path))

    assert by_module.returncode == by_hand.returncode == 0
    assert by_module.stdout == by_hand.stdout and "helper_error" not in by_module.result


def test_every_line_of_a_failure_is_in_the_error(openai_server, tmp_path):
    requests = {key: {"messages": [{"role": "user", "content": key}], "temprature": 0.2} for key in ("a", "b")}
    query = encode_query(
        {"model": "gpt-4o", "requests": requests, "base_url": openai_server.base_url}, "chat_completions"
    )

    run = run_helper_process(query, arguments=("--module=chat_completions",))

    assert run.returncode == 0
    assert json.loads(run.stdout)["helper_error"].splitlines() == [
        f'chat_completions: input requests["{key}"].temprature: is not an input of a request; did you mean temperature?'
        for key in ("a", "b")
    ]


@pytest.mark.parametrize("module", MODULES)
def test_main_pys_own_line_names_the_module_that_ran_it(openai_server, tmp_path, module):
    """Before the query is read (the interpreter, its packages, the python_* inputs), the line starts with
    the module's name, not chat_completion's whichever module it was."""
    run = run_helper_process(
        _query(openai_server, tmp_path), arguments=(f"--module={module}", "--python-packages=bogus")
    )

    assert run.returncode == 0
    assert json.loads(run.stdout) == {
        "helper_error": f'{module}: python_packages must be "provision" or "interpreter", not \'bogus\''
    }


def test_main_pys_own_line_run_by_hand_names_the_project():
    run = run_helper_process({}, arguments=("--python-packages=bogus",))

    assert run.returncode == 1
    assert run.stderr.startswith("terraform-openai-chat: python_packages must be")
