"""Turns a stored_response query into the id to read and the endpoint settings, with their rules.

Every rule is the helper's (the module has no variable validation); response_id's matters most, since a
URL path is built from it.
"""

import re
from dataclasses import dataclass
from typing import Any

from ..core.errors import InputError
from ..core.protocol import decode_query
from ..core.settings import EndpointSettings, parse_endpoint_settings

SETTING_NAMES = ("base_url", "organization", "project", "timeout_seconds")
QUERY_KEYS = ("response_id", *SETTING_NAMES)
# Letters, digits and _ . : - only: the id becomes a URL path segment, so no /, ?, # or spaces.
RESPONSE_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,255}"
SHOWN_RESPONSE_ID_RULE = "must look like resp_abc123: letters, digits, _ . : and -, 1 to 256 characters"


@dataclass(frozen=True)
class StoredResponseQuery:
    response_id: str
    settings: EndpointSettings


def parse_stored_response_query(query: dict[str, str]) -> StoredResponseQuery:
    """The id to read and the endpoint, each checked; InputError names the first input that breaks a rule."""
    decoded = decode_query(query, QUERY_KEYS, "stored_response")
    settings = parse_endpoint_settings({name: decoded[name] for name in SETTING_NAMES if name in decoded})
    return StoredResponseQuery(_response_id(decoded.get("response_id")), settings)


def _response_id(value: Any) -> str:
    if value is None:
        raise InputError("response_id", "is required: the id of a stored response, such as module.answer.id")
    if not isinstance(value, str):
        raise InputError("response_id", f"must be a string, not {type(value).__name__}")
    if not re.fullmatch(RESPONSE_ID_PATTERN, value):
        raise InputError("response_id", f"{value[:80]!r} {SHOWN_RESPONSE_ID_RULE}")
    return value
