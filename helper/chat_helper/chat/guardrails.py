"""A chat completion's choices against the guardrails: cut off, filtered or refused answers fail unless allowed."""

from typing import Any

from ..answers.guardrails import cut_off, filtered, refused
from ..answers.settings import AnswerSettings

PROMPT_INPUTS = "the messages"


def enforce_guardrails(response: dict[str, Any], settings: AnswerSettings) -> None:
    """Raises AnswerError for the first choice that stopped in a way the settings do not allow."""
    for position, choice in enumerate(response["choices"]):
        message = choice.get("message") or {}
        finish_reason = choice.get("finish_reason")
        where = f"choice {choice.get('index', position)}"
        if finish_reason == "length" and not settings.allow_length_cutoff:
            raise cut_off(f'{where}: finish_reason = "length"', "max_tokens / max_completion_tokens")
        if finish_reason == "content_filter" and not settings.allow_content_filter:
            raise filtered(f'{where}: finish_reason = "content_filter"', PROMPT_INPUTS)
        refusal = message.get("refusal")
        if isinstance(refusal, str) and refusal and not settings.allow_refusal:
            raise refused(where, refusal, settings.sensitive, PROMPT_INPUTS)
