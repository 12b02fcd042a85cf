package securityconfigurationtask_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

const devicesData = "data.intune_security_configuration_task_managed_devices.test"

func devicesConfig(provider, taskID string) string {
	return provider + fmt.Sprintf(`
data "intune_security_configuration_task_managed_devices" "test" {
  task_id = %q
}
`, taskID)
}

// The devices a task is about, every page of them in Graph's order: a device that never synced
// (Graph's unset lastSyncDateTime) has a null last_sync_date_time, fractions keep Graph's
// spelling, and a task without devices has an empty list. The task is read once, then the pages.
func TestAccSecurityConfigurationTaskManagedDevices_basic(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 2})
	name := acctest.RandomName()
	task := sim.Seed(defenderTask(name+"-av", nil))
	empty := sim.Seed(defenderTask(name+"-none", nil))
	devices := []map[string]any{
		{"id": "0c3e8e1c-0000-4000-8000-000000000001", "displayName": "LAPTOP-01", "managedDeviceId": "md-1", "lastSyncDateTime": "2026-11-30T02:53:59.0726811Z"},
		{"id": "0c3e8e1c-0000-4000-8000-000000000002", "displayName": "LAPTOP-02", "managedDeviceId": "md-2"},
		{"id": "0c3e8e1c-0000-4000-8000-000000000003", "displayName": "DESKTOP-03", "managedDeviceId": "md-3", "lastSyncDateTime": "2026-12-01T08:00:00Z"},
		{"id": "0c3e8e1c-0000-4000-8000-000000000004", "managedDeviceId": "md-4", "lastSyncDateTime": "2026-12-02T09:30:00.5Z"},
		{"id": "0c3e8e1c-0000-4000-8000-000000000005", "displayName": "KIOSK-05", "managedDeviceId": "md-5", "lastSyncDateTime": "2026-12-02T10:00:00Z"},
	}
	if _, err := sim.SeedRelated(task, "managedDevices", devices...); err != nil {
		t.Fatal(err)
	}
	dev := func(i int, attr string) tfjsonpath.Path {
		return tfjsonpath.New("managed_devices").AtSliceIndex(i).AtMapKey(attr)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: sim.ResetLog,
				Config:    devicesConfig(provider, task),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(devicesData, tfjsonpath.New("managed_devices"), knownvalue.ListSizeExact(5)),
					statecheck.ExpectKnownValue(devicesData, dev(0, "id"), knownvalue.StringExact("0c3e8e1c-0000-4000-8000-000000000001")),
					statecheck.ExpectKnownValue(devicesData, dev(0, "managed_device_id"), knownvalue.StringExact("md-1")),
					statecheck.ExpectKnownValue(devicesData, dev(0, "last_sync_date_time"), knownvalue.StringExact("2026-11-30T02:53:59.0726811Z")),
					statecheck.ExpectKnownValue(devicesData, dev(1, "last_sync_date_time"), knownvalue.Null()),
					statecheck.ExpectKnownValue(devicesData, dev(3, "display_name"), knownvalue.Null()),
					statecheck.ExpectKnownValue(devicesData, dev(3, "last_sync_date_time"), knownvalue.StringExact("2026-12-02T09:30:00.5Z")),
					statecheck.ExpectKnownValue(devicesData, dev(4, "display_name"), knownvalue.StringExact("KIOSK-05")),
				},
				Check: func(*terraform.State) error {
					// Each read of the data source: the task, then three pages of two.
					if reads, pages := sim.Count("GET", graphsim.RouteTask), sim.Count("GET", graphsim.RouteRelated); reads == 0 || pages != 3*reads {
						return fmt.Errorf("%d task reads and %d device pages: want three pages per read", reads, pages)
					}
					return nil
				},
			},
			{
				Config: devicesConfig(provider, empty),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(devicesData, tfjsonpath.New("managed_devices"), knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}

// A task of another type names the data source to use, or says the type has no devices; a task
// that does not exist, or was deleted, is "not found". Nothing is written.
func TestAccSecurityConfigurationTaskManagedDevices_wrongTask(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	vuln := sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.appVulnerabilityTask", "displayName": name + "-openssl"})
	discovery := sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.unmanagedDeviceDiscoveryTask", "displayName": name + "-discovery"})
	deleted := sim.Seed(defenderTask(name+"-gone", nil))
	acctest.AtEnd(t, func() error {
		for _, r := range sim.Requests() {
			if r.Method != "GET" && r.Route != graphsim.RouteToken {
				return fmt.Errorf("a read wrote: %s %s", r.Method, r.Path)
			}
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: devicesConfig(provider, vuln),
				ExpectError: acctest.Diagnostic("Not a security configuration task", fmt.Sprintf(`Task %q is of type `+
					`"#microsoft.graph.appVulnerabilityTask", not "#microsoft.graph.securityConfigurationTask", so this data source cannot `+
					`read its managed devices. It is an app vulnerability task: read its managed devices with `+
					`data.intune_app_vulnerability_task_managed_devices instead.`, vuln)),
			},
			{
				Config:      devicesConfig(provider, discovery),
				ExpectError: regexp.MustCompile(`It\s+is\s+an\s+unmanaged\s+device\s+discovery\s+task,\s+and\s+unmanaged\s+device\s+discovery\s+tasks\s+have\s+no\s+managedDevices\s+relationship\s+in\s+Graph`),
			},
			{
				PreConfig:   func() { sim.DeleteTask(deleted) },
				Config:      devicesConfig(provider, deleted),
				ExpectError: regexp.MustCompile(`Intune task not found(.|\n)*No task with id\s+"` + deleted + `" exists in Graph`),
			},
			{
				Config:      devicesConfig(provider, "00000000-0000-0000-0000-000000000000"),
				ExpectError: regexp.MustCompile(`Intune task not found`),
			},
			{
				Config: devicesConfig(provider, deleted) + `
data "intune_security_configuration_task_managed_devices" "bad" {
  task_id = "x"
  timeouts {
    read = "0s"
  }
}
`,
				ExpectError: regexp.MustCompile(`timeouts.read must be a positive duration`),
			},
		},
	})
}
