resource "intune_unmanaged_device_discovery_task" "east_wing" {
  display_name  = "Onboard the devices found in the east wing"
  description   = "Device discovery found devices on the corporate network that Intune does not manage."
  creator       = "secops@contoso.com"
  assigned_to   = "endpoint-admins@contoso.com"
  due_date_time = "2027-01-15T17:00:00-08:00"

  category = "advancedThreatProtection"
  priority = "high"
  status   = "pending"

  unmanaged_devices = [
    {
      device_name         = "LAPTOP-7F3K2"
      domain              = "contoso.local"
      ip_address          = "10.1.4.23"
      mac_address         = "00-15-5D-4A-11-7C"
      last_logged_on_user = "alice@contoso.com"
      last_seen_date_time = "2026-11-29T16:45:12-08:00"
      location            = "Building 4, floor 2"
      manufacturer        = "Dell Inc."
      model               = "Latitude 7440"
      os                  = "Windows"
      os_version          = "10.0.22631"
    },
    {
      # Every attribute of a device is optional; one left out is null in Graph (a missing
      # last_seen_date_time is Graph's "no date").
      device_name = "PRN-2F-EAST"
      ip_address  = "10.1.9.5"
      os          = "Linux"
    },
  ]
}
