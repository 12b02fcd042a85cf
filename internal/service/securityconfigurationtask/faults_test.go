package securityconfigurationtask_test

// The fault matrix: each case applies several tasks through terraform while an emulator of the
// test's own misbehaves the way Graph does, then checks at the emulator's store that the tasks that
// exist are exactly those in state (none lost, none duplicated, none held twice).
// terraform-plugin-testing also fails a step whose follow-up plan is not empty. Every case has its
// own emulator (acctest.NewSim), so its faults, counters and request log are its own and the cases
// run in parallel.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
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

// configMany is faultTasks tasks with distinct names.
func configMany(provider, name, extra string) string {
	return provider + fmt.Sprintf(`
resource "intune_security_configuration_task" "test" {
  count        = %d
  display_name = "%s-${count.index}"
  priority     = "high"
  %s
}
`, faultTasks, name, extra)
}

// configTwins is two resources that would create identical tasks.
func configTwins(provider, name string) string {
	return provider + fmt.Sprintf(`
resource "intune_security_configuration_task" "test" {
  count        = 2
  display_name = "%s-twin"
  priority     = "high"
}
`, name)
}

// checkConsistent compares the emulator's tasks named name-* with the ids in state: want of each,
// the same ids, and no id held by two resources.
func checkConsistent(sim *graphsim.Server, name string, want int) resource.TestCheckFunc {
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
		for i := 1; i < len(inState); i++ {
			if inState[i] == inState[i-1] {
				return fmt.Errorf("two resources hold the same task %s", inState[i])
			}
		}
		if len(inState) != want || strings.Join(inState, ",") != strings.Join(atGraph, ",") {
			return fmt.Errorf("state holds %d tasks %v, the emulator %d tasks %v; want %d of each, the same", len(inState), inState, len(atGraph), atGraph, want)
		}
		return nil
	}
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

// fired checks this test's emulator counted a fault at least atLeast times: the case really
// exercised what it claims.
func fired(kind string, atLeast int) func(*graphsim.Server) error {
	return func(sim *graphsim.Server) error {
		if n := sim.FaultCounts()[kind]; n < atLeast {
			return fmt.Errorf("fault %q fired %d times, want at least %d: the case did not exercise what it claims", kind, n, atLeast)
		}
		return nil
	}
}

// faultCase applies faultTasks tasks under faults on an emulator of its own, checks consistency,
// then refreshes and plans again under the same faults.
func faultCase(t *testing.T, faults graphsim.Faults, extraCheck func(sim *graphsim.Server) error) {
	t.Helper()
	faultCaseOn(t, faults, extraCheck)
}

// faultCaseOn is faultCase, returning the case's emulator for checks at the end of the test.
func faultCaseOn(t *testing.T, faults graphsim.Faults, extraCheck func(sim *graphsim.Server) error) *graphsim.Server {
	t.Helper()
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 5})
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t); sim.SetFaults(faults) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{
				Config: configMany(provider, name, ""),
				Check:  checkConsistent(sim, name, faultTasks),
			},
			{
				// Refresh and plan again under the same faults: reads and the empty plan are
				// exercised too, and by now every fault the case sets has had its chance to fire.
				Config:           configMany(provider, name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, faultTasks), func(*terraform.State) error {
					if extraCheck == nil {
						return nil
					}
					return extraCheck(sim)
				}),
			},
		},
	})
	return sim
}

func TestAccFault_throttleWithRetryAfter(t *testing.T) {
	faultCase(t, graphsim.Faults{WriteThrottle: &graphsim.Throttle{Limit: 2, Window: 2 * time.Second}}, fired(graphsim.FaultThrottle, 1))
}

func TestAccFault_throttleWithoutRetryAfter(t *testing.T) {
	faultCase(t, graphsim.Faults{WriteThrottle: &graphsim.Throttle{Limit: 2, Window: 2 * time.Second, OmitRetryAfter: true}}, fired(graphsim.FaultThrottle, 1))
}

// Retry-After is honoured end to end: no throttled write is retried before the wait Graph asked
// for has passed, and a create is throttled a bounded number of times, although Graph counts the
// throttled attempts against the window too.
func TestAccFault_throttleRetryAfterHonoured(t *testing.T) {
	const limit, tasks = 2, 4
	window := 2 * time.Second
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			sim.SetFaults(graphsim.Faults{WriteThrottle: &graphsim.Throttle{Limit: limit, Window: window}})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{{
			Config: provider + fmt.Sprintf(`
resource "intune_security_configuration_task" "test" {
  count        = %d
  display_name = "%s-${count.index}"
}
`, tasks, name),
			Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, tasks), func(*terraform.State) error {
				if err := fired(graphsim.FaultThrottle, 1)(sim); err != nil {
					return err
				}
				return checkRetryAfterHonoured(sim.Requests(), tasks)
			}),
		}},
	})
}

