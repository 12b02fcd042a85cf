# Pending high-priority tasks of every type (security configuration, app vulnerability, unmanaged
# device discovery), for someone to review. Filters are applied by the provider after reading every
# page; all are optional and combine with AND.
data "intune_security_tasks" "to_review" {
  status   = "pending"
  priority = "high"
}

output "tasks_to_review" {
  value = [
    for t in data.intune_security_tasks.to_review.tasks : {
      id          = t.id
      name        = t.display_name
      type        = t.type
      assigned_to = t.assigned_to
      due         = t.due_date_time
      # The resource type to import the task into; null for a type this provider has no resource for.
      managed_by = t.resource_type
    }
  ]
}
