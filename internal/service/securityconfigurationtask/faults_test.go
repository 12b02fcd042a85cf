package securityconfigurationtask_test

// The fault matrix: each case applies several tasks through terraform while the emulator
// misbehaves the way Graph does, then checks at the emulator that the tasks that exist are exactly
// those in state (none lost, none duplicated). terraform-plugin-testing also fails a step whose
// follow-up plan is not empty. The cases use resource.Test, not ParallelTest: faults are set on
// the one emulator the package shares, and Go runs sequential tests before any parallel one.

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

const faultTasks = 4

func configMany(name string, extra string) string {
	return fmt.Sprintf(`
resource "intune_security_configuration_task" "test" {
  count        = %d
  display_name = "%s-${count.index}"
  priority     = "high"
  %s
}
`, faultTasks, name, extra)
}

// checkConsistent compares the emulator's tasks named name-* with the ids in state.
func checkConsistent(sim *graphsim.Server, name string) resource.TestCheckFunc {
	want := faultTasks
	return func(s *terraform.State) error {
		var inState []string
		for _, rs := range s.RootModule().Resources {
			if rs.Type == "intune_security_configuration_task" {
				inState = append(inState, rs.Primary.ID)
			}
		}
		var atGraph []string
		for _, t := range sim.Tasks() {
			if dn, _ := t["displayName"].(string); strings.HasPrefix(dn, name+"-") {
				atGraph = append(atGraph, t["id"].(string))
			}
		}
		sort.Strings(inState)
		sort.Strings(atGraph)
		if len(inState) != want || strings.Join(inState, ",") != strings.Join(atGraph, ",") {
			return fmt.Errorf("state holds %d tasks %v, the emulator %d tasks %v; want %d of each, the same", len(inState), inState, len(atGraph), atGraph, want)
		}
		return nil
	}
}

// faultCase runs one apply of faultTasks tasks under faults and checks consistency.
func faultCase(t *testing.T, faults graphsim.Faults, extraCheck func(sim *graphsim.Server) error) {
	t.Helper()
	sim := acctest.RequireEmulator(t)
	name := acctest.RandomName()
	t.Cleanup(func() { sim.SetFaults(graphsim.Faults{}) })
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t); sim.SetFaults(faults) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{
				Config: configMany(name, ""),
				Check:  checkConsistent(sim, name),
			},
			{
				// Refresh and plan again under the same faults: reads and the empty plan are
				// exercised too, and by now every fault the case sets has had its chance to fire.
				Config:           configMany(name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name), func(*terraform.State) error {
					if extraCheck == nil {
						return nil
					}
					return extraCheck(sim)
				}),
			},
		},
	})
}

// checkDestroyed asks the emulator (with faults off) that nothing named name-* is left.
func checkDestroyed(sim *graphsim.Server, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		sim.SetFaults(graphsim.Faults{})
		for _, t := range sim.Tasks() {
			if dn, _ := t["displayName"].(string); strings.HasPrefix(dn, name+"-") {
				return fmt.Errorf("task %v (%s) is left after destroy", t["id"], dn)
			}
		}
		return nil
	}
}

func fired(kind string, atLeast int) func(*graphsim.Server) error {
	return func(sim *graphsim.Server) error {
		if n := sim.FaultCounts()[kind]; n < atLeast {
			return fmt.Errorf("fault %q fired %d times, want at least %d: the case did not exercise what it claims", kind, n, atLeast)
		}
		return nil
	}
}

func TestAccFault_throttleWithRetryAfter(t *testing.T) {
	faultCase(t, graphsim.Faults{WriteThrottle: &graphsim.Throttle{Limit: 2, Window: 2 * time.Second}}, fired(graphsim.FaultThrottle, 1))
}

func TestAccFault_throttleWithoutRetryAfter(t *testing.T) {
	faultCase(t, graphsim.Faults{WriteThrottle: &graphsim.Throttle{Limit: 2, Window: 2 * time.Second, OmitRetryAfter: true}}, fired(graphsim.FaultThrottle, 1))
}