// checkRetryAfterHonoured reads the request log: every retry of a throttled POST (the same
// client-request-id) comes at least Retry-After after the 429, and no create is throttled more
// often than there are creates competing: a client that waits as asked gets through in the first
// wave that has room, and each wave lets at least one through.
func checkRetryAfterHonoured(log []graphsim.LoggedRequest, tasks int) error {
	byCall := map[string][]graphsim.LoggedRequest{}
	for _, r := range log {
		if r.Method == "POST" && r.Route == graphsim.RouteTasks {
			id := r.Header.Get("client-request-id")
			byCall[id] = append(byCall[id], r)
		}
	}
	if len(byCall) != tasks {
		return fmt.Errorf("%d creates in the log, want %d", len(byCall), tasks)
	}
	for id, rs := range byCall {
		throttled := 0
		for i, r := range rs {
			if r.Status != 429 {
				continue
			}
			throttled++
			if i+1 == len(rs) {
				return fmt.Errorf("create %s ended on a 429", id)
			}
			var secs int
			if _, err := fmt.Sscan(r.RetryAfter, &secs); err != nil || secs < 1 {
				return fmt.Errorf("the emulator's 429 carried Retry-After %q", r.RetryAfter)
			}
			if gap := rs[i+1].Time.Sub(r.Time); gap < time.Duration(secs)*time.Second {
				return fmt.Errorf("create %s was retried %v after a 429 that asked for %ds", id, gap, secs)
			}
		}
		if throttled > tasks {
			return fmt.Errorf("create %s was throttled %d times, more than the %d creates competing", id, throttled, tasks)
		}
	}
	return nil
}

func TestAccFault_503EveryThirdCall(t *testing.T) {
	faultCase(t, graphsim.Faults{Rules: []graphsim.Rule{
		{Route: graphsim.RouteTasks, EveryNth: 3, Status: 503},
		{Route: graphsim.RouteTask, EveryNth: 3, Status: 503, RetryAfter: "1"},
	}}, fired(graphsim.FaultStatus, 1))
}

// 504s on creates, reads and deletes: each rule must have acted, the deletes' during destroy.
func TestAccFault_504(t *testing.T) {
	sim := faultCaseOn(t, graphsim.Faults{Rules: []graphsim.Rule{
		{Name: "post", Method: "POST", Route: graphsim.RouteTasks, Times: 2, Status: 504},
		{Name: "get", Method: "GET", Route: graphsim.RouteTask, Times: 2, Status: 504},
		{Name: "delete", Method: "DELETE", Route: graphsim.RouteTask, Times: 2, Status: 504},
	}}, nil)
	acctest.AtEnd(t, func() error {
		for _, rule := range []string{"post", "get", "delete"} {
			if n := sim.RuleFirings(rule); n != 2 {
				return fmt.Errorf("the %s rule fired %d times, want 2: the case did not exercise what it claims", rule, n)
			}
		}
		return nil
	})
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
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 5})
	for i := range 12 {
		sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.appVulnerabilityTask", "displayName": fmt.Sprint("filler ", i)})
	}
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "POST", Route: graphsim.RouteTasks, Times: 1, Status: 500, AfterCommit: true}}})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{{
			Config: configMany(provider, name, ""),
			Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, faultTasks), func(*terraform.State) error {
				if err := fired(graphsim.FaultStatus, 1)(sim); err != nil {
					return err
				}
				if n := sim.Count("GET", graphsim.RouteTasks); n < 2 {
					return fmt.Errorf("the lookup read %d pages; it did not follow @odata.nextLink", n)
				}
				return nil
			}),
		}},
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
		{Method: "POST", Route: graphsim.RouteTasks, Times: 2, Status: 502, ContentType: "text/html", Body: badGateway},
	}}, fired(graphsim.FaultStatus, 2))
}

const badGateway = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"

// A few HTML 502s on reads are retried; one that lasts past the read timeout is reported with its
// HTTP status, and nothing is lost. Each task's first two reads fail (the rule counts per task), so
// the retries fit the read timeout however the parallel refreshes interleave.
func TestAccFault_html502OnRead(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	readTimeout := `timeouts { read = "20s" }`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{Config: configMany(provider, name, readTimeout), Check: checkConsistent(sim, name, faultTasks)},
			{
				PreConfig: func() {
					sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Name: "502", Method: "GET", Route: graphsim.RouteTask, Times: 2, PerTask: true,
						Status: 502, Body: badGateway, ContentType: "text/html"}}})
				},
				Config:           configMany(provider, name, readTimeout),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, faultTasks), func(*terraform.State) error {
					if n := sim.RuleFirings("502"); n != 2*faultTasks {
						return fmt.Errorf("%d 502s, want 2 for each of the %d tasks", n, faultTasks)
					}
					return nil
				}),
			},
			{
				PreConfig: func() {
					sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "GET", Route: graphsim.RouteTask, Status: 502, Body: badGateway, ContentType: "text/html"}}})
				},
				Config:      configMany(provider, name, readTimeout),
				ExpectError: regexp.MustCompile(`reading Intune security configuration task(.|\n)*returned\s+HTTP\s+502\s+Bad\s+Gateway(.|\n)*Response\s+body\s+\(not\s+Graph\s+JSON\):\s+502\s+Bad\s+Gateway`),
			},
			{
				PreConfig: func() { sim.SetFaults(graphsim.Faults{}) },
				Config:    configMany(provider, name, readTimeout),
				Check:     checkConsistent(sim, name, faultTasks),
			},
		},
	})
}

