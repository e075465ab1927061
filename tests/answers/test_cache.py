"""The response cache: the same request gives the same answer without another call."""

import json
import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from testing.helper_process import USER_EXAMPLE, assert_one_error_line, encode_query
from testing.openai_server import api_error
from testing.paths import HELPER
from testing.secret_canary import TEST_API_KEY


def _entries(tmp_path):
    return sorted((tmp_path / "cache").rglob("*.json"))


def test_the_same_request_is_answered_from_the_cache(run_helper, openai_server):
    first = run_helper(USER_EXAMPLE)
    second = run_helper(USER_EXAMPLE)
    assert first.stdout == second.stdout
    assert len(openai_server.completion_requests()) == 1


def test_a_changed_message_is_a_new_request(run_helper, openai_server):
    run_helper(USER_EXAMPLE)
    changed = {**USER_EXAMPLE, "messages": [*USER_EXAMPLE["messages"][:1], {"role": "user", "content": "And Mars?"}]}
    assert "And Mars?" in run_helper(changed).result["content"]
    assert len(openai_server.completion_requests()) == 2


def test_regenerate_asks_for_a_new_answer_and_keeps_it(run_helper, openai_server):
    original = run_helper(USER_EXAMPLE).result
    renewed = run_helper({**USER_EXAMPLE, "regenerate": "2"}).result
    again = run_helper({**USER_EXAMPLE, "regenerate": "2"}).result
    assert renewed["id"] != original["id"]
    assert again["id"] == renewed["id"]
    assert len(openai_server.completion_requests()) == 2


def test_the_api_key_is_not_part_of_the_key_nor_the_entry(run_helper, openai_server, tmp_path):
    run_helper(USER_EXAMPLE)
    other_key = run_helper(USER_EXAMPLE, env={"OPENAI_API_KEY": "another-test-key-0000"})
    assert other_key.returncode == 0
    assert len(openai_server.completion_requests()) == 1
    for entry in _entries(tmp_path):
        assert TEST_API_KEY not in entry.read_text()


def test_the_endpoint_is_part_of_the_key(run_helper, openai_server, tmp_path):
    run_helper(USER_EXAMPLE)
    moved = run_helper({**USER_EXAMPLE, "base_url": "http://127.0.0.1:9/v1", "timeout_seconds": 3})
    assert moved.returncode == 1, "a different endpoint must not be answered from another endpoint's entry"


def test_entries_are_readable_json_owned_by_the_user_only(run_helper, tmp_path):
    run_helper(USER_EXAMPLE)
    [entry] = _entries(tmp_path)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700
    stored = json.loads(entry.read_text())
    assert stored["identity"]["request"]["messages"] == USER_EXAMPLE["messages"]
    assert stored["response"]["choices"][0]["message"]["content"].startswith("Echo from")
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def test_a_failed_call_writes_nothing(run_helper, openai_server, tmp_path):
    openai_server.queue(api_error(400, "no", "invalid_request_error", None))
    assert run_helper(USER_EXAMPLE).returncode == 1
    assert _entries(tmp_path) == []


def test_replay_mode_with_an_empty_cache_fails_clearly_and_calls_nothing(run_helper, openai_server, tmp_path):
    run = run_helper({**USER_EXAMPLE, "cache_mode": "replay"})
    assert_one_error_line(run, 'cache_mode = "replay"', "'Tell me about the solar system.'", str(tmp_path / "cache"))
    assert openai_server.completion_requests() == []


def test_replay_mode_answers_from_a_recorded_cache_without_a_key(run_helper, openai_server):
    recorded = run_helper(USER_EXAMPLE).result
    replayed = run_helper({**USER_EXAMPLE, "cache_mode": "replay"}, env={"OPENAI_API_KEY": ""})
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.result == recorded
    assert len(openai_server.completion_requests()) == 1


def test_cache_off_calls_every_time_and_stores_nothing(run_helper, openai_server, tmp_path):
    run_helper({**USER_EXAMPLE, "cache_mode": "off"})
    run_helper({**USER_EXAMPLE, "cache_mode": "off"})
    assert len(openai_server.completion_requests()) == 2
    assert _entries(tmp_path) == []


