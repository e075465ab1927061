"""An optional requests-per-minute cap shared by every helper process that uses one cache folder.

Terraform runs up to 10 helpers at once, each with its own retries; alone, each would flood a
rate-limited account. Every attempt first takes a slot in a sliding 60-second window whose
timestamps live in <cache_dir>/.locks/, under a file lock.
"""

import hashlib
import json
import random
import time
from pathlib import Path

from ..core.errors import ApiError
from ..core.file_lock import exclusive_lock, private_lock_dir

WINDOW_SECONDS = 60.0
SAFETY_MARGIN_SECONDS = 0.5  # the server's window starts when a request arrives, a little after it leaves


class RequestPacer:
    def __init__(self, cache_dir: str, endpoint_identity: str, per_minute: int) -> None:
        locks = private_lock_dir(Path(cache_dir))
        name = hashlib.sha256(endpoint_identity.encode("utf-8")).hexdigest()[:16]
        self._lock_path = locks / f"pace-{name}.lock"
        self._stamps_path = locks / f"pace-{name}.json"
        self.per_minute = per_minute

    def wait_turn(self, deadline: float) -> float:
        """Returns (a slot's stamp) when this process may send one request; raises past the deadline."""
        window = WINDOW_SECONDS + SAFETY_MARGIN_SECONDS
        while True:
            with exclusive_lock(self._lock_path, deadline, "the requests_per_minute pacing lock"):
                now = time.time()
                stamps = sorted(t for t in self._read() if now - window < t <= now)
                if len(stamps) < self.per_minute:
                    self._write([*stamps, now])
                    return now
                wait = stamps[-self.per_minute] + window - now
            if time.monotonic() + wait >= deadline:
                raise ApiError(
                    f"requests_per_minute = {self.per_minute}: the next free slot is {wait:.0f} s away, past the "
                    f"time budget; raise timeout_seconds or requests_per_minute"
                )
            time.sleep(wait + random.uniform(0, 0.05))

    def finish(self, stamp: float, deadline: float) -> None:
        """Moves the slot's stamp to now, when the request is over: the server counted it at arrival,
        somewhere between the two, so the window must run from the later one."""
        with exclusive_lock(self._lock_path, deadline + 5, "the requests_per_minute pacing lock"):
            stamps = self._read()
            if stamp in stamps:
                stamps[stamps.index(stamp)] = time.time()
                self._write(sorted(stamps))

    def _read(self) -> list[float]:
        try:
            stamps = json.loads(self._stamps_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []  # absent or damaged: start a new window
        if not isinstance(stamps, list):
            return []
        return [float(t) for t in stamps if isinstance(t, (int, float)) and not isinstance(t, bool)]

    def _write(self, stamps: list[float]) -> None:
        try:
            self._stamps_path.write_text(json.dumps(stamps[-self.per_minute :]), encoding="utf-8")
        except OSError as error:
            raise ApiError(f"cannot record the request in {self._stamps_path}: {error.strerror}") from None
