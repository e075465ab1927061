"""An exclusive lock on a file, shared by every helper process (and thread) on the machine."""

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import HelperError

POLL_SECONDS = 0.05


def make_private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def private_lock_dir(cache_dir: Path) -> Path:
    """<cache_dir>/.locks, owner-only, with a .gitignore so a committed cache never carries locks."""
    locks = cache_dir / ".locks"
    try:
        make_private_dir(locks)
        ignore = locks / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
    except OSError as error:
        raise HelperError(f"cannot use the cache folder {cache_dir}: {error.strerror}") from None
    return locks


@contextlib.contextmanager
def exclusive_lock(path: Path, deadline: float, waiting_for: str) -> Iterator[None]:
    """Holds the lock until the block ends; waits no later than deadline (time.monotonic())."""
    try:
        handle = open(path, "a+b")  # noqa: SIM115 - released in finally
    except OSError as error:
        raise HelperError(f"cannot open the lock file {path}: {error.strerror}") from None
    try:
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise HelperError(f"timed out waiting for {waiting_for} (lock {path})")
            time.sleep(POLL_SECONDS)
        yield
    finally:
        _unlock(handle)
        handle.close()


try:
    import fcntl

    def _try_lock(handle: Any) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: Any) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

except ImportError:  # Windows
    import msvcrt

    def _try_lock(handle: Any) -> bool:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True

    def _unlock(handle: Any) -> None:
        with contextlib.suppress(OSError):
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
