resource "intune_security_configuration_task" "example" {
  display_name  = "Turn on real-time protection"
  description   = "Defender found devices without real-time protection."
  creator       = "secops@contoso.com"
  assigned_to   = "endpoint-admins@contoso.com"
  due_date_time = "2027-01-15T17:00:00-08:00"

  category                         = "advancedThreatProtection"
  priority                         = "high"
  status                           = "pending"
  endpoint_security_policy         = "antivirus"
  applicable_platform              = "windows10AndLater"
  endpoint_security_policy_profile = "antivirus"
  managed_device_count             = 12

  intended_settings = [
    { name = "RealTimeProtection", value = "enabled" },
    { name = "CloudProtection", value = "enabled" },
  ]
}
