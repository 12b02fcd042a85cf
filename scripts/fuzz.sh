#!/usr/bin/env bash
# Runs fuzz targets for a bounded number of inputs each (default 100000x): every target under
# internal/, or only those in the package directories given after the budget. go test -fuzz takes
# one target per run, and the targets are found here so that a new one is not silently skipped.
#
# The budget is a count, not a duration, on purpose. With a duration (-fuzztime=10s), Go's fuzzing
# coordinator up to and including Go 1.26 can report its own deadline as a failure of the target
# ("--- FAIL: FuzzX (10.09s) context deadline exceeded", no input written): the deadline reaches
# its loop before the workers' context is cancelled, so the check that should treat it as a normal
# stop misses it (golang/go#75804, fixed in Go 1.27). A count never sets that deadline, so a failure
# here is always the target's. A duration still works (FUZZTIME=60s) for a longer local run.
set -euo pipefail
t=${1:-100000x}
shift || true
dirs=("${@:-internal}")
for target in $(grep -rhoE '^func (Fuzz[A-Za-z0-9_]+)' --include='*_test.go' "${dirs[@]}" | sed 's/^func //' | sort -u); do
  pkg=$(grep -rlE "^func $target\(" --include='*_test.go' "${dirs[@]}" | head -1 | xargs dirname)
  echo "==> fuzzing $target in ./$pkg for $t"
  go test -run='^$' -fuzz="^$target\$" -fuzztime="$t" "./$pkg"
done
