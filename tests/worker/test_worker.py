"""The warm worker: started once, reused, answering exactly as in-process, and never in the way."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from chat_helper.worker.client import ACCEPT_SECONDS
from chat_helper.worker.server import CACHE_READ_SECONDS

from testing.helper_process import CHAT_FLOW, USER_EXAMPLE, HelperRun, assert_one_error_line, encode_query
from testing.openai_server import Hang, OpenAIServer, api_error
from testing.paths import HELPER
from testing.s3_faults import S3Proxy
from testing.secret_canary import TEST_API_KEY
from testing.store_entries import store_url

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="the worker tests read /proc (Linux)")

IDLE_SECONDS = "60"  # the fixture stops its workers; only the idle test waits for an exit
IDENTITY_SCRIPT = (
    "import sys; sys.path.insert(0, sys.argv[1]); from chat_helper.worker import rendezvous as w; "
    "paths = w.worker_paths(w.worker_identity(sys.executable, sys.prefix, sys.path[2:])); "
    "print(paths.socket); print(paths.lock)"
)


@dataclass
class Helper:
    """Runs helper/main.py as data "external" does, with its own socket folder (TMPDIR)."""

    server: OpenAIServer
    env: dict[str, str]
    cache_dir: Path

    def run(
        self,
        inputs: dict[str, Any],
        *,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        command: list[str] | None = None,
        flow: str = CHAT_FLOW,
    ) -> HelperRun:
        """command: what runs the helper, python3 helper/main.py unless given."""
        settings = {"base_url": self.server.base_url, "cache_dir": str(self.cache_dir)}
        completed = subprocess.run(
            command or [sys.executable, str(HELPER)],
            input=json.dumps(encode_query({**settings, **inputs}, flow)),
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            cwd=cwd,
            timeout=60,
            check=False,
        )
        return HelperRun(completed.returncode, completed.stdout, completed.stderr)

    def paths(self, env: dict[str, str] | None = None) -> tuple[Path, Path]:
        """The socket and lock a call with this environment uses (computed by the same interpreter)."""
        completed = subprocess.run(
            [sys.executable, "-c", IDENTITY_SCRIPT, str(HELPER.parent)],
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            check=True,
        )
        socket_path, lock_path = completed.stdout.split()
        return Path(socket_path), Path(lock_path)

    def started_workers(self, env: dict[str, str] | None = None) -> list[int]:
        _, lock = self.paths(env)
        return [int(line) for line in lock.read_text().split()] if lock.exists() else []


@pytest.fixture
def helper(openai_server: OpenAIServer, tmp_path: Path) -> Iterator[Helper]:
    socket_base = tempfile.mkdtemp(prefix="chw", dir="/tmp")  # short: a socket path holds ~100 bytes
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CHAT_HELPER_", "XDG_RUNTIME", "AWS_"))}
    env.update({"OPENAI_API_KEY": TEST_API_KEY, "TMPDIR": socket_base, "CHAT_HELPER_WORKER_IDLE_SECONDS": IDLE_SECONDS})
    env["CHAT_HELPER_PYTHON_PACKAGES"] = "interpreter"  # the worker on this venv (IDENTITY_SCRIPT's identity)
    yield Helper(openai_server, env, tmp_path / "cache")
    for lock in Path(socket_base).glob("*/*.lock"):
        for pid in (int(line) for line in lock.read_text().split()):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    shutil.rmtree(socket_base, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # an exited worker nobody reaped yet is a zombie


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
            children.append(int(stat.parent.name))
    return children


def _wait_until(condition: Any, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _prompt(text: str) -> dict[str, Any]:
    return {"model": "gpt-4o", "messages": [{"role": "user", "content": text}]}


def test_concurrent_first_calls_start_one_worker(helper):
    with ThreadPoolExecutor(max_workers=8) as pool:
        runs = list(pool.map(lambda number: helper.run(_prompt(f"question {number}")), range(8)))
    assert [run.returncode for run in runs] == [0] * 8, [run.stderr for run in runs]
    assert [run.result["content"] for run in runs] == [f"Echo from gpt-4o: question {n}" for n in range(8)]
    [worker] = helper.started_workers()
    assert _alive(worker)


def test_later_calls_reuse_the_worker(helper, openai_server):
    first = helper.run(USER_EXAMPLE)
    second = helper.run(USER_EXAMPLE)
    third = helper.run(_prompt("another question"))
    assert first.stdout == second.stdout and third.returncode == 0
    assert len(helper.started_workers()) == 1
    assert len(openai_server.completion_requests()) == 2  # the repeated request came from the cache


def test_the_worker_answers_exactly_as_in_process(helper, openai_server, tmp_path):
    off = {"CHAT_HELPER_WORKER": "off"}
    cases: list[tuple[dict[str, Any], dict[str, str]]] = [
        (USER_EXAMPLE, {}),  # the second run of each pair is a cache hit: same bytes
        ({**USER_EXAMPLE, "temperature": 5}, {}),
        ({"model": "gpt-4o", "messages": [{"role": "user", "content": "naïve café 🌍"}]}, {}),
        ({**USER_EXAMPLE, "cache_mode": "replay", "cache_dir": "relative/cache"}, {}),
        (USER_EXAMPLE, {"PYTHONIOENCODING": "latin-1", "LC_ALL": "C"}),
    ]
    for inputs, env in cases:
        through_worker = helper.run(inputs, env=env, cwd=tmp_path)
        in_process = helper.run(inputs, env={**env, **off}, cwd=tmp_path)
        assert (through_worker.returncode, through_worker.stdout, through_worker.stderr) == (
            in_process.returncode,
            in_process.stdout,
            in_process.stderr,
        )
    openai_server.queue(
        api_error(401, "Incorrect API key provided: sk-te***ey.", "invalid_request_error", "invalid_api_key")
    )
    rejected = helper.run(_prompt("rejected"))
    openai_server.queue(
        api_error(401, "Incorrect API key provided: sk-te***ey.", "invalid_request_error", "invalid_api_key")
    )
    rejected_in_process = helper.run(_prompt("rejected"), env=off)
    assert_one_error_line(rejected, "401")
    assert rejected.stderr == rejected_in_process.stderr
    assert len(helper.started_workers()) == 1  # the latin-1 console had the same worker


def test_relative_cache_folders_are_the_callers(helper, tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    run = helper.run({**USER_EXAMPLE, "cache_dir": None}, cwd=root)
    assert run.returncode == 0, run.stderr
    assert list((root / ".terraform" / "openai-chat-cache").glob("*/*.json"))
    assert helper.started_workers()


def test_the_worker_exits_when_idle(helper):
    short = {"CHAT_HELPER_WORKER_IDLE_SECONDS": "1"}
    assert helper.run(USER_EXAMPLE, env=short).returncode == 0
    socket_path, lock_path = helper.paths(short)
    [worker] = helper.started_workers(short)
    _wait_until(lambda: not _alive(worker))
    assert not socket_path.exists() and not lock_path.exists()
    assert helper.run(USER_EXAMPLE, env=short).returncode == 0  # and the next call starts another


def test_a_killed_worker_is_replaced_and_the_call_still_answers(helper):
    assert helper.run(USER_EXAMPLE).returncode == 0
    [worker] = helper.started_workers()
    os.kill(worker, signal.SIGKILL)
    _wait_until(lambda: not _alive(worker))
    run = helper.run(_prompt("after the kill"))
    assert run.returncode == 0, run.stderr
    assert run.result["content"] == "Echo from gpt-4o: after the kill"
    assert len(helper.started_workers()) == 2


def test_a_call_whose_worker_dies_mid_call_answers_in_process(helper, openai_server):
    assert helper.run(_prompt("warm up")).returncode == 0  # the worker has imported the SDK
    [worker] = helper.started_workers()
    openai_server.reset()
    openai_server.queue(Hang(15))
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(helper.run, _prompt("interrupted"))
        _wait_until(lambda: len(openai_server.completion_requests()) == 1)
        [child] = _children(worker)
        os.kill(child, signal.SIGKILL)
        run = pending.result()
    assert run.returncode == 0, run.stderr
    assert run.result["content"] == "Echo from gpt-4o: interrupted"
    assert len(openai_server.completion_requests()) == 2  # the in-process answer asked again
    assert _alive(worker)


def test_a_call_a_stuck_worker_never_takes_up_answers_in_process_once(helper, openai_server):
    assert helper.run(_prompt("warm up")).returncode == 0
    [worker] = helper.started_workers()
    os.kill(worker, signal.SIGSTOP)  # as if stuck in a system call: it takes up no call
    try:
        started = time.monotonic()
        run = helper.run(_prompt("while it is stuck"))
        waited = time.monotonic() - started
    finally:
        os.kill(worker, signal.SIGCONT)
    assert run.returncode == 0, run.stderr
    assert run.result["content"] == "Echo from gpt-4o: while it is stuck"
    assert ACCEPT_SECONDS <= waited < ACCEPT_SECONDS + 15
    time.sleep(1)  # the worker now takes up the abandoned connection, which sent no query
    assert len(openai_server.completion_requests()) == 2  # so the question was asked once
    assert helper.run(_prompt("while it is stuck")).returncode == 0  # a hit, from the same worker
    assert len(openai_server.completion_requests()) == 2
    assert helper.started_workers() == [worker] and _alive(worker)


def test_a_stored_answer_that_cannot_be_read_holds_up_no_other_call(helper, tmp_path):
    stuck, other = tmp_path / "stuck", tmp_path / "other"
    for folder in (stuck, other):
        assert helper.run({**_prompt(folder.name), "cache_dir": str(folder)}).returncode == 0
    [worker] = helper.started_workers()
    [entry] = stuck.glob("*/*.json")
    entry.unlink()
    os.mkfifo(entry)  # opening it for reading blocks until someone writes: as a stalled file system would
    query = {"base_url": helper.server.base_url, "cache_dir": str(stuck), **_prompt(stuck.name)}
    blocked = subprocess.Popen([sys.executable, str(HELPER)], stdin=subprocess.PIPE, env=helper.env)
    with contextlib.suppress(subprocess.TimeoutExpired):  # the worker is reading the FIFO by then
        blocked.communicate(json.dumps(encode_query(query)).encode(), timeout=0.5)
    try:
        started = time.monotonic()
        run = helper.run({**_prompt(other.name), "cache_dir": str(other)})
        waited = time.monotonic() - started
        assert run.returncode == 0, run.stderr
        assert run.result["content"] == f"Echo from gpt-4o: {other.name}"
        assert waited < CACHE_READ_SECONDS + 2 < ACCEPT_SECONDS  # taken up by the worker, not after giving up
        assert blocked.poll() is None  # that call waits on its FIFO, as it would in-process
        deadline = time.monotonic() + 30
        while blocked.poll() is None:  # each read of the FIFO ends empty: a broken entry, so a miss
            _release_readers(entry)
            assert time.monotonic() < deadline, "the blocked call never ended"
            time.sleep(0.05)
        assert blocked.returncode == 0
        assert _alive(worker)
    finally:
        blocked.kill()
        blocked.wait()
        for child in _children(worker):
            os.kill(child, signal.SIGKILL)


def _release_readers(fifo: Path) -> None:
    """Lets a reader waiting on the FIFO go on: it reads nothing."""
    with contextlib.suppress(OSError):  # no reader waits (ENXIO), or a stored answer replaced the FIFO
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def test_a_worker_is_not_shared_across_keys_or_endpoints(helper):
    other_key = {"OPENAI_API_KEY": "another-test-key-0000"}
    other_endpoint = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    assert helper.run(USER_EXAMPLE).returncode == 0
    assert_one_error_line(helper.run(_prompt("other key"), env=other_key), "401")
    assert helper.run(USER_EXAMPLE, env=other_endpoint).returncode == 0  # the query's base_url wins
    sockets = {helper.paths(env)[0] for env in ({}, other_key, other_endpoint)}
    assert len(sockets) == 3
    for env in ({}, other_key, other_endpoint):
        assert len(helper.started_workers(env)) == 1
    names = " ".join(path.name for path in sockets.pop().parent.iterdir())
    assert TEST_API_KEY not in names and "another-test-key" not in names


def test_the_socket_folder_is_private(helper):
    assert helper.run(USER_EXAMPLE).returncode == 0
    socket_path, _ = helper.paths()
    status = socket_path.parent.stat()
    assert status.st_uid == os.getuid()
    assert status.st_mode & 0o777 == 0o700


def test_a_folder_others_can_enter_is_not_used(helper):
    socket_path, _ = helper.paths()  # creates the folder, owner-only
    socket_path.parent.chmod(0o755)
    run = helper.run(USER_EXAMPLE)
    assert run.returncode == 0, run.stderr
    assert list(socket_path.parent.iterdir()) == []


def test_the_worker_can_be_switched_off(helper):
    off = {"CHAT_HELPER_WORKER": "off"}
    assert helper.run(USER_EXAMPLE, env=off).returncode == 0
    socket_path, lock_path = helper.paths(off)
    assert not socket_path.exists() and not lock_path.exists()


def test_cached_answers_do_not_make_the_worker_import_the_sdk(helper):
    off = {"CHAT_HELPER_WORKER": "off"}
    assert helper.run(USER_EXAMPLE, env=off).returncode == 0  # stored in-process
    assert helper.run(USER_EXAMPLE).returncode == 0  # a hit, through a new worker
    [worker] = helper.started_workers()
    assert "pydantic_core" not in Path(f"/proc/{worker}/maps").read_text()
    assert helper.run(_prompt("a miss")).returncode == 0
    assert "pydantic_core" in Path(f"/proc/{worker}/maps").read_text()


def test_a_miss_after_a_hit_that_imported_jsonschema_is_answered_not_an_internal_error(helper, openai_server):
    """A structured-output hit makes the worker import jsonschema and not the SDK; the next block's new key is
    then asked in a child's request thread, which once found the SDK import blocked (issue 27, item 1)."""
    schema = {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}
    block = {
        "model": "gpt-4o",
        "response_format": {"type": "json_schema", "name": "ticket", "schema": json.dumps(schema)},
    }
    first = {"requests": {"a": {"messages": [{"role": "user", "content": "a"}]}}}
    off = {"CHAT_HELPER_WORKER": "off"}
    assert helper.run({**block, **first}, env=off, flow="chat_completions").returncode == 0  # stored in-process
    hit = helper.run({**block, **first}, flow="chat_completions")  # a hit, read by a new worker itself
    assert hit.returncode == 0, hit.stderr
    [worker] = helper.started_workers()
    assert "pydantic_core" not in Path(f"/proc/{worker}/maps").read_text(), "the hit imported no SDK"

    added = {"requests": {**first["requests"], "c": {"messages": [{"role": "user", "content": "c"}]}}}
    run = helper.run({**block, **added}, flow="chat_completions")

    assert run.returncode == 0, run.stderr
    assert run.result["results"]["c"]["parsed"] == {"title": "sample"}
    assert len(openai_server.completion_requests()) == 2
    assert helper.started_workers() == [worker]


