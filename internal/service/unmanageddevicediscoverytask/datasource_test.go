package unmanageddevicediscoverytask_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

const dataSourceName = "data." + resourceType + ".test"

// Tasks Defender raised, read by id: a device without a last-seen date shows none, an element with
// nothing set shows every attribute null, no due date shows as null, and no devices as no list.
func TestAccUnmanagedDeviceDiscoveryTaskDataSource_seeded(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	id := sim.Seed(map[string]any{
		"@odata.type": odataType, "displayName": "Unmanaged devices found", "status": "pending", "priority": "high",
		"category": "advancedThreatProtection", "creator": "defender@contoso.com",
		"unmanagedDevices": []any{
			map[string]any{"deviceName": "PRN-2F-EAST", "ipAddress": "10.1.9.5", "macAddress": "3C-2A-F4-10-00-9B", "manufacturer": "HP", "os": "Linux"},
			map[string]any{},
			map[string]any{"deviceName": "iPhone-of-bob", "os": "iOS", "osVersion": "17.6.1", "lastLoggedOnUser": "bob@contoso.com",
				"lastSeenDateTime": "2026-11-30T10:00:00.0000000+01:00"},
		},
	})
	none := sim.Seed(map[string]any{"@odata.type": odataType, "displayName": "Nothing found yet"})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: provider + `
data "intune_unmanaged_device_discovery_task" "test" {
  id = "` + id + `"
}

data "intune_unmanaged_device_discovery_task" "none" {
  id = "` + none + `"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dataSourceName, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
				statecheck.ExpectKnownValue(dataSourceName, tfjsonpath.New("due_date_time"), knownvalue.Null()),
				statecheck.ExpectKnownValue(dataSourceName, tfjsonpath.New("description"), knownvalue.Null()),
				statecheck.ExpectKnownValue(dataSourceName, tfjsonpath.New("unmanaged_devices"),
					devicesCheck(devPrinter, devEmpty, devPhone)),
				// Graph holds [] for a task without devices.
				statecheck.ExpectKnownValue("data."+resourceType+".none", tfjsonpath.New("unmanaged_devices"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data."+resourceType+".none", tfjsonpath.New("priority"), knownvalue.StringExact("none")),
			},
		}},
	})
}
