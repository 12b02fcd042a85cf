#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 10s each). Targets are listed here so that a
# new one is not silently skipped: go test -fuzz takes one target per run.
set -euo pipefail
t=${1:-10s}
run() { go test -run='^$' -fuzz="^$2\$" -fuzztime="$t" "$1"; }
for target in $(grep -rhoE '^func (Fuzz[A-Za-z0-9_]+)' --include='*_test.go' internal | sed 's/^func //'); do
  pkg=$(grep -rlE "^func $target\(" --include='*_test.go' internal | head -1 | xargs dirname)
  echo "==> fuzzing $target in ./$pkg for $t"
  run "./$pkg" "$target"
done
