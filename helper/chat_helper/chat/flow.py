"""modules/chat_completion's flow: query -> validated request -> (cache | API) -> checked answer -> values.

The path itself is answers/answer.py; here is what is particular to a chat completion.
"""

from typing import Any

from ..answers.answer import answer as answer_question
from ..answers.answer import preview
from ..answers.settings import AnswerSettings
from ..core.errors import ApiError
from ..core.run import Run
from ..openai_api.completion import MalformedCompletion, completion_values
from ..openai_api.endpoint import Endpoint
from .guardrails import enforce_guardrails
from .request import Invocation, parse_query
from .structured_output import parsed_answer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..openai_api.exchange import Pacer


def answer(query: dict[str, str], run: Run, cache_only: bool = False) -> dict[str, Any]:
    """The outputs for a chat_completion query, from the cache when the same request was answered before."""
    return answer_question(ChatQuestion(parse_query(query)), run, cache_only)


def import_deferred() -> None:
    """Imports what a cache miss imports on first use (the SDK, jsonschema, tenacity): the worker's warm-up."""
    from ..answers import pacing  # noqa: F401
    from . import api_call, request_rules  # noqa: F401


class ChatQuestion:
    """A chat completion request as answers/answer.py asks it (a plain class: see answers.answer.Prepared)."""

    __slots__ = ("invocation",)

    def __init__(self, invocation: Invocation) -> None:
        self.invocation = invocation

    @property
    def api(self) -> None:
        return None  # chat completions' fingerprints predate the API's name in them

    @property
    def request(self) -> dict[str, Any]:
        return self.invocation.request

    @property
    def settings(self) -> AnswerSettings:
        return self.invocation.settings

    def validate(self) -> None:
        from .request_rules import validate_request

        validate_request(self.request)

    def ask(self, endpoint: Endpoint, deadline: float, pacer: "Pacer | None") -> dict[str, Any]:
        from .api_call import create_chat_completion

        return create_chat_completion(self.request, endpoint, deadline, pacer, self.settings.flex_fallback)

    def accept(self, response: dict[str, Any], key: str) -> dict[str, Any]:
        """The outputs, once the answer passed the guardrails and, for JSON formats, its schema."""
        try:
            values = completion_values(response)
        except MalformedCompletion as malformed:
            problem = "it has no choices" if malformed.choice is None else f"choice {malformed.choice} has no message"
            raise ApiError(f"malformed response: {problem}; nothing was cached") from None
        enforce_guardrails(response, self.settings)
        values["request_sha256"] = key
        values["parsed"] = parsed_answer(self.request, response, self.settings.sensitive)
        return values

    def usable(self, response: dict[str, Any]) -> bool:
        try:
            completion_values(response)
        except MalformedCompletion:
            return False
        return True

    def described(self) -> str:
        messages = self.request["messages"]
        first_user = next((m.get("content", "") for m in messages if m.get("role") == "user"), "")
        return f"the request whose first user message is {preview(first_user, self.settings.sensitive)}"
