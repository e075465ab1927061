"""Samples of one process's wall and CPU time, rows of samples and their medians, progress lines."""

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Sample:
    seconds: float
    cpu_seconds: float = 0.0


@dataclass
class Row:
    label: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def median_cpu(self) -> float:
        return statistics.median(s.cpu_seconds for s in self.samples)

    def value(self, measure: str) -> float:
        """The median of one measure: "wall" or "cpu"."""
        return self.median_cpu if measure == "cpu" else self.median


class Failed(SystemExit):
    """A measured command failed: the bench stops, with the command's last words."""


def timed_run(
    argv: list[str],
    env: dict[str, str],
    stdin: str = "",
    cwd: Path | None = None,
    other_cpu: Callable[[], dict[int, float]] | None = None,
) -> Sample:
    """Runs one command: its wall time, and the CPU of it and its children.

    other_cpu returns the CPU seconds so far of processes that are not its children but work for it
    (the helper's worker): what they spent during the command is counted too.
    """
    others_before = other_cpu() if other_cpu else {}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise Failed(f"bench: {' '.join(argv[:3])} failed ({completed.returncode}):\n{completed.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if other_cpu:
        cpu += sum(seconds - others_before.get(pid, 0.0) for pid, seconds in other_cpu().items())
    return Sample(elapsed, cpu)


def process_cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and its reaped children (utime, stime, cutime, cstime), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)
