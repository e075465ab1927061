"""modules/response's flow: query -> inputs and request -> (cache | rules -> API -> checked answer) -> values.

The path itself is answers/answer.py; here is what is particular to the Responses API.
"""

from dataclasses import dataclass
from typing import Any

from ..answers.answer import answer as answer_question
from ..answers.answer import preview
from ..answers.settings import AnswerSettings
from ..core.errors import ApiError
from ..core.run import Run
from ..openai_api.endpoint import Endpoint
from ..openai_api.response import MalformedResponse, response_values
from .guardrails import enforce_guardrails
from .request import Invocation, parse_query
from .structured_output import parsed_answer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..openai_api.exchange import Pacer

API = "responses"  # in every fingerprint: a response never shares a cache entry with a chat completion


def answer(query: dict[str, str], run: Run, cache_only: bool = False) -> dict[str, Any]:
    """The outputs for a response query, from the cache when the same request was answered before."""
    return answer_question(ResponseQuestion(parse_query(query)), run, cache_only)


def import_deferred() -> None:
    """Imports what a cache miss imports on first use (the SDK, jsonschema, tenacity): the worker's warm-up."""
    from ..answers import pacing  # noqa: F401
    from . import api_call, request_rules  # noqa: F401


@dataclass(frozen=True)
class ResponseQuestion:
    """A Responses API request as answers/answer.py asks it."""

    invocation: Invocation

    @property
    def api(self) -> str:
        return API

    @property
    def request(self) -> dict[str, Any]:
        return self.invocation.request

    @property
    def settings(self) -> AnswerSettings:
        return self.invocation.settings

    def validate(self) -> None:
        from .request_rules import validate_inputs

        validate_inputs(self.invocation.inputs)

    def ask(self, endpoint: Endpoint, deadline: float, pacer: "Pacer | None") -> dict[str, Any]:
        from .api_call import create_response

        return create_response(self.request, endpoint, deadline, pacer, self.settings.flex_fallback)

    def accept(self, response: dict[str, Any], key: str) -> dict[str, Any]:
        """The outputs, once the answer passed the guardrails and, for JSON formats, its schema."""
        try:
            values = response_values(response)
        except MalformedResponse:
            raise ApiError("malformed response: it has no list of output items; nothing was cached") from None
        enforce_guardrails(response, values, self.settings)
        values["parsed"] = parsed_answer(self.request, response, values, self.settings.sensitive)
        values["request_sha256"] = key
        return values

    def usable(self, response: dict[str, Any]) -> bool:
        try:
            response_values(response)
        except MalformedResponse:
            return False
        return True

    def described(self) -> str:
        inputs = self.invocation.inputs
        if "input" in inputs:
            return f"the request whose input is {preview(str(inputs['input']), self.settings.sensitive)}"
        items = inputs["input_items"] if isinstance(inputs.get("input_items"), list) else []
        texts = [_text(item) for item in items if isinstance(item, dict) and item.get("role") == "user"]
        shown = preview(texts[-1] if texts else "", self.settings.sensitive)
        return f"the request whose last user item is {shown}"


def _text(item: dict[str, Any]) -> str:
    content = item.get("content")
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return str(content or "")
