# Every pending high-priority security configuration task in the tenant. Filters are applied by the
# provider after reading every page; all are optional and combine with AND.
data "intune_security_configuration_tasks" "pending_high" {
  status   = "pending"
  priority = "high"
}

output "pending_high_task_names" {
  value = [for t in data.intune_security_configuration_tasks.pending_high.tasks : t.display_name]
}
