"""The hashicorp/external protocol: one JSON object of strings in, one out."""

import json
import sys
from typing import TextIO

from .errors import HelperError


def read_query(stream: TextIO) -> dict[str, str]:
    """Reads the query object Terraform writes on stdin."""
    text = stream.read()
    try:
        query = json.loads(text)
    except ValueError as error:
        raise HelperError(f"the query on stdin is not valid JSON ({error})") from None
    if not isinstance(query, dict):
        raise HelperError("the query on stdin must be a JSON object")
    for key, value in query.items():
        if not isinstance(value, str):
            raise HelperError(f"query key {key!r} must be a string (Terraform sends strings only)")
    return query


def write_result(result: dict[str, str], stream: TextIO = sys.stdout) -> None:
    """Writes the flat result object Terraform reads from stdout."""
    stream.write(json.dumps(result, ensure_ascii=False, sort_keys=True))
    stream.write("\n")
    stream.flush()
