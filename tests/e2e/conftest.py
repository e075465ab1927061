"""The end-to-end fixtures: the real Terraform and OpenTofu, with the real hashicorp/external, on
this repository (testing/terraform_tool.py)."""

import os
from pathlib import Path
from typing import Any

import pytest

from testing.helper_process import own_rate_limits_env
from testing.terraform_tool import Tool
from testing.toolchain import CURRENT_TOOLS, EVERY_TOOL, in_ci, require_tool, terraform_unavailable_reason


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks the end-to-end tests; without the toolchain they are skipped with the reason, or, under
    CI, fail: in CI every end-to-end test runs."""
    reason = terraform_unavailable_reason()
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            if reason and not in_ci():
                item.add_marker(pytest.mark.skip(reason=f"end-to-end: {reason}"))


@pytest.fixture(params=CURRENT_TOOLS)
def tool(request: pytest.FixtureRequest, openai_server: Any, tmp_path: Path) -> Tool:
    """The current Terraform and OpenTofu: the whole end-to-end suite runs on both (each test with a
    rate-limit view of its own)."""
    require_tool(request.param)
    return Tool(request.param, openai_server.base_url, own_rate_limits_env(tmp_path))


@pytest.fixture(params=EVERY_TOOL)
def every_tool(request: pytest.FixtureRequest, openai_server: Any, tmp_path: Path) -> Tool:
    """The current versions and the floors the modules declare (the oldest Terraform and OpenTofu
    the registries give): for the tests that hold the declared floor true."""
    require_tool(request.param)
    return Tool(request.param, openai_server.base_url, own_rate_limits_env(tmp_path))
