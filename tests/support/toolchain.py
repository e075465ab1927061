"""Where scripts/toolchain.sh puts the toolchain, and whether Terraform/OpenTofu can run here."""

from pathlib import Path

TOOLS = Path(__file__).resolve().parents[2] / ".tools"


def terraform_unavailable_reason() -> str | None:
    """Why no configuration can be planned with the module here, or None when it can."""
    if not (TOOLS / "terraformrc").is_file():
        return "the toolchain is not built: run scripts/toolchain.sh (make setup)"
    marker = TOOLS / "external.unavailable"
    if marker.is_file():
        return marker.read_text().strip()
    return None
