"""JSON Schemas of the request inputs both APIs share (as sent, after the module's reshaping).

Plain data: the flows' input lists (chat/inputs.py, response/inputs.py) are built from these, and
nothing here imports jsonschema.
"""

from typing import Any

NAME_PATTERN = "^[a-zA-Z0-9_-]{1,64}\\Z"  # \Z: "$" would also accept a final newline
SHOWN_NAME_PATTERN = "^[a-zA-Z0-9_-]{1,64}$"
MAX_METADATA_PAIRS = 16
MAX_METADATA_KEY_LENGTH = 64
MAX_METADATA_VALUE_LENGTH = 512

NAME: dict[str, Any] = {"type": "string", "pattern": NAME_PATTERN}
MODEL: dict[str, Any] = {"type": "string", "minLength": 1}
TEMPERATURE: dict[str, Any] = {"type": "number", "minimum": 0, "maximum": 2}
TOP_P: dict[str, Any] = {"type": "number", "minimum": 0, "maximum": 1}
TOP_LOGPROBS: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": 20}
BOOLEAN: dict[str, Any] = {"type": "boolean"}
NON_EMPTY_STRING: dict[str, Any] = {"type": "string", "minLength": 1}
SAFETY_IDENTIFIER: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 64}
METADATA: dict[str, Any] = {
    "type": "object",
    "maxProperties": MAX_METADATA_PAIRS,
    "propertyNames": {"minLength": 1, "maxLength": MAX_METADATA_KEY_LENGTH},
    "additionalProperties": {"type": "string", "maxLength": MAX_METADATA_VALUE_LENGTH},
}
REASONING_EFFORT: dict[str, Any] = {"enum": ["none", "minimal", "low", "medium", "high", "xhigh", "max"]}
# The API's PromptCacheRetentionEnum (deprecated there in favour of prompt_cache_options.ttl, a minimum
# lifetime; this one is the maximum retention).
PROMPT_CACHE_RETENTION: dict[str, Any] = {"enum": ["in_memory", "24h"]}
SERVICE_TIER: dict[str, Any] = {"enum": ["auto", "default", "flex", "scale", "priority", "fast"]}
VERBOSITY: dict[str, Any] = {"enum": ["low", "medium", "high"]}
# A function's parameters once decoded from the module's JSON string: checked as a JSON Schema apart.
SCHEMA_OBJECT: dict[str, Any] = {"type": "object"}