// A 404 that is not Graph's (an HTML page from a proxy) on refresh is an error, never "the task
// is gone": the task stays in state and nothing is planned for re-creation.
func TestAccFault_htmlNotFoundOnRefresh(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{Config: configMany(provider, name, ""), Check: checkConsistent(sim, name, faultTasks)},
			{
				PreConfig: func() {
					sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "GET", Route: graphsim.RouteTask, Status: 404,
						ContentType: "text/html", Body: "<html><body><h1>404 Not Found</h1><p>nginx</p></body></html>"}}})
				},
				Config:      configMany(provider, name, ""),
				ExpectError: regexp.MustCompile(`reading Intune security configuration task(.|\n)*returned\s+HTTP\s+404\s+Not\s+Found(.|\n)*not\s+treated\s+as\s+deleted`),
			},
			{
				PreConfig:        func() { sim.SetFaults(graphsim.Faults{}) },
				Config:           configMany(provider, name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            checkConsistent(sim, name, faultTasks),
			},
		},
	})
}

// A POST answered after the create timeout, before Graph acted: a clear timeout error, and state
// still matches Graph. Graph holds the POSTs until the client gives up, so the timeout passes
// mid-POST however slowly the machine runs; the create that follows, with no fault, has the
// default timeout.
func TestAccFault_slowerThanTimeout(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "POST", Route: graphsim.RouteTasks, Delay: time.Hour}}})
				},
				Config:      configMany(provider, name, `timeouts { create = "15s" }`),
				ExpectError: regexp.MustCompile(`creating Intune security configuration task(.|\n)*failed before Graph\s+answered(.|\n)*context deadline exceeded(.|\n)*Raise\s+it\s+in\s+the\s+resource's\s+timeouts\s+block`),
			},
			{
				PreConfig: func() { sim.SetFaults(graphsim.Faults{}) },
				Config:    configMany(provider, name, ""),
				Check:     checkConsistent(sim, name, faultTasks),
			},
		},
	})
}

// The create timeout passes after Graph made the task but before it answered: the lookup, with a
// budget of its own, finds the task, so it reaches state (tainted, as the error says) instead of
// being orphaned; the next apply, with no fault and the default timeout, replaces it and nothing is
// left behind. Graph holds the answers until the client gives up, so the timeout passes mid-POST
// however slowly the machine runs.
func TestAccFault_deadlineAfterCommit(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	timeouts := `timeouts { create = "15s" }`
	var replaced []plancheck.PlanCheck
	for i := range faultTasks {
		replaced = append(replaced, plancheck.ExpectResourceAction(fmt.Sprintf("intune_security_configuration_task.test[%d]", i), plancheck.ResourceActionDestroyBeforeCreate))
	}
	var tainted []string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "POST", Route: graphsim.RouteTasks, Delay: time.Hour, AfterCommit: true}}})
				},
				Config:      configMany(provider, name, timeouts),
				ExpectError: regexp.MustCompile(`creating Intune security configuration task(.|\n)*context\s+deadline\s+exceeded(.|\n)*Graph\s+did\s+create\s+the\s+task(.|\n)*tainted`),
			},
			{
				PreConfig: func() {
					sim.SetFaults(graphsim.Faults{})
					for _, tk := range sim.Tasks() {
						if dn, _ := tk["displayName"].(string); strings.HasPrefix(dn, name+"-") {
							tainted = append(tainted, tk["id"].(string))
						}
					}
				},
				Config:           configMany(provider, name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: replaced},
				Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, faultTasks), func(*terraform.State) error {
					if len(tainted) != faultTasks {
						return fmt.Errorf("the timed-out apply left %d tasks at the emulator, want %d", len(tainted), faultTasks)
					}
					for _, id := range tainted {
						if _, ok := sim.Task(id); ok {
							return fmt.Errorf("task %s, created by the timed-out apply, was not replaced: it was orphaned", id)
						}
					}
					return nil
				}),
			},
		},
	})
}

// Two resources that would create identical tasks, and the answer to one POST is lost: before
// Graph saw it (a gateway's HTML 502), or after Graph made the task (a reset). The lookup must not
// take the twin's task: two tasks, two distinct ids in state, and a successful apply.
func TestAccFault_twinsLostBeforeWrite(t *testing.T) {
	twinCase(t, graphsim.Rule{Method: "POST", Route: graphsim.RouteTasks, Times: 1, Status: 502, ContentType: "text/html", Body: badGateway}, graphsim.FaultStatus)
}

func TestAccFault_twinsLostAfterWrite(t *testing.T) {
	twinCase(t, graphsim.Rule{Method: "POST", Route: graphsim.RouteTasks, Times: 1, ResetConnection: true, AfterCommit: true}, graphsim.FaultReset)
}

func twinCase(t *testing.T, rule graphsim.Rule, kind string) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t); sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{rule}}) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{
				Config: configTwins(provider, name),
				Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, 2), func(*terraform.State) error {
					return fired(kind, 1)(sim)
				}),
			},
			{
				// Going down to one twin deletes only the other twin's task.
				Config: strings.Replace(configTwins(provider, name), "count        = 2", "count        = 1", 1),
				Check:  checkConsistent(sim, name, 1),
			},
		},
	})
}

