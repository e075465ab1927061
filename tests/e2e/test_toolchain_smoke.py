"""The toolchain: every tool installs hashicorp/external from the mirror and runs a Python program,
and the floors are exactly the oldest versions the modules declare."""

import re
from pathlib import Path

from testing.paths import REPO_ROOT
from testing.terraform_tool import TOOLS_THAT_RAN, Tool

SMOKE = Path(__file__).parent / "smoke"
MODULES = sorted(p for p in (REPO_ROOT / "modules").iterdir() if (p / "versions.tf").is_file())


def declared_floor(module: Path, product: str) -> str:
    """The version in a module's required_version ">= x.y.z": OpenTofu reads versions.tofu where it exists."""
    file = module / "versions.tf"
    if product == "OpenTofu" and (module / "versions.tofu").is_file():
        file = module / "versions.tofu"
    [floor] = re.findall(r'required_version\s*=\s*">=\s*([0-9.]+)"', file.read_text())
    return floor


def test_plan_and_apply_run_python_through_the_mirror(every_tool: Tool, tmp_path):
    tool = every_tool
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
    product = "OpenTofu" if tool.name.startswith("tofu") else "Terraform"
    banner = tool.run(workdir, "version").stdout.splitlines()[0]
    assert banner.startswith(f"{product} v{version}"), banner
    if tool.name.endswith("-floor"):
        for module in MODULES:
            floor = declared_floor(module, product)
            assert version == floor, f"{module.name} declares {product} >= {floor}; the floor tested is {version}"
    TOOLS_THAT_RAN.append(
        f"{tool.name}: {banner} (hashicorp/external from the mirror, Python {outputs['python']['value']})"
    )
