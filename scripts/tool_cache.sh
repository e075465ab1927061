# The cache of built tools, sourced by scripts/toolchain.sh (and by tests/test_tool_cache.py).
#
#   cached KEY BUILDER   prints the folder of a complete entry $cache_root/KEY, first building it
#                        with `BUILDER <folder>` when it is absent, incomplete or damaged.
#
# An entry is complete when its manifest of checksums, written as the build's last step, checks
# out. Builders write into KEY.partial, which is renamed into place once its manifest is written,
# under a lock per entry, so two set-ups at once build an entry once and an interrupted build is
# never used. Needs: cache_root set; flock and sha256sum on PATH.

entry_is_complete() { # entry_is_complete DIR: its manifest exists and every checksum matches
  [ -s "$1/.manifest" ] && (cd "$1" && sha256sum --quiet --strict -c .manifest >/dev/null 2>&1)
}

cached() {
  local key=$1 builder=$2
  local entry=$cache_root/$key lock_fd
  mkdir -p "$cache_root"
  if entry_is_complete "$entry"; then
    printf '[toolchain]   cached: %s\n' "$entry" >&2
    printf '%s\n' "$entry"
    return
  fi
  exec {lock_fd}>"$cache_root/.$key.lock"
  flock "$lock_fd"
  if ! entry_is_complete "$entry"; then
    if [ -e "$entry" ] || [ -e "$entry.partial" ]; then
      printf '[toolchain]   %s is incomplete or damaged (an interrupted build?): building it again\n' "$entry" >&2
    fi
    rm -rf "$entry" "$entry.partial"
    printf '[toolchain]   building %s (once per machine; later set-ups reuse it)\n' "$entry" >&2
    mkdir -p "$entry.partial"
    "$builder" "$entry.partial"
    (cd "$entry.partial" && find . -type f ! -name .manifest -print0 | sort -z | xargs -0 -r sha256sum >.manifest)
    mv "$entry.partial" "$entry"
  fi
  exec {lock_fd}>&-
  printf '%s\n' "$entry"
}
