package unmanageddevicediscoverytask_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

const dataSourceName = "data." + resourceType + ".test"

// The data source reads the task the resource made and holds the same values, down to each device.
func TestAccUnmanagedDeviceDiscoveryTaskDataSource_basic(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: configFullNoTimeouts(name, fullA) + `
data "intune_unmanaged_device_discovery_task" "test" {
  id = intune_unmanaged_device_discovery_task.test.id
}
`,
				ConfigStateChecks: append(acctest.SameValues(resourceName, dataSourceName,
					"id", "display_name", "description", "creator", "creator_notes", "assigned_to", "created_date_time",
					"due_date_time", "category", "priority", "status"),
					statecheck.ExpectKnownValue(dataSourceName, tfjsonpath.New("display_name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(dataSourceName, tfjsonpath.New("unmanaged_devices"), devicesCheck(fullA.devices...)),
				),
			},
		},
	})
}

// An id that names no task, and the ids of tasks of the two other types in the collection, are
// errors at the id.
func TestAccUnmanagedDeviceDiscoveryTaskDataSource_notThisType(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	config := func(id string) string {
		return provider + `
data "intune_unmanaged_device_discovery_task" "test" {
  id = "` + id + `"
}
`
	}
	sct := sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.securityConfigurationTask", "displayName": acctest.RandomName()})
	avt := sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.appVulnerabilityTask", "displayName": acctest.RandomName()})
	notThis := func(other, itIs, dataSource string) *regexp.Regexp {
		return regexp.MustCompile(`Not an unmanaged device discovery task(.|\n)*Graph\s+returned\s+a\s+task\s+of\s+type\s+"` +
			regexp.QuoteMeta(other) + `",\s+not\s+"` + regexp.QuoteMeta(odataType) + `"(.|\n)*It\s+is\s+` + itIs +
			`:\s+read\s+it\s+with\s+data\.` + dataSource + `\s+instead`)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(sct), ExpectError: notThis("#microsoft.graph.securityConfigurationTask", `a\s+security\s+configuration\s+task`, "intune_security_configuration_task")},
			{Config: config(avt), ExpectError: notThis("#microsoft.graph.appVulnerabilityTask", `an\s+app\s+vulnerability\s+task`, "intune_app_vulnerability_task")},
			{
				Config: config("00000000-0000-0000-0000-000000000000"),
				ExpectError: regexp.MustCompile(`Intune unmanaged device discovery task not found(.|\n)*No task with id(.|\n)*` +
					`"00000000-0000-0000-0000-000000000000" exists in Graph`),
			},
		},
	})
}

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
