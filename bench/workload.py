"""What every measurement shares: the environment, the loopback servers, this run's helper workers,
the stand-in programs, and the generated root configurations with their `init` and `plan`."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from bench import REPO_ROOT
from bench.measure import Failed, Sample, process_cpu_seconds, progress, timed_run
from testing.openai_server import OpenAIServer
from testing.s3_server import S3Server
from testing.toolchain import TOOLS

PYTHON = TOOLS / "venv" / "bin" / "python"
HELPER = REPO_ROOT / "helper" / "main.py"
MODULE = REPO_ROOT / "modules" / "chat_completion"
BENCH_KEY = "sk-bench-" + "b" * 24  # accepted by the loopback server only
STORE_BUCKET = "bench-answers"


class Workload:
    def __init__(self, server: OpenAIServer, workdir: Path, store: S3Server | None) -> None:
        self.server = server
        self.store = store
        self.workdir = workdir
        self.socket_base = Path(tempfile.mkdtemp(prefix="chb", dir="/tmp"))  # short: socket paths are limited
        self.cache_dir = workdir / "helper-cache"
        self.questions = iter(range(1_000_000))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_", "CHAT_", "TF_"))}
        self.env.update(
            {
                "OPENAI_API_KEY": BENCH_KEY,
                "OPENAI_BASE_URL": server.base_url,
                "TMPDIR": str(self.socket_base),  # this run's workers only, so it can stop them
                # No idle exit inside a run: a round of the long sweep takes minutes between two warm plans.
                "CHAT_HELPER_WORKER_IDLE_SECONDS": "3600",
                "PATH": f"{PYTHON.parent}{os.pathsep}{os.environ.get('PATH', '')}",
                "TF_CLI_CONFIG_FILE": str(TOOLS / "terraformrc"),
                "TF_IN_AUTOMATION": "1",
                "TF_INPUT": "0",
                "CHECKPOINT_DISABLE": "1",
                "TF_VAR_api_key": BENCH_KEY,
            }
        )
        self.env = {k: v for k, v in self.env.items() if not k.startswith("AWS_")}
        if store is not None:
            self.env.update(store.credentials_env())
        self.env.pop("XDG_RUNTIME_DIR", None)
        self.worker_peak_kb = 0

    def run(
        self, argv: list[str], stdin: str = "", env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> Sample:
        """One command; its CPU is its own and its children's (a helper call's, not its worker's)."""
        return timed_run(argv, env or self.env, stdin, cwd)

    # -- this run's workers -----------------------------------------------------------------------

    def worker_pids(self) -> list[int]:
        return [int(pid) for lock in self.socket_base.glob("*/*.lock") for pid in lock.read_text().split()]

    def worker_cpu(self) -> dict[int, float]:
        return {pid: process_cpu_seconds(pid) for pid in self.worker_pids()}

    def stop_workers(self) -> None:
        """Stops this run's workers (SIGTERM: they clean up as on an idle exit) and records their peak RSS."""
        for pid in self.worker_pids():
            self.worker_peak_kb = max(self.worker_peak_kb, _vm_hwm_kb(pid))
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            deadline = time.monotonic() + 10
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.01)
        for lock in self.socket_base.glob("*/*.lock"):
            lock.unlink()

    def ensure_worker(self) -> None:
        """Starts this run's worker if none is running, as a plan's first call would (a cached answer)."""
        if not any(_alive(pid) for pid in self.worker_pids()):
            self.run([str(PYTHON.parent / "python3"), str(HELPER)], self.helper_query("What starts the worker"))

    def record_worker_peak(self) -> None:
        for pid in self.worker_pids():
            self.worker_peak_kb = max(self.worker_peak_kb, _vm_hwm_kb(pid))

    # -- the helper's queries -------------------------------------------------------------------

    def helper_query(self, question: str, cache_dir: Path | None = None, with_store: bool = False) -> str:
        inputs = {
            "flow": "chat_completion",
            "model": "gpt-4o",
            "messages": [{"role": "user", "content": question}],
            "cache_dir": str(cache_dir or self.cache_dir),
        }
        if with_store:
            inputs["cache_url"] = self.store_url()
        return json.dumps({name: json.dumps(value) for name, value in inputs.items()})

    def new_question(self) -> str:
        return f"Question {next(self.questions)} of run {os.getpid()}"

    def store_url(self, prefix: str = "helper") -> str:
        """A prefix of the bench's bucket: each plan configuration has its own, so each starts empty."""
        assert self.store is not None
        return f"s3://{STORE_BUCKET}/{prefix}?endpoint={self.store.endpoint_url}"

    # -- stand-ins for the helper ---------------------------------------------------------------

    def noop_program(self) -> Path:
        """Stands in for Python in program = [python, main.py]: prints a stored answer, starts no Python.

        The helper's own cost in a plan is the module's row minus this one's.
        """
        program = self.workdir / "noop-python"
        if not program.exists():
            program.write_text(f'#!/bin/sh\ncat >/dev/null\nexec cat "{self.stored_answer()}"\n')
            program.chmod(0o755)
        return program

    def printing_python(self) -> Path:
        """A Python that only prints the stored answer: the floor for any helper written in Python."""
        program = self.workdir / "printing-python"
        if not program.exists():
            program.write_text(
                f"#!{PYTHON}\nimport sys\nsys.stdin.read()\n"
                f"sys.stdout.write(open({str(self.stored_answer())!r}).read())\n"
            )
            program.chmod(0o755)
        return program

    def stored_answer(self) -> Path:
        answer = self.workdir / "stored-answer.json"
        if not answer.exists():
            completed = subprocess.run(
                [str(PYTHON), str(HELPER)],
                input=self.helper_query("What the stand-in programs answer"),
                capture_output=True,
                text=True,
                env=self.env,
                check=True,
            )
            answer.write_text(completed.stdout)
        return answer

    # -- root configurations and plans ----------------------------------------------------------

    def config(self, tool: str, name: str, text: str) -> Path:
        directory = self.workdir / tool / name
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "main.tf").write_text(text)
        return directory

    def init(self, tool: str, directory: Path) -> None:
        progress(f"{tool} init {directory.name}")
        self.run([str(TOOLS / "bin" / tool), "init", "-input=false", "-no-color"], cwd=directory)

    def plan(
        self,
        tool: str,
        directory: Path,
        label: str,
        expected_calls: int | None,
        env: dict[str, str] | None = None,
    ) -> Sample:
        """One `plan`: wall time, and CPU of the tool, its children and this run's workers."""
        before = len(self.server.completion_requests())
        sample = timed_run(
            [str(TOOLS / "bin" / tool), "plan", "-input=false", "-no-color", "-lock=false"],
            env or self.env,
            cwd=directory,
            other_cpu=self.worker_cpu,
        )
        calls = len(self.server.completion_requests()) - before
        progress(f"{label}: {sample.seconds:.2f} s, CPU {sample.cpu_seconds:.2f} s, {calls} API calls")
        if expected_calls is not None and calls != expected_calls:
            raise Failed(f"bench: {label} made {calls} API calls, expected {expected_calls}")
        return sample

    def source(self, tool: str, module: Path) -> str:
        """module as a relative source, as the examples write it (every root configuration is
        workdir/tool/name): one folder for every block, not a copy per block."""
        return os.path.relpath(module, self.workdir / tool / "any")

    def empty_cache(self, directory: Path) -> None:
        """Empties the module's default cache folder of this root configuration."""
        shutil.rmtree(directory / ".terraform" / "openai-chat-cache", ignore_errors=True)

    def forget_answers(self, directory: Path) -> None:
        """Cold: no worker, and the cache folder empty."""
        self.stop_workers()
        self.empty_cache(directory)

    def close(self) -> None:
        self.stop_workers()
        shutil.rmtree(self.socket_base, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return not Path("/proc").is_dir()
    return state not in ("Z", "X")


def _vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
