# HCP Terraform dynamic credentials (workload identity, no secret).
#
# In Entra ID, add a federated credential to the app registration:
#   issuer   https://app.terraform.io
#   subject  organization:<org>:project:<project>:workspace:<workspace>:run_phase:plan  (and :apply)
#   audience api://AzureADTokenExchange
#
# In the workspace, set the environment variables
#   TFC_AZURE_PROVIDER_AUTH = true
#   TFC_AZURE_RUN_CLIENT_ID = <application (client) id>
#   ARM_TENANT_ID           = <tenant id>
#   ARM_USE_OIDC            = true
# HCP Terraform then writes a fresh identity token (and the client id) to files for each run and
# passes their paths in the variable below. The provider re-reads the token file at every Entra ID
# token request. If your runs already export ARM_OIDC_TOKEN_FILE_PATH and ARM_CLIENT_ID_FILE_PATH,
# an empty `provider "intune" {}` reads them too.
#
# For more than one configuration (another tenant or app), tag each with an alias:
#   TFC_AZURE_PROVIDER_AUTH_SECONDARY = true
#   TFC_AZURE_RUN_CLIENT_ID_SECONDARY = <other client id>
# and read the token and client id files HCP Terraform hands over in this variable.

variable "tfc_azure_dynamic_credentials" {
  description = "Set by HCP Terraform: the token and client id files of each tagged configuration."
  type = object({
    default = object({
      client_id_file_path  = string
      oidc_token_file_path = string
    })
    aliases = map(object({
      client_id_file_path  = string
      oidc_token_file_path = string
    }))
  })
}

provider "intune" {
  use_cli              = false
  use_oidc             = true
  client_id_file_path  = var.tfc_azure_dynamic_credentials.default.client_id_file_path
  oidc_token_file_path = var.tfc_azure_dynamic_credentials.default.oidc_token_file_path
}

provider "intune" {
  alias                = "secondary"
  tenant_id            = "00000000-0000-0000-0000-000000000000"
  use_cli              = false
  use_oidc             = true
  client_id_file_path  = var.tfc_azure_dynamic_credentials.aliases["SECONDARY"].client_id_file_path
  oidc_token_file_path = var.tfc_azure_dynamic_credentials.aliases["SECONDARY"].oidc_token_file_path
}
