"""The end-of-session scan for the API key: every file the tests wrote, state and cache included."""

import re
from dataclasses import dataclass, field
from pathlib import Path

CACHE_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")


@dataclass
class SecretCanary:
    secret: str
    files: int = 0
    state_files: int = 0
    cache_entries: int = 0
    trace_logs: int = 0
    trace_bytes: int = 0
    found: list[Path] = field(default_factory=list)

    def scan(self, root: Path) -> None:
        """Reads every file under root; remembers the ones holding the secret."""
        if not root.is_dir():
            return
        needle = self.secret.encode()
        for path in root.rglob("*"):
            if not path.is_file() or path.is_symlink():
                continue
            self.files += 1
            self.state_files += path.name.endswith(".tfstate") or path.name.endswith(".tfstate.backup")
            self.cache_entries += CACHE_ENTRY_NAME.fullmatch(path.name) is not None
            try:
                if needle in path.read_bytes():
                    self.found.append(path)
            except OSError:
                continue

    def note_trace_log(self, path: Path) -> None:
        """A TF_LOG=trace log, checked and removed right after its run (they are large)."""
        if not path.is_file():
            return
        content = path.read_bytes()
        self.trace_logs += 1
        self.trace_bytes += len(content)
        if self.secret.encode() in content:
            self.found.append(path)
            return
        path.unlink()

    def summary(self) -> str:
        counts = (
            f"{self.files} files ({self.state_files} state files, {self.cache_entries} cache files) "
            f"and {self.trace_logs} TF_LOG=trace logs ({self.trace_bytes / 1e6:.1f} MB)"
        )
        if self.found:
            shown = ", ".join(str(p) for p in self.found[:5])
            return f"SECRET CANARY FOUND: the API key is in {len(self.found)} of {counts}: {shown}"
        return f"secret canary: the session's API key is in none of {counts}, nor in any run's stdout or stderr"
