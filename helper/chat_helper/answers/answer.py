"""The one path a request for an answer takes: its fingerprint, the cache, its rules, the API, the checks.

query -> question (a flow's request and settings) -> fingerprint -> (cache | rules -> API -> checks ->
cache) -> outputs. The flows that ask for answers (chat_completion, chat_completions, response) each
say how their request is checked, sent and turned into outputs (a Question); everything else is here,
once: the same request, in any module, is the same cache entry.
"""

import time
from typing import Any, Protocol

from ..core.errors import CacheMissError, NeedsMoreThanCache
from ..core.run import Run
from ..openai_api.endpoint import Endpoint, resolve_endpoint
from .cache_layers import LayeredCache
from .fingerprint import request_identity, request_sha256
from .settings import AnswerSettings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..openai_api.exchange import Pacer
    from .pacing import Demand


class Question(Protocol):
    """One request of a flow, as the path needs it."""

    @property
    def api(self) -> str | None:
        """The API's name in the fingerprint, so that two APIs never share a cache entry; None for chat
        completions, whose fingerprints predate the name."""

    @property
    def request(self) -> dict[str, Any]:
        """The request exactly as it is sent (its fingerprint is the cache key)."""

    @property
    def settings(self) -> AnswerSettings: ...

    def validate(self) -> None:
        """Every rule of the request; InputError naming the input. Only a miss pays for it."""

    def ask(self, endpoint: Endpoint, deadline: float, pacer: "Pacer | None") -> dict[str, Any]:
        """The API's response body; ApiError worded for the flow."""

    def accept(self, response: dict[str, Any], key: str) -> dict[str, Any]:
        """The outputs of a response, once it passed the checks (AnswerError or ApiError if not)."""

    def usable(self, response: dict[str, Any]) -> bool:
        """Whether a stored response can be answered with (a broken local entry is a miss, and replaced)."""

    def described(self) -> str:
        """The request in a few words, for the line of a replay miss ("whose first user message is ...")."""


class Prepared:
    """A question with its endpoint and fingerprint, the cache it is answered from (None: cache off), and
    the run it is asked in (whose spend guard a request must pass). A plain class: a dataclass costs a
    call answered in-process half a millisecond to define."""

    __slots__ = ("cache", "demand", "endpoint", "identity", "key", "question", "run", "started")

    def __init__(
        self,
        question: Question,
        endpoint: Endpoint,
        identity: dict[str, Any],
        key: str,
        cache: LayeredCache | None,
        run: Run,
    ) -> None:
        self.question = question
        self.endpoint = endpoint
        self.identity = identity
        self.key = key
        self.cache = cache
        self.run = run
        self.started = time.monotonic()  # waiting for turns under the rate limits counts from here
        self.demand: Demand | None = None  # a chat_completions block's requests not yet sent (pacing.py)


def answer(question: Question, run: Run, cache_only: bool = False) -> dict[str, Any]:
    """The outputs, from the cache when the same request was answered before.

    With cache_only, a call that needs more than reading a stored answer raises NeedsMoreThanCache
    before it has locked, written or sent anything, but for that read (an answer read from the object
    store is copied into the local folder, atomically).
    """
    prepared = prepare(question, run)
    settings = question.settings
    started = time.monotonic()
    # The cache (and another machine's lease) is waited for within timeout_seconds; asking may also wait for
    # turns under the account's rate limits, for up to rate_limit_wait_seconds more.
    cached = from_cache(prepared, started + settings.timeout_seconds, cache_only)
    if cached is not None:
        return cached
    if cache_only:
        raise NeedsMoreThanCache
    question.validate()
    return from_api(prepared, started + settings.timeout_seconds, settings.rate_limit_wait_seconds)


def prepare(question: Question, run: Run) -> Prepared:
    """The endpoint, the fingerprint (with the question's API name), the cache and the spend guard of a
    question asked in run."""
    settings = question.settings
    endpoint = resolve_endpoint(settings.endpoint)
    identity = request_identity(question.request, endpoint.identity, settings.regenerate, question.api)
    cache = (
        LayeredCache(settings, lambda response, key: question.usable(response))
        if settings.cache_mode != "off"
        else None
    )
    return Prepared(question, endpoint, identity, request_sha256(identity), cache, run)


def from_cache(
    prepared: Prepared, deadline: float, cache_only: bool = False, local_only: bool = False
) -> dict[str, Any] | None:
    """The outputs of the stored answer, from the folder or else the store (unless local_only); None when
    there is none."""
    if prepared.cache is None:
        return None
    cached = prepared.cache.lookup(prepared.key, deadline, cache_only, local_only)
    return None if cached is None else prepared.question.accept(cached, prepared.key)


def from_api(prepared: Prepared, deadline: float, wait_seconds: float = 0.0) -> dict[str, Any]:
    """The outputs of a new answer (a valid question): asked, checked and kept; another machine's answer
    when it stored one first. In replay mode, CacheMissError instead of any request. The request itself may
    run wait_seconds past the deadline (its waits for turns under the rate limits)."""
    question, cache, key = prepared.question, prepared.cache, prepared.key
    if cache is None:
        return question.accept(_ask(prepared, deadline + wait_seconds), key)
    if question.settings.cache_mode == "replay":
        raise CacheMissError(replay_miss(question, key, cache.store_display))
    with cache.claim(key, deadline) as cached:
        if cached is not None:
            return question.accept(cached, key)
        response = _ask(prepared, deadline + wait_seconds)
        outputs = question.accept(response, key)  # a malformed or refused answer raises before it is stored
        kept = cache.keep(key, prepared.identity, response)  # another machine's, when it stored first
        return outputs if kept is response else question.accept(kept, key)


def _ask(prepared: Prepared, deadline: float) -> dict[str, Any]:
    from .pacing import pacer_for

    pacer = pacer_for(prepared)  # the machine's view of this endpoint's, key's and model's rate limits
    # Every request needs the SDK: imported before the turn is taken, so that its import time is not
    # counted against a reservation's wait.
    from ..openai_api import exchange  # noqa: F401
    from .spend_guard import SpendGuard

    # Nothing is sent past the run's caps; the answer's tokens replace its reservation once it arrived.
    with SpendGuard(prepared.question.settings, prepared.run).turn(prepared.question.request, deadline) as turn:
        response = prepared.question.ask(prepared.endpoint, deadline, pacer)
        turn.answered(response)
    return response


def replay_miss(question: Question, key: str, store: str | None) -> str:
    settings = question.settings
    return (
        f'cache_mode = "replay" and no stored answer for {question.described()} (request_sha256 {key[:12]}) in '
        f"cache folder {settings.cache_dir}"
        + (f" nor in the object store {store}" if store else "")
        + '; record it with cache_mode = "read-write" and an API key'
        + (" (the store then has it)" if store else ", then commit the folder")
    )


def preview(text: str, sensitive: bool, limit: int = 80) -> str:
    """A prompt's text as an error line may quote it: shortened, or hidden when sensitive."""
    if sensitive:
        return "(hidden: sensitive = true)"
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")
