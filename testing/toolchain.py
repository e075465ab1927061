"""Where scripts/toolchain.sh puts the toolchain, which tools it built, and why any is missing."""

import os

from .paths import TOOLS

MANIFEST = TOOLS / "toolchain.tsv"
CURRENT_TOOLS = ("terraform", "tofu")  # the whole end-to-end suite runs on these
FLOOR_TOOLS = ("terraform-floor", "tofu-floor")  # the oldest versions the modules declare
EVERY_TOOL = (*CURRENT_TOOLS, *FLOOR_TOOLS)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable() -> dict[str, str]:
    """role -> the reason scripts/toolchain.sh recorded for not providing it."""
    if not MANIFEST.is_file():
        return {}
    reasons = {}
    for line in MANIFEST.read_text().splitlines():
        role, kind, detail = [*line.split("\t", 2), "", ""][:3]
        if kind == "unavailable":
            reasons[role] = detail
    return reasons


def recorded_unavailable_reason(role: str) -> str | None:
    """Why scripts/toolchain.sh did not provide this piece (TOOLCHAIN_SKIP_...), if it said so."""
    return _unavailable().get(role)


def terraform_unavailable_reason() -> str | None:
    """Why no configuration can be planned with the module here, or None when it can."""
    if not (TOOLS / "terraformrc").is_file() or not MANIFEST.is_file():
        return "the toolchain is not built: run scripts/toolchain.sh (make setup)"
    return _unavailable().get("external")


def tool_unavailable_reason(role: str) -> str | None:
    """Why this tool (terraform, tofu, or a floor) cannot run here, or None when it can."""
    return terraform_unavailable_reason() or binary_unavailable_reason(role)


def binary_unavailable_reason(role: str) -> str | None:
    """Why .tools/bin/<role> is missing (for terraform-docs, which needs no provider), or None."""
    reason = _unavailable().get(role)
    if reason is None and not (TOOLS / "bin" / role).exists():
        reason = f"{role} is not in .tools/bin: run scripts/toolchain.sh (make setup)"
    return reason


def provider_available(name: str) -> bool:
    return name not in _unavailable() and any((TOOLS / "mirror").glob(f"*/hashicorp/{name}/*"))


def require_tool(role: str, plans: bool = True) -> None:
    """Skips the calling test when the tool cannot run here, naming why; under CI fails it instead.
    plans: the tool plans configurations (so it needs the provider too); terraform-docs does not."""
    require(role, tool_unavailable_reason(role) if plans else binary_unavailable_reason(role))


def require(what: str, reason: str | None) -> None:
    """Skips the calling test when reason says why what cannot run here; under CI fails it instead."""
    import pytest

    if reason is None:
        return
    if in_ci():
        pytest.fail(f"CI=true and {what} cannot run: {reason}", pytrace=False)
    pytest.skip(f"{what}: {reason}")
