"""The spend guard: the most requests and tokens one Terraform run may spend, counted across every
helper process, worker child, thread and module block of that run.

A run is the process that started the helper (core/run.py). Its counts live in the user's private
runtime folder, runs/<pid>-<start time>.json, under a lock. A request takes its turn before it is sent
(cache and store hits take none; retries of one request are one turn); an answer adds its
usage.total_tokens after it arrives. Concurrent requests may each pass the token check before any
answer is counted, so the token cap can be passed by the answers already in flight, never by a request
sent after it was reached.
"""

import contextlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.environment import private_folder, runtime_bases, runtime_folder
from ..core.errors import ConfigurationError, SpendLimitError
from ..core.file_lock import exclusive_lock
from ..core.run import Run
from .settings import AnswerSettings

RUNS_FOLDER = "runs"
STALE_RUN_SECONDS = 2 * 24 * 3600.0  # a run's counts older than this are removed by the next new run
LOCK_SECONDS = 10.0
REPLAY = 'cache_mode = "replay" (stored answers only)'


@dataclass(frozen=True)
class Spent:
    requests: int = 0
    tokens: int = 0


class SpendGuard:
    """The caps of one call's settings over its run's counts."""

    def __init__(self, settings: AnswerSettings, run: Run) -> None:
        self.max_requests = settings.max_requests_per_run
        self.max_tokens = settings.max_tokens_per_run
        self.run = run
        self._counts: Path | None = None

    @property
    def active(self) -> bool:
        return self.max_requests is not None or self.max_tokens is not None

    def take_turn(self) -> None:
        """Counts one request of this run before it is sent; SpendLimitError (nothing sent) past a cap."""
        if not self.active:
            return
        with self._counted() as spent:
            if self.max_tokens is not None and spent.tokens >= self.max_tokens:
                raise SpendLimitError(
                    f"max_tokens_per_run = {self.max_tokens}: the answers this run received used {spent.tokens} "
                    f"tokens, so no further request is sent (this run sent {spent.requests}); raise "
                    f"max_tokens_per_run (or CHAT_HELPER_MAX_TOKENS_PER_RUN), or plan with {REPLAY}"
                )
            if self.max_requests is not None and spent.requests >= self.max_requests:
                raise SpendLimitError(
                    f"max_requests_per_run = {self.max_requests}: this run sent {spent.requests} requests to the "
                    f"API already, so this one is not sent; raise max_requests_per_run (or "
                    f"CHAT_HELPER_MAX_REQUESTS_PER_RUN), or plan with {REPLAY}"
                )
            self._write(Spent(spent.requests + 1, spent.tokens))

    def add_tokens(self, response: dict[str, Any]) -> None:
        """Counts the tokens an answer used (usage.total_tokens), once it arrived."""
        if not self.active:
            return
        usage = response.get("usage")
        total = usage.get("total_tokens") if isinstance(usage, dict) else None
        if not isinstance(total, int) or isinstance(total, bool) or total <= 0:
            return
        with self._counted() as spent:
            self._write(Spent(spent.requests, spent.tokens + total))

    # -- the run's counts ---------------------------------------------------------------------

    @contextlib.contextmanager
    def _counted(self) -> Iterator[Spent]:
        counts = self._counts_path()
        with exclusive_lock(counts.with_suffix(".lock"), time.monotonic() + LOCK_SECONDS, "this run's spend counts"):
            yield _read(counts)

    def _write(self, spent: Spent) -> None:
        counts = self._counts_path()
        temporary = counts.with_suffix(f".{os.getpid()}.tmp")
        try:
            temporary.write_text(json.dumps({"requests": spent.requests, "tokens": spent.tokens}), encoding="utf-8")
            os.replace(temporary, counts)
        except OSError as error:
            raise ConfigurationError(f"cannot record this run's spend in {counts}: {error.strerror}") from None

    def _counts_path(self) -> Path:
        if self._counts is None:
            folder = _runs_folder()
            counts = folder / f"{self.run.name}.json"
            if not counts.exists():
                _remove_stale(folder)
            self._counts = counts
        return self._counts


def _runs_folder() -> Path:
    """runs/ in the user's private runtime folder; none usable means no request is sent (the cap holds)."""
    for base in runtime_bases():
        top = runtime_folder(base)
        folder = os.path.join(top, RUNS_FOLDER)
        if private_folder(top) and private_folder(folder):
            return Path(folder)
    raise ConfigurationError(
        "max_requests_per_run / max_tokens_per_run are set, but there is no private folder to count this run's "
        "requests in ($XDG_RUNTIME_DIR, $TMPDIR or /tmp, then terraform-openai-chat-<uid>): nothing was sent"
    )


def _read(counts: Path) -> Spent:
    try:
        recorded = json.loads(counts.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Spent()  # a new run (a damaged file would be the only other cause: counted anew)
    requests, tokens = recorded.get("requests"), recorded.get("tokens")
    if not isinstance(requests, int) or not isinstance(tokens, int):
        return Spent()
    return Spent(requests, tokens)


def _remove_stale(folder: Path) -> None:
    """The counts of runs long over: their files would otherwise pile up."""
    cutoff = time.time() - STALE_RUN_SECONDS
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
