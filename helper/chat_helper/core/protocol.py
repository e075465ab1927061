"""The hashicorp/external protocol: one JSON object of strings in, one out; each query value is JSON-encoded."""

import json
import math
import sys
from typing import Any, TextIO

from .errors import ApiError, HelperError, InputError


def read_query(stream: TextIO) -> dict[str, str]:
    """Reads the query object Terraform writes on stdin (always UTF-8, whatever the locale says)."""
    binary = getattr(stream, "buffer", None)
    try:
        text = binary.read().decode("utf-8") if binary is not None else stream.read()
        query = json.loads(text, parse_constant=reject_non_finite)
    except UnicodeDecodeError:
        raise HelperError("the query on stdin is not UTF-8") from None
    except ValueError as error:
        raise HelperError(f"the query on stdin is not valid JSON ({error})") from None
    if not isinstance(query, dict):
        raise HelperError("the query on stdin must be a JSON object")
    for key, value in query.items():
        if not isinstance(value, str):
            raise HelperError(f"query key {key!r} must be a string (Terraform sends strings only)")
    return query


def decode_query(query: dict[str, str], known: tuple[str, ...], module: str) -> dict[str, Any]:
    """Every query value JSON-decoded; nulls dropped (an input left null is not set)."""
    decoded: dict[str, Any] = {}
    for name, encoded in query.items():
        if name not in known:
            raise InputError(name, f"is not an input of {module} (unknown query key)")
        try:
            value = loads_finite(encoded)
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(name, "contains an unpaired UTF-16 surrogate (not valid Unicode text)") from None
        except ValueError:
            raise InputError(name, "must be JSON-encoded (the module passes jsonencode(value))") from None
        if value is not None:
            decoded[name] = value
    return decoded


def encode_outputs(values: dict[str, Any]) -> str:
    """The answer as Terraform reads it: each value JSON in a string (outputs.tf decodes it), and the
    object ASCII-only JSON: safe on any console encoding, and unpaired surrogates cannot break it."""
    try:
        strings = {
            name: json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
            for name, value in values.items()
        }
    except ValueError:  # NaN or Infinity somewhere: Terraform's jsondecode would refuse it
        raise ApiError("malformed response: it holds a number that is not finite (NaN or Infinity)") from None
    return json.dumps(strings, ensure_ascii=True, sort_keys=True) + "\n"


def write_result(encoded: str, stream: TextIO = sys.stdout) -> None:
    stream.write(encoded)
    stream.flush()


def reject_non_finite(constant: str) -> None:
    raise ValueError(f"{constant} is not a JSON number")


def finite_float(text: str) -> float:
    """parse_float for json.loads: 1e999 would become infinity, which Terraform's jsondecode refuses."""
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text} is too large for a JSON number")
    return value


def loads_finite(text: str) -> Any:
    """json.loads that refuses NaN, Infinity and numbers too large for a float."""
    return json.loads(text, parse_constant=reject_non_finite, parse_float=finite_float)


def without_nulls(value: Any) -> Any:
    """Terraform writes an optional object attribute left unset as null; the API wants it absent."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def without_null_fields(value: Any) -> Any:
    """Only the top level: a JSON Schema or a built-in tool's settings inside may hold nulls that mean
    something (const, enum)."""
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if item is not None}
    return value
