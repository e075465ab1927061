"""The helper's layout holds, read from its import statements (see ARCHITECTURE.md).

Each folder of chat_helper may import only the folders below it: core imports no other folder,
openai_api only core, answers (what the flows that ask for answers share) core, openai_api and
object_store, each flow core, openai_api and answers but never another flow, entry the flows, the
worker reaches the flows only through entry, and python_env (the helper's own Python environment,
found on every call) and object_store (cache_url's store) only core. What a call
imports before it knows it needs more is held too: the worker's calling side and a cache hit stay
light."""

import ast
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from testing.paths import HELPER

PACKAGE = "chat_helper"
PACKAGE_DIR = HELPER.parent / PACKAGE

# Each part: the parts of chat_helper it may import (itself included).
MAY_IMPORT = {
    "core": {"core"},
    "openai_api": {"core", "openai_api"},
    "answers": {"core", "openai_api", "object_store", "answers"},
    "chat": {"core", "openai_api", "answers", "chat"},
    "chat_completions": {"core", "openai_api", "answers", "chat", "chat_completions"},
    "stored": {"core", "openai_api", "stored"},
    "response": {"core", "openai_api", "answers", "response"},
    "stored_response": {"core", "openai_api", "stored_response"},
    "entry": {"core", "chat", "chat_completions", "stored", "response", "stored_response"},
    "worker": {"core", "openai_api", "entry", "worker", "python_env"},
    "commands": {"core", "answers", "object_store", "commands"},
    "python_env": {"core", "python_env"},
    "object_store": {"core", "object_store"},
}
# What Python has loaded before main.py runs, plus the socket: all the worker's calling side may import.
LOADED_AT_START = {"os", "sys", "time"}
CALLING_SIDE_IMPORTS = {*LOADED_AT_START, "_socket"}
HEAVY = {"openai", "jsonschema", "tenacity", "botocore"}  # imports paid only by a call that needs them


@dataclass
class Module:
    name: str  # chat_helper.chat.flow
    path: Path
    eager: set[str] = field(default_factory=set)  # imported when the module is: at its top level
    anywhere: set[str] = field(default_factory=set)  # also inside functions, imported on first use

    @property
    def part(self) -> str:
        parts = self.name.split(".")
        return "entry" if parts[1:] == ["entry"] else parts[1] if len(parts) > 2 else "package"


@cache
def modules() -> dict[str, Module]:
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        relative = path.relative_to(HELPER.parent).with_suffix("")
        parts = list(relative.parts)
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        module = Module(name, path)
        _read_imports(module, is_package)
        found[name] = module
    return found


def _read_imports(module: Module, is_package: bool) -> None:
    tree = ast.parse(module.path.read_text(), str(module.path))
    package = module.name if is_package else module.name.rpartition(".")[0]
    for node, eager in _import_nodes(tree.body, eager=True):
        for imported in _imported_names(node, package):
            module.anywhere.add(imported)
            if eager:
                module.eager.add(imported)


def _import_nodes(body: list[ast.stmt], eager: bool) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    nodes: list[tuple[ast.Import | ast.ImportFrom, bool]] = []
    for statement in body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            nodes.append((statement, eager))
        elif isinstance(statement, ast.If) and ast.unparse(statement.test) == "TYPE_CHECKING":
            continue  # never runs
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            nodes += _import_nodes(statement.body, eager=eager and isinstance(statement, ast.ClassDef))
        else:
            for child_body in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(statement, child_body, []):
                    inner = child.body if isinstance(child, ast.ExceptHandler) else [child]
                    nodes += _import_nodes(inner, eager)
    return nodes


def _imported_names(node: ast.Import | ast.ImportFrom, package: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        base = ".".join([*anchor, *([base] if base else [])])
    names = []
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        is_module = (HELPER.parent / Path(*submodule.split("."))).with_suffix(".py").is_file()
        names.append(submodule if is_module else base)
    return names


def _part_of(name: str) -> str | None:
    module = modules().get(name)
    return module.part if module is not None else None


def _eager_closure(name: str) -> set[str]:
    """Every module imported when this one is (packages' __init__ included), own and others'."""
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        parents = [".".join(current.split(".")[:i]) for i in range(1, current.count(".") + 1)]
        for candidate in [*parents, current]:
            if candidate in seen:
                continue
            seen.add(candidate)
            if candidate in modules():
                pending.extend(modules()[candidate].eager)
    return seen


def _top_level(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names if not name.startswith(f"{PACKAGE}.") and name != PACKAGE}


@pytest.mark.parametrize("part", sorted(MAY_IMPORT))
def test_each_folder_imports_only_the_folders_below_it(part):
    broken = [
        f"{module.name} imports {imported}"
        for module in modules().values()
        if module.part == part
        for imported in sorted(module.anywhere)
        if _part_of(imported) not in (None, "package", *MAY_IMPORT[part])
    ]
    assert not broken, f"{part} may import only {sorted(MAY_IMPORT[part])}: {broken}"


FLOWS = ("chat", "chat_completions", "stored", "response", "stored_response")
# A flow may build on another only where MAY_IMPORT says so: chat_completions maps the chat flow over keys.
BUILT_ON = {"chat_completions": {"chat"}}


def test_no_flow_knows_another_but_the_one_it_is_built_on():
    for flow in FLOWS:
        others = set(FLOWS) - {flow} - BUILT_ON.get(flow, set())
        for module in modules().values():
            if module.part == flow:
                assert not {_part_of(name) for name in module.anywhere} & others, module.name


def test_the_worker_reaches_the_flows_only_through_the_entry():
    for module in modules().values():
        if module.part == "worker":
            assert not {_part_of(name) for name in module.anywhere} & set(FLOWS), module.name


def test_only_sdk_py_imports_the_openai_sdk():
    """sdk.py removes OPENAI_LOG before the import: an import anywhere else could come first."""
    importers = sorted(m.name for m in modules().values() if "openai" in _top_level(m.anywhere))
    assert importers == [f"{PACKAGE}.openai_api.sdk"]


def test_no_module_is_loaded_by_name():
    for module in modules().values():
        text = module.path.read_text()
        assert "importlib" not in _top_level(module.anywhere) and "__import__" not in text, module.name


@pytest.mark.parametrize("module", ["worker.client", "python_env.locate"])
def test_the_calling_side_imports_only_what_python_loaded_at_start(module):
    """helper/main.py runs these on every call, on any interpreter: anything more costs every call."""
    others = _top_level(_eager_closure(f"{PACKAGE}.{module}"))
    assert others <= CALLING_SIDE_IMPORTS, others - CALLING_SIDE_IMPORTS


@pytest.mark.parametrize(
    "module",
    [
        "entry",
        "chat.flow",
        "chat_completions.flow",
        "answers.answer",
        "stored.flow",
        "response.flow",
        "stored_response.flow",
        "worker.server",
    ],
)
def test_heavy_packages_wait_for_the_call_that_needs_them(module):
    """A cache hit, a bad query and the worker's own loop import neither the SDK, jsonschema nor tenacity."""
    closure = _eager_closure(f"{PACKAGE}.{module}")
    assert not _top_level(closure) & HEAVY
    assert f"{PACKAGE}.openai_api.sdk" not in closure


def test_every_module_is_read():
    """The rules above see every file: a module the reader missed would pass unseen."""
    assert len(modules()) == len(list(PACKAGE_DIR.rglob("*.py")))
    assert {module.part for module in modules().values()} == {*MAY_IMPORT, "package"}
