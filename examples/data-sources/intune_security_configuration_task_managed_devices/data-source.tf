# The devices a security configuration task is about, as Microsoft Defender listed them: the
# first question when a task comes in is "which devices?".
data "intune_security_configuration_task_managed_devices" "av" {
  task_id = "5d630f12-0f12-5d63-120f-635d120f635d"
}

output "devices_to_fix" {
  value = [
    for d in data.intune_security_configuration_task_managed_devices.av.managed_devices : {
      name      = d.display_name
      intune_id = d.managed_device_id
      # null for a device that never synced with Intune
      last_sync = d.last_sync_date_time
    }
  ]
}