// The collection list lags behind a create: a lost POST answer is looked up until the task shows
// in the list (within the consistency window), never posted again too early.
func TestAccFault_listLagsBehindCreate(t *testing.T) {
	faultCase(t, graphsim.Faults{
		ListLag: 8 * time.Second,
		Rules:   []graphsim.Rule{{Method: "POST", Route: graphsim.RouteTasks, Times: 2, Status: 502, ContentType: "text/html", Body: badGateway, AfterCommit: true}},
	}, func(sim *graphsim.Server) error {
		if err := fired(graphsim.FaultListLag, 1)(sim); err != nil {
			return err
		}
		return fired(graphsim.FaultStatus, 2)(sim)
	})
}

// A create answered 201 without the task but with a Location header: the provider takes the id
// from it and reads the task, with no lookup of the collection and no duplicate.
func TestAccFault_createdWithoutEntity(t *testing.T) {
	faultCase(t, graphsim.Faults{Rules: []graphsim.Rule{
		{Method: "POST", Route: graphsim.RouteTasks, Times: 2, Status: 201, EmptyBody: true, AfterCommit: true},
	}}, func(sim *graphsim.Server) error {
		if err := fired(graphsim.FaultStatus, 2)(sim); err != nil {
			return err
		}
		if n := sim.Count("GET", graphsim.RouteTasks); n != 0 {
			return fmt.Errorf("the collection was listed %d times: the id in Location was not used", n)
		}
		return nil
	})
}

// A create answered 201 with a body that cannot be read and no Location: the write happened but
// its id is unknown, so the task is looked up and adopted, never posted again.
func TestAccFault_createdWithoutEntityOrLocation(t *testing.T) {
	faultCase(t, graphsim.Faults{Rules: []graphsim.Rule{
		{Method: "POST", Route: graphsim.RouteTasks, Times: 2, Status: 201, Body: `{"@odata.type":"#microsoft.graph.securi`, OmitLocation: true, AfterCommit: true},
	}}, func(sim *graphsim.Server) error {
		if err := fired(graphsim.FaultStatus, 2)(sim); err != nil {
			return err
		}
		if n := sim.Count("POST", graphsim.RouteTasks); n != faultTasks {
			return fmt.Errorf("%d POSTs for %d tasks: a create whose write happened was sent again", n, faultTasks)
		}
		return nil
	})
}

// A task stays visible for a while after its DELETE: destroy reads until Graph answers 404.
func TestAccFault_visibleAfterDelete(t *testing.T) {
	const stale = 3
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	var ids []string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t); sim.SetFaults(graphsim.Faults{VisibleAfterDelete: stale}) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(func(*terraform.State) error {
			// Every delete was followed by reads until Graph answered 404.
			for _, id := range ids {
				deleted, reads, gone := false, 0, false
				for _, r := range sim.Requests() {
					if !strings.HasSuffix(r.Path, "/"+id) {
						continue
					}
					switch {
					case r.Method == "DELETE" && r.Status == 204:
						deleted = true
					case deleted && r.Method == "GET":
						reads++
						gone = r.Status == 404
					}
				}
				if !deleted || reads < stale+1 || !gone {
					return fmt.Errorf("task %s: deleted %v, then %d reads, last one 404 %v; want more than %d reads ending in 404", id, deleted, reads, gone, stale)
				}
			}
			return fired(graphsim.FaultVisibleAfterDelete, faultTasks*stale)(sim)
		}, checkDestroyed(sim, name)),
		Steps: []resource.TestStep{{
			Config: configMany(provider, name, ""),
			Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, faultTasks), func(s *terraform.State) error {
				for _, rs := range s.RootModule().Resources {
					ids = append(ids, rs.Primary.ID)
				}
				return nil
			}),
		}},
	})
}

// After a DELETE that succeeded, a 404 for the same URL means gone even without Graph's error
// JSON (a stand-in or a front end answering a gone id with a bare status): destroy succeeds after
// one read, instead of failing on a 404 it cannot tell from a wrong URL.
func TestAccFault_bareNotFoundAfterDelete(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	var ids []string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t); sim.SetFaults(graphsim.Faults{BareNotFoundAfterDelete: true}) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(func(*terraform.State) error {
			// Each task: one DELETE answered 204, then one GET answered the bare 404, then nothing.
			for _, id := range ids {
				var after []string
				deleted := false
				for _, r := range sim.Requests() {
					if !strings.HasSuffix(r.Path, "/"+id) {
						continue
					}
					if deleted {
						after = append(after, fmt.Sprintf("%s %d %s", r.Method, r.Status, r.Fault))
					}
					deleted = deleted || (r.Method == "DELETE" && r.Status == 204)
				}
				if want := []string{"GET 404 " + graphsim.FaultBareNotFoundAfterDelete}; !deleted || !slices.Equal(after, want) {
					return fmt.Errorf("task %s: deleted %v, then %q; want %q", id, deleted, after, want)
				}
			}
			if n := sim.Count("DELETE", graphsim.RouteTask); n != faultTasks {
				return fmt.Errorf("%d DELETEs for %d tasks", n, faultTasks)
			}
			return fired(graphsim.FaultBareNotFoundAfterDelete, faultTasks)(sim)
		}, checkDestroyed(sim, name)),
		Steps: []resource.TestStep{{
			Config: configMany(provider, name, ""),
			Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, faultTasks), func(s *terraform.State) error {
				for _, rs := range s.RootModule().Resources {
					ids = append(ids, rs.Primary.ID)
				}
				return nil
			}),
		}},
	})
}

