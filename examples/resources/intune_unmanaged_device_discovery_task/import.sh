# Import a task by its Graph id.
terraform import intune_unmanaged_device_discovery_task.example 5d630f12-0f12-5d63-120f-635d120f635d
