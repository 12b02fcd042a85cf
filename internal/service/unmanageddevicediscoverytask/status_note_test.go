package unmanageddevicediscoverytask_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
)

// Accepting a discovery task with a note: the status goes through updateStatus with the note, the
// devices that changed with it through one PATCH that does not carry the status, and the note,
// which Graph never returns, plans nothing afterwards.
func TestAccUnmanagedDeviceDiscoveryTask_statusNote(t *testing.T) {
	sim := acctest.RequireEmulator(t)
	name := acctest.RandomName()
	note := "Accepted: onboarding the laptop through Autopilot"
	config := func(status, note string, ds ...dev) string {
		attrs := fmt.Sprintf("status = %q\n  unmanaged_devices = %s", status, devicesHCL(ds...))
		if note != "" {
			attrs += fmt.Sprintf("\n  status_note = %q", note)
		}
		return configAttrs(name, attrs)
	}
	var id string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: config("pending", "", devLaptop, devPrinter),
				Check:  acctest.SaveID(resourceName, &id),
			},
			{
				Config: config("active", note, devLaptop),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status_note"), knownvalue.StringExact(note)),
					stateDevices(devLaptop),
				},
				Check: resource.ComposeTestCheckFunc(
					taskType.CheckRemote(t, func(task map[string]any) error {
						if task["status"] != "active" {
							return fmt.Errorf("status at Graph = %v", task["status"])
						}
						return wantDevices(task, devLaptop)
					}),
					acctest.CheckStatusNote(sim, &id, "active", note, func(body string) error {
						if !strings.Contains(body, `"unmanagedDevices"`) {
							return fmt.Errorf("the PATCH should carry the devices and not the status: %s", body)
						}
						return nil
					}),
				),
			},
			{
				Config:           config("active", note, devLaptop),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}
