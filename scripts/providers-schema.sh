#!/usr/bin/env bash
# Writes `terraform providers schema -json` for this provider to the file named by $1, for
# tfplugindocs --providers-schema. The provider is built from the working tree and reached through a
# dev_overrides CLI configuration, so nothing is downloaded and no `terraform init` is needed.
# TF_BINARY selects the CLI (default: terraform on PATH).
set -euo pipefail
out="$(realpath -m "${1:?usage: providers-schema.sh OUTPUT.json}")"
cd "$(dirname "$0")/.."

tf="${TF_BINARY:-terraform}"
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
