#!/usr/bin/env bash
# Builds the OpenTofu CLI from the Go module proxy into .cache/bin/tofu, so `make testacc-opentofu`
# needs no release download. OpenTofu's go.mod replaces hashicorp/hcl with its own fork; replace
# directives of a dependency are ignored, so the throwaway module repeats it (read from that go.mod,
# never hard-coded) to build what OpenTofu releases. Idempotent: does nothing when the binary
# already reports the requested version. A cold build takes ~7 minutes and ~2 GB.
set -euo pipefail
cd "$(dirname "$0")/.."

TOFU_VERSION="${TOFU_VERSION:-1.11.0}"
root="$PWD/.cache"
bin="$root/bin/tofu"
work="$root/tofu-build"

# Captured first: piping into head would SIGPIPE tofu and, under pipefail, fail the check.
have=""
[[ -x "$bin" ]] && have="$("$bin" version 2>/dev/null || true)"
if [[ "${have%%$'\n'*}" == "OpenTofu v${TOFU_VERSION}" ]]; then
	echo "OpenTofu v${TOFU_VERSION} already built: $bin"
	exit 0
fi

mkdir -p "$work" "$root/bin"
cd "$work"
# The module is rebuilt from scratch so a version change leaves nothing stale behind.
rm -f go.mod go.sum
cat > go.mod <<MOD
module tofu-build

go 1.25.5
MOD

# Outside the provider's module: GOFLAGS from the caller (e.g. -mod=vendor) must not apply here.
export GOFLAGS=-buildvcs=false
go mod download "github.com/opentofu/opentofu@v${TOFU_VERSION}"
src="$(go mod download -json "github.com/opentofu/opentofu@v${TOFU_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"

go mod edit -require="github.com/opentofu/opentofu@v${TOFU_VERSION}"
# Carry over OpenTofu's replace directives (today only github.com/hashicorp/hcl/v2 => opentofu/hcl).
# The version on the left is dropped so the fork applies whatever hcl version the build selects.
grep -E '^replace ' "$src/go.mod" | sed -E 's/^replace +//; s/ *=> */|/' | while IFS='|' read -r left right; do
	read -r old _ <<<"$left"
	read -r new newver <<<"$right"
	go mod edit -replace="${old}=${new}${newver:+@$newver}"
done
# Its godebug settings too (tlsmlkem=0 etc.), so the binary behaves like a release build.
awk '/^godebug \(/{f=1;next} f&&/^\)/{f=0} f{sub(/\/\/.*/,""); gsub(/[ \t]/,""); if($0!="") print}' "$src/go.mod" |
	while read -r d; do go mod edit -godebug="$d"; done
cat > tools.go <<'GO'
//go:build tools

package tofubuild

import _ "github.com/opentofu/opentofu/cmd/tofu"
GO
go mod tidy
go list -m github.com/hashicorp/hcl/v2 | grep -q '=> github.com/opentofu/hcl' ||
	{ echo "build-tofu: the hcl replace did not apply" >&2; exit 1; }
# version.dev=no drops the "-dev" suffix, as OpenTofu's release builds do.
go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$bin" github.com/opentofu/opentofu/cmd/tofu
"$bin" version 2>/dev/null | sed -n 1p
