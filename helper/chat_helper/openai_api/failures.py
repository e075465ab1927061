"""An API exchange that failed for good, in parts (what failed, status, the API's message), and its line.

Each flow words a failure for itself: it passes its own advice (chat about the model, stored reads
about ids), or writes the whole line from the parts.
"""

import re
from typing import Literal

from ..core.errors import ApiError
from .endpoint import Endpoint
from .error_body import Cause

FailureKind = Literal["timeout", "broken", "unreachable", "status", "client"]


class ApiFailure(ApiError):
    """kind: no answer in time, an exchange broken midway, an endpoint not reached, an error status,
    or the SDK itself failing. message: the API's message, the connection's root cause, or the SDK's;
    cause: what kind of failure an error status is (error_body.py), None when nothing more is known."""

    def __init__(
        self,
        kind: FailureKind,
        endpoint: Endpoint,
        attempts: int,
        seconds: float,
        message: str,
        status: int | None = None,
        code: str | None = None,
        cause: Cause | None = None,
    ) -> None:
        self.kind = kind
        self.endpoint = endpoint
        self.attempts = attempts
        self.seconds = seconds
        self.message = message
        self.status = status
        self.code = code
        self.cause = cause
        super().__init__(self.line())

    @property
    def route_not_served(self) -> bool:
        """The server has no such path (405, or a 404 that says so rather than naming a missing object)."""
        if self.status == 405:
            return True
        named_unknown = self.code == "unknown_url" or re.match(r"(Not Found|Unknown request URL)\b", self.message, re.I)
        return self.status == 404 and bool(named_unknown)

    @property
    def head(self) -> str:
        """The status, the API's error code and its message."""
        return f"OpenAI API error {self.status}" + (f" {self.code}" if self.code else "") + f": {self.message}"

    @property
    def attempts_made(self) -> str:
        noun = "attempt" if self.attempts == 1 else "attempts"
        return f"{self.attempts} {noun} in {self.seconds:.1f} s"

    def line(self, advice: str | None = None) -> str:
        """The one line a user reads; advice is the flow's for an error status (the general advice otherwise)."""
        base_url = self.endpoint.base_url
        if self.kind == "timeout":
            return (
                f"no answer from {base_url} within the time budget ({self.attempts_made}); "
                f"raise timeout_seconds, or check that the endpoint is healthy"
            )
        if self.kind == "broken":
            return (
                f"the connection to {base_url} broke before the answer was complete "
                f"({self.message}; {self.attempts_made}); nothing was cached; check the endpoint or a proxy in between"
            )
        if self.kind == "unreachable":
            setting = "azure_endpoint" if self.endpoint.is_azure else "base_url / OPENAI_BASE_URL"
            return f"cannot reach {base_url} ({self.message}; {self.attempts_made}); check {setting} and the network"
        if self.kind == "client":
            return f"the OpenAI client failed: {self.message}"
        retried = f" (gave up after {self.attempts_made})" if self.attempts > 1 else ""
        return f"{self.head}{retried} -> {self._account_advice() or advice or self._general_advice()}"

    def _account_advice(self) -> str | None:
        """A refused key, or an account out of quota, has the same advice in every flow and for any status."""
        if self.cause == "quota":
            return "the account is out of quota: check the plan and billing details (not retried)"
        if self.cause != "refused_key":
            return None
        endpoint = self.endpoint
        return (
            f"check {endpoint.key_variable}: the key was refused by {endpoint.base_url} (the key is not shown; "
            f"behind a gateway, also the key the gateway uses for the model)"
        )

    def _general_advice(self) -> str:
        status = self.status or 0
        if status == 429:
            return "rate limited on every attempt: raise timeout_seconds, lower -parallelism, or try later"
        if status >= 500:
            return "the service failed on every attempt: try again later (a retry of plan/apply reuses cached answers)"
        if status in (400, 422):
            return "the API refused the request: check the input it names"
        return "see the message above"
