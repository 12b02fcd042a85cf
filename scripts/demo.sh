#!/usr/bin/env bash
# make demo: build the provider, start the Graph emulator, apply examples/demo with the provider
# installed through dev_overrides, show the result, prove the next plan is empty, destroy, stop.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
sim_pid=""
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "==> building the provider and the emulator"
mkdir -p "$root/bin"
go build -o "$root/bin/terraform-provider-intune" "$root"
go build -o "$root/bin/graphsim" "$root/internal/graphsim/cmd/graphsim"

echo "==> starting the Graph emulator"
"$root/bin/graphsim" -env-file "$work/graphsim.env" -ca-file "$work/ca.pem" >"$work/graphsim.out" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/graphsim.env" ] && break
  kill -0 "$sim_pid" 2>/dev/null || { cat "$work/graphsim.out"; exit 1; }
  sleep 0.1
done
[ -s "$work/graphsim.env" ] || { echo "the emulator did not start"; cat "$work/graphsim.out"; exit 1; }
# shellcheck disable=SC1091
. "$work/graphsim.env"
echo "    Graph emulator at $ARM_GRAPH_ENDPOINT (trusted through SSL_CERT_FILE=$SSL_CERT_FILE)"

# dev_overrides makes terraform use the binary just built, without a registry or terraform init.
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/terraform-intune/intune" = "$root/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1
cp "$root/examples/demo/main.tf" "$work/main.tf"
tf() { terraform -chdir="$work" "$@"; }

echo "==> terraform apply"
tf apply -auto-approve -input=false -no-color 2>&1 | grep -v -e "Warning: Provider development overrides" -e "^│" -e "^╷" -e "^╵" || true
echo "==> result"
echo "    id                = $(tf output -raw id)"
echo "    created_date_time = $(tf output -raw created_date_time)"

echo "==> terraform plan (must be empty)"
set +e
tf plan -detailed-exitcode -input=false -no-color >"$work/plan.out" 2>&1
code=$?
set -e
if [ "$code" -ne 0 ]; then
  cat "$work/plan.out"
  echo "FAIL: the plan after apply is not empty (exit code $code)"
  exit 1
fi
echo "    No changes: the plan after apply is empty."

echo "==> terraform destroy"
tf destroy -auto-approve -input=false -no-color >"$work/destroy.out" 2>&1 || { cat "$work/destroy.out"; exit 1; }
left=$(curl -s --cacert "$SSL_CERT_FILE" "$ARM_GRAPH_ENDPOINT/_graphsim/tasks")
echo "    tasks left at the emulator: $left"
echo "==> demo finished"