def test_a_corrupt_entry_is_a_miss_and_is_replaced(run_helper, openai_server, tmp_path):
    run_helper(USER_EXAMPLE)
    [entry] = _entries(tmp_path)
    entry.write_text("{truncated")
    assert run_helper(USER_EXAMPLE).returncode == 0
    assert len(openai_server.completion_requests()) == 2
    json.loads(entry.read_text())


def test_parallel_identical_requests_make_one_call(openai_server, tmp_path):
    query = json.dumps(
        encode_query({**USER_EXAMPLE, "base_url": openai_server.base_url, "cache_dir": str(tmp_path / "cache")})
    )
    environment = dict(os.environ, OPENAI_API_KEY=TEST_API_KEY)

    def run_once(_: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(HELPER)],
            input=query,
            capture_output=True,
            text=True,
            env=environment,
            timeout=120,
            check=False,
        )

    with ThreadPoolExecutor(max_workers=10) as pool:
        runs = list(pool.map(run_once, range(10)))
    assert all(run.returncode == 0 for run in runs), [run.stderr for run in runs]
    assert len({run.stdout for run in runs}) == 1
    assert len(openai_server.completion_requests()) == 1


def test_an_answer_the_folder_cannot_take_is_kept_pending_and_the_next_call_writes_it_without_a_call(
    run_helper, openai_server, tmp_path
):
    """No store: a paid answer whose entry cannot be written (here every <key[:2]> subfolder is a file) is
    kept in <cache_dir>/.pending, and the call's line says so; the next call writes it into the folder
    without asking the API again (issue 27, item 5)."""
    cache = tmp_path / "cache"
    cache.mkdir()
    blockers = [cache / f"{number:02x}" for number in range(256)]
    for blocker in blockers:
        blocker.write_text("not a folder")

    failed = run_helper(USER_EXAMPLE)

    assert_one_error_line(failed, "cannot write the cache entry in", "the answer the API gave is kept in")
    assert "writes it into the cache folder, without asking the API again" in failed.stderr
    [pending] = (cache / ".pending").rglob("*.json")
    assert json.loads(pending.read_text())["response"]["choices"][0]["message"]["content"].startswith("Echo")
    assert len(openai_server.completion_requests()) == 1

    still_blocked = run_helper(USER_EXAMPLE)
    assert_one_error_line(still_blocked, "cannot write the cache entry in", f"stays in {pending}")
    assert len(openai_server.completion_requests()) == 1

    for blocker in blockers:
        blocker.unlink()
    answered = run_helper(USER_EXAMPLE)

    assert answered.returncode == 0, answered.stderr
    assert answered.result["content"] == "Echo from gpt-3.5-turbo: Tell me about the solar system."
    assert len(openai_server.completion_requests()) == 1
    assert not pending.exists() and len(list(cache.glob("??/*.json"))) == 1


def test_when_the_cache_folder_takes_nothing_the_answer_waits_in_the_private_runtime_folder(
    run_helper, openai_server, tmp_path
):
    """A full disk, say: neither the entry nor <cache_dir>/.pending can be written; the answer waits in the
    user's private runtime folder (another file system, often memory), and the next call uses it."""
    cache = tmp_path / "cache"
    cache.mkdir()
    blockers = [cache / f"{number:02x}" for number in range(256)] + [cache / ".pending"]
    for blocker in blockers:
        blocker.write_text("not a folder")
    runtime = {"XDG_RUNTIME_DIR": str(tmp_path / "run"), "CHAT_HELPER_WORKER": "off"}  # in-process: this folder
    (tmp_path / "run").mkdir()

    failed = run_helper(USER_EXAMPLE, env=runtime)

    waiting_entries = list((tmp_path / "run").rglob("pending/*/??/*.json"))
    assert len(waiting_entries) == 1, failed.stderr
    [waiting] = waiting_entries
    assert_one_error_line(failed, "cannot write the cache entry in", f"the answer the API gave is kept in {waiting}")
    for blocker in blockers:
        blocker.unlink()
    answered = run_helper(USER_EXAMPLE, env=runtime)

    assert answered.returncode == 0, answered.stderr
    assert answered.result["content"] == "Echo from gpt-3.5-turbo: Tell me about the solar system."
    assert len(openai_server.completion_requests()) == 1
    assert not waiting.exists() and len(list(cache.glob("??/*.json"))) == 1