// A DELETE answered with a 404 that is not Graph's (an HTML page from a proxy) proves nothing
// about the task, not even that the URL is Graph's: destroy fails and the task stays in state, to
// be deleted by the next destroy.
func TestAccFault_htmlNotFoundOnDelete(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(func(*terraform.State) error {
			if n := sim.Count("DELETE", graphsim.RouteTask); n != 2*faultTasks {
				return fmt.Errorf("%d DELETEs, want %d: one refused by the proxy and one that deleted, for each task", n, 2*faultTasks)
			}
			return nil
		}, checkDestroyed(sim, name)),
		Steps: []resource.TestStep{
			{Config: configMany(provider, name, ""), Check: checkConsistent(sim, name, faultTasks)},
			{
				PreConfig: func() {
					sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "DELETE", Route: graphsim.RouteTask, Times: faultTasks, Status: 404,
						ContentType: "text/html", Body: "<html><body><h1>404 Not Found</h1><p>nginx</p></body></html>"}}})
				},
				Config:      configMany(provider, name, ""),
				Destroy:     true,
				ExpectError: regexp.MustCompile(`deleting Intune security configuration task(.|\n)*returned\s+HTTP\s+404\s+Not\s+Found(.|\n)*not\s+treated\s+as\s+deleted`),
			},
		},
	})
}

// After a PATCH answered 204, or a status change through updateStatus, a lagging replica may still
// serve the old values: the provider reads until Graph shows what was written, so the apply does
// not fail with "inconsistent result after apply".
func TestAccFault_staleReadsAfterWrite(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	at0 := "intune_security_configuration_task.test[0]"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{Config: configMany(provider, name, `status = "pending"`)},
			{
				PreConfig: func() { sim.SetFaults(graphsim.Faults{PatchNoContent: true, StaleReadsAfterWrite: 2}) },
				Config:    configMany(provider, name, `status = "pending"`+"\n  description = \"patched\""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(at0, tfjsonpath.New("description"), knownvalue.StringExact("patched")),
				},
				Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, faultTasks), func(*terraform.State) error {
					return fired(graphsim.FaultStaleRead, faultTasks)(sim)
				}),
			},
			{
				PreConfig: func() { sim.SetFaults(graphsim.Faults{StaleReadsAfterWrite: 2}) },
				Config:    configMany(provider, name, `status = "active"`+"\n  status_note = \"accepted\"\n  description = \"patched\""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(at0, tfjsonpath.New("status"), knownvalue.StringExact("active")),
				},
				Check: checkConsistent(sim, name, faultTasks),
			},
		},
	})
}

// An @odata.nextLink that names another host (a Graph stand-in or a proxy writing Graph's own
// host) is followed on the configured endpoint: every task is listed, and the other host receives
// nothing, so the bearer token never leaves the configured endpoint.
func TestAccFault_nextLinkToAnotherHost(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 2})
	other, _ := acctest.NewSim(t, graphsim.Options{})
	for i := range 3 {
		sim.Seed(map[string]any{"displayName": fmt.Sprint("seeded ", i)})
	}
	acctest.AtEnd(t, func() error { return acctest.CheckNextLinkRerooted(sim, other) })
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			sim.SetFaults(graphsim.Faults{NextLinkHost: strings.TrimPrefix(other.URL(), "https://")})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: provider + `data "intune_security_configuration_tasks" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.intune_security_configuration_tasks.all", tfjsonpath.New("tasks"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue("data.intune_security_configuration_tasks.all", tfjsonpath.New("tasks").AtSliceIndex(2).AtMapKey("display_name"), knownvalue.StringExact("seeded 2")),
			},
		}},
	})
}

// The data source reads a task this apply created moments ago while Graph's replicas still answer
// 404 for it, with the same grace as the resource.
func TestAccFault_dataSourceReadsANewTask(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t); sim.SetFaults(graphsim.Faults{NotFoundReadsAfterCreate: 3}) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{{
			Config: provider + fmt.Sprintf(`
resource "intune_security_configuration_task" "test" {
  display_name = "%s-new"
}

