"""A response against the guardrails, by its status: only a completed answer is taken as it is.

incomplete: cut off by max_output_tokens or withheld by the content filter, accepted only when the
matching allow_* says so; a refusal likewise. failed, cancelled, queued and in_progress: the API gave no
answer to keep. Nothing that fails here is cached (answers/answer.py keeps an answer only once it passed).
"""

from typing import Any

from ..answers.guardrails import cut_off, filtered, refused
from ..answers.settings import AnswerSettings
from ..core.errors import AnswerError, ApiError

PROMPT_INPUTS = "input, input_items or instructions"
LIMIT_INPUTS = "max_output_tokens"
STATUSES = ("completed", "incomplete", "failed", "cancelled", "queued", "in_progress")


def enforce_guardrails(response: dict[str, Any], values: dict[str, Any], settings: AnswerSettings) -> None:
    """Raises for a response whose status or refusal the settings do not accept; values: its outputs."""
    status = values["status"]
    if status == "incomplete":
        _check_incomplete(values["incomplete_reason"], settings)
    elif status in ("failed", "cancelled"):
        raise ApiError(f"the API did not answer: {_ended(status, response.get('error'))}; nothing was cached")
    elif status in ("queued", "in_progress"):
        raise ApiError(
            f'the API answered status = "{status}": the response is not ready, and a plan cannot wait for it '
            f"(background is not offered); nothing was cached"
        )
    elif status != "completed":
        raise ApiError(f"malformed response: status {status!r} is not one of {', '.join(STATUSES)}; nothing was cached")
    refusal = values["refusal"]
    if refusal is not None and not settings.allow_refusal:
        raise refused(f'status = "{status}"', refusal, settings.sensitive, PROMPT_INPUTS)


def _check_incomplete(reason: str | None, settings: AnswerSettings) -> None:
    where = f'status = "incomplete", incomplete_details.reason = "{reason}"'
    if reason == "max_output_tokens":
        if not settings.allow_length_cutoff:
            raise cut_off(where, LIMIT_INPUTS)
    elif reason == "content_filter":
        if not settings.allow_content_filter:
            raise filtered(where, PROMPT_INPUTS)
    else:
        raise AnswerError(
            f"the answer is incomplete ({where if reason else 'status = incomplete, with no reason given'}); no "
            f"allow_* input accepts it; nothing was cached"
        )


def _ended(status: str, error: Any) -> str:
    """The status with the API's error code and message, when it gave them."""
    said = f'status = "{status}"'
    if not isinstance(error, dict):
        return f"{said} (the API gave no error)"
    code, message = error.get("code"), error.get("message")
    return f"{said}, error {code}: {message}" if code else f"{said}: {message}"
