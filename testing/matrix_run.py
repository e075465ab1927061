"""Runs one matrix case through real Terraform and OpenTofu and checks the invariants after every step.

The invariants (issue 27): never an internal error or a traceback; a failing key is named; every
answer that arrived is in the cache or the store; an unchanged re-plan sends 0 requests and shows no
changes; the requests sent equal the new distinct requests plus the retries of retryable faults; no
secret in state, plan, cache, logs or lines (testing/secret_canary.py).

The model: a request is known by its prompt and regenerate value (every block of a case has the same
features, so nothing else tells two apart), and each cache location (a folder, the store) holds the
set of requests whose answers were kept there, learnt from what the server answered.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from .matrix_cases import ALLOW_INPUT, GUARDRAIL_FAULTS, RETRYABLE_FAULTS, Case, Fault, Step
from .matrix_faults import server_step
from .matrix_roots import prompt, write_root, write_values
from .openai_server import OpenAIServer, RecordedRequest
from .s3_server import S3Server
from .secret_canary import SECRET_CANARY, TEST_BASE_URL_TOKEN
from .store_entries import store_url
from .terraform_tool import Completed, Tool
from .toolchain import CURRENT_TOOLS

ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")
WORKER_LOCK = re.compile(r"[0-9a-f]{32}\.lock")
PROMPT = re.compile(r"Describe (k\d+), version (\d+)\.")
BROKEN = ("Traceback", "internal error", "please report")
WORKER_IDLE_SECONDS = "4"  # a warm worker stays between steps, and "wait" is a few seconds
WORKER_EXIT_SECONDS = 60.0  # the most "wait" waits for the worker's lock file to go (a loaded machine)

Identity = tuple[str, str]  # the prompt, the regenerate value ("" for none)


class MatrixFailure(AssertionError):
    """An invariant broken: the case, the step and what broke, with the line that replays it."""


@dataclass
class Store:
    """The case's prefix of a bucket (one bucket for every case: SeaweedFS gives each bucket volumes of
    its own, and runs out of them after some dozens)."""

    server: S3Server
    bucket: str
    prefix: str

    @property
    def url(self) -> str:
        return store_url(self.server, self.bucket, self.prefix)

    def objects(self) -> dict[str, bytes]:
        return self.server.objects(self.bucket, f"{self.prefix}/")


@dataclass
class Root:
    workdir: Path
    start_module: str
    tool: str
    prompts: dict[str, str]
    versions: dict[str, int]
    locations: tuple[str, ...]  # where its answers are kept: its folder, and "store"
    local_cache: Path
    regenerate: str | None = None
    initialised_by: str | None = None  # the tool that ran init last (the other one's init rewrites the lock file)

    def needed(self) -> set[Identity]:
        return {(text, self.regenerate or "") for text in self.prompts.values()}


@dataclass
class Outcome:
    """What one plan or apply did, as the server and the caches saw it."""

    completed: Completed
    requests: list[RecordedRequest]
    answers: list[RecordedRequest]  # answered by default, or a guardrail fault the block allows, and kept
    retried: int  # requests that met a retryable fault
    failed_keys: dict[str, Fault]  # key -> the fault its request met (a final one, an answer not kept)
    new_names: set[str]
    kept_ids: set[str]


class MatrixRun:
    """One case: its roots under workdir, the session's servers, a runtime folder for its workers."""

    def __init__(
        self,
        case: Case,
        workdir: Path,
        server: OpenAIServer,
        runtime_dir: Path,
        store: Store | None,
        replay_line: str,
    ) -> None:
        self.case = case
        self.server = server
        self.runtime_dir = runtime_dir
        self.store = store
        self.replay_line = replay_line
        self.known: dict[str, set[Identity]] = {}
        self.regenerations = 0
        self.step_number = 0
        self.log: list[str] = []
        features = case.features
        server.latency_seconds = features.latency_seconds
        shared = workdir / "shared-cache"
        self.roots: list[Root] = []
        for number, start in enumerate(case.roots):
            root_dir = workdir / f"root{number}"
            cache_dir = str(shared) if features.cache == "shared_dir" else None
            write_root(root_dir, start.module, features, cache_dir, store.url if store else None)
            local = shared if cache_dir else root_dir / ".terraform" / "openai-chat-cache"
            locations = (str(local), "store") if store else (str(local),)
            prompts = {key: prompt(key, 1) for key in start.keys}
            root = Root(root_dir, start.module, start.tool, prompts, dict.fromkeys(start.keys, 1), locations, local)
            self.roots.append(root)
            for location in locations:
                self.known.setdefault(location, set())

    # -- the steps ------------------------------------------------------------------------------

    def run(self) -> None:
        for number, step in enumerate(self.case.steps, 1):
            self.step_number = number
            self.log.append(f"{self.step_number}. {step.words()}")
            self.step(step)

    def step(self, step: Step) -> None:
        root = self.roots[step.root]
        if step.kind == "add" and step.key is not None:
            root.versions[step.key] = 1
            root.prompts[step.key] = prompt(step.key, 1)
        elif step.kind == "change" and step.key is not None:
            root.versions[step.key] += 1
            root.prompts[step.key] = prompt(step.key, root.versions[step.key])
        elif step.kind == "remove" and step.key is not None:
            del root.prompts[step.key]
        elif step.kind == "regenerate":
            self.regenerations += 1
            root.regenerate = f"again-{self.regenerations}"
        elif step.kind == "switch":
            root.tool = next(tool for tool in CURRENT_TOOLS if tool != root.tool)
        elif step.kind == "wait":
            self.wait_for_workers()
        else:
            self.command(root, step)

    def tool(self, root: Root, replay: bool = False) -> Tool:
        env = {
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
            "CHAT_HELPER_WORKER_IDLE_SECONDS": WORKER_IDLE_SECONDS,
            **({"CHAT_HELPER_WORKER": "off"} if self.case.features.worker == "off" else {}),
            **(self.store.server.credentials_env() if self.store else {}),
        }
        base_url = self.server.base_url
        if self.case.features.base_url_token:
            base_url = f"{base_url.removesuffix('/v1')}/{TEST_BASE_URL_TOKEN}/v1"
        tool = Tool(root.tool, base_url, env)
        if replay:
            del tool.env["OPENAI_API_KEY"]
        return tool

    def command(self, root: Root, step: Step) -> None:
        replay = step.kind == "replay"
        write_values(root.workdir, root.prompts, root.regenerate, replay)
        tool = self.tool(root, replay)
        if root.initialised_by != root.tool:
            init = self.checked(tool, root, "init", "-input=false")
            if init.returncode != 0:
                self.fail(f"{root.tool} init failed: {init.message}")
            root.initialised_by = root.tool
        needed, known = root.needed(), self.known_to(root)
        outcome = self.run_with_faults(tool, root, step)
        self.check_outcome(root, step, outcome, needed, known)
        self.check_secrets(root.workdir, root.local_cache)
        kept = {self.identity(root, request) for request in outcome.answers if request.reply["id"] in outcome.kept_ids}
        if outcome.completed.returncode == 0:
            kept |= needed
        for location in root.locations:
            self.known[location] |= kept
        if step.kind == "apply" and outcome.completed.returncode == 0:
            self.check_quiet_replan(tool, root)

    def checked(self, tool: Tool, root: Root, *args: str) -> Completed:
        """A run of the tool; the secret canary's finding (Tool.run asserts it) as this case's failure."""
        try:
            completed = tool.run(root.workdir, *args, check=False)
        except AssertionError as error:
            self.fail(str(error))
        broken = [word for word in BROKEN if word in completed.stdout + completed.stderr]
        if broken:
            self.fail(f"{root.tool} {' '.join(args)} printed {broken[0]!r}:\n{completed.stdout}\n{completed.stderr}")
        return completed

    def run_with_faults(self, tool: Tool, root: Root, step: Step) -> Outcome:
        names_before, _ = self.kept(root)
        steps = [server_step(fault, self.case.features, self.server) for fault in step.faults]
        fault_of = {id(server_step): fault for server_step, fault in zip(steps, step.faults, strict=True)}
        first = len(self.server.requests)
        self.server.queue(*steps)
        verb = ["plan", "-input=false"] if step.kind != "apply" else ["apply", "-auto-approve", "-input=false"]
        started = time.monotonic()
        completed = self.checked(tool, root, *verb)
        self.log.append(
            f"   {root.tool} {verb[0]}: exit {completed.returncode} in {time.monotonic() - started:.1f} s, "
            f"{len(self.server.requests) - first} requests"
        )
        with self.server._lock:
            self.server.script.clear()
            requests = list(self.server.requests[first:])
        names_after, kept_ids = self.kept(root)
        answers: list[RecordedRequest] = []
        retried, failed_keys = 0, dict[str, Fault]()
        for request in requests:
            fault: Fault | None = fault_of.get(id(request.scripted)) if request.scripted is not None else None
            if fault is None and request.status == 200:
                answers.append(request)
            elif fault is None:
                self.fail(f"the server answered a request {request.status} unasked: {request.reply}")
            elif fault in RETRYABLE_FAULTS:
                retried += 1
            elif fault in GUARDRAIL_FAULTS and ALLOW_INPUT[fault] in self.case.features.allow:
                if request.reply is not None and request.reply.get("id") in kept_ids:
                    answers.append(request)
                else:  # allowed, and still not an answer: a structured one cut in half breaks its schema
                    failed_keys[self.key_of(request)] = fault
            else:
                failed_keys[self.key_of(request)] = fault
                if request.reply is not None and request.reply.get("id") in kept_ids:
                    self.fail(f"an answer its guardrail refused ({fault}) is in the cache: {request.reply['id']}")
        return Outcome(completed, requests, answers, retried, failed_keys, names_after - names_before, kept_ids)

    # -- the invariants -------------------------------------------------------------------------

    def check_outcome(
        self, root: Root, step: Step, outcome: Outcome, needed: set[Identity], known: set[Identity]
    ) -> None:
        completed = outcome.completed
        lost = [r.reply["id"] for r in outcome.answers if r.reply["id"] not in outcome.kept_ids]
        if lost:
            self.fail(f"answers that arrived are in neither the cache nor the store: {lost}")
        kept_answers = outcome.answers
        if len(outcome.new_names) != len(kept_answers):
            self.fail(
                f"{len(kept_answers)} answers arrived and were kept, but {len(outcome.new_names)} new cache entries "
                "appeared (a request sent twice, or an entry with no request)"
            )
        new = needed - known
        if step.kind == "replay" and outcome.requests:
            self.fail(f'cache_mode = "replay" sent {len(outcome.requests)} requests')
        if completed.returncode == 0:
            if outcome.failed_keys:
                self.fail(f"the plan succeeded though requests failed: {outcome.failed_keys}")
            if step.kind != "replay" and len(kept_answers) != len(new):
                self.fail(
                    f"{len(outcome.requests)} requests sent for {len(new)} new distinct requests and "
                    f"{outcome.retried} retries of retryable faults ({len(kept_answers)} answers)"
                )
            if step.kind == "replay" and new:
                self.fail(f'cache_mode = "replay" answered {len(new)} requests never answered before')
            return
        causes = self.failure_causes(step, outcome, new)
        if not causes:
            self.fail(f"{root.tool} failed with no fault, cap or replay miss to cause it:\n{completed.stderr}")
        if len(kept_answers) > len(new):
            self.fail(f"{len(kept_answers)} answers arrived for {len(new)} new distinct requests")
        message = completed.message
        for key, fault in outcome.failed_keys.items():
            if f'["{key}"]' not in message:
                self.fail(f"the key {key}, whose request met {fault}, is not named:\n{completed.stderr}")
            refused = fault in GUARDRAIL_FAULTS and ALLOW_INPUT[fault] not in self.case.features.allow
            if refused and ALLOW_INPUT[fault] not in message:
                self.fail(
                    f"the refused answer of {key} ({fault}) does not name {ALLOW_INPUT[fault]}:\n{completed.stderr}"
                )
        if causes == ["replay"] and 'cache_mode = "replay"' not in message:
            self.fail(f'a replay miss does not name cache_mode = "replay":\n{completed.stderr}')
        if causes == ["max_requests_per_run"] and "max_requests_per_run" not in message:
            self.fail(f"the cap's failure does not name max_requests_per_run:\n{completed.stderr}")

    def failure_causes(self, step: Step, outcome: Outcome, new: set[Identity]) -> list[str]:
        """What may make this step fail: a final fault met, a refused answer, a cap, a replay miss."""
        features = self.case.features
        causes = []
        if outcome.failed_keys:
            causes.append("faults")
        if step.kind == "replay" and new:
            causes.append("replay")
        if features.max_requests_per_run is not None and len(new) > features.max_requests_per_run:
            causes.append("max_requests_per_run")
        if features.max_tokens_per_run is not None and features.max_tokens_per_run < 1000 and new:
            causes.append("max_tokens_per_run")
        return causes

    def check_quiet_replan(self, tool: Tool, root: Root) -> None:
        first = len(self.server.requests)
        plan = self.checked(tool, root, "plan", "-detailed-exitcode", "-input=false")
        sent = len(self.server.requests) - first
        if plan.returncode != 0 or sent:
            self.fail(
                f"the re-plan of an unchanged root after apply: exit code {plan.returncode} (0: no changes), "
                f"{sent} requests sent:\n{plan.stdout}\n{plan.stderr}"
            )

    def check_secrets(self, *folders: Path) -> None:
        """State, plans and cache files in these folders, and the store's objects, hold no secret."""
        for folder in folders:
            for path in folder.rglob("*"):
                if path.is_file() and "providers" not in path.parts and SECRET_CANARY.holds_a_secret(path.read_bytes()):
                    self.fail(f"a secret is in {path}")
        if self.store:
            for name, body in self.store.objects().items():
                if SECRET_CANARY.holds_a_secret(body):
                    self.fail(f"a secret is in the store's object {name}")

    # -- what the caches hold -------------------------------------------------------------------

    def kept(self, root: Root) -> tuple[set[str], set[str]]:
        """The names of the entries in the root's folder and store, and the answer ids they hold (a
        .pending answer counts: it is kept, and stored by the next plan)."""
        documents: dict[str, bytes] = {}
        if root.local_cache.is_dir():
            for path in root.local_cache.rglob("*.json"):
                if ENTRY_NAME.fullmatch(path.name) and path.is_file():
                    documents[path.name] = path.read_bytes()
        if self.store:
            for name, body in self.store.objects().items():
                entry = name.rsplit("/", 1)[-1]
                if ENTRY_NAME.fullmatch(entry) and "/.leases/" not in name:
                    documents.setdefault(entry, body)
        ids = set()
        for body in documents.values():
            try:
                ids.add(json.loads(body)["response"]["id"])
            except (ValueError, KeyError, TypeError):
                self.fail(f"a cache entry that is not an answer entry: {body[:200]!r}")
        return set(documents), ids

    def known_to(self, root: Root) -> set[Identity]:
        return set().union(*(self.known[location] for location in root.locations))

    def identity(self, root: Root, request: RecordedRequest) -> Identity:
        return (self.prompt_of(request), root.regenerate or "")

    def prompt_of(self, request: RecordedRequest) -> str:
        match = PROMPT.search(json.dumps(request.body))
        if match is None:
            self.fail(f"a request with no prompt of the case: {request.body}")
        return match.group(0)

    def key_of(self, request: RecordedRequest) -> str:
        match = PROMPT.search(json.dumps(request.body))
        if match is None:
            self.fail(f"a request with no prompt of the case: {request.body}")
        return match.group(1)

    # -- workers and failures -------------------------------------------------------------------

    def wait_for_workers(self) -> None:
        """Until every worker of the case has exited, as it does when idle."""
        if not workers_exited(self.runtime_dir):
            self.fail(f"a worker did not exit within {WORKER_EXIT_SECONDS:.0f} s of going idle")

    def fail(self, what: str) -> NoReturn:
        steps = "\n".join(self.log)
        raise MatrixFailure(
            f"matrix invariant broken at step {self.step_number}: {what}\n\n{self.case.words()}\n\n"
            f"steps run:\n{steps}\n\nreplay: {self.replay_line}"
        )


def worker_locks(runtime_dir: Path) -> list[Path]:
    """The lock files of the workers started with this XDG_RUNTIME_DIR (a worker removes its own as it exits)."""
    return [path for path in runtime_dir.glob("terraform-openai-chat-*/*.lock") if WORKER_LOCK.fullmatch(path.name)]


def workers_exited(runtime_dir: Path, stop: bool = False) -> bool:
    """Waits until every worker of this runtime folder has exited; stop: removes their sockets first, which
    makes them exit at once. False if one is still there after WORKER_EXIT_SECONDS."""
    if stop:
        for socket in runtime_dir.glob("terraform-openai-chat-*/*.sock"):
            socket.unlink(missing_ok=True)
    deadline = time.monotonic() + WORKER_EXIT_SECONDS
    while worker_locks(runtime_dir):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True