data "intune_security_configuration_task" "new" {
  id = intune_security_configuration_task.test.id
  timeouts {
    read = "1m"
  }
}
`, name),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.intune_security_configuration_task.new", tfjsonpath.New("display_name"), knownvalue.StringExact(name+"-new")),
			},
			Check: func(*terraform.State) error { return fired(graphsim.FaultNotFoundAfterCreate, 3)(sim) },
		}},
	})
}

// PATCH answered 204: the provider reads the task back.
func TestAccFault_patchNoContent(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{Config: configMany(provider, name, "")},
			{
				PreConfig: func() { sim.SetFaults(graphsim.Faults{PatchNoContent: true}) },
				Config:    configMany(provider, name, `description = "patched"`+"\n  managed_device_count = 7"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("intune_security_configuration_task.test[0]", tfjsonpath.New("description"), knownvalue.StringExact("patched")),
					statecheck.ExpectKnownValue("intune_security_configuration_task.test[3]", tfjsonpath.New("managed_device_count"), knownvalue.Int32Exact(7)),
				},
				Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, faultTasks), func(*terraform.State) error {
					return fired(graphsim.FaultPatchNoContent, faultTasks)(sim)
				}),
			},
		},
	})
}

// A status value newer than the SDK: kept as Graph sent it, with a warning, and no diff while
// status is not configured.
func TestAccFault_unknownEnumValue(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{
				Config: configMany(provider, name, ""),
				Check: func(s *terraform.State) error {
					id := s.RootModule().Resources["intune_security_configuration_task.test.0"].Primary.ID
					if !sim.SetRaw(id, "status", "inReview") {
						return fmt.Errorf("task %s not at the emulator", id)
					}
					return nil
				},
			},
			{
				Config: configMany(provider, name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("intune_security_configuration_task.test[0]", tfjsonpath.New("status"), knownvalue.StringExact("inReview")),
				},
				Check: checkConsistent(sim, name, faultTasks),
			},
			{
				// Configuring status replaces the unknown value in place.
				Config: configMany(provider, name, `status = "active"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("intune_security_configuration_task.test[0]", tfjsonpath.New("status"), knownvalue.StringExact("active")),
				},
			},
		},
	})
}

// A token that cannot be had is not an ambiguous create: no lookup, no retry, and an error that
// says what to fix.
func TestAccFault_tokenRefusedIsNotAmbiguous(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	provider = strings.Replace(provider, "provider \"intune\" {", "provider \"intune\" {\n  client_secret = \"not-the-secret\"", 1)
	acctest.AtEnd(t, func() error {
		tokenRequests := 0
		for _, r := range sim.Requests() {
			if strings.HasPrefix(r.Path, "/beta/") {
				return fmt.Errorf("Graph was called (%s %s) although no token could be had", r.Method, r.Path)
			}
			if r.Route == graphsim.RouteToken {
				tokenRequests++
			}
		}
		// One resource, one create: a lookup or a retry would have asked for a token again.
		if tokenRequests != 1 {
			return fmt.Errorf("%d token requests for one create, want 1: the refused token was asked for again", tokenRequests)
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      provider + fmt.Sprintf("resource \"intune_security_configuration_task\" \"test\" {\n  display_name = %q\n}\n", name+"-x"),
			ExpectError: regexp.MustCompile(`creating Intune security configuration task(.|\n)*was\s+not\s+sent:\s+getting\s+an\s+access\s+token(.|\n)*AADSTS7000215(.|\n)*Retrying\s+does\s+not\s+help`),
		}},
	})
}

// The deadline passing while the client-side write pacer holds a create is not an ambiguous
// create either: nothing was sent, so nothing is looked up. The pacer lets one write through per
// 20 s, and Graph answers that one with a 429 asking for an hour, which holds every other write
// for as long: their timeouts pass while they wait, however slowly the machine runs.
func TestAccFault_pacerDeadlineIsNotAmbiguous(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	provider = strings.Replace(provider, "provider \"intune\" {", "provider \"intune\" {\n  write_rate_limit = 1", 1)
	acctest.AtEnd(t, func() error {
		if n := sim.Count("GET", graphsim.RouteTasks); n != 0 {
			return fmt.Errorf("the collection was listed %d times: a create that was never sent was looked up", n)
		}
		if n := sim.Count("POST", graphsim.RouteTasks); n != 1 {
			return fmt.Errorf("%d POSTs, want the 1 the pacer let through", n)
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "POST", Route: graphsim.RouteTasks, Status: 429, RetryAfter: "3600"}}})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{{
			Config:      configMany(provider, name, `timeouts { create = "5s" }`),
			ExpectError: regexp.MustCompile(`was\s+not\s+sent:\s+the\s+operation's\s+timeout\s+passed\s+while\s+it\s+waited\s+to\s+be\s+sent(.|\n)*write_rate_limit`),
		}},
	})
}

// Someone changes an attribute the configuration leaves to Graph (status, moved by an Intune admin
// in the portal) between the plan and the write: the apply keeps the planned value instead of
// failing with "inconsistent result after apply", and the next refresh shows the change without
// planning anything.
func TestAccFault_editedBetweenPlanAndApply(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	at0 := "intune_security_configuration_task.test[0]"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{Config: configMany(provider, name, "")},
			{
				PreConfig: func() { sim.SetFaults(graphsim.Faults{EditBeforeWrite: map[string]any{"status": "completed"}}) },
				Config:    configMany(provider, name, `description = "edited"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(at0, tfjsonpath.New("status"), knownvalue.StringExact("unknown")),
					statecheck.ExpectKnownValue(at0, tfjsonpath.New("description"), knownvalue.StringExact("edited")),
				},
				Check: func(*terraform.State) error { return fired(graphsim.FaultEditBeforeWrite, faultTasks)(sim) },
			},
			{
				PreConfig:        func() { sim.SetFaults(graphsim.Faults{}) },
				Config:           configMany(provider, name, `description = "edited"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(at0, tfjsonpath.New("status"), knownvalue.StringExact("completed")),
				},
				Check: checkConsistent(sim, name, faultTasks),
			},
		},
	})
}

