"""Turns a stored_completion query into what to read (one completion, or a filtered list), with its rules.

Every rule is the helper's (the module has no variable validation); completion_id's matters most,
since a URL path is built from it.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import InputError
from ..core.protocol import decode_query
from ..core.settings import EndpointSettings, parse_endpoint_settings

OPERATIONS = ("retrieve", "list")
LIST_FILTERS = ("model", "metadata", "order", "limit")
SETTING_NAMES = ("base_url", "organization", "project", "timeout_seconds")
QUERY_KEYS = ("operation", "completion_id", *LIST_FILTERS, *SETTING_NAMES)

# Letters, digits and _ . : - only: the id becomes a URL path segment, so no /, ?, # or spaces.
COMPLETION_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,255}"
SHOWN_COMPLETION_ID_RULE = "must look like chatcmpl-abc123: letters, digits, _ . : and -, 1 to 256 characters"
ORDERS = ("asc", "desc")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_METADATA_PAIRS = 16
MAX_METADATA_KEY_LENGTH = 64
MAX_METADATA_VALUE_LENGTH = 512


@dataclass(frozen=True)
class StoredQuery:
    """What to read: completion_id for one stored completion, else the list filters."""

    operation: str
    settings: EndpointSettings
    completion_id: str | None = None
    model: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    order: str | None = None
    limit: int = DEFAULT_LIMIT


def parse_stored_query(query: dict[str, str]) -> StoredQuery:
    """What the query asks to read, each input checked; InputError names the first that breaks a rule."""
    decoded = decode_query(query, QUERY_KEYS, "stored_completion")
    operation = decoded.get("operation")
    if operation not in OPERATIONS:
        raise InputError("operation", f"must be one of {', '.join(OPERATIONS)}, not {operation!r}")
    settings = parse_endpoint_settings({name: decoded[name] for name in SETTING_NAMES if name in decoded})
    if operation == "retrieve":
        for name in LIST_FILTERS:
            if name in decoded:
                raise InputError(
                    name, "is a list filter; it cannot be combined with completion_id (set one or the other)"
                )
        return StoredQuery(operation, settings, completion_id=_completion_id(decoded.get("completion_id")))
    if "completion_id" in decoded:
        raise InputError("completion_id", "reads one completion; it cannot be combined with operation list")
    return StoredQuery(
        operation,
        settings,
        model=_model(decoded.get("model")),
        metadata=_metadata(decoded.get("metadata")),
        order=_order(decoded.get("order")),
        limit=_limit(decoded.get("limit", DEFAULT_LIMIT)),
    )


def _completion_id(value: Any) -> str:
    if value is None:
        raise InputError("completion_id", "is required to read a stored completion")
    if not isinstance(value, str):
        raise InputError("completion_id", f"must be a string, not {type(value).__name__}")
    if not re.fullmatch(COMPLETION_ID_PATTERN, value):
        raise InputError("completion_id", f"{value[:80]!r} {SHOWN_COMPLETION_ID_RULE}")
    return value


def _model(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError("model", 'must be a model name such as "gpt-4o" (not empty), or null for every model')
    return value


def _metadata(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InputError("metadata", "must be a map of strings")
    if len(value) > MAX_METADATA_PAIRS:
        raise InputError("metadata", f"has {len(value)} pairs; the limit is {MAX_METADATA_PAIRS}")
    for key, item in value.items():
        if not 1 <= len(key) <= MAX_METADATA_KEY_LENGTH:
            raise InputError("metadata", f"key {key[:80]!r} must be 1 to {MAX_METADATA_KEY_LENGTH} characters long")
        if len(item) > MAX_METADATA_VALUE_LENGTH:
            raise InputError(
                "metadata",
                f"the value of {key!r} is {len(item)} characters long; the limit is {MAX_METADATA_VALUE_LENGTH}",
            )
    return value


def _order(value: Any) -> str | None:
    if value is not None and value not in ORDERS:
        raise InputError("order", f'must be "asc" or "desc", not {value!r}')
    return None if value is None else str(value)


def _limit(value: Any) -> int:
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole or not 1 <= value <= MAX_LIMIT:
        raise InputError("limit", f"must be a whole number from 1 to {MAX_LIMIT}, not {value!r}")
    return int(value)
