"""Flex processing (service_tier = "flex"): Batch prices, slower answers, and at times no capacity.

OpenAI's Flex guide: Flex "may sometimes lack sufficient resources to handle your requests, resulting in
a 429 Resource Unavailable error code" (not charged), and advises either retrying with backoff (the
retry policy does, as for any 429) or retrying at the standard tier by setting service_tier to "auto".
With flex_fallback, the request is sent again at once with service_tier = "auto", in the same attempt;
the answer's own service_tier then says which tier served it. The guide also raises the SDK's timeout
from 10 to 15 minutes: so does the default time budget of a Flex request (core/settings.py).
"""

import re
from collections.abc import Callable
from typing import Any

from .retry import error_body
from .sdk import openai

FLEX = "flex"
FALLBACK_TIER = "auto"  # the project's default processing mode, as the guide says
_UNAVAILABLE = re.compile(r"resource[ _]unavailable", re.I)


def is_flex_unavailable(error: BaseException) -> bool:
    """The 429 of a Flex request that found no capacity (not a rate limit, not the quota)."""
    if not isinstance(error, openai.APIStatusError) or error.status_code != 429:
        return False
    body = error_body(error)
    return any(_UNAVAILABLE.search(text or "") for text in (body.code, body.message))


def sent_with_fallback(create: Callable[..., Any], request: dict[str, Any], fallback: bool) -> Any:
    """create(**request); with fallback, a Flex request that found no capacity is sent again at once at
    the standard tier."""
    try:
        return create(**request)
    except openai.APIStatusError as error:
        if not (fallback and request.get("service_tier") == FLEX and is_flex_unavailable(error)):
            raise
    return create(**{**request, "service_tier": FALLBACK_TIER})
