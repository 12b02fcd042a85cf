# The configuration `make demo` applies against the Graph emulator. The provider reads its
# credentials and endpoints from the ARM_* variables the emulator writes.
terraform {
  required_providers {
    intune = {
      source = "terraform-intune/intune"
    }
  }
}

provider "intune" {}

resource "intune_security_configuration_task" "demo" {
  display_name  = "Turn on real-time protection"
  description   = "Defender found devices without real-time protection."
  priority      = "high"
  status        = "pending"
  due_date_time = "2027-01-15T17:00:00-08:00"

  endpoint_security_policy         = "antivirus"
  applicable_platform              = "windows10AndLater"
  endpoint_security_policy_profile = "antivirus"

  intended_settings = [
    { name = "RealTimeProtection", value = "enabled" },
  ]
}

output "id" {
  value = intune_security_configuration_task.demo.id
}

output "created_date_time" {
  value = intune_security_configuration_task.demo.created_date_time
}
