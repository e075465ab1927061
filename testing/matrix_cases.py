"""The generated end-to-end matrix's cases: a configuration of features and a sequence of steps, drawn
from one seed.

A seeded generator of our own (random.Random), not hypothesis: one example runs Terraform tens of
times, so shrinking would take hours, while a seed that redraws the same case exactly, printed with the
case's steps in words, replays a failure in one command (`make matrix MATRIX_SEED=<seed>
MATRIX_EXAMPLES=1`). Example k of a run of seed S is drawn from seed S + k alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

from .toolchain import CURRENT_TOOLS

Api = Literal["chat", "responses"]
ModuleName = Literal["chat_completion", "chat_completions", "response"]
CacheKind = Literal["own", "shared_dir", "store"]
Fault = Literal["429", "500", "truncated", "hang", "quota", "length", "content_filter", "refusal"]

MODULES: dict[Api, tuple[ModuleName, ...]] = {
    "chat": ("chat_completion", "chat_completions"),
    "responses": ("response",),
}
RETRYABLE_FAULTS: tuple[Fault, ...] = ("429", "500", "truncated")  # retried, then answered
FINAL_FAULTS: tuple[Fault, ...] = ("hang", "quota")  # the request fails: hang takes the whole time budget
GUARDRAIL_FAULTS: tuple[Fault, ...] = ("length", "content_filter", "refusal")  # an answer allow_* decides on
ALLOW_INPUT: dict[Fault, str] = {
    "length": "allow_length_cutoff",
    "content_filter": "allow_content_filter",
    "refusal": "allow_refusal",
}
SHORT_TIMEOUT_SECONDS = 8  # timeout_seconds of a case that may hang (a hang costs this long), or drew it
TIMEOUT_SECONDS = 60
SLOW_MODEL_SECONDS = 1.0  # the loopback server's latency, for a case of a slow model


@dataclass
class Features:
    """What every block of the case sets (its roots share a cache, so they ask the same requests)."""

    api: Api
    structured: bool = False
    tools: bool = False
    n: int = 1
    allow: tuple[str, ...] = ()  # allow_* inputs set to true
    store_metadata: bool = False
    cache: CacheKind = "own"
    sensitive: bool = False
    requests_per_minute: int | None = None
    max_concurrency: int | None = None
    max_requests_per_run: int | None = None
    max_tokens_per_run: int | None = None
    worker: Literal["on", "off"] = "on"
    base_url_token: bool = False  # OPENAI_BASE_URL holds a secret in its path (secret_canary.py)
    latency_seconds: float = 0.0  # how long the server takes to answer each request
    timeout_seconds: int = TIMEOUT_SECONDS

    def words(self) -> str:
        shown = [f"api={self.api}", f"cache={self.cache}", f"worker={self.worker}"]
        for name in ("structured", "tools", "store_metadata", "sensitive", "base_url_token"):
            if getattr(self, name):
                shown.append(name)
        for name in ("n", "requests_per_minute", "max_concurrency", "max_requests_per_run", "max_tokens_per_run"):
            value = getattr(self, name)
            if value is not None and not (name == "n" and value == 1):
                shown.append(f"{name}={value}")
        shown += [f"{name}=true" for name in self.allow]
        if self.latency_seconds:
            shown.append(f"server_latency={self.latency_seconds}s")
        shown.append(f"timeout_seconds={self.timeout_seconds}")
        return " ".join(shown)


@dataclass
class RootStart:
    """A root configuration as the case starts it: its module, its tool and its keys."""

    module: ModuleName
    tool: str
    keys: tuple[str, ...]


@dataclass
class Step:
    """One thing a user does. kind: plan, apply (then a quiet re-plan), replay (plan with cache_mode =
    "replay" and no API key), add, change, remove (a key of the root's map), regenerate (a new value),
    switch (the root's other tool), wait (for the warm worker to exit)."""

    kind: Literal["plan", "apply", "replay", "add", "change", "remove", "regenerate", "switch", "wait"]
    root: int = 0
    key: str | None = None
    faults: tuple[Fault, ...] = ()  # the loopback server's next replies, for a plan or apply

    def words(self) -> str:
        text = self.kind if self.kind == "wait" else f"{self.kind} root{self.root}"
        if self.key is not None:
            text += f" key {self.key}"
        if self.faults:
            text += f" with faults {','.join(self.faults)}"
        return text


@dataclass
class Case:
    seed: int
    features: Features
    roots: list[RootStart]
    steps: list[Step] = field(default_factory=list)

    def words(self) -> str:
        roots = "; ".join(f"root{i}: {r.module} on {r.tool}, keys {','.join(r.keys)}" for i, r in enumerate(self.roots))
        steps = "\n".join(f"  {number}. {step.words()}" for number, step in enumerate(self.steps, 1))
        return f"case of seed {self.seed}: {self.features.words()}\n  {roots}\nsteps:\n{steps}"


def draw_case(seed: int) -> Case:
    """The case of this seed (the same one every time)."""
    rng = random.Random(seed)
    features = _draw_features(rng)
    roots = _draw_roots(rng, features, seed)
    case = Case(seed, features, roots)
    case.steps = _draw_steps(rng, case)
    if any("hang" in step.faults for step in case.steps):
        features.timeout_seconds = SHORT_TIMEOUT_SECONDS
    return case


def _maybe(rng: random.Random, chance: float) -> bool:
    return rng.random() < chance


def _draw_features(rng: random.Random) -> Features:
    api: Api = rng.choice(("chat", "chat", "responses"))
    return Features(
        api=api,
        structured=_maybe(rng, 0.35),
        tools=_maybe(rng, 0.25),
        n=2 if api == "chat" and _maybe(rng, 0.25) else 1,
        allow=tuple(name for name in ALLOW_INPUT.values() if _maybe(rng, 0.3)),
        store_metadata=_maybe(rng, 0.3),
        cache=rng.choice(("own", "shared_dir", "store")),
        sensitive=_maybe(rng, 0.3),
        requests_per_minute=600 if _maybe(rng, 0.25) else None,
        max_concurrency=rng.choice((None, 1, 3)),
        max_requests_per_run=rng.choice((None, None, None, 1, 3, 100)),
        max_tokens_per_run=rng.choice((None, None, None, None, 30, 100_000)),
        worker=rng.choice(("on", "on", "off")),
        base_url_token=_maybe(rng, 0.2),
        latency_seconds=SLOW_MODEL_SECONDS if _maybe(rng, 0.15) else 0.0,
        timeout_seconds=SHORT_TIMEOUT_SECONDS if _maybe(rng, 0.2) else TIMEOUT_SECONDS,
    )


def _draw_roots(rng: random.Random, features: Features, seed: int) -> list[RootStart]:
    """One or two roots; the first on terraform for an even seed, tofu for an odd one, so that any two
    seeds in a row run both tools; a second root shares the first's cache (a folder or the store)."""
    count = 1 if features.cache == "own" else rng.choice((1, 2))
    first_tool = CURRENT_TOOLS[seed % len(CURRENT_TOOLS)]
    roots = []
    for number in range(count):
        keys = tuple(f"k{i}" for i in range(1, rng.randint(1, 4) + 1))
        tool = first_tool if number == 0 else rng.choice(CURRENT_TOOLS)
        roots.append(RootStart(rng.choice(MODULES[features.api]), tool, keys))
    return roots


def _draw_faults(rng: random.Random) -> tuple[Fault, ...]:
    if not _maybe(rng, 0.35):
        return ()
    kinds: list[Fault] = [*RETRYABLE_FAULTS, *RETRYABLE_FAULTS, *FINAL_FAULTS, *GUARDRAIL_FAULTS]
    return tuple(rng.choice(kinds) for _ in range(rng.choice((1, 1, 2))))


def _draw_steps(rng: random.Random, case: Case) -> list[Step]:
    """A first apply of the first root, then 3 to 7 steps of any kind."""
    keys = [list(root.keys) for root in case.roots]
    serials = [len(root.keys) for root in case.roots]
    steps = [Step("apply", 0, faults=_draw_faults(rng))]
    for _ in range(rng.randint(3, 7)):
        kind = rng.choice(
            ("plan", "apply", "apply", "add", "change", "remove", "regenerate", "switch", "wait", "replay")
        )
        root = rng.randrange(len(case.roots))
        if kind == "plan":
            steps.append(Step("plan", root, faults=_draw_faults(rng)))
        elif kind == "apply":
            steps.append(Step("apply", root, faults=_draw_faults(rng)))
        elif kind == "add":
            serials[root] += 1
            keys[root].append(f"k{serials[root]}")
            steps.append(Step("add", root, keys[root][-1]))
        elif kind == "change" and keys[root]:
            steps.append(Step("change", root, rng.choice(keys[root])))
        elif kind == "remove" and len(keys[root]) > 1:  # an empty map is a root with nothing to ask
            key = rng.choice(keys[root])
            keys[root].remove(key)
            steps.append(Step("remove", root, key))
        elif kind == "regenerate":
            steps.append(Step("regenerate", root))
        elif kind == "switch":
            steps.append(Step("switch", root))
        elif kind == "replay":
            steps.append(Step("replay", root))
        elif kind == "wait" and case.features.worker == "on":
            steps.append(Step("wait"))
    if steps[-1].kind not in ("plan", "apply", "replay"):
        steps.append(Step("apply", steps[-1].root))
    return steps
