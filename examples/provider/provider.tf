# Credentials come from ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET (or the arguments below).
provider "intune" {
  # tenant_id     = "00000000-0000-0000-0000-000000000000"
  # client_id     = "00000000-0000-0000-0000-000000000000"
  # client_secret = var.client_secret
  # environment   = "public" # or usgovernment, dod, china
}
