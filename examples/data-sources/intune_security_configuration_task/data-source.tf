# Read a task that a partner or Microsoft Defender raised, without managing it.
data "intune_security_configuration_task" "defender" {
  id = "5d630f12-0f12-5d63-120f-635d120f635d"
}

output "defender_task_status" {
  value = data.intune_security_configuration_task.defender.status
}
