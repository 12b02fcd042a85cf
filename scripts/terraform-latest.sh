#!/usr/bin/env bash
# make terraform-latest: makes sure TF_LATEST is a Terraform CLI recent enough for list resources
# (`terraform query`), actions and import by identity (Terraform >= TF_LATEST_MIN, 1.14), which
# `make generate` and `make testacc-terraform-latest` need. The machines have an older Terraform on
# PATH and cannot download release binaries.
#
# TF_LATEST left at its default (TF_LATEST_DEFAULT, .cache/bin/terraform-$TF_LATEST_VERSION): built
# from the source archive in TF_TOOLCHAIN (../shared/toolchains/terraform, beside the repository)
# by its build.sh, which does nothing when the binary already is that version; a cold build takes
# 4 to 9 minutes and 2 GB. Without TF_TOOLCHAIN, a Terraform >= TF_LATEST_MIN already at that path
# is used as is. TF_LATEST set to another path: that binary is checked, never built or replaced.
set -euo pipefail
cd "$(dirname "$0")/.."

want="${TF_LATEST_VERSION:?TF_LATEST_VERSION is not set (run make terraform-latest)}"
min="${TF_LATEST_MIN:-1.14}"
default_bin="$(realpath -m "${TF_LATEST_DEFAULT:-$PWD/.cache/bin/terraform-$want}")"
bin="$(realpath -m "${TF_LATEST:-$default_bin}")"
toolchain="${TF_TOOLCHAIN:-$PWD/../shared/toolchains/terraform}"

# cli_version BIN prints "Terraform 1.15.9" or "OpenTofu 1.11.0" (first line of `version`, without
# the v), or nothing when BIN does not run. Captured before it is cut: piping into head would
# SIGPIPE the CLI and, under pipefail, fail.
cli_version() {
	local out
	out="$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>/dev/null)" || return 0
	out="${out%%$'\n'*}"
	[[ "$out" =~ ^(Terraform|OpenTofu)\ v([0-9]+\.[0-9]+\.[0-9]+[^[:space:]]*) ]] &&
		echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
	return 0
}

# recent_enough "Terraform 1.15.9": Terraform (not OpenTofu) at or above $min (major.minor).
recent_enough() {
	local name="${1%% *}" ver="${1#* }" maj min_ maj_want min_want
	[[ "$name" == Terraform ]] || return 1
	IFS=. read -r maj min_ _ <<<"$ver"
	IFS=. read -r maj_want min_want _ <<<"$min"
	((maj > maj_want || (maj == maj_want && min_ >= min_want)))
}

if [[ "$bin" == "$default_bin" ]]; then
	if [[ -x "$toolchain/build.sh" ]]; then
		"$toolchain/build.sh" "$bin"
	elif [[ -x "$bin" ]] && recent_enough "$(cli_version "$bin")"; then
		echo "terraform-latest: $toolchain not found; using the $(cli_version "$bin") already at $bin" >&2
	else
		cat >&2 <<MSG
terraform-latest: cannot build Terraform $want: $toolchain (the Terraform source archive and its
build.sh) is not there. Either put a Terraform >= $min binary at
    $bin
or name one on the make command line, e.g.
    make testacc-terraform-latest TF_LATEST=/path/to/terraform
MSG
		exit 1
	fi
elif [[ ! -x "$bin" || -d "$bin" ]]; then
	echo "terraform-latest: TF_LATEST=$bin is not an executable file (give the path of a Terraform >= $min binary)" >&2
	exit 1
fi

have="$(cli_version "$bin")"
if ! recent_enough "$have"; then
	echo "terraform-latest: $bin is ${have:-not a Terraform CLI that runs}; a Terraform >= $min is needed (list resources, actions, import by identity)" >&2
	exit 1
fi
echo "terraform-latest: $have at $bin"