func TestAccFault_503EveryThirdCall(t *testing.T) {
	faultCase(t, graphsim.Faults{Rules: []graphsim.Rule{
		{Route: graphsim.RouteTasks, EveryNth: 3, Status: 503},
		{Route: graphsim.RouteTask, EveryNth: 3, Status: 503, RetryAfter: "1"},
	}}, fired(graphsim.FaultStatus, 1))
}

func TestAccFault_504(t *testing.T) {
	faultCase(t, graphsim.Faults{Rules: []graphsim.Rule{
		{Method: "POST", Route: graphsim.RouteTasks, Times: 2, Status: 504},
		{Method: "GET", Route: graphsim.RouteTask, Times: 2, Status: 504},
		{Method: "DELETE", Route: graphsim.RouteTask, Times: 2, Status: 504},
	}}, fired(graphsim.FaultStatus, 4))
}

// The connection is cut after Graph created the task: the provider must find and adopt it, not
// post a second one.
func TestAccFault_resetAfterCreate(t *testing.T) {
	faultCase(t, graphsim.Faults{Rules: []graphsim.Rule{
		{Method: "POST", Route: graphsim.RouteTasks, Times: 2, ResetConnection: true, AfterCommit: true},
		{Method: "GET", Route: graphsim.RouteTask, Times: 2, ResetConnection: true},
	}}, fired(graphsim.FaultReset, 4))
}

// The connection is cut before Graph acted: the provider looks, finds nothing, and posts again.
func TestAccFault_resetBeforeCreate(t *testing.T) {
	faultCase(t, graphsim.Faults{Rules: []graphsim.Rule{
		{Method: "POST", Route: graphsim.RouteTasks, Times: 2, ResetConnection: true},
	}}, fired(graphsim.FaultReset, 2))
}

// A 500 after the write committed (an ambiguous server error), with enough other tasks that the
// provider's lookup has to follow @odata.nextLink.
func TestAccFault_500AfterCreatePaged(t *testing.T) {
	sim := acctest.RequireEmulator(t)
	for i := range 12 {
		id := sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.appVulnerabilityTask", "displayName": fmt.Sprint("filler ", i)})
		t.Cleanup(func() { sim.DeleteTask(id) })
	}
	faultCase(t, graphsim.Faults{Rules: []graphsim.Rule{
		{Method: "POST", Route: graphsim.RouteTasks, Times: 1, Status: 500, AfterCommit: true},
	}}, func(sim *graphsim.Server) error {
		if err := fired(graphsim.FaultStatus, 1)(sim); err != nil {
			return err
		}
		if sim.Count("GET", graphsim.RouteTasks) < 2 {
			return fmt.Errorf("the lookup did not page")
		}
		return nil
	})
}

func TestAccFault_notFoundReadsAfterCreate(t *testing.T) {
	faultCase(t, graphsim.Faults{NotFoundReadsAfterCreate: 2}, fired(graphsim.FaultNotFoundAfterCreate, faultTasks))
}

func TestAccFault_extraProperties(t *testing.T) {
	faultCase(t, graphsim.Faults{ExtraProperties: true}, fired(graphsim.FaultExtraProperties, 1))
}

func TestAccFault_latency(t *testing.T) {
	faultCase(t, graphsim.Faults{Latency: 200 * time.Millisecond}, fired(graphsim.FaultLatency, 1))
}