// Someone changes attributes the configuration sets (status moved by an Intune admin, the name
// edited in the portal) between the plan and an update that does not write them: the apply keeps
// the planned values instead of failing with "inconsistent result after apply", and the next plan
// shows the difference and writes the configuration back. With the PATCH answered 204, the re-read
// waits only for what the update wrote: one read, not the consistency window's polling.
func TestAccFault_configuredEditedBetweenPlanAndApply(t *testing.T) {
	for _, noContent := range []bool{false, true} {
		t.Run(fmt.Sprint("patchNoContent=", noContent), func(t *testing.T) {
			sim, provider := acctest.NewSim(t, graphsim.Options{})
			name := acctest.RandomName()
			at0 := "intune_security_configuration_task.test[0]"
			config := func(description string) string {
				return configMany(provider, name, `status = "pending"`+"\n  description = \""+description+"\"")
			}
			var gets int
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             checkDestroyed(sim, name),
				Steps: []resource.TestStep{
					{Config: config("v1")},
					{
						PreConfig: func() {
							gets = sim.Count("GET", graphsim.RouteTask)
							sim.SetFaults(graphsim.Faults{PatchNoContent: noContent,
								EditBeforeWrite: map[string]any{"status": "completed", "displayName": "renamed in the portal"}})
						},
						Config: config("v2"),
						// The refresh after the apply sees the edits: the plan writes the configuration back.
						ExpectNonEmptyPlan: true,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(at0, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
							statecheck.ExpectKnownValue(at0, tfjsonpath.New("display_name"), knownvalue.StringExact(name+"-0")),
							statecheck.ExpectKnownValue(at0, tfjsonpath.New("description"), knownvalue.StringExact("v2")),
						},
						Check: func(*terraform.State) error {
							if err := fired(graphsim.FaultEditBeforeWrite, faultTasks)(sim); err != nil {
								return err
							}
							// The step's refresh reads each task once, and so does each update's re-read
							// when the PATCH answered 204; polling for the edited values would read more.
							want := faultTasks
							if noContent {
								want = 2 * faultTasks
							}
							if n := sim.Count("GET", graphsim.RouteTask) - gets; n > want {
								return fmt.Errorf("%d GETs of tasks during the update step, want at most %d: the re-read waited for values this update did not write", n, want)
							}
							return nil
						},
					},
					{
						PreConfig: func() { sim.SetFaults(graphsim.Faults{}) },
						Config:    config("v2"),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(at0, plancheck.ResourceActionUpdate),
							plancheck.ExpectKnownValue(at0, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
						}},
						Check: checkConsistent(sim, name, faultTasks),
					},
					{
						Config:           config("v2"),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check: func(*terraform.State) error {
							for _, task := range sim.Tasks() {
								if dn, _ := task["displayName"].(string); strings.HasPrefix(dn, name+"-") && task["status"] != "pending" {
									return fmt.Errorf("task %s has status %v after the apply that wrote the configuration back", dn, task["status"])
								}
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// A twin made by an earlier run (an earlier terraform command, so another provider process that
// this one knows nothing of) shortly before a new twin's create loses its answer: the lookup's
// window on Graph's clock starts just before the lost POST left, so the earlier twin's task is
// never taken for it.
func TestAccFault_twinFromAnEarlierRun(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	one := strings.Replace(configTwins(provider, name), "count        = 2", "count        = 1", 1)
	var first string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{
				Config: one,
				Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, 1), func(s *terraform.State) error {
					first = s.RootModule().Resources["intune_security_configuration_task.test.0"].Primary.ID
					return nil
				}),
			},
			{
				PreConfig: func() {
					// Made 20 s ago on Graph's clock, however long the steps took: twice the window's
					// allowance before a POST, well inside the 2 minutes a window on this machine's
					// clock would have needed.
					sim.SetRaw(first, "createdDateTime", time.Now().Add(-20*time.Second).UTC().Format(time.RFC3339Nano))
					sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "POST", Route: graphsim.RouteTasks, Times: 1,
						Status: 502, ContentType: "text/html", Body: badGateway}}})
				},
				Config: configTwins(provider, name),
				Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, 2), func(*terraform.State) error {
					return fired(graphsim.FaultStatus, 1)(sim)
				}),
			},
		},
	})
}

