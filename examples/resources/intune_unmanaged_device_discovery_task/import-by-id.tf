# Import a task by its Graph id with an import block (Terraform 1.5 and later).
import {
  to = intune_unmanaged_device_discovery_task.example
  id = "5d630f12-0f12-5d63-120f-635d120f635d"
}