// An HTML 502 from a gateway on a POST is ambiguous: looked up, then posted again.
func TestAccFault_html502OnCreate(t *testing.T) {
	faultCase(t, graphsim.Faults{Rules: []graphsim.Rule{
		{Method: "POST", Route: graphsim.RouteTasks, Times: 2, Status: 502, ContentType: "text/html",
			Body: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"},
	}}, fired(graphsim.FaultStatus, 2))
}

// An HTML 502 on a read is reported with its HTTP status, and nothing is lost.
func TestAccFault_html502OnRead(t *testing.T) {
	sim := acctest.RequireEmulator(t)
	name := acctest.RandomName()
	t.Cleanup(func() { sim.SetFaults(graphsim.Faults{}) })
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{Config: configMany(name, ""), Check: checkConsistent(sim, name)},
			{
				PreConfig: func() {
					sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "GET", Route: graphsim.RouteTask, Status: 502,
						Body: "<html><body><h1>502 Bad Gateway</h1></body></html>", ContentType: "text/html"}}})
				},
				Config:      configMany(name, ""),
				ExpectError: regexp.MustCompile(`reading Intune security configuration task(.|\n)*returned\s+HTTP\s+502\s+Bad\s+Gateway(.|\n)*Response\s+body\s+\(not\s+Graph\s+JSON\):\s+502\s+Bad\s+Gateway`),
			},
			{
				PreConfig: func() { sim.SetFaults(graphsim.Faults{}) },
				Config:    configMany(name, ""),
				Check:     checkConsistent(sim, name),
			},
		},
	})
}

// A POST answered after the create timeout: a clear timeout error, and state still matches Graph.
func TestAccFault_slowerThanTimeout(t *testing.T) {
	sim := acctest.RequireEmulator(t)
	name := acctest.RandomName()
	t.Cleanup(func() { sim.SetFaults(graphsim.Faults{}) })
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "POST", Route: graphsim.RouteTasks, Delay: 20 * time.Second}}})
				},
				Config:      configMany(name, `timeouts { create = "2s" }`),
				ExpectError: regexp.MustCompile(`creating Intune security configuration task(.|\n)*failed before Graph\s+answered(.|\n)*context deadline exceeded(.|\n)*Raise\s+it\s+in\s+the\s+resource's\s+timeouts\s+block`),
			},
			{
				PreConfig: func() { sim.SetFaults(graphsim.Faults{}) },
				Config:    configMany(name, `timeouts { create = "2s" }`),
				Check:     checkConsistent(sim, name),
			},
		},
	})
}

// PATCH answered 204: the provider reads the task back.
func TestAccFault_patchNoContent(t *testing.T) {
	sim := acctest.RequireEmulator(t)
	name := acctest.RandomName()
	t.Cleanup(func() { sim.SetFaults(graphsim.Faults{}) })
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{Config: configMany(name, "")},
			{
				PreConfig: func() { sim.SetFaults(graphsim.Faults{PatchNoContent: true}) },
				Config:    configMany(name, `description = "patched"`+"\n  managed_device_count = 7"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("intune_security_configuration_task.test[0]", tfjsonpath.New("description"), knownvalue.StringExact("patched")),
					statecheck.ExpectKnownValue("intune_security_configuration_task.test[3]", tfjsonpath.New("managed_device_count"), knownvalue.Int32Exact(7)),
				},
				Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name), func(*terraform.State) error {
					return fired(graphsim.FaultPatchNoContent, faultTasks)(sim)
				}),
			},
		},
	})
}

// A status value newer than the SDK: kept as Graph sent it, with a warning, and no diff while
// status is not configured.
func TestAccFault_unknownEnumValue(t *testing.T) {
	sim := acctest.RequireEmulator(t)
	name := acctest.RandomName()
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{
				Config: configMany(name, ""),
				Check: func(s *terraform.State) error {
					id := s.RootModule().Resources["intune_security_configuration_task.test.0"].Primary.ID
					if !sim.SetRaw(id, "status", "inReview") {
						return fmt.Errorf("task %s not at the emulator", id)
					}
					return nil
				},
			},
			{
				Config: configMany(name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("intune_security_configuration_task.test[0]", tfjsonpath.New("status"), knownvalue.StringExact("inReview")),
				},
				Check: checkConsistent(sim, name),
			},
			{
				// Configuring status replaces the unknown value in place.
				Config: configMany(name, `status = "active"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("intune_security_configuration_task.test[0]", tfjsonpath.New("status"), knownvalue.StringExact("active")),
				},
			},
		},
	})
}
