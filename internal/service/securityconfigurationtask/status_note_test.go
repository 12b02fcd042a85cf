package securityconfigurationtask_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
)

// A status change with status_note goes through updateStatus with the note; the other changed
// attributes go through one PATCH that does not carry status.
func TestAccSecurityConfigurationTask_statusNote(t *testing.T) {
	sim := acctest.RequireEmulator(t)
	name := acctest.RandomName()
	note := "Triaged by secops: rolling out AV policy"
	var id string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: configStatus(name, "pending", "", "first"),
				Check:  acctest.SaveID(resourceName, &id),
			},
			{
				Config: configStatus(name, "active", note, "second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status_note"), knownvalue.StringExact(note)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.StringExact("second")),
				},
				Check: acctest.CheckStatusNote(sim, &id, "active", note, func(string) error { return nil }),
			},
			{
				// The note is not returned by Graph: refreshes and re-plans show no difference.
				Config:           configStatus(name, "active", note, "second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Without a note, a status change is an ordinary PATCH.
				Config: configStatus(name, "completed", "", "second"),
				Check: func(*terraform.State) error {
					if n := acctest.UpdateStatusCalls(sim, id); n != 1 {
						return fmt.Errorf("updateStatus was called %d times in all, want 1", n)
					}
					return nil
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("completed")),
				},
			},
		},
	})
}

func configStatus(name, status, note, description string) string {
	attrs := fmt.Sprintf("status = %q\n  description = %q", status, description)
	if note != "" {
		attrs += fmt.Sprintf("\n  status_note = %q", note)
	}
	return configAttrs(name, attrs)
}
