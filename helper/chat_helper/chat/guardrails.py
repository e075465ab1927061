"""Answers a configuration must opt in to: cut off, filtered, or refused."""

from typing import Any

from ..core.errors import AnswerError
from ..core.settings import Settings


def enforce_guardrails(response: dict[str, Any], settings: Settings) -> None:
    """Raises AnswerError for the first choice that stopped in a way the settings do not allow."""
    for position, choice in enumerate(response["choices"]):
        message = choice.get("message") or {}
        finish_reason = choice.get("finish_reason")
        where = f"choice {choice.get('index', position)}"
        if finish_reason == "length" and not settings.allow_length_cutoff:
            raise AnswerError(
                f'the answer was cut off ({where}: finish_reason = "length", the token limit was reached); raise '
                f"max_tokens / max_completion_tokens, or set allow_length_cutoff = true to accept partial answers"
            )
        if finish_reason == "content_filter" and not settings.allow_content_filter:
            raise AnswerError(
                f'the answer was withheld by the content filter ({where}: finish_reason = "content_filter"); '
                f"change the messages, or set allow_content_filter = true to accept it"
            )
        refusal = message.get("refusal")
        if isinstance(refusal, str) and refusal and not settings.allow_refusal:
            shown = refusal if len(refusal) <= 200 else refusal[:197] + "..."
            said = "(its text is hidden: sensitive = true)" if settings.sensitive else repr(shown)
            raise AnswerError(
                f"the model refused ({where}): {said}; change the messages, or set allow_refusal = true "
                f"to read the refusal from the refusal output"
            )
