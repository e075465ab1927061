"""The wording of the answers a configuration must opt in to: cut off, filtered, or refused.

Each flow finds them in its own response shape (a chat choice's finish_reason, a response's status)
and raises these, so that every module says the same thing and names the same allow_* input.
"""

from ..core.errors import AnswerError

SHOWN_REFUSAL_CHARACTERS = 200


def cut_off(where: str, limit_inputs: str) -> AnswerError:
    return AnswerError(
        f"the answer was cut off ({where}, the token limit was reached); raise {limit_inputs}, or set "
        f"allow_length_cutoff = true to accept partial answers"
    )


def filtered(where: str, prompt_inputs: str) -> AnswerError:
    return AnswerError(
        f"the answer was withheld by the content filter ({where}); change {prompt_inputs}, or set "
        f"allow_content_filter = true to accept it"
    )


def refused(where: str, refusal: str, sensitive: bool, prompt_inputs: str) -> AnswerError:
    shown = refusal if len(refusal) <= SHOWN_REFUSAL_CHARACTERS else refusal[: SHOWN_REFUSAL_CHARACTERS - 3] + "..."
    said = "(its text is hidden: sensitive = true)" if sensitive else repr(shown)
    return AnswerError(
        f"the model refused ({where}): {said}; change {prompt_inputs}, or set allow_refusal = true to read the "
        f"refusal from the refusal output"
    )
