package securityconfigurationtask_test

import (
	"fmt"
	"strings"
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
		CheckDestroy:             checkDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: configStatus(name, "pending", "", "first"),
				Check: func(s *terraform.State) error {
					id = s.RootModule().Resources[resourceName].Primary.ID
					return nil
				},
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
				Check: func(*terraform.State) error {
					if got, _ := sim.TaskNote(id); got != note {
						return fmt.Errorf("the note recorded by updateStatus = %q, want %q", got, note)
					}
					calls, patches := 0, 0
					for _, r := range sim.Requests() {
						if !strings.Contains(r.Path, id) {
							continue
						}
						switch {
						case r.Method == "POST" && r.Route == "updateStatus":
							calls++
							if !strings.Contains(r.Body, `"active"`) || !strings.Contains(r.Body, note) {
								return fmt.Errorf("updateStatus body = %s", r.Body)
							}
						case r.Method == "PATCH":
							patches++
							if strings.Contains(r.Body, `"status"`) {
								return fmt.Errorf("a PATCH carried status: %s", r.Body)
							}
						}
					}
					if calls != 1 || patches != 1 {
						return fmt.Errorf("updateStatus calls = %d, PATCHes = %d; want 1 and 1", calls, patches)
					}
					return nil
				},
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
					n := 0
					for _, r := range sim.Requests() {
						if strings.Contains(r.Path, id) && r.Route == "updateStatus" {
							n++
						}
					}
					if n != 1 {
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
