package securityconfigurationtask_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// The list data source crosses pages (the emulator serves 5 per page), skips the collection's
// other task types, and applies each filter.
func TestAccSecurityConfigurationTasksDataSource_filters(t *testing.T) {
	name := acctest.RandomName()
	// Against the emulator, one of the test's own (5 tasks a page), so its counters are this test's.
	var sim *graphsim.Server
	provider := ""
	var seeded []string
	if acctest.Sim != nil {
		sim, provider = acctest.NewSim(t, graphsim.Options{PageSize: 5})
		// Other task types with the same name must never appear in the results.
		for i, typ := range []string{"#microsoft.graph.appVulnerabilityTask", "#microsoft.graph.unmanagedDeviceDiscoveryTask", "#microsoft.graph.appVulnerabilityTask"} {
			seeded = append(seeded, sim.Seed(map[string]any{"@odata.type": typ, "displayName": name, "status": "pending", "priority": "high", "description": fmt.Sprint("seeded ", i)}))
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroyOn(t, sim),
		Steps: []resource.TestStep{
			{
				Config: provider + configList(name),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.intune_security_configuration_tasks.named", tfjsonpath.New("tasks"), knownvalue.ListSizeExact(7)),
					statecheck.ExpectKnownValue("data.intune_security_configuration_tasks.pending", tfjsonpath.New("tasks"), knownvalue.ListSizeExact(3)),
					statecheck.ExpectKnownValue("data.intune_security_configuration_tasks.high", tfjsonpath.New("tasks"), knownvalue.ListSizeExact(4)),
					statecheck.ExpectKnownValue("data.intune_security_configuration_tasks.atp", tfjsonpath.New("tasks"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.intune_security_configuration_tasks.none", tfjsonpath.New("tasks"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.intune_security_configuration_tasks.pending", tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("pending")),
				},
				Check: func(s *terraform.State) error {
					all := s.RootModule().Resources["data.intune_security_configuration_tasks.all"].Primary.Attributes
					mine := 0
					for k, v := range all {
						if strings.HasSuffix(k, ".display_name") && v == name {
							mine++
						}
						for _, id := range seeded {
							if strings.HasSuffix(k, ".id") && v == id {
								return fmt.Errorf("the unfiltered list holds %s, which is not a security configuration task", id)
							}
						}
					}
					if mine != 7 {
						return fmt.Errorf("the unfiltered list holds %d of this test's 7 tasks", mine)
					}
					// 10 tasks, 5 a page: every one of the six lists reads two pages.
					if sim != nil && sim.Count("GET", graphsim.RouteTasks) < 12 {
						return fmt.Errorf("the lists read %d pages: they did not follow @odata.nextLink", sim.Count("GET", graphsim.RouteTasks))
					}
					return nil
				},
			},
		},
	})
}

func configList(name string) string {
	return fmt.Sprintf(`
locals {
  statuses   = ["pending", "active", "completed", "pending", "rejected", "active", "pending"]
  priorities = ["high", "low", "high", "none", "high", "low", "high"]
  categories = ["advancedThreatProtection", "unknown", "unknown", "advancedThreatProtection", "unknown", "unknown", "unknown"]
}

resource "intune_security_configuration_task" "test" {
  count        = 7
  display_name = %[1]q
  status       = local.statuses[count.index]
  priority     = local.priorities[count.index]
  category     = local.categories[count.index]
}

data "intune_security_configuration_tasks" "all" {
  depends_on = [intune_security_configuration_task.test]
}

data "intune_security_configuration_tasks" "named" {
  display_name = %[1]q
  depends_on   = [intune_security_configuration_task.test]
}

data "intune_security_configuration_tasks" "pending" {
  display_name = %[1]q
  status       = "pending"
  depends_on   = [intune_security_configuration_task.test]
}

data "intune_security_configuration_tasks" "high" {
  display_name = %[1]q
  priority     = "high"
  depends_on   = [intune_security_configuration_task.test]
}

data "intune_security_configuration_tasks" "atp" {
  display_name = %[1]q
  category     = "advancedThreatProtection"
  depends_on   = [intune_security_configuration_task.test]
}

data "intune_security_configuration_tasks" "none" {
  display_name = "%[1]s-nothing-has-this-name"
  depends_on   = [intune_security_configuration_task.test]
}
`, name)
}
