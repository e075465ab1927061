#!/usr/bin/env bash
# Applies one example: scripts/run_example.sh [--local] EXAMPLE (make apply, make demo-local)
#   --local  against the OpenAI-compatible test server (testing/openai_server.py), started on
#            127.0.0.1 for this apply and stopped after it: no key, no network.
# Builds only what applying uses (scripts/toolchain.sh apply: Terraform and hashicorp/external, not
# OpenTofu nor the test environments), and makes the helper's private Python environment before the
# plan, so the plan does not sit at "Still reading..." while it is made.
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools=$repo_root/.tools
local_server=""
if [ "${1:-}" = "--local" ]; then local_server=1; shift; fi
example=${1:-basic_chat}
example_dir=$repo_root/examples/$example

# What can be said at once comes first: a wrong name or a missing key costs no build.
if [[ ! $example =~ ^[A-Za-z0-9_-]+$ ]] || [ ! -f "$example_dir/main.tf" ]; then
  names=$(cd "$repo_root/examples" && ls -d -- */ | tr -d / | paste -sd ' ')
  echo "no example named '$example'; the examples (examples/<name>, EXAMPLE=<name>) are:" >&2
  fold -s -w 96 <<<"$names" | sed 's/ *$//; s/^/  /' >&2
  exit 2
fi
if [ -z "$local_server" ] && [ -z "${OPENAI_API_KEY:-}" ]; then
  cat >&2 <<MESSAGE
OPENAI_API_KEY is not set, so examples/$example cannot ask the API.
  - No key yet: the local test server here:  make demo-local EXAMPLE=$example
  - For the OpenAI API:                      export OPENAI_API_KEY=sk-...   then: make apply EXAMPLE=$example
  - For an OpenAI-compatible server:         export OPENAI_BASE_URL=http://host:port/v1 OPENAI_API_KEY=<any key it accepts>
MESSAGE
  exit 2
fi

# The environment the module's first plan would make (with the python3 it runs), made now and beside the
# build of the tools: its progress shows here, where a plan would show only "Still reading...".
# Ready already: a file read.
python3 "$repo_root/helper/main.py" prepare >/dev/null &
preparing=$!
trap 'kill "$preparing" 2>/dev/null || true' EXIT # a failed build stops it (a half-made one is never used)
bash "$repo_root/scripts/toolchain.sh" apply
wait "$preparing"
trap - EXIT
export PATH=$tools/bin:$PATH TF_CLI_CONFIG_FILE=$tools/terraformrc CHECKPOINT_DISABLE=1 TF_INPUT=0
# scripts/toolchain.sh records a piece it could not provide in toolchain.tsv: role, "unavailable", why.
external_missing=$(awk -F '\t' '$1 == "external" && $2 == "unavailable" { print $3 }' "$tools/toolchain.tsv" 2>/dev/null || true)
if [ -n "$external_missing" ]; then
  echo "cannot apply: $external_missing." >&2
  echo "Do what it says, then run this again." >&2
  exit 1
fi

if [ -n "$local_server" ]; then
  server_log=$(mktemp "${TMPDIR:-/tmp}/openai-server.XXXXXX")
  (cd "$repo_root" && exec python3 -m testing.openai_server --port "${CHAT_LOCAL_PORT:-0}") >"$server_log" 2>&1 &
  server_pid=$!
  trap '{ kill "$server_pid" && wait "$server_pid"; } 2>/dev/null || true; rm -f "$server_log"' EXIT # gone before the demo ends
  # Its first line, written once it listens, names its address (a free port unless CHAT_LOCAL_PORT).
  until base_url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/v1' "$server_log"); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "the local test server did not start:" >&2
      tail -n 3 "$server_log" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "[demo-local] the local test server answers on $base_url for this apply, and stops after it" >&2
  # Never the user's own key: the test server takes any.
  export OPENAI_BASE_URL=$base_url OPENAI_API_KEY=sk-local-test-server
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
