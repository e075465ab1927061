"""A chat completion's choices against the guardrails: cut off, filtered or refused answers fail unless allowed."""

from typing import Any

from ..answers.settings import AnswerSettings

PROMPT_INPUTS = "the messages"


def enforce_guardrails(response: dict[str, Any], settings: AnswerSettings) -> None:
    """Raises AnswerError for the first choice that stopped in a way the settings do not allow (the wording
    is imported by the answer that needs it: an accepted answer does not pay for it)."""
    for position, choice in enumerate(response["choices"]):
        message = choice.get("message") or {}
        finish_reason = choice.get("finish_reason")
        where = f"choice {choice.get('index', position)}"
        if finish_reason == "length" and not settings.allow_length_cutoff:
            from ..answers import guardrails

            raise guardrails.cut_off(f'{where}: finish_reason = "length"', "max_tokens / max_completion_tokens")
        if finish_reason == "content_filter" and not settings.allow_content_filter:
            from ..answers import guardrails

            raise guardrails.filtered(f'{where}: finish_reason = "content_filter"', PROMPT_INPUTS)
        refusal = message.get("refusal")
        if isinstance(refusal, str) and refusal and not settings.allow_refusal:
            from ..answers import guardrails

            raise guardrails.refused(where, refusal, settings.sensitive, PROMPT_INPUTS)
