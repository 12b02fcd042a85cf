# Terraform 1.14 and later, in a file ending .tfquery.hcl:
#   terraform query                                   lists what is found
#   terraform query -generate-config-out=tasks.tf     writes import and resource blocks for it
list "intune_unmanaged_device_discovery_task" "pending" {
  provider         = intune
  include_resource = true

  config {
    status = "pending"
  }
}
