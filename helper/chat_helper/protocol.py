"""The hashicorp/external protocol: one JSON object of strings in, one out."""

import json
import math
import sys
from typing import Any, TextIO

from .errors import HelperError


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


def encode_result(result: dict[str, str]) -> str:
    """ASCII-only JSON: safe on any console encoding, and unpaired surrogates cannot break it."""
    return json.dumps(result, ensure_ascii=True, sort_keys=True) + "\n"


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
