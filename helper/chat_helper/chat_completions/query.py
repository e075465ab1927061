"""Turns a chat_completions query into one chat request per key: the key's inputs over the block's.

The block sends chat_completion's inputs (the defaults of every key, and the settings) and `requests`,
a map from a key the user picks to the inputs of that key's request. An input a key leaves null takes
the block's value. Each key then becomes exactly the request chat_completion would send, so that both
modules share cache entries.
"""

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from ..answers.settings import AnswerSettings, parse_answer_settings, whole_number
from ..chat.inputs import REQUEST_PARAMETERS
from ..chat.request import QUERY_KEYS, Invocation, invocation_of
from ..core.errors import InputError
from ..core.protocol import decode_query
from ..core.settings import string_setting
from ..core.suggestion import nearest_name

BLOCK_INPUTS = ("requests", "max_concurrency")
KEY_INPUTS = (*REQUEST_PARAMETERS, "regenerate")  # what a key may set; the rest is the block's alone
BLOCK_ONLY_INPUTS = tuple(name for name in (*QUERY_KEYS, *BLOCK_INPUTS) if name not in KEY_INPUTS)
DEFAULT_MAX_CONCURRENCY = 256  # a ceiling: below it, the rate-limit view adapts (answers/rate_view.py)
MAX_CONCURRENCY = 256


@dataclass(frozen=True)
class KeyedRequest:
    """One key's request, and which of its inputs the key set itself (the others are the block's)."""

    key: str
    invocation: Invocation
    own_inputs: frozenset[str]

    @property
    def shown_key(self) -> str:
        return shown_key(self.key)


@dataclass(frozen=True)
class Batch:
    requests: list[KeyedRequest]  # the keys that could be read
    settings: AnswerSettings
    max_concurrency: int
    failures: dict[str, str]  # the line of each key that could not, by key


def parse_batch_query(query: dict[str, str]) -> Batch:
    """Every key's request, decoded and reshaped, and the line of each key that breaks a rule, naming the
    key and the input; InputError names a block input that breaks one."""
    decoded = decode_query(query, (*QUERY_KEYS, *BLOCK_INPUTS), "chat_completions")
    settings = parse_answer_settings(decoded)
    max_concurrency = DEFAULT_MAX_CONCURRENCY
    if "max_concurrency" in decoded:
        max_concurrency = whole_number("max_concurrency", decoded["max_concurrency"], 1, MAX_CONCURRENCY)
    requests = decoded.get("requests", {})
    if not isinstance(requests, dict):
        raise InputError("requests", "must be a map from a key to a request object")
    defaults = {name: decoded[name] for name in REQUEST_PARAMETERS if name in decoded}
    keyed, failures = [], {}
    for key, value in requests.items():
        try:
            keyed.append(_keyed(key, value, defaults, settings))
        except InputError as error:
            failures[key] = str(error)
    return Batch(keyed, settings, max_concurrency, failures)


def _keyed(key: str, value: Any, defaults: dict[str, Any], settings: AnswerSettings) -> KeyedRequest:
    shown = shown_key(key)
    if not isinstance(value, dict):
        raise InputError(shown, "must be an object of request inputs, such as { messages = [...] }")
    own = {name: item for name, item in value.items() if item is not None}
    for name in own:
        if name not in KEY_INPUTS:
            raise InputError(f"{shown}.{name}", _not_a_key_input(name))
    if "regenerate" in own:
        settings = dataclasses.replace(
            settings, regenerate=string_setting(f"{shown}.regenerate", own.pop("regenerate"))
        )
    for required in ("model", "messages"):
        if required not in own and required not in defaults:
            raise InputError(
                f"{shown}.{required}", f"is required: set {required} on the key, or on the block for every key"
            )
    try:
        invocation = invocation_of({**defaults, **own}, settings)
    except InputError as error:
        raise keyed_input_error(error, shown, frozenset(own)) from None
    return KeyedRequest(key, invocation, frozenset(own))


def _not_a_key_input(name: str) -> str:
    """The rule a key's unknown input breaks: the block's alone, or misspelt (the nearest name, if any)."""
    if name in BLOCK_ONLY_INPUTS:
        return "is not an input a request can set (set it on the block, for every key)"
    nearest = nearest_name(name, KEY_INPUTS) or nearest_name(name, BLOCK_ONLY_INPUTS)
    if nearest in BLOCK_ONLY_INPUTS:
        return f"is not an input; did you mean {nearest}? (set it on the block, for every key)"
    return "is not an input of a request" + (f"; did you mean {nearest}?" if nearest else "")


def shown_key(key: str) -> str:
    """requests["key"], as the user writes it in HCL."""
    return f"requests[{json.dumps(key, ensure_ascii=False)}]"


def keyed_input_error(error: InputError, shown_key: str, own_inputs: frozenset[str]) -> InputError:
    """The error named as the user wrote the input: requests["key"].<input> when the key set it, else the
    block's input, said to be the key's default."""
    top = error.input_name.split("[", 1)[0].split(".", 1)[0]
    rule = str(error).removeprefix(f"input {error.input_name}: ")
    if top in own_inputs:
        return InputError(f"{shown_key}.{error.input_name}", rule)
    return InputError(f"{error.input_name} (the default of {shown_key})", rule)
