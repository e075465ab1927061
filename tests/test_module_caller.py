"""helper/main.py run by a module (--module=NAME, as every module's program passes it): a failure is lines on
stderr and exit status 1, as hashicorp/external expects (Terraform then names the failing block); the lines
main.py words itself start with the module's name, or the project's when run by hand."""

import pytest

from testing.helper_process import CHAT_FLOW, USER_EXAMPLE, encode_query, run_helper_process

MODULES = ("chat_completion", "chat_completions", "response", "stored_completion", "stored_response")


def _query(openai_server, tmp_path, **inputs):
    settings = {"base_url": openai_server.base_url, "cache_dir": str(tmp_path / "cache")}
    return encode_query({**USER_EXAMPLE, **settings, **inputs}, CHAT_FLOW)


def test_a_modules_failure_is_its_line_on_stderr_and_exit_status_1(openai_server, tmp_path):
    run = run_helper_process(_query(openai_server, tmp_path, temperature=3), arguments=("--module=chat_completion",))

    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr == "chat_completion: input temperature: 3 is greater than the maximum of 2\n"
    assert openai_server.requests == []


def test_an_answer_is_the_same_whoever_runs_the_helper(openai_server, tmp_path):
    by_module = run_helper_process(_query(openai_server, tmp_path), arguments=("--module=chat_completion",))
    by_hand = run_helper_process(_query(openai_server, tmp_path))

    assert by_module.returncode == by_hand.returncode == 0
    assert by_module.stdout == by_hand.stdout


@pytest.mark.parametrize("module", MODULES)
def test_main_pys_own_line_names_the_module_that_ran_it(openai_server, tmp_path, module):
    """Before the query is read (the interpreter, its packages, the python_* inputs), the line starts with
    the module's name, not chat_completion's whichever module it was."""
    run = run_helper_process(
        _query(openai_server, tmp_path), arguments=(f"--module={module}", "--python-packages=bogus")
    )

    assert run.returncode == 1
    assert run.stderr == f'{module}: python_packages must be "provision" or "interpreter", not \'bogus\'\n'


def test_main_pys_own_line_run_by_hand_names_the_project():
    run = run_helper_process({}, arguments=("--python-packages=bogus",))

    assert run.returncode == 1
    assert run.stderr.startswith("terraform-openai-chat: python_packages must be")
