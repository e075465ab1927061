"""scripts/tool_cache.sh: a built tool is reused, and an interrupted or damaged build is never used."""

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from testing.paths import REPO_ROOT

TOOL_CACHE = REPO_ROOT / "scripts" / "tool_cache.sh"


def cached(cache_root: Path, builder: str, key: str = "tool-1.0") -> subprocess.CompletedProcess[str]:
    """Runs `cached KEY build` in bash, with `build` defined by the given body ($1 is the folder)."""
    script = f"set -euo pipefail\nsource {TOOL_CACHE}\ncache_root={cache_root}\n"
    script += f"build() {{\n{builder}\n}}\ncached {key} build\n"
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False)


BUILDER = 'echo built >>"$BUILDS"; printf "binary" >"$1/tool"'


def builds(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_a_built_entry_is_reused_without_building_again(tmp_path):
    log = tmp_path / "builds.log"
    builder = BUILDER.replace("$BUILDS", str(log))
    first = cached(tmp_path / "cache", builder)
    second = cached(tmp_path / "cache", builder)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout.strip() == second.stdout.strip() == str(tmp_path / "cache" / "tool-1.0")
    assert (tmp_path / "cache" / "tool-1.0" / "tool").read_text() == "binary"
    assert builds(log) == 1
    assert "cached:" in second.stderr


def test_an_interrupted_build_is_never_used_and_is_built_again(tmp_path):
    log = tmp_path / "builds.log"
    interrupted = cached(tmp_path / "cache", 'printf "half" >"$1/tool"; kill -9 $$')
    assert interrupted.returncode != 0
    assert not (tmp_path / "cache" / "tool-1.0").exists(), "a build that did not finish must not be an entry"

    again = cached(tmp_path / "cache", BUILDER.replace("$BUILDS", str(log)))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "cache" / "tool-1.0" / "tool").read_text() == "binary"
    assert builds(log) == 1 and "building it again" in again.stderr


def test_a_damaged_entry_is_detected_and_built_again(tmp_path):
    log = tmp_path / "builds.log"
    builder = BUILDER.replace("$BUILDS", str(log))
    assert cached(tmp_path / "cache", builder).returncode == 0
    (tmp_path / "cache" / "tool-1.0" / "tool").write_text("truncat")

    again = cached(tmp_path / "cache", builder)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "cache" / "tool-1.0" / "tool").read_text() == "binary"
    assert builds(log) == 2


def test_an_entry_without_its_manifest_is_built_again(tmp_path):
    log = tmp_path / "builds.log"
    builder = BUILDER.replace("$BUILDS", str(log))
    assert cached(tmp_path / "cache", builder).returncode == 0
    (tmp_path / "cache" / "tool-1.0" / ".manifest").unlink()

    assert cached(tmp_path / "cache", builder).returncode == 0
    assert builds(log) == 2


def test_a_failed_build_leaves_no_entry_and_fails_the_set_up(tmp_path):
    failed = cached(tmp_path / "cache", 'printf "x" >"$1/tool"; false')
    assert failed.returncode != 0
    assert not (tmp_path / "cache" / "tool-1.0").exists()


def test_set_ups_at_once_build_an_entry_once(tmp_path):
    log = tmp_path / "builds.log"
    builder = "sleep 0.3; " + BUILDER.replace("$BUILDS", str(log))
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: cached(tmp_path / "cache", builder), range(4)))
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    assert builds(log) == 1
