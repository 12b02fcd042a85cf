package securityconfigurationtask_test

import (
	"fmt"
	"regexp"
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

const (
	resourceType = "intune_security_configuration_task"
	resourceName = resourceType + ".test"
	odataType    = "#microsoft.graph.securityConfigurationTask"
)

var taskType = acctest.TaskType{Resource: resourceType, ODataType: odataType, Noun: "security configuration task"}

// Every request names the provider, its version and the Terraform that runs it in the User-Agent.
func TestAccSecurityConfigurationTask_userAgent(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps:                    []resource.TestStep{{Config: configBasic(acctest.RandomName()), Check: checkUserAgent}},
	})
}

// checkUserAgent asks the emulator what the provider sent as User-Agent.
func checkUserAgent(*terraform.State) error {
	if acctest.Sim == nil {
		return nil // a real tenant does not tell
	}
	ua := regexp.MustCompile(`^terraform-provider-intune/test Terraform/1\.\d+\.\d+`)
	for _, r := range acctest.Sim.Requests() {
		if strings.HasPrefix(r.Path, "/beta/") {
			if got := r.Header.Get("User-Agent"); !ua.MatchString(got) {
				return fmt.Errorf("User-Agent = %q", got)
			}
			return nil
		}
	}
	return fmt.Errorf("no Graph request was logged")
}

func TestAccSecurityConfigurationTask_dueDateOffset(t *testing.T) {
	name := acctest.RandomName()
	due := "2027-01-01T00:02:18.1994089-08:00"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				// Graph answers 2027-01-01T08:02:18.1994089Z: the same instant, so no diff, and
				// the configured spelling stays in state.
				Config: configDue(name, due),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("due_date_time"), knownvalue.StringExact(due)),
				},
			},
			{
				Config:           configDue(name, due),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// The same instant in UTC, as an imported task's state would hold it: still no change.
				Config:           configDue(name, "2027-01-01T08:02:18.1994089Z"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// A different fraction is a different instant: an in-place update.
				Config: configDue(name, "2027-01-01T00:02:18.5-08:00"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)},
				},
				Check: taskType.CheckRemote(t, func(task map[string]any) error {
					return wantDue(task, "2027-01-01T08:02:18.5Z")
				}),
			},
		},
	})
}

// checkNoDueDate: Graph holds "no due date" as its unset value, never a date (graph-behaviour.md
// §2.2); the emulator follows the CSDL exactly, a real tenant may also answer null.
func checkNoDueDate(task map[string]any) error {
	if acctest.Sim == nil && task["dueDateTime"] == nil {
		return nil
	}
	return wantDue(task, "0001-01-01T00:00:00Z")
}

// A due date with half a second: Graph echoes it in UTC with the trailing zeros dropped
// (...59.5Z); state keeps the configured spelling, and neither spelling plans a change.
func TestAccSecurityConfigurationTask_dueDateFraction(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: configDue(name, "2027-06-30T16:59:59.5-07:00"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("due_date_time"), knownvalue.StringExact("2027-06-30T16:59:59.5-07:00")),
				},
				Check: taskType.CheckRemote(t, func(task map[string]any) error {
					if acctest.Sim != nil && task["dueDateTime"] != "2027-06-30T23:59:59.5Z" {
						return fmt.Errorf("the emulator echoes dueDateTime = %v, want Graph's spelling 2027-06-30T23:59:59.5Z", task["dueDateTime"])
					}
					return wantDue(task, "2027-06-30T23:59:59.5Z")
				}),
			},
			{
				Config:           configDue(name, "2027-06-30T23:59:59.5Z"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config:           configDue(name, "2027-06-30T23:59:59.500Z"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// A task whose due date Graph holds as unset imports with no due date, and plans nothing.
func TestAccSecurityConfigurationTask_importNoDueDate(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{Config: configBasic(name), Check: taskType.CheckRemote(t, checkNoDueDate)},
			{
				Config:            configBasic(name),
				ResourceName:      resourceName,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("%d states imported", len(states))
					}
					if v, ok := states[0].Attributes["due_date_time"]; ok && v != "" {
						return fmt.Errorf("imported due_date_time = %q, want none", v)
					}
					return nil
				},
			},
			{
				Config:          configBasic(name),
				ResourceName:    resourceName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

func configBasic(name string) string {
	return configAttrs(name, "")
}

func configDue(name, due string) string {
	return configAttrs(name, fmt.Sprintf("due_date_time = %q", due))
}

func configAttrs(name, attrs string) string {
	return fmt.Sprintf(`
resource "intune_security_configuration_task" "test" {
  display_name = %q
  %s
}
`, name, attrs)
}

// wantDue checks that Graph's dueDateTime names the instant want.
func wantDue(task map[string]any, want string) error {
	return acctest.WantInstant(task, "dueDateTime", want)
}
