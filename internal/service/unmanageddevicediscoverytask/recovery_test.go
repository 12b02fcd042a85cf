package unmanageddevicediscoverytask_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// The create-recovery lookup is the shared core's, and it matches a task by every attribute of the
// type's table: here a list of devices whose last-seen date Graph answers in UTC although the
// configuration writes it with an offset and trailing zeros. The connection is cut after Graph
// created each task, among tasks of other types with the same name and a task of this type with
// the same name and priority but other devices, made moments before: the provider must adopt
// exactly its own task each time, post nothing twice, and plan nothing afterwards.
func TestAccUnmanagedDeviceDiscoveryTask_createRecovery(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 2})
	name := acctest.RandomName()
	config := provider + fmt.Sprintf(`
resource "intune_unmanaged_device_discovery_task" "test" {
  count        = 2
  display_name = "%s"
  priority     = "high"
  unmanaged_devices = [
    { device_name = "pc-${count.index}", last_seen_date_time = "2026-11-29T09:30:00.500-08:00" },
    { device_name = "printer" },
  ]
}
`, name)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			// Other types, and one of this type with another device list, so the lookup pages
			// and compares the list, not just the name.
			sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.securityConfigurationTask", "displayName": name})
			sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.appVulnerabilityTask", "displayName": name, "priority": "high"})
			sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.unmanagedDeviceDiscoveryTask", "displayName": name, "priority": "high",
				"unmanagedDevices": []any{map[string]any{"deviceName": "pc-9"}}})
			sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{
				{Method: "POST", Route: graphsim.RouteTasks, Times: 2, ResetConnection: true, AfterCommit: true},
			}})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroy(t, sim, "intune_unmanaged_device_discovery_task"),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					if n := sim.FaultCounts()[graphsim.FaultReset]; n != 2 {
						return fmt.Errorf("the connection was cut %d times, want 2", n)
					}
					posts := 0
					for _, r := range sim.Requests() {
						if r.Method == "POST" && r.Route == graphsim.RouteTasks {
							posts++
						}
					}
					if posts != 2 {
						return fmt.Errorf("%d creates were posted for 2 tasks: a lost create was posted again", posts)
					}
					ids := map[string]bool{}
					for i := range 2 {
						rs := s.RootModule().Resources[fmt.Sprintf("intune_unmanaged_device_discovery_task.test.%d", i)]
						if rs == nil {
							return fmt.Errorf("test[%d] not in state", i)
						}
						ids[rs.Primary.ID] = true
						task, ok := sim.Task(rs.Primary.ID)
						devs, _ := task["unmanagedDevices"].([]any)
						if !ok || len(devs) != 2 {
							return fmt.Errorf("test[%d] holds %v, not a task with two devices", i, task)
						}
						if d, _ := devs[0].(map[string]any); d["deviceName"] != fmt.Sprintf("pc-%d", i) {
							return fmt.Errorf("test[%d] adopted the task of another resource: %v", i, d["deviceName"])
						}
					}
					if len(ids) != 2 {
						return fmt.Errorf("two resources hold the same task: %v", ids)
					}
					if n := len(sim.Tasks()); n != 5 {
						return fmt.Errorf("the emulator holds %d tasks, want the 3 seeded and the 2 created", n)
					}
					return nil
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}
