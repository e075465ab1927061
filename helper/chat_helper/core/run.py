"""One Terraform run as the spend guard counts it: the process that started the helper.

hashicorp/external's provider starts every data source's program, and Terraform starts one provider
process for each plan (one for a plan's reads, and one more for the reads an apply defers), shared by
every module block and every parallel read of it. So that process, by pid and start time (pids are
reused), names the run. The calling side passes its parent pid on (to the worker, or to the private
environment's interpreter); only a call that counts (one that sends a request) reads the start time.
"""

STAT_FIELDS_BEFORE_START_TIME = 19  # after the command's ")": state is field 3, starttime field 22


class Run:
    """A plain class: a dataclass costs a call answered in-process half a millisecond to define."""

    __slots__ = ("parent_pid",)

    def __init__(self, parent_pid: int) -> None:
        self.parent_pid = parent_pid

    @property
    def name(self) -> str:
        """<pid>-<start time>: one name per process, never reused by a later process with the same pid."""
        return f"{self.parent_pid}-{_start_time(self.parent_pid)}"


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux's /proc), or "0" where there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return "0"
    fields = stat[stat.rindex(")") + 2 :].split()  # the command name, in parentheses, may hold spaces
    return fields[STAT_FIELDS_BEFORE_START_TIME] if len(fields) > STAT_FIELDS_BEFORE_START_TIME else "0"