def _reaped_children_faults(pid: int) -> int:
    """cminflt: page faults of the worker's children it has reaped; it grows with every forked child."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[8])


def test_stored_answers_are_read_by_the_worker_itself_without_a_fork(helper, openai_server):
    stored = helper.run(_prompt("stored once"))  # a miss: a child calls the API
    assert stored.returncode == 0
    [worker] = helper.started_workers()
    _wait_until(lambda: _reaped_children_faults(worker) > 0 and not _children(worker))
    before = _reaped_children_faults(worker)
    hits = [helper.run(_prompt("stored once")) for _ in range(5)]
    assert [hit.stdout for hit in hits] == [stored.stdout] * 5
    assert len(openai_server.completion_requests()) == 1
    time.sleep(0.3)  # a child would have been reaped by now
    assert _reaped_children_faults(worker) == before
    assert helper.run(_prompt("a new question")).returncode == 0
    _wait_until(lambda: _reaped_children_faults(worker) > before)


def _umask_of(pid: int) -> str:
    return next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("Umask:"))


def test_a_hit_read_by_the_worker_leaves_it_in_no_callers_folder_or_umask(helper, openai_server, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    relative = {**USER_EXAMPLE, "cache_dir": "cache"}
    assert helper.run(relative, cwd=first).returncode == 0
    [worker] = helper.started_workers()
    umask = _umask_of(worker)
    with_another_umask = ["sh", "-c", 'umask 0027 && exec "$0" "$1"', sys.executable, str(HELPER)]
    hit = helper.run(relative, cwd=first, command=with_another_umask)
    assert hit.returncode == 0, hit.stderr
    assert len(openai_server.completion_requests()) == 1  # it was a hit, read by the worker itself
    assert os.readlink(f"/proc/{worker}/cwd") == "/"
    assert _umask_of(worker) == umask
    assert helper.run(relative, cwd=second).returncode == 0  # second/cache is empty: a miss
    assert len(openai_server.completion_requests()) == 2
    assert list((second / "cache").glob("*/*.json"))
    assert helper.started_workers() == [worker]


def test_the_helper_keeps_its_own_bytecode_under_pythondontwritebytecode(helper, tmp_path):
    copy = tmp_path / "helper"
    shutil.copytree(HELPER.parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": ""}
    for switch in ("off", "on"):  # in-process, then through a worker started from the copy
        run = helper.run(
            USER_EXAMPLE, env={**env, "CHAT_HELPER_WORKER": switch}, command=[sys.executable, str(copy / "main.py")]
        )
        assert run.returncode == 0, run.stderr
    compiled = {
        f"{path.parent.parent.name}/{path.name.split('.')[0]}" for path in copy.glob("chat_helper/**/__pycache__/*.pyc")
    }
    own = {"chat_helper/entry", "chat/request", "chat/request_rules", "worker/client", "worker/server"}
    assert own <= compiled  # request_rules: loaded late


def test_a_worker_is_not_shared_across_aws_identities(helper, s3_env):
    identities = [s3_env, {**s3_env, "AWS_PROFILE": "team"}, {**s3_env, "AWS_ACCESS_KEY_ID": "AKIAOTHER0000"}]
    identities.append({**s3_env, "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9"})
    sockets = {helper.paths(env)[0] for env in identities}
    assert len(sockets) == len(identities)
    names = " ".join(path.name for path in sockets)
    assert s3_env["AWS_SECRET_ACCESS_KEY"] not in names and "AKIA" not in names


def test_the_worker_reads_the_store_itself_over_one_connection(helper, openai_server, s3_server, s3_bucket, s3_env):
    """Another machine stored five answers; this one has an empty folder: the worker reads all five
    itself, with one client whose connection it reuses (a child per call would open one each)."""
    questions = [_prompt(f"stored question {number}") for number in range(5)]
    with S3Proxy(s3_server.endpoint_url) as proxy:
        url = store_url(proxy, s3_bucket)
        other_machine = {"cache_url": url, "cache_dir": str(helper.cache_dir.parent / "other-machine")}
        recorded = [helper.run({**question, **other_machine}, env=s3_env) for question in questions]
        connections, reads = proxy.connections, len(proxy.requests("GET"))
        replayed = [helper.run({**question, "cache_url": url}, env=s3_env) for question in questions]
        assert [run.stdout for run in replayed] == [run.stdout for run in recorded]
        assert len(proxy.requests("GET")) - reads == 5
        assert proxy.connections - connections <= 1
    assert len(openai_server.completion_requests()) == 5
    assert len(list(helper.cache_dir.glob("*/*.json"))) == 5  # copied into this machine's folder


def test_a_child_never_uses_the_workers_open_connection(helper, openai_server, s3_server, s3_bucket, s3_env):
    """Hit (the worker reads, its connection stays open), miss (a forked child: its own client), hit."""
    url = store_url(s3_server, s3_bucket)
    other_machine = {"cache_url": url, "cache_dir": str(helper.cache_dir.parent / "other-machine")}
    for number in (1, 2):
        assert helper.run({**_prompt(f"stored {number}"), **other_machine}, env=s3_env).returncode == 0
    runs = [
        helper.run({**_prompt("stored 1"), "cache_url": url}, env=s3_env),
        helper.run({**_prompt("new on this machine"), "cache_url": url}, env=s3_env),
        helper.run({**_prompt("stored 2"), "cache_url": url}, env=s3_env),
    ]
    assert [run.returncode for run in runs] == [0, 0, 0], [run.stderr for run in runs]
    contents = [run.result["content"] for run in runs]
    assert contents == [
        "Echo from gpt-4o: stored 1",
        "Echo from gpt-4o: new on this machine",
        "Echo from gpt-4o: stored 2",
    ]
    assert len(openai_server.completion_requests()) == 3
    assert len(helper.started_workers(s3_env)) == 1
