"""The toolchain: both tools install hashicorp/external from the mirror and run a Python program."""

import re
from pathlib import Path

from tests.e2e.conftest import TOOLS_THAT_RAN, Tool

SMOKE = Path(__file__).parent / "smoke"


def test_plan_and_apply_run_python_through_the_mirror(tool: Tool, tmp_path):
    workdir = tmp_path / "smoke"
    workdir.mkdir()
    (workdir / "main.tf").write_text((SMOKE / "main.tf").read_text())
    init = tool.run(workdir, "init", "-input=false")
    assert re.search(r"Installed hashicorp/external v2\.\d+\.\d+", init.stdout), init.stdout
    assert tool.plan_exit_code(workdir) == 2
    tool.run(workdir, "apply", "-auto-approve", "-input=false")
    outputs = tool.outputs(workdir)
    assert outputs["echo"]["value"] == "hello"
    version = tool.version()
    product = "OpenTofu" if tool.name == "tofu" else "Terraform"
    banner = tool.run(workdir, "version").stdout.splitlines()[0]
    assert banner.startswith(f"{product} v{version}"), banner
    TOOLS_THAT_RAN.append(f"{banner} (hashicorp/external from the mirror, Python {outputs['python']['value']})")
