"""A real LiteLLM proxy on 127.0.0.1 in front of an OpenAI-compatible upstream (the loopback server).

LiteLLM 1.108.7 lives in a virtualenv of its own (.tools/gateway-venv, from
testing/gateway/requirements.lock, built by scripts/toolchain.sh): its dependencies are not the
helper's. The proxy starts offline (the model cost map bundled with it, telemetry off, no database,
no docs pages), with a master key made fresh for each gateway, on a free port, and with every retry,
fallback and cooldown of its own off, so the helper's retry policy is the only one. Its config file
holds no secret: the master key and the upstream key reach it in its environment.
Self-contained: it imports nothing from the project.

    with OpenAIServer(api_key=key) as upstream, LiteLLMGateway(upstream.base_url, key) as gateway:
        client = openai.OpenAI(base_url=gateway.base_url, api_key=gateway.master_key, max_retries=0)

Run it by hand:  python -m testing.litellm_gateway --upstream http://127.0.0.1:8787/v1
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

LITELLM_VERSION = "1.108.7"
REPO_ROOT = Path(__file__).resolve().parents[1]
GATEWAY_VENV = REPO_ROOT / ".tools" / "gateway-venv"
# The model names the tests use; with `wildcard` any other name is passed through to the upstream too.
DEFAULT_MODELS = ("gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo", "gpt-4")
START_SECONDS = 120.0  # 7-8 s on a busy 2-core machine (bytecode compiled at install), more under a parallel run
STOP_SECONDS = 10.0
LOG_TAIL_LINES = 40


def gateway_python(venv: Path = GATEWAY_VENV) -> Path | None:
    """The gateway virtualenv's interpreter, when LiteLLM is installed in it."""
    python = venv / "bin" / "python"
    installed = venv / ".installed"
    return python if os.access(python, os.X_OK) and installed.is_file() else None


def gateway_unavailable_reason(venv: Path = GATEWAY_VENV) -> str | None:
    """Why no gateway can be started here, or None when one can."""
    if gateway_python(venv) is None:
        return (
            f"the LiteLLM {LITELLM_VERSION} gateway's virtualenv is missing or half-made at {venv}: "
            "run scripts/toolchain.sh (make setup) without TOOLCHAIN_SKIP_GATEWAY"
        )
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        port: int = listener.getsockname()[1]
        return port


def make_master_key() -> str:
    """A master key of LiteLLM's shape (sk-...), unique to one gateway."""
    return "sk-gateway-canary-" + secrets.token_hex(20)


