"""Rules both answering flows check with jsonschema: a declared schema (a function's parameters, a
structured answer's schema) is a valid JSON Schema, and a request's schema violation becomes an
InputError naming the input.

Imported only once a request needs checking (a cache miss): it brings in jsonschema.
"""

import json
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from ..core.errors import InputError
from ..core.suggestion import did_you_mean
from .input_schemas import NAME_PATTERN, SHOWN_NAME_PATTERN


def first_violation(schema: dict[str, Any], request: dict[str, Any]) -> None:
    """Raises InputError naming the input of the most relevant violation of schema; returns when none."""
    validator = jsonschema.Draft202012Validator(schema)
    error = best_match(validator.iter_errors(request))
    if error is not None:
        raise _input_error(error)


def check_json_schema(path: str, schema: Any, *, strict: bool = False) -> None:
    """A function or tool's parameters: a valid JSON Schema whose top-level type is object."""
    if not isinstance(schema, dict):
        raise InputError(path, "must be a JSON Schema object")
    if not isinstance(schema.get("$schema", ""), str):
        raise InputError(path, '"$schema" must be a string (a meta-schema URI)')
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        validator_class.check_schema(schema)
    except jsonschema.SchemaError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        raise InputError(path, f"is not a valid JSON Schema at {where}: {error.message}") from None
    if schema.get("type") != "object":
        raise InputError(path, 'must be a JSON Schema whose top-level "type" is "object"')
    _check_references(path, schema, schema)
    if strict:
        _check_strict_schema(path, schema)


def _check_references(path: str, root: dict[str, Any], node: Any) -> None:
    """Every $ref points inside the schema: nothing is fetched, and nothing fails after a paid call."""
    if isinstance(node, list):
        for item in node:
            _check_references(path, root, item)
        return
    if not isinstance(node, dict):
        return
    reference = node.get("$ref")
    if reference is not None:
        if not isinstance(reference, str) or not (reference == "#" or reference.startswith("#/")):
            raise InputError(path, f"$ref {reference!r} must point inside the schema (#/$defs/...); nothing is fetched")
        target: Any = root
        for token in reference[2:].split("/") if reference != "#" else []:
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and token in target:
                target = target[token]
            elif isinstance(target, list) and token.isdigit() and int(token) < len(target):
                target = target[int(token)]
            else:
                raise InputError(path, f"$ref {reference!r} points at nothing in the schema")
    for key, child in node.items():
        if key not in ("const", "enum", "default", "examples"):
            _check_references(path, root, child)


def _check_strict_schema(path: str, schema: dict[str, Any], where: str = "") -> None:
    """Strict mode's rules: every object closes additionalProperties and requires each property."""
    if schema.get("type") == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is not False:
            raise InputError(path, f"strict = true needs additionalProperties = false at {where or '(top level)'}")
        missing = sorted(set(properties) - set(schema.get("required", [])))
        if missing:
            raise InputError(
                path,
                f"strict = true needs every property required; at {where or '(top level)'} "
                f"these are not: {', '.join(missing)}",
            )
        for name, child in properties.items():
            if isinstance(child, dict):
                _check_strict_schema(path, child, f"{where}/properties/{name}")
    for keyword in ("items",):
        if isinstance(schema.get(keyword), dict):
            _check_strict_schema(path, schema[keyword], f"{where}/{keyword}")
    for keyword in ("anyOf", "$defs", "definitions"):
        children = schema.get(keyword)
        items = children.items() if isinstance(children, dict) else enumerate(children or [])
        for key, child in items:
            if isinstance(child, dict):
                _check_strict_schema(path, child, f"{where}/{keyword}/{key}")


def check_unique_names(input_name: str, definitions: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for index, definition in enumerate(definitions):
        if definition["name"] in seen:
            name = definition["name"]
            raise InputError(f"{input_name}[{index}].name", f"{name!r} is declared twice: names must be unique")
        seen.add(definition["name"])


def is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _input_error(error: ValidationError) -> InputError:
    path = list(error.absolute_path)
    if not path:
        if error.validator == "additionalProperties":
            return InputError("request", error.message)
        return InputError(_missing_name(error), error.message)
    name = str(path[0])
    for part in path[1:]:
        name += f"[{part}]" if isinstance(part, int) else f".{part}"
    return InputError(name, _rule(error))


def _missing_name(error: ValidationError) -> str:
    required = error.validator_value
    if error.validator == "required" and isinstance(error.instance, dict) and isinstance(required, list):
        for name in required:
            if name not in error.instance:
                return str(name)
    return "request"


def _rule(error: ValidationError) -> str:
    """jsonschema's message, made about the value rather than the schema when that reads better."""
    if error.validator == "pattern" and error.validator_value == NAME_PATTERN:
        return f"{error.instance!r} does not match {SHOWN_NAME_PATTERN} (letters, digits, _ and -, 1 to 64 characters)"
    if error.validator == "pattern":
        return f"{error.instance!r} does not match {error.validator_value}"
    if error.validator == "maxLength" and isinstance(error.instance, str):
        return f"is {len(error.instance)} characters long; the limit is {error.validator_value}"
    if error.validator in ("maxItems", "minItems") and isinstance(error.instance, list):
        bound = "at most" if error.validator == "maxItems" else "at least"
        return f"has {len(error.instance)} items; it must have {bound} {error.validator_value}"
    if error.validator == "maxProperties" and isinstance(error.instance, dict):
        return f"has {len(error.instance)} entries; the limit is {error.validator_value}"
    if error.validator == "anyOf":
        return f"{error.instance!r} is not one of the accepted forms"
    if error.validator == "additionalProperties" and error.validator_value is False:
        return error.message + _suggestion(error)
    return error.message


def _suggestion(error: ValidationError) -> str:
    """The nearest allowed key to the first unexpected one (a key of an untyped input's object, which
    Terraform cannot check), as "; did you mean content?", or ""."""
    allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    if not isinstance(error.instance, dict) or not isinstance(allowed, dict):
        return ""
    unexpected = [key for key in error.instance if key not in allowed]
    return did_you_mean(str(unexpected[0]), allowed) if unexpected else ""
