package unmanageddevicediscoverytask_test

import (
	"testing"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/service/unmanageddevicediscoverytask"
)

// The shared suite over this type's table (acctest.Conformance). A's devices are a laptop with
// every attribute and a printer never seen with a date; B's reorder, change, add and drop them,
// with a device that has nothing set.
func TestAccUnmanagedDeviceDiscoveryTask_conformance(t *testing.T) {
	laptop := map[string]any{
		"device_name": "LAPTOP-7F3K2", "domain": "contoso.local", "ip_address": "10.1.4.23", "mac_address": "00-15-5D-4A-11-7C",
		"last_logged_on_user": "alice@contoso.com", "last_seen_date_time": "2026-11-30T00:45:12.1234567Z",
		"location": "Building 4, floor 2", "manufacturer": "Dell Inc.", "model": "Latitude 7440", "os": "Windows", "os_version": "10.0.22631",
	}
	printer := map[string]any{"device_name": "PRN-2F-EAST", "ip_address": "10.1.9.5", "mac_address": "3C-2A-F4-10-00-9B", "manufacturer": "HP", "os": "Linux"}
	phone := map[string]any{"device_name": "iPhone-of-bob", "os": "iOS", "os_version": "17.6.1", "last_logged_on_user": "bob@contoso.com",
		"last_seen_date_time": "2026-11-30T09:00:00Z"}
	moved := map[string]any{}
	for k, v := range laptop {
		moved[k] = v
	}
	moved["ip_address"], moved["last_seen_date_time"] = "10.1.4.99", "2026-12-01T14:15:00.5Z"
	acctest.Conformance{
		Type:  taskType,
		Table: unmanageddevicediscoverytask.Entity.Table,
		Samples: map[string][2]any{
			"description":   {"Defender found devices on the corporate network that Intune does not manage", "Onboard the devices found in the east wing"},
			"creator":       {"defender@contoso.com", "secops@contoso.com"},
			"creator_notes": {"Raised by device discovery", "Re-raised"},
			"assigned_to":   {"endpoint-admins@contoso.com", "it@contoso.com"},
			"due_date_time": {"2027-01-01T08:02:18.1994089Z", "2027-06-30T16:00:00Z"},
			"category":      {"advancedThreatProtection", "unknown"},
			"priority":      {"high", "low"},
			"status":        {"pending", "active"},
			"unmanaged_devices": {
				[]map[string]any{laptop, printer},
				[]map[string]any{phone, moved, {}},
			},
		},
	}.Run(t)
}
