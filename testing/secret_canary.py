"""The secret canary: secrets made fresh for the test session, which must appear nowhere.

The secrets are the session's OpenAI API key, the S3 test server's credentials, the LiteLLM
gateway's master key and a token in a base URL's path. Every helper and Terraform run checks its
stdout and stderr for them, TF_LOG=trace logs are checked after each run, and at the end of the
session every file the tests wrote (state, plans, cache entries), every object left in the S3
server and the gateway's log are scanned.
"""

import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .litellm_gateway import make_master_key

CACHE_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")


@dataclass
class SecretCanary:
    secrets: tuple[str, ...]
    files: int = 0
    state_files: int = 0
    cache_entries: int = 0
    store_objects: int = 0
    trace_logs: int = 0
    trace_bytes: int = 0
    found: list[str] = field(default_factory=list)

    def holds_a_secret(self, content: bytes) -> bool:
        return any(secret.encode() in content for secret in self.secrets)

    def scan(self, root: Path) -> None:
        """Reads every file under root; remembers the ones holding a secret."""
        if not root.is_dir():
            return
        for path in root.rglob("*"):
            if not path.is_file() or path.is_symlink():
                continue
            self.files += 1
            self.state_files += path.name.endswith(".tfstate") or path.name.endswith(".tfstate.backup")
            self.cache_entries += CACHE_ENTRY_NAME.fullmatch(path.name) is not None
            try:
                if self.holds_a_secret(path.read_bytes()):
                    self.found.append(str(path))
            except OSError:
                continue

    def note_store_objects(self, objects: dict[str, bytes]) -> None:
        """Every object the tests left in an object store (answers, leases): checked before the store stops."""
        for name, body in objects.items():
            self.store_objects += 1
            if self.holds_a_secret(body):
                self.found.append(f"object store: {name}")

    def note_trace_log(self, path: Path) -> None:
        """A TF_LOG=trace log, checked and removed right after its run (they are large)."""
        if not path.is_file():
            return
        content = path.read_bytes()
        self.trace_logs += 1
        self.trace_bytes += len(content)
        if self.holds_a_secret(content):
            self.found.append(str(path))
            return
        path.unlink()

    def summary(self) -> str:
        counts = (
            f"{self.files} files ({self.state_files} state files, {self.cache_entries} cache files), "
            f"{self.store_objects} object store objects and {self.trace_logs} TF_LOG=trace logs "
            f"({self.trace_bytes / 1e6:.1f} MB)"
        )
        if self.found:
            shown = ", ".join(self.found[:5])
            return f"SECRET CANARY FOUND: a secret is in {len(self.found)} of {counts}: {shown}"
        return (
            f"secret canary: the session's API key, S3 credentials, gateway master key and base URL token are in none "
            f"of {counts}, "
            f"nor in any run's stdout or stderr"
        )


# Not sk-shaped: the exact-value redaction must catch it, not the pattern for OpenAI keys.
TEST_API_KEY = "canary-" + secrets.token_hex(20)
TEST_S3_ACCESS_KEY_ID = "AKIACANARY" + secrets.token_hex(5).upper()
TEST_S3_SECRET_ACCESS_KEY = "s3canary-" + secrets.token_hex(20)
# What a client of the LiteLLM gateway sends as OPENAI_API_KEY; the gateway itself calls the loopback
# server with TEST_API_KEY.
TEST_GATEWAY_MASTER_KEY = make_master_key()
# A secret in a base URL's path, as a gateway's per-user token is (the loopback server serves
# /token-<hex>/v1 as /v1): the URL rule refuses user:password@, so this is how a base URL holds one.
TEST_BASE_URL_TOKEN = "token-" + secrets.token_hex(16)
SECRET_CANARY = SecretCanary(
    (TEST_API_KEY, TEST_S3_ACCESS_KEY_ID, TEST_S3_SECRET_ACCESS_KEY, TEST_GATEWAY_MASTER_KEY, TEST_BASE_URL_TOKEN)
)


def assert_no_canary(what: str, *texts: str) -> None:
    """Fails when one of the session's secrets is in one of the texts (the output of what)."""
    for text in texts:
        for secret in SECRET_CANARY.secrets:
            assert secret not in text, (
                f"a secret (an API key, S3 credential, gateway key or base URL token) appeared in the output of {what}"
            )
