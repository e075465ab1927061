"""The official OpenAPI description's request schemas, as jsonschema validators (when present).

Point OPENAI_OPENAPI_SPEC at openapi.yaml; by default ../shared/openai-openapi/openapi.yaml beside
the repository is used. The extracted components are cached as JSON, since the YAML takes seconds.
"""

import hashlib
import json
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from .paths import REPO_ROOT, TOOLS

DEFAULT_SPEC = REPO_ROOT.parent / "shared" / "openai-openapi" / "openapi.yaml"


def spec_path() -> Path | None:
    path = Path(os.environ.get("OPENAI_OPENAPI_SPEC", str(DEFAULT_SPEC)))
    return path if path.is_file() else None


@cache
def _components() -> dict[str, Any] | None:
    path = spec_path()
    if path is None:
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    cached = TOOLS / f"openapi-components-{digest}.json"
    if cached.is_file():
        return json.loads(cached.read_text())  # type: ignore[no-any-return]
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    components: dict[str, Any] = yaml.load(path.read_text(), Loader=loader)["components"]
    cached.parent.mkdir(exist_ok=True)
    cached.write_text(json.dumps(components, default=str))
    return components


def _validator_of(schema: dict[str, Any], components: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({**schema, "components": components})


@cache
def _validator(schema_name: str) -> jsonschema.Draft202012Validator | None:
    components = _components()
    if components is None:
        return None
    return _validator_of({"$ref": f"#/components/schemas/{schema_name}"}, components)


def _described(errors: Iterable[jsonschema.ValidationError], prefix: str = "") -> list[str]:
    telling = (_telling(error) for error in errors)
    return list(dict.fromkeys(f"{_where(prefix, error.absolute_path)}: {error.message[:200]}" for error in telling))


def _telling(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """Past "is not valid under any of the given schemas": the complaint of the branch the value is closest to."""
    while error.validator in ("oneOf", "anyOf") and error.context:
        branches: dict[Any, list[jsonschema.ValidationError]] = {}
        for inner in error.context:
            branches.setdefault(inner.relative_schema_path[0], []).append(inner)
        at = list(error.absolute_path)
        closest = min(branches.values(), key=lambda complaints: _distance(complaints, at))
        error = jsonschema.exceptions.best_match(closest) or closest[0]
    return error


def _distance(errors: list[jsonschema.ValidationError], at: list[Any]) -> tuple[bool, int]:
    """How far the value at `at` is from a branch: first whether it is of another type or kind, then by how much."""
    other_kind = any(
        (list(error.absolute_path) == at and error.validator == "type")
        or (list(error.absolute_path) == [*at, "type"] and error.validator in ("enum", "const"))
        for error in errors
    )
    return other_kind, len(errors)


def _where(prefix: str, path: Iterable[Any]) -> str:
    parts = [prefix] if prefix else []
    return "/".join([*parts, *map(str, path)]) or "(top)"


def official_violations(body: Any, schema_name: str = "CreateChatCompletionRequest") -> list[str] | None:
    """The official schema's complaints about body, or None when the spec is not available."""
    validator = _validator(schema_name)
    if validator is None:
        return None
    return _described(validator.iter_errors(body))


@cache
def request_keys(schema_name: str) -> frozenset[str] | None:
    """The top-level keys a request schema names: its properties, through every $ref and allOf."""
    components = _components()
    if components is None:
        return None
    keys: set[str] = set()
    pending = [components["schemas"][schema_name]]
    while pending:
        schema = pending.pop()
        if "$ref" in schema:
            pending.append(components["schemas"][schema["$ref"].rsplit("/", 1)[-1]])
        pending.extend(schema.get("allOf", []))
        keys.update(schema.get("properties", {}))
    return frozenset(keys)


@cache
def _input_item_branches() -> tuple[jsonschema.Draft202012Validator, ...]:
    components = _components()
    assert components is not None
    return tuple(_validator_of(branch, components) for branch in components["schemas"]["InputItem"]["oneOf"])


def official_response_violations(body: Any) -> list[str] | None:
    """CreateResponse's complaints about body, or None when the spec is not available.

    Two gaps of the schema are closed here: it accepts any key (so a key outside its properties is a
    violation), and a message whose content is a list of parts matches two branches of InputItem's
    oneOf, EasyInputMessage and Item's InputMessage, so a valid input list fails oneOf (so each input
    item is checked against the branches one at a time, and one that matches any branch is valid).
    """
    validator = _validator("CreateResponse")
    known = request_keys("CreateResponse")
    if validator is None or known is None:
        return None
    if not isinstance(body, dict):
        return _described(validator.iter_errors(body))
    items = body.get("input")
    # An empty list stands in for the items, which are checked below: it meets InputParam's array branch only.
    violations = _described(validator.iter_errors(dict(body, input=[]) if isinstance(items, list) else body))
    violations += [f"(top): {key!r} is not a request key of CreateResponse" for key in body if key not in known]
    for index, item in enumerate(items if isinstance(items, list) else []):
        violations += _input_item_violations(f"input/{index}", item)
    return violations


def _input_item_violations(where: str, item: Any) -> list[str]:
    """Nothing when item matches at least one of InputItem's branches; else the closest branch's complaints."""
    complaints = []
    for branch in _input_item_branches():
        errors = list(branch.iter_errors(item))
        if not errors:
            return []
        complaints.append(errors)
    closest = min(complaints, key=lambda errors: _distance(errors, []))
    return _described(closest, where)
