package securityconfigurationtask_test

// Recovery on Graph's slowest and oddest answers: a lost create whose answer comes long after the
// POST left, a re-posted create whose first task shows up late, list pages that are not pages,
// @odata.nextLinks that loop, and list items without an id. Each case has an emulator of its own;
// the emulator's hooks (Rule.OnFire) act at the moment a request reaches it, so no case depends on
// how fast terraform runs on the machine.

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// window is the provider's consistency window (graph-behaviour.md §8): how long it allows Graph's
// list to lag behind a write. The cases below are built around it.
const window = 30 * time.Second

// configOne is one task named name-one.
func configOne(provider, name, extra string) string {
	return provider + fmt.Sprintf(`
resource "intune_security_configuration_task" "test" {
  display_name = "%s-one"
  priority     = "high"
  %s
}
`, name, extra)
}

// tasksNamed returns the ids of the emulator's tasks named name-*.
func tasksNamed(sim *graphsim.Server, name string) []string {
	var ids []string
	for _, t := range sim.Tasks() {
		if dn, _ := t["displayName"].(string); strings.HasPrefix(dn, name+"-") {
			ids = append(ids, t["id"].(string))
		}
	}
	return ids
}

// noDeletes fails when anything was deleted: recovery never acts on a task it does not own.
func noDeletes(sim *graphsim.Server) error {
	for _, r := range sim.Requests() {
		if r.Method == "DELETE" {
			return fmt.Errorf("a task was deleted: %s", r.Path)
		}
	}
	return nil
}

// A gateway answers 504 after Graph made the task, later than the whole consistency window after
// the POST left, and the list lags behind the write for longer still: the lookup polls for the
// window from when the answer was lost, finds the task and adopts it. Polling from when the POST
// left would list once, see nothing and post a duplicate.
func TestAccFault_lostAnswerArrivesLate(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	delay := window + 5*time.Second
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			sim.SetFaults(graphsim.Faults{ListLag: delay + 5*time.Second, Rules: []graphsim.Rule{{Name: "late", Method: "POST",
				Route: graphsim.RouteTasks, Times: 1, AfterCommit: true, Delay: delay, Status: 504}}})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{{
			Config: configOne(provider, name, ""),
			Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, 1), func(*terraform.State) error {
				if n := sim.RuleFirings("late"); n != 1 {
					return fmt.Errorf("the late 504 fired %d times", n)
				}
				if n := sim.Count("POST", graphsim.RouteTasks); n != 1 {
					return fmt.Errorf("%d POSTs: the create was sent again although its task was coming", n)
				}
				return fired(graphsim.FaultListLag, 1)(sim)
			}),
		}},
	})
}

// The create's deadline passes while its POST, sent long before, is still unanswered, and Graph has
// made the task; the list shows it only after the deadline. The lookup, with a budget of its own,
// polls for the window from the deadline, so the task reaches state (tainted, as the error says)
// instead of being reported as not found and orphaned.
func TestAccFault_deadlinePassesLongAfterTheCreateLeft(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	timeout := window + 5*time.Second
	var made []string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					sim.SetFaults(graphsim.Faults{ListLag: timeout + 5*time.Second, Rules: []graphsim.Rule{{Method: "POST",
						Route: graphsim.RouteTasks, Times: 1, AfterCommit: true, Delay: 10 * time.Minute}}})
				},
				Config: configOne(provider, name, fmt.Sprintf(`timeouts { create = %q }`, timeout)),
				ExpectError: regexp.MustCompile(`creating Intune security configuration task(.|\n)*context\s+deadline\s+exceeded` +
					`(.|\n)*Graph\s+did\s+create\s+the\s+task(.|\n)*tainted`),
			},
			{
				PreConfig: func() {
					sim.SetFaults(graphsim.Faults{})
					made = tasksNamed(sim, name)
				},
				Config: configOne(provider, name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("intune_security_configuration_task.test", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, 1), func(*terraform.State) error {
					if len(made) != 1 {
						return fmt.Errorf("the timed-out create left %d tasks, want 1", len(made))
					}
					if _, ok := sim.Task(made[0]); ok {
						return fmt.Errorf("task %s, made by the timed-out create, was not replaced: it was orphaned", made[0])
					}
					return nil
				}),
			},
		},
	})
}