// Every answer to a create is lost before Graph acts: the provider posts at most twice more, then
// gives up with advice on finding and importing the task, never on deleting anything.
func TestAccFault_createGivesUpAfterTwoReposts(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	acctest.AtEnd(t, func() error {
		if n := sim.Count("POST", graphsim.RouteTasks); n != 3 {
			return fmt.Errorf("%d POSTs, want the first and 2 more", n)
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "POST", Route: graphsim.RouteTasks, Status: 502, ContentType: "text/html", Body: badGateway}}})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: provider + fmt.Sprintf("resource \"intune_security_configuration_task\" \"test\" {\n  display_name = %q\n}\n", name+"-lost"),
			ExpectError: regexp.MustCompile(`returned\s+HTTP\s+502(.|\n)*The\s+answer\s+to\s+this\s+create\s+was\s+lost\s+3\s+times(.|\n)*gives\s+up\s+now` +
				`(.|\n)*look\s+in\s+Intune\s+for\s+security\s+configuration\s+tasks\s+named\s+"` + name + `-lost"(.|\n)*terraform\s+import`),
		}},
	})
}

// Two tasks that match the configuration and belong to nobody in this run were made when a create's
// answer was lost: the provider cannot tell which (if either) is its own, so it adopts neither and
// fails naming both, without advising to delete anything.
func TestAccFault_createFindsSeveralCandidates(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	var seeded []string
	acctest.AtEnd(t, func() error {
		for _, r := range sim.Requests() {
			if r.Method == "DELETE" {
				return fmt.Errorf("a task was deleted: %s", r.Path)
			}
		}
		if n := sim.Count("POST", graphsim.RouteTasks); n != 1 {
			return fmt.Errorf("%d POSTs: with candidates found, the create must not be sent again", n)
		}
		if len(seeded) != 2 {
			return fmt.Errorf("%d candidates seeded as the POST arrived, want 2", len(seeded))
		}
		for _, id := range seeded {
			if _, ok := sim.Task(id); !ok {
				return fmt.Errorf("candidate %s is gone", id)
			}
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			// The candidates are made as the faulted POST reaches Graph: inside the lookup's window
			// however long terraform took to get there.
			sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "POST", Route: graphsim.RouteTasks, Times: 1, Status: 502,
				ContentType: "text/html", Body: badGateway, OnFire: func() {
					for range 2 {
						seeded = append(seeded, sim.Seed(map[string]any{"displayName": name + "-dup", "priority": "high"}))
					}
				}}}})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      provider + fmt.Sprintf("resource \"intune_security_configuration_task\" \"test\" {\n  display_name = %q\n  priority     = \"high\"\n}\n", name+"-dup"),
			ExpectError: regexp.MustCompile(`Graph\s+holds\s+2\s+tasks\s+that\s+match\s+this\s+configuration(.|\n)*look\s+in\s+Intune(.|\n)*terraform\s+import`),
		}},
	})
}

// A provider process that serves several walks of one command (the refresh of `terraform apply`,
// then its apply: Terraform does so with a provider it attaches to, such as one started for a
// debugger) claims the tasks it reads into state, so a lost create in the apply never adopts a
// twin's task that the refresh read, however recently that task was made.
func TestAccFault_twinReadIntoStateByThisProcess(t *testing.T) {
	acctest.SkipUnlessTerraform(t, "1.0.0", "attaching to one provider process by its registry.terraform.io address")
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	h := acctest.NewHarness(t)
	dir := h.Dir(t, map[string]string{"main.tf": provider + fmt.Sprintf(`
variable "twins" {
  type = number
}

resource "intune_security_configuration_task" "test" {
  count        = var.twins
  display_name = "%s-twin"
  priority     = "high"
}
`, name)})
	run := func(reattach string, args ...string) {
		t.Helper()
		if out, err := h.RunAttached(t, dir, reattach, append(args, "-no-color")...); err != nil {
			t.Fatalf("terraform %v: %v\n%s", args, err, out)
		}
	}
	// The emulator is this test's own and goes with it: nothing to destroy at the end.
	run("", "apply", "-auto-approve", "-input=false", "-var=twins=1")
	tasks := sim.Tasks()
	if len(tasks) != 1 {
		t.Fatalf("%d tasks after the first apply", len(tasks))
	}
	first := tasks[0]["id"].(string)
	// Made "just now" on Graph's clock: only the claim keeps it from the lookup.
	sim.SetRaw(first, "createdDateTime", time.Now().UTC().Format(time.RFC3339Nano))
	sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "POST", Route: graphsim.RouteTasks, Times: 1,
		Status: 502, ContentType: "text/html", Body: badGateway}}})
	run(h.Serve(t), "apply", "-auto-approve", "-input=false", "-var=twins=2")

	out, err := h.Run(t, dir, "show", "-json")
	if err != nil {
		t.Fatalf("terraform show: %v\n%s", err, out)
	}
	var shown struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Values struct {
						ID string `json:"id"`
					} `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range shown.Values.RootModule.Resources {
		ids[r.Values.ID] = true
	}
	if len(shown.Values.RootModule.Resources) != 2 || len(ids) != 2 || len(sim.Tasks()) != 2 {
		t.Fatalf("state holds %d resources with %d distinct ids, the emulator %d tasks; want 2 of each", len(shown.Values.RootModule.Resources), len(ids), len(sim.Tasks()))
	}
	if n := sim.FaultCounts()[graphsim.FaultStatus]; n != 1 {
		t.Fatalf("the lost create fired %d times", n)
	}
}
