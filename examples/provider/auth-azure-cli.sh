#!/bin/sh
# Local use with the Azure CLI: when no other method is configured the provider runs
#   az account get-access-token --resource https://graph.microsoft.com --tenant <tenant_id>
# and uses your signed-in account, which needs an Intune role (e.g. Intune Administrator).
set -eu

# Sign in once; --allow-no-subscriptions because Graph/Intune needs no Azure subscription.
az login --tenant "${ARM_TENANT_ID:?set ARM_TENANT_ID to your tenant id}" --allow-no-subscriptions

# Make sure no CI credential in this shell takes precedence over the CLI.
unset ARM_CLIENT_SECRET ARM_CLIENT_CERTIFICATE ARM_CLIENT_CERTIFICATE_PATH ARM_USE_OIDC ARM_USE_MSI

# National clouds: `az cloud set --name AzureUSGovernment` (or AzureChinaCloud) before `az login`,
# and ARM_ENVIRONMENT=usgovernment / dod / china for the provider.
terraform init -input=false
terraform plan
