"""One run as the spend guard counts it: a pipeline's CHAT_HELPER_RUN_ID, else the provider process
that started the helper.

CHAT_HELPER_RUN_ID (set by CI: a pipeline's id) makes every plan that shares it one run: its counts are
kept under that name, on the machine (the runtime folder) and, with cache_url, in the object store.

Without it, a run is one hashicorp/external provider process: Terraform and OpenTofu start one for each
plan (one for a plan's reads, and one more for the reads an apply defers), shared by every module block
and every parallel read. The tools start each provider with its own TLS client certificate in
PLUGIN_CLIENT_CERT, which every program it runs inherits, so that certificate names the process
however the interpreter was started (exec'd, or the child of a launcher such as Windows' py or a
shell wrapper). Elsewhere (the helper run by hand, by tests), the parent process, by pid and start
time (pids are reused). Only a call that counts (one that sends a request) works the name out.
"""

import os

from .errors import ConfigurationError

RUN_ID_VARIABLE = "CHAT_HELPER_RUN_ID"
PROVIDER_CERTIFICATE_VARIABLE = "PLUGIN_CLIENT_CERT"  # go-plugin's, per provider process (AutoMTLS)
MAX_RUN_ID_CHARACTERS = 200
STAT_FIELDS_BEFORE_START_TIME = 19  # after the command's ")": state is field 3, starttime field 22


class Run:
    """A plain class: a dataclass costs a call answered in-process half a millisecond to define.
    provider: the PLUGIN_CLIENT_CERT of the calling side ("" when none)."""

    __slots__ = ("parent_pid", "provider")

    def __init__(self, parent_pid: int, provider: str = "") -> None:
        self.parent_pid = parent_pid
        self.provider = provider

    @property
    def pipeline_id(self) -> str | None:
        """CHAT_HELPER_RUN_ID when set (ConfigurationError naming it when it breaks its rule)."""
        value = os.environ.get(RUN_ID_VARIABLE, "").strip()
        if not value:
            return None
        if len(value) > MAX_RUN_ID_CHARACTERS or not value.isprintable():
            raise ConfigurationError(
                f"{RUN_ID_VARIABLE} must be at most {MAX_RUN_ID_CHARACTERS} printable characters (a CI "
                "pipeline's id, such as $GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT); fix it, or unset it"
            )
        return value

    @property
    def name(self) -> str:
        """A file name, one per run: never reused by a later run."""
        import hashlib

        pipeline = self.pipeline_id
        if pipeline is not None:
            return "pipeline-" + hashlib.sha256(pipeline.encode("utf-8")).hexdigest()[:32]
        if self.provider:
            return "provider-" + hashlib.sha256(self.provider.encode("utf-8", "replace")).hexdigest()[:32]
        return f"{self.parent_pid}-{_start_time(self.parent_pid)}"


def calling_provider() -> str:
    """This process's provider certificate (inherited from the provider that started the helper), or ""."""
    return os.environ.get(PROVIDER_CERTIFICATE_VARIABLE, "")


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux's /proc), or "0" where there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return "0"
    fields = stat[stat.rindex(")") + 2 :].split()  # the command name, in parentheses, may hold spaces
    return fields[STAT_FIELDS_BEFORE_START_TIME] if len(fields) > STAT_FIELDS_BEFORE_START_TIME else "0"
