# Read a discovery task that Microsoft Defender for Endpoint raised, without managing it.
data "intune_unmanaged_device_discovery_task" "defender" {
  id = "5d630f12-0f12-5d63-120f-635d120f635d"
}

# Every attribute of a device may be null: Defender reports what it could find out.
output "devices_to_onboard" {
  value = [
    for d in data.intune_unmanaged_device_discovery_task.defender.unmanaged_devices : d.device_name if d.device_name != null
  ]
}
