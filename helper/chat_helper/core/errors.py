"""The helper's own exceptions; entry.main turns each into one line on stderr and exit 1."""


class HelperError(Exception):
    """A failure the user can act on; str(error) is the whole message shown."""


class InputError(HelperError):
    """An input broke a rule; the message names the input and the rule."""

    def __init__(self, input_name: str, rule: str) -> None:
        super().__init__(f"input {input_name}: {rule}")
        self.input_name = input_name


class ConfigurationError(HelperError):
    """The environment is missing something the helper needs (API key, packages)."""


class CacheMissError(HelperError):
    """Replay mode found no stored answer for a request."""


class ApiError(HelperError):
    """The API, or the way to it, failed; the message says what to do."""


class AnswerError(HelperError):
    """The API answered, but the answer is not one the configuration accepts (never cached)."""


class NeedsMoreThanCache(BaseException):
    """Raised by a cache-only run when the call needs more than a stored answer (the worker then runs
    it in a child). A BaseException, so that entry.main lets it through rather than report it."""


class ManyErrors(HelperError):
    """Several failures of one call, each a line of its own (a map of requests: one per failed key); past
    SHOWN lines, the rest are counted."""

    SHOWN = 25

    def __init__(self, lines: list[str]) -> None:
        if len(lines) > self.SHOWN:
            more = len(lines) - self.SHOWN
            lines = [*lines[: self.SHOWN], f"and {more} more keys failed the same way or another"]
        super().__init__("; ".join(lines))
        self.lines = lines


class SpendLimitError(HelperError):
    """The spend guard stopped a request before it was sent (max_requests_per_run, max_tokens_per_run)."""
