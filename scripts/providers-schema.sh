#!/usr/bin/env bash
# Writes `terraform providers schema -json` for this provider to the file named by $1, for
# tfplugindocs --providers-schema. The provider is built from the working tree and reached through a
# dev_overrides CLI configuration, so nothing is downloaded and no `terraform init` is needed.
# TF_BINARY selects the CLI (default: terraform on PATH); `make generate` sets it to $(TF_LATEST).
# It must be Terraform 1.14 or later: older releases (and OpenTofu) leave list resources and actions
# out of the schema, and tfplugindocs would then quietly write no pages for them.
set -euo pipefail
out="$(realpath -m "${1:?usage: providers-schema.sh OUTPUT.json}")"
cd "$(dirname "$0")/.."

tf="${TF_BINARY:-terraform}"
# Captured first: piping into head would SIGPIPE the CLI and, under pipefail, fail the check.
have="$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$tf" version 2>/dev/null || true)"
have="${have%%$'\n'*}"
if ! [[ "$have" =~ ^Terraform\ v([0-9]+)\.([0-9]+)\. ]] ||
	((BASH_REMATCH[1] < 1 || (BASH_REMATCH[1] == 1 && BASH_REMATCH[2] < 14))); then
	echo "providers-schema.sh: $tf is ${have:-not a Terraform CLI that runs}; the schema for the docs needs Terraform >= 1.14 (run make generate, or set TF_BINARY)" >&2
	exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/bin/terraform-provider-intune" .
cat > "$tmp/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/hashicorp/intune" = "$tmp/bin"
  }
  direct {}
}
RC
mkdir "$tmp/cfg"
# tfplugindocs looks the schema up as "intune" or "registry.terraform.io/hashicorp/intune" only, so
# the provider is reached through its implicit address here; the schema does not depend on it.
echo 'provider "intune" {}' > "$tmp/cfg/main.tf"
mkdir -p "$(dirname "$out")"
# Terraform warns on stderr that dev_overrides are in effect; only stdout is the schema.
(cd "$tmp/cfg" && TF_CLI_CONFIG_FILE="$tmp/terraformrc" TF_IN_AUTOMATION=1 "$tf" providers schema -json) > "$out.tmp"
mv "$out.tmp" "$out"