// The first POST's answer is lost after Graph made the task, and the list does not show that task
// within the window, so the create is sent again; its answer is lost too. By then the first task
// shows, and the second shows a little later: the lookup after the re-post searches from the first
// POST and waits the whole window before adopting a single match, so it finds both and stops with
// the several-candidates error, naming them. Searching from the re-post would pass over the first
// task (a silent duplicate); adopting the first match at once would orphan the second.
func TestAccFault_repostFindsTheFirstAttemptsTask(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	acctest.AtEnd(t, func() error {
		if err := noDeletes(sim); err != nil {
			return err
		}
		if n := sim.Count("POST", graphsim.RouteTasks); n != 2 {
			return fmt.Errorf("%d POSTs, want the create and one re-post", n)
		}
		if ids := tasksNamed(sim, name); len(ids) != 2 {
			return fmt.Errorf("%d tasks at the emulator, want both attempts' tasks, untouched", len(ids))
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			sim.SetFaults(graphsim.Faults{ListLag: time.Hour, Rules: []graphsim.Rule{
				{Name: "first", Method: "POST", Route: graphsim.RouteTasks, Times: 1, AfterCommit: true, Status: 502, ContentType: "text/html", Body: badGateway},
				{Name: "repost", Method: "POST", Route: graphsim.RouteTasks, EveryNth: 2, AfterCommit: true, Status: 502, ContentType: "text/html", Body: badGateway,
					// From the re-post on the list lags by a third of the window: the first task,
					// older than that, shows at once; the re-post's own task a little later.
					OnFire: func() { sim.UpdateFaults(func(f *graphsim.Faults) { f.ListLag = window / 3 }) }},
			}})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: configOne(provider, name, ""),
			ExpectError: regexp.MustCompile(`Graph\s+holds\s+2\s+tasks\s+that\s+match\s+this\s+configuration(.|\n)*` +
				`look\s+in\s+Intune(.|\n)*terraform\s+import`),
		}},
	})
}

// Graph lists the lost create's task without its id (a proxy or gateway rewriting answers): the
// lookup can neither adopt it (state would hold id "", which delete can never reach) nor post
// again (a duplicate), so it stops and says so.
func TestAccFault_lookupFindsTasksWithoutID(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	acctest.AtEnd(t, func() error {
		if n := sim.Count("POST", graphsim.RouteTasks); n != 1 {
			return fmt.Errorf("%d POSTs: the create was sent again", n)
		}
		if ids := tasksNamed(sim, name); len(ids) != 1 {
			return fmt.Errorf("%d tasks at the emulator, want the one the lost create made", len(ids))
		}
		return fired(graphsim.FaultListItemsWithoutID, 1)(sim)
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			sim.SetFaults(graphsim.Faults{ListItemsWithoutID: true, Rules: []graphsim.Rule{
				{Method: "POST", Route: graphsim.RouteTasks, Times: 1, ResetConnection: true, AfterCommit: true}}})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: configOne(provider, name, ""),
				ExpectError: regexp.MustCompile(`Graph\s+lists\s+1\s+task\(s\)\s+that\s+match\s+this\s+configuration(.|\n)*without\s+an\s+id` +
					`(.|\n)*terraform\s+import`),
			},
			{
				// Nothing reached state: with the resource gone from the configuration there is
				// nothing to destroy (a resource holding an id-less task would plan one).
				PreConfig:        func() { sim.SetFaults(graphsim.Faults{}) },
				Config:           provider,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// List pages that are not pages ("{}" and the like, with status 200) while a lost create is looked
// for: they are asked again until Graph answers with a page, which shows the task. Read as empty
// pages, they would make the lookup give up within the window and post a duplicate.
func TestAccFault_lookupListPageWithoutValue(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{
				{Method: "POST", Route: graphsim.RouteTasks, Times: 1, ResetConnection: true, AfterCommit: true},
				// More answers than the lookup's polls over the window.
				{Name: "not a page", Method: "GET", Route: graphsim.RouteTasks, Times: 10, Status: 200, Body: `{}`},
			}})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyed(sim, name),
		Steps: []resource.TestStep{{
			Config: configOne(provider, name, ""),
			Check: resource.ComposeTestCheckFunc(checkConsistent(sim, name, 1), func(*terraform.State) error {
				if n := sim.RuleFirings("not a page"); n != 10 {
					return fmt.Errorf("the page without value was served %d times, want 10", n)
				}
				if n := sim.Count("POST", graphsim.RouteTasks); n != 1 {
					return fmt.Errorf("%d POSTs: the create was sent again", n)
				}
				return nil
			}),
		}},
	})
}

// notAPage are success answers to a list request that are not pages.
var notAPage = map[string]string{
	"empty object": `{}`,
	"null":         `null`,
	"error object": `{"error":{"code":"generalException","message":"An error has occurred."}}`,
}

// The plural data sources report a list answer without "value" (once their read timeout is near),
// instead of showing an empty list, and succeed once Graph answers with pages again.
func TestAccFault_dataSourcesListPageWithoutValue(t *testing.T) {
	for name, body := range notAPage {
		t.Run(name, func(t *testing.T) {
			sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 2})
			for i := range 3 {
				sim.Seed(map[string]any{"displayName": fmt.Sprint("seeded ", i)})
			}
			config := func(read string) string {
				return provider + fmt.Sprintf(`
data "intune_security_configuration_tasks" "all" {
  timeouts {
    read = %[1]q
  }
}

data "intune_security_tasks" "all" {
  timeouts {
    read = %[1]q
  }
}
`, read)
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						// A few such answers are asked again, and the lists are whole.
						PreConfig: func() {
							sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "GET", Route: graphsim.RouteTasks, Times: 2,
								Status: 200, Body: body, ContentType: "application/json"}}})
						},
						Config: config("1m"),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.intune_security_configuration_tasks.all", tfjsonpath.New("tasks"), knownvalue.ListSizeExact(3)),
							statecheck.ExpectKnownValue("data.intune_security_tasks.all", tfjsonpath.New("tasks"), knownvalue.ListSizeExact(3)),
						},
					},
					{
						PreConfig: func() {
							sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "GET", Route: graphsim.RouteTasks,
								Status: 200, Body: body, ContentType: "application/json"}}})
						},
						Config: config("5s"),
						ExpectError: regexp.MustCompile(`listing Intune security (configuration )?tasks(.|\n)*returned\s+HTTP\s+200\s+OK` +
							`(.|\n)*page\s+1\s+of\s+the\s+list\s+is\s+not\s+a\s+page`),
					},
				},
			})
		})
	}
}

