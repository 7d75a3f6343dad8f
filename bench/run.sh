#!/usr/bin/env bash
# Runs every benchmark: bench/bench_*.sh scripts, then bench executables.
# Usage: bench/run.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
for s in "$here"/bench_*.sh; do
  [ -e "$s" ] || continue
  echo "== $(basename "$s")"
  bash "$s" "$build"
done
for b in "$build"/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b"
done
