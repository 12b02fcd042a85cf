package securityconfigurationtask_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

func configStatus(name, status, note, description string) string {
	attrs := fmt.Sprintf("status = %q\n  description = %q", status, description)
	if note != "" {
		attrs += fmt.Sprintf("\n  status_note = %q", note)
	}
	return configAttrs(name, attrs)
}

// updateStatus sets an absolute status, so a transient failure of it (a 502 from a gateway, here
// after Graph already acted) is retried like a PATCH instead of failing an apply whose PATCH has
// already succeeded: the apply ends with the status and the PATCHed values, in two calls.
func TestAccSecurityConfigurationTask_statusNoteRetried(t *testing.T) {
	for _, afterCommit := range []bool{false, true} {
		t.Run(fmt.Sprint("afterCommit=", afterCommit), func(t *testing.T) {
			sim, provider := acctest.NewSim(t, graphsim.Options{})
			name := acctest.RandomName()
			note := "Triaged by secops"
			var id string
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             taskType.CheckDestroyOn(t, sim),
				Steps: []resource.TestStep{
					{Config: provider + configStatus(name, "pending", "", "first"), Check: acctest.SaveID(resourceName, &id)},
					{
						PreConfig: func() {
							sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "POST", Route: graphsim.RouteUpdateStatus, Times: 1,
								Status: 502, ContentType: "text/html", Body: badGateway, AfterCommit: afterCommit}}})
						},
						Config: provider + configStatus(name, "active", note, "second"),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("active")),
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.StringExact("second")),
						},
						Check: func(*terraform.State) error {
							if err := fired(graphsim.FaultStatus, 1)(sim); err != nil {
								return err
							}
							if n := acctest.UpdateStatusCalls(sim, id); n != 2 {
								return fmt.Errorf("updateStatus was called %d times, want 2 (the 502, then the retry)", n)
							}
							task, _ := sim.Task(id)
							if task["status"] != "active" || task["description"] != "second" {
								return fmt.Errorf("Graph holds status %v, description %v; want active, second", task["status"], task["description"])
							}
							return nil
						},
					},
				},
			})
		})
	}
}