class LiteLLMGateway:
    """LiteLLM's proxy serving /v1 on 127.0.0.1:<port>; every model name goes to `openai/<name>` upstream."""

    def __init__(
        self,
        upstream_base_url: str,
        upstream_api_key: str,
        *,
        master_key: str | None = None,
        models: Sequence[str] = DEFAULT_MODELS,
        wildcard: bool = True,
        upstream_timeout_seconds: float = 60.0,
        extra_models: Mapping[str, Mapping[str, Any]] | None = None,
        own_retries: bool = False,
        litellm_settings: Mapping[str, Any] | None = None,
        venv: Path = GATEWAY_VENV,
    ) -> None:
        """extra_models: more model names, each with litellm_params over the upstream's (another api_base,
        timeout...). own_retries: leave LiteLLM's retries, fallbacks and cooldowns at its defaults, as a
        team's gateway has them unless told otherwise. litellm_settings: over the harness's (for instance
        enable_preview_features: True, without which LiteLLM drops a request's metadata)."""
        self.upstream_base_url = upstream_base_url
        self.upstream_api_key = upstream_api_key
        self.master_key = master_key or make_master_key()
        self.models = tuple(models)
        self.wildcard = wildcard
        self.upstream_timeout_seconds = upstream_timeout_seconds
        self.extra_models = {name: dict(params) for name, params in (extra_models or {}).items()}
        self.own_retries = own_retries
        self.litellm_settings = dict(litellm_settings or {})
        self.venv = venv
        self.folder = Path()  # its config and log (start() makes it)
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.started_in_seconds = 0.0  # from the process's start until it answered

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1"

    @property
    def log_path(self) -> Path:
        return self.folder / "litellm.log"

    def config(self) -> dict[str, Any]:
        """The proxy's config.yaml (written as JSON, which YAML reads): the models, and no retries of its own."""
        deployment: dict[str, Any] = {
            "api_base": "os.environ/GATEWAY_UPSTREAM_BASE_URL",
            "api_key": "os.environ/GATEWAY_UPSTREAM_API_KEY",
            "timeout": self.upstream_timeout_seconds,
        }
        settings: dict[str, Any] = {"drop_params": False, "request_timeout": self.upstream_timeout_seconds}
        router: dict[str, Any] = {}
        if not self.own_retries:
            # Left alone, the router retries twice (3 requests upstream for one 500 or 429), falls back
            # and cools deployments down; max_retries is the openai client's inside LiteLLM (0 there in
            # 1.108.7 already: set so that a later default cannot bring a second policy back).
            deployment["max_retries"] = 0
            settings["num_retries"] = 0
            router = {
                "num_retries": 0,
                "retry_after": 0,
                "disable_cooldowns": True,
                "fallbacks": [],
                "context_window_fallbacks": [],
                "content_policy_fallbacks": [],
                "default_fallbacks": [],
                "max_fallbacks": 0,
            }
        names: dict[str, dict[str, Any]] = {name: {} for name in (*self.models, *(["*"] if self.wildcard else []))}
        model_list = [
            {"model_name": name, "litellm_params": {"model": f"openai/{name}", **deployment, **params}}
            for name, params in {**names, **self.extra_models}.items()
        ]
        return {
            "model_list": model_list,
            "litellm_settings": {**settings, **self.litellm_settings},
            "router_settings": router,
            "general_settings": {
                "master_key": "os.environ/LITELLM_MASTER_KEY",
                "disable_model_info_refresh": True,  # else it asks the upstream for its models at start
            },
        }

    def environment(self) -> dict[str, str]:
        """The proxy's whole environment: none of the machine's keys, proxies or database URLs get in."""
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.folder),
            "LITELLM_MASTER_KEY": self.master_key,
            "GATEWAY_UPSTREAM_BASE_URL": self.upstream_base_url,
            "GATEWAY_UPSTREAM_API_KEY": self.upstream_api_key,
            "LITELLM_MODE": "PRODUCTION",  # DEV (the default) loads a .env file from the working folder
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",  # the bundled map: no fetch from GitHub at start
            "LITELLM_TELEMETRY_DISABLED": "true",
            "LITELLM_DONT_SHOW_FEEDBACK_BOX": "True",
            "LITELLM_LOG": "INFO",
            "NO_DOCS": "True",
            "NO_REDOC": "True",
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def start(self) -> LiteLLMGateway:
        python = gateway_python(self.venv)
        if python is None:
            raise RuntimeError(gateway_unavailable_reason(self.venv))
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="litellm-gateway-"))
        config_path = self.folder / "config.yaml"
        config_path.write_text(json.dumps(self.config(), indent=2) + "\n")
        arguments = [
            str(python),
            "-m",
            "litellm.proxy.proxy_cli",
            "--config",
            str(config_path),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--num_workers",
            "1",
        ]
        log = open(self.log_path, "wb")  # noqa: SIM115 - the process keeps it
        try:
            self.process = subprocess.Popen(
                arguments,
                cwd=self.folder,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        """Until the proxy answers its liveness probe (it listens only once its config is loaded)."""
        started = time.monotonic()
        while time.monotonic() - started < START_SECONDS:
            if self.process is not None and self.process.poll() is not None:
                self._fail(f"LiteLLM exited with status {self.process.returncode} before it answered")
            try:
                with urllib.request.urlopen(f"{self.origin}/health/liveliness", timeout=2) as response:
                    if response.status == 200:
                        self.started_in_seconds = time.monotonic() - started
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        self._fail(f"LiteLLM did not answer on {self.origin} within {START_SECONDS:.0f} s")

    def _fail(self, what: str) -> None:
        tail = self.log_tail()
        self.stop()
        raise RuntimeError(f"{what}; the last lines of its log:\n{tail}")

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after STOP_SECONDS; removes its folder."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.folder.name.startswith("litellm-gateway-"):
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> LiteLLMGateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="the upstream's base URL, ending in /v1")
    parser.add_argument("--upstream-key", default=os.environ.get("OPENAI_API_KEY", "none"))
    arguments = parser.parse_args()
    with LiteLLMGateway(arguments.upstream, arguments.upstream_key) as gateway:
        print(f"LiteLLM {LITELLM_VERSION} on {gateway.base_url}; master key {gateway.master_key}", flush=True)
        print(f"its log: {gateway.log_path}; Ctrl-C stops it", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())


def require_gateway() -> None:
    """Skips the calling test when no gateway can run here, naming why; under CI fails it instead."""
    from .toolchain import recorded_unavailable_reason, require

    require("the LiteLLM gateway", recorded_unavailable_reason("gateway") or gateway_unavailable_reason())
