#!/usr/bin/env bash
# Applies one example with the project's toolchain: scripts/run_example.sh [--local] EXAMPLE
#   --local  starts the OpenAI-compatible test server on 127.0.0.1 and applies against it.
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools=$repo_root/.tools
local_server=""
if [ "${1:-}" = "--local" ]; then local_server=1; shift; fi
example=${1:-basic_chat}
example_dir=$repo_root/examples/$example
[ -d "$example_dir" ] || { echo "no example named '$example' (see examples/)" >&2; exit 2; }

export PATH=$tools/venv/bin:$tools/bin:$PATH TF_CLI_CONFIG_FILE=$tools/terraformrc CHECKPOINT_DISABLE=1 TF_INPUT=0
# scripts/toolchain.sh records a piece it could not provide in toolchain.tsv: role, "unavailable", why.
external_missing=$(awk -F '\t' '$1 == "external" && $2 == "unavailable" { print $3 }' "$tools/toolchain.tsv" 2>/dev/null || true)
if [ -n "$external_missing" ]; then
  echo "cannot apply: $external_missing." >&2
  echo "Do what it says, then run 'make setup' again." >&2
  exit 1
fi

if [ -n "$local_server" ]; then
  port=${CHAT_LOCAL_PORT:-8787}
  (cd "$repo_root" && exec python -m testing.openai_server --port "$port") &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null || true' EXIT
  sleep 1
  export OPENAI_BASE_URL=http://127.0.0.1:$port/v1 OPENAI_API_KEY=${OPENAI_API_KEY:-sk-local-test-server}
elif [ -z "${OPENAI_API_KEY:-}" ]; then
  cat >&2 <<MESSAGE
OPENAI_API_KEY is not set, so examples/$example cannot ask the API.
  - For the OpenAI API:                export OPENAI_API_KEY=sk-...   then: make apply EXAMPLE=$example
  - For an OpenAI-compatible server:   export OPENAI_BASE_URL=http://host:port/v1 OPENAI_API_KEY=<any key it accepts>
  - For the local test server here:    make demo-local EXAMPLE=$example
MESSAGE
  exit 2
fi

workdir=$tools/runs/$example
rm -rf "$workdir" && mkdir -p "$workdir"
cp "$example_dir"/*.tf "$workdir"/
# A relative source, as users write it: an absolute one is installed as a package, and a second call
# of the same module (examples/stored_completion) would get a copy without ../../helper beside it.
sed -i "s|\.\./\.\./modules/|../../../modules/|" "$workdir"/*.tf
echo "[apply] examples/$example with $(terraform version | sed -n 1p) against ${OPENAI_BASE_URL:-https://api.openai.com/v1}" >&2
terraform -chdir="$workdir" init -input=false >/dev/null
terraform -chdir="$workdir" apply -auto-approve -input=false