// An @odata.nextLink that names a page already read fails every reader at once, naming the link:
// the plural data sources, terraform query, and a lost create's lookup (which then stops instead
// of posting again). Following it would read the same pages until the deadline, holding them all.
func TestAccFault_nextLinkRepeats(t *testing.T) {
	for name, faults := range map[string]graphsim.Faults{
		"query dropped": {NextLinkWithoutQuery: true},
		"same page":     {NextLinkToSamePage: true},
	} {
		t.Run(name, func(t *testing.T) {
			sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 2})
			for i := range 5 {
				sim.Seed(map[string]any{"displayName": fmt.Sprint("seeded ", i)})
			}
			taskName := acctest.RandomName()
			repeated := `names\s+a\s+page\s+already\s+read\s+\(` + regexp.QuoteMeta(sim.URL()) + `/beta/deviceAppManagement/deviceAppManagementTasks`
			acctest.AtEnd(t, func() error {
				if n := sim.Count("POST", graphsim.RouteTasks); n != 1 {
					return fmt.Errorf("%d POSTs: the create was sent again", n)
				}
				if err := fired(graphsim.FaultNextLinkRepeat, 1)(sim); err != nil {
					return err
				}
				// Each reader stops at the first repeat: a few pages each, not a loop.
				if n := sim.Count("GET", graphsim.RouteTasks); n > 20 {
					return fmt.Errorf("%d pages read", n)
				}
				return nil
			})
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t); sim.SetFaults(faults) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:      provider + `data "intune_security_configuration_tasks" "all" {}`,
						ExpectError: regexp.MustCompile(`listing Intune security configuration tasks(.|\n)*` + repeated),
					},
					{
						Config:      provider + `data "intune_security_tasks" "all" {}`,
						ExpectError: regexp.MustCompile(`listing Intune security tasks(.|\n)*` + repeated),
					},
					{
						PreConfig: func() {
							f := faults
							f.Rules = []graphsim.Rule{{Method: "POST", Route: graphsim.RouteTasks, Times: 1, ResetConnection: true, AfterCommit: true}}
							sim.SetFaults(f)
						},
						Config:      configOne(provider, taskName, ""),
						ExpectError: regexp.MustCompile(`looking\s+for\s+it\s+failed\s+too(.|\n)*` + repeated),
					},
				},
			})
		})
	}
}

// terraform query stops on a repeated @odata.nextLink too, and a list block's timeouts.list bounds
// it: a Graph slower than that fails the query saying the timeout passed.
func TestAccFault_queryRepeatedNextLinkAndTimeout(t *testing.T) {
	acctest.SkipUnlessTerraform(t, "1.14.0", "list resources (terraform query)")
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 2})
	for i := range 5 {
		sim.Seed(defenderTask(fmt.Sprint("seeded ", i), nil))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: provider},
			{
				PreConfig: func() { sim.SetFaults(graphsim.Faults{NextLinkWithoutQuery: true}) },
				Query:     true,
				Config: `
list "intune_security_configuration_task" "all" {
  provider = intune
}
`,
				ExpectError: regexp.MustCompile(`listing Intune security configuration tasks(.|\n)*names\s+a\s+page\s+already\s+read`),
			},
			{
				PreConfig: func() {
					sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "GET", Route: graphsim.RouteTasks, Delay: 10 * time.Minute}}})
				},
				Query: true,
				Config: `
list "intune_security_configuration_task" "all" {
  provider = intune
  config {
    timeouts {
      list = "2s"
    }
  }
}
`,
				ExpectError: regexp.MustCompile(`listing Intune security configuration tasks(.|\n)*timeout\s+passed`),
			},
			{
				PreConfig: func() { sim.SetFaults(graphsim.Faults{}) },
				Query:     true,
				Config: `
list "intune_security_configuration_task" "all" {
  provider = intune
  config {
    timeouts {
      list = "0s"
    }
  }
}
`,
				// terraform query reports diagnostics in its own format, not as terraform apply does.
				ExpectError: regexp.MustCompile(`timeouts\.list must be a positive duration(.|\n)*timeouts\.list is "0s"`),
			},
			{
				Query: true,
				Config: `
list "intune_security_configuration_task" "all" {
  provider = intune
  config {
    timeouts {
      list = "1m"
    }
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength("intune_security_configuration_task.all", 5)},
			},
		},
	})
}
