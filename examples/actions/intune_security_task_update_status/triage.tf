# Triage at scale: accept every pending task Defender raised that is due this month, in one command:
#   terraform apply -invoke=action.intune_security_task_update_status.accept_due_this_month
# Each task costs two Graph calls (its read and its updateStatus); the view is read once.
data "intune_security_tasks" "due_this_month" {
  status     = "pending"
  creator    = "defender@contoso.com"
  due_after  = "2027-01-01T00:00:00Z"
  due_before = "2027-02-01T00:00:00Z"
}

action "intune_security_task_update_status" "accept_due_this_month" {
  for_each = { for t in data.intune_security_tasks.due_this_month.tasks : t.id => t }

  config {
    task_id = each.key
    status  = "active"
    note    = "Accepted in the January triage"

    timeouts {
      invoke = "15m"
    }
  }
}
