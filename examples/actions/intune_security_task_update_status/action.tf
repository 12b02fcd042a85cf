# Terraform 1.14 and later. Accept a task Microsoft Defender raised, with a note:
#   terraform apply -invoke=action.intune_security_task_update_status.accept
action "intune_security_task_update_status" "accept" {
  config {
    task_id = "5d630f12-0f12-5d63-120f-635d120f635d"
    status  = "active"
    note    = "Accepted by the endpoint team; rollout in change CHG0042"
  }
}

# Or run it whenever a resource is created or updated: here, mark the task completed once the
# policy that fixes it is deployed.
action "intune_security_task_update_status" "complete" {
  config {
    task_id = "5d630f12-0f12-5d63-120f-635d120f635d"
    status  = "completed"
    note    = "Remediated by the antivirus baseline"
  }
}

resource "terraform_data" "antivirus_baseline" {
  input = "baseline-2027-01"

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.intune_security_task_update_status.complete]
    }
  }
}
