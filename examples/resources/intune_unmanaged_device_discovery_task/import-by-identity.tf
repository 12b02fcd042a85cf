# Terraform 1.12 and later: import by the resource identity, the task's Graph id.
import {
  to = intune_unmanaged_device_discovery_task.example
  identity = {
    id = "5d630f12-0f12-5d63-120f-635d120f635d"
  }
}
