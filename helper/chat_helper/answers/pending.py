"""Answers the API gave that could not be kept where they belong yet (the object store, or the cache folder
when there is no store): each waits as an entry in <cache_dir>/.pending, or, when that cannot be written
either (a full disk, say), in the user's private runtime folder (under a name of that cache folder's:
only its calls use it), until the next call that misses keeps it.

A paid answer is never lost to a failed write: the call fails, its line says where the answer waits, and
the next call uses it without asking the API again.
"""

import contextlib
import os
from pathlib import Path

from ..core.digest import sha256_hex
from ..core.environment import private_folder, runtime_bases, runtime_folder
from ..core.errors import HelperError
from ..core.file_lock import make_private_dir
from .cache import ResponseCache, decode_entry

PENDING_FOLDER = ".pending"


class PendingAnswers:
    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir

    def keep(self, key: str, text: str) -> Path | None:
        """Writes the entry where it can wait; its path, or None when no place would take it."""
        for place in self._places():
            try:
                make_private_dir(place.cache_dir)
                ignore = place.cache_dir / ".gitignore"  # a committed cache folder never carries these
                if not ignore.exists():
                    ignore.write_text("*\n", encoding="utf-8")
                place.write_entry(key, text)  # atomically, owner-only
            except (OSError, HelperError):
                continue
            return place.entry_path(key)
        return None

    def find(self, key: str) -> tuple[Path, str] | None:
        """A waiting entry of this request: its path and text."""
        for place in self._places():
            path = place.entry_path(key)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, ValueError):
                continue
            if decode_entry(text, key) is not None:
                return path, text
        return None

    @staticmethod
    def remove(path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()

    def _places(self) -> list[ResponseCache]:
        """The cache folder's .pending, then this cache folder's own in each private runtime folder (a
        call through the worker and one in-process may see different ones)."""
        places = [ResponseCache(str(self.cache_dir / PENDING_FOLDER))]
        folder_name = sha256_hex(os.fsencode(os.path.abspath(self.cache_dir)))[:16]
        for base in runtime_bases():
            folder = runtime_folder(base)
            if private_folder(folder):  # owner-only: what waits there is the user's alone
                places.append(ResponseCache(os.path.join(folder, "pending", folder_name)))
        return places
