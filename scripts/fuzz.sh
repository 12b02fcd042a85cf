#!/usr/bin/env bash
# Runs fuzz targets for a bounded time each (default 10s): every target under internal/, or only
# those in the package directories given after the time. go test -fuzz takes one target per run,
# and the targets are found here so that a new one is not silently skipped.
set -euo pipefail
t=${1:-10s}
shift || true
dirs=("${@:-internal}")
for target in $(grep -rhoE '^func (Fuzz[A-Za-z0-9_]+)' --include='*_test.go' "${dirs[@]}" | sed 's/^func //' | sort -u); do
  pkg=$(grep -rlE "^func $target\(" --include='*_test.go' "${dirs[@]}" | head -1 | xargs dirname)
  echo "==> fuzzing $target in ./$pkg for $t"
  go test -run='^$' -fuzz="^$target\$" -fuzztime="$t" "./$pkg"
done
