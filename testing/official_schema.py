"""The official OpenAPI description's request schema, as a jsonschema validator (when present).

Point OPENAI_OPENAPI_SPEC at openapi.yaml; by default ../shared/openai-openapi/openapi.yaml beside
the repository is used. The extracted components are cached as JSON, since the YAML takes seconds.
"""

import hashlib
import json
import os
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


@cache
def _validator(schema_name: str) -> jsonschema.Draft202012Validator | None:
    components = _components()
    if components is None:
        return None
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": components}
    return jsonschema.Draft202012Validator(root)


def official_violations(body: Any, schema_name: str = "CreateChatCompletionRequest") -> list[str] | None:
    """The official schema's complaints about body, or None when the spec is not available."""
    validator = _validator(schema_name)
    if validator is None:
        return None
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(top)'}: {error.message[:200]}"
        for error in validator.iter_errors(body)
    ]
