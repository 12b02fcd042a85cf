package securityconfigurationtask_test

import (
	"encoding/json"
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
	"github.com/terraform-intune/terraform-provider-intune/internal/service/securityconfigurationtask"
)

const (
	resourceType = "intune_security_configuration_task"
	resourceName = resourceType + ".test"
	odataType    = "#microsoft.graph.securityConfigurationTask"
)

var taskType = acctest.TaskType{Resource: resourceType, ODataType: odataType, Noun: "security configuration task"}

func TestAccSecurityConfigurationTask_basic(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: configBasic(name),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("display_name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("created_date_time"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("due_date_time"), knownvalue.Null()),
					// Graph's defaults for omitted enums and counts land in state without a diff.
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("category"), knownvalue.StringExact("unknown")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("priority"), knownvalue.StringExact("none")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("unknown")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("endpoint_security_policy"), knownvalue.StringExact("unknown")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("applicable_platform"), knownvalue.StringExact("unknown")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("endpoint_security_policy_profile"), knownvalue.StringExact("unknown")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("managed_device_count"), knownvalue.Int32Exact(0)),
					// Graph answers intendedSettings: [] for an omitted list; that is not a diff.
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("intended_settings"), knownvalue.Null()),
				},
			},
			{
				Config: configBasic(name),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(checkUserAgent, taskType.CheckRemote(t, checkNoDueDate)),
			},
		},
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

func TestAccSecurityConfigurationTask_full(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: configFull(name, fullA),
				ConfigStateChecks: append(fullChecks(name, fullA),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("intended_settings"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"name": knownvalue.StringExact("RealTimeProtection"), "value": knownvalue.StringExact("enabled")}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{"name": knownvalue.StringExact("CloudProtection"), "value": knownvalue.Null()}),
					})),
				),
				Check: taskType.CheckRemote(t, func(task map[string]any) error {
					// The fractional seconds the user wrote reached Graph (the SDK's writer would drop them).
					if err := wantDue(task, "2027-01-01T08:02:18.1994089Z"); err != nil {
						return err
					}
					if l, _ := task["intendedSettings"].([]any); len(l) != 2 {
						return fmt.Errorf("intendedSettings at Graph = %v, want 2 items", task["intendedSettings"])
					}
					return nil
				}),
			},
			{
				Config:            configFull(name, fullA),
				ResourceName:      resourceName,
				ImportState:       true,
				ImportStateVerify: true,
				// timeouts and status_note exist only in Terraform: Graph has no such properties to import.
				ImportStateVerifyIgnore: []string{"timeouts", "status_note"},
			},
		},
	})
}

// fullValues is one complete set of configurable values.
type fullValues struct {
	description, creator, creatorNotes, assignedTo, insights string
	due                                                      string
	category, priority, status, policy, platform, profile    string
	count                                                    int
	settings                                                 string
}

var fullA = fullValues{
	description: "Turn on real-time protection", creator: "secops@contoso.com", creatorNotes: "Raised by Defender",
	assignedTo: "admin@contoso.com", insights: "12 devices lack real-time protection",
	due: "2027-01-01T08:02:18.1994089Z", category: "advancedThreatProtection", priority: "high", status: "pending",
	policy: "antivirus", platform: "windows10AndLater", profile: "antivirus", count: 12,
	settings: `[{ name = "RealTimeProtection", value = "enabled" }, { name = "CloudProtection" }]`,
}

var fullB = fullValues{
	description: "Turn on disk encryption", creator: "partner@fabrikam.com", creatorNotes: "Re-raised",
	assignedTo: "it@contoso.com", insights: "3 devices unencrypted",
	due: "2027-06-30T12:00:00Z", category: "unknown", priority: "low", status: "active",
	policy: "diskEncryption", platform: "macOS", profile: "fileVault", count: 65536,
	settings: `[{ name = "FileVault", value = "on" }]`,
}

func fullChecks(name string, v fullValues) []statecheck.StateCheck {
	s := func(attr, want string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(resourceName, tfjsonpath.New(attr), knownvalue.StringExact(want))
	}
	return []statecheck.StateCheck{
		s("display_name", name), s("description", v.description), s("creator", v.creator), s("creator_notes", v.creatorNotes),
		s("assigned_to", v.assignedTo), s("insights", v.insights), s("due_date_time", v.due), s("category", v.category),
		s("priority", v.priority), s("status", v.status), s("endpoint_security_policy", v.policy),
		s("applicable_platform", v.platform), s("endpoint_security_policy_profile", v.profile),
		statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("managed_device_count"), knownvalue.Int32Exact(int32(v.count))),
	}
}

func TestAccSecurityConfigurationTask_update(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config:            configFull(name, fullA),
				ConfigStateChecks: fullChecks(name, fullA),
			},
			{
				// Every mutable attribute changes in place: an update, never a replacement.
				Config: configFull(name+"-renamed", fullB),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: fullChecks(name+"-renamed", fullB),
				Check: taskType.CheckRemote(t, func(task map[string]any) error {
					if got := task["displayName"]; got != name+"-renamed" {
						return fmt.Errorf("displayName at Graph = %v", got)
					}
					if got := task["endpointSecurityPolicyProfile"]; got != "fileVault" {
						return fmt.Errorf("endpointSecurityPolicyProfile at Graph = %v", got)
					}
					return nil
				}),
			},
		},
	})
}

// Removing every optional attribute: each one either clears in Graph or keeps Graph's value, as
// its description says (graph-behaviour.md §2.5), and the next plan is empty.
func TestAccSecurityConfigurationTask_removeOptional(t *testing.T) {
	name := acctest.RandomName()
	var id string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: configFull(name, fullA),
				Check:  acctest.SaveID(resourceName, &id),
			},
			{
				Config: configBasic(name),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					// Cleared.
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("creator"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("creator_notes"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("assigned_to"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("insights"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("due_date_time"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("intended_settings"), knownvalue.Null()),
					// Kept: Graph's value stays, and state shows it.
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("category"), knownvalue.StringExact(fullA.category)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("priority"), knownvalue.StringExact(fullA.priority)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact(fullA.status)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("endpoint_security_policy"), knownvalue.StringExact(fullA.policy)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("applicable_platform"), knownvalue.StringExact(fullA.platform)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("endpoint_security_policy_profile"), knownvalue.StringExact(fullA.profile)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("managed_device_count"), knownvalue.Int32Exact(int32(fullA.count))),
				},
				Check: resource.ComposeTestCheckFunc(
					taskType.CheckRemote(t, func(task map[string]any) error {
						for _, prop := range []string{"description", "creator", "creatorNotes", "assignedTo", "insights"} {
							if v := task[prop]; v != nil {
								return fmt.Errorf("%s at Graph = %v, want null", prop, v)
							}
						}
						if err := wantDue(task, "0001-01-01T00:00:00Z"); err != nil {
							return fmt.Errorf("the due date is not cleared: %w", err)
						}
						if l, ok := task["intendedSettings"].([]any); !ok || len(l) != 0 {
							return fmt.Errorf("intendedSettings at Graph = %v, want []", task["intendedSettings"])
						}
						for prop, want := range map[string]any{
							"category": fullA.category, "priority": fullA.priority, "status": fullA.status,
							"endpointSecurityPolicy": fullA.policy, "applicablePlatform": fullA.platform,
							"endpointSecurityPolicyProfile": fullA.profile, "managedDeviceCount": float64(fullA.count),
						} {
							if task[prop] != want {
								return fmt.Errorf("%s at Graph = %v, want %v kept", prop, task[prop], want)
							}
						}
						return nil
					}),
					func(*terraform.State) error { return checkRemovalPatch(id) },
				),
			},
		},
	})
}

// checkRemovalPatch looks at the PATCH that removed the optional attributes, at the emulator: the
// due date is cleared with Graph's unset value, never null, and none of the attributes that keep
// Graph's value is sent.
func checkRemovalPatch(id string) error {
	if acctest.Sim == nil {
		return nil // a real tenant keeps no request log; state and Graph's values are checked above
	}
	patch, err := acctest.OnlyPatch(acctest.Sim, id)
	if err != nil {
		return err
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(patch), &body); err != nil {
		return fmt.Errorf("PATCH body %q: %w", patch, err)
	}
	if v, ok := body["dueDateTime"]; !ok || v != "0001-01-01T00:00:00Z" {
		return fmt.Errorf("the PATCH sent dueDateTime = %v (present %v), want 0001-01-01T00:00:00Z", v, ok)
	}
	for _, prop := range []string{"category", "priority", "status", "endpointSecurityPolicy", "applicablePlatform", "endpointSecurityPolicyProfile", "managedDeviceCount"} {
		if v, ok := body[prop]; ok {
			return fmt.Errorf("the PATCH sent %s = %v; removing it must keep Graph's value", prop, v)
		}
	}
	for _, prop := range []string{"description", "creator", "creatorNotes", "assignedTo", "insights"} {
		if v, ok := body[prop]; !ok || v != nil {
			return fmt.Errorf("the PATCH sent %s = %v (present %v), want an explicit null", prop, v, ok)
		}
	}
	return nil
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

func TestAccSecurityConfigurationTask_importBlock(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{Config: configFullNoTimeouts(name, fullB)},
			{
				// No timeouts block here: an import block plans against the configuration, and an
				// imported task has no timeouts in state, so a timeouts block would plan an update.
				Config:          configFullNoTimeouts(name, fullB),
				ResourceName:    resourceName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

func TestAccSecurityConfigurationTask_disappears(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: configBasic(name),
				Check: func(s *terraform.State) error {
					// Deleted behind Terraform's back.
					return acctest.Client(t).Delete(acctest.Context(t), securityconfigurationtask.Entity.Collection(), s.RootModule().Resources[resourceName].Primary.ID)
				},
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

func TestAccSecurityConfigurationTask_invalid(t *testing.T) {
	cases := map[string]struct {
		attrs string
		want  string
	}{
		"empty display name":        {``, `Attribute display_name string length must be at least 1, got: 0`},
		"unknown status":            {`status = "inReview"`, `Attribute status value must be one of: \["unknown" "pending" "active" "completed" "rejected"\], got: "inReview"`},
		"wrong case":                {`priority = "High"`, `Attribute priority value must be one of: \["none" "high" "low"\], got: "High"`},
		"bad category":              {`category = "malware"`, `Attribute category value must be one of: \["unknown" "advancedThreatProtection"\]`},
		"bad policy":                {`endpoint_security_policy = "av"`, `Attribute endpoint_security_policy value must be one of:`},
		"bad platform":              {`applicable_platform = "linux"`, `Attribute applicable_platform value must be one of:`},
		"bad profile":               {`endpoint_security_policy_profile = "bitlocker"`, `Attribute endpoint_security_policy_profile value must be one of:`},
		"count too large":           {`managed_device_count = 65537`, `Attribute managed_device_count value must be between 0 and 65536, got: 65537`},
		"count negative":            {`managed_device_count = -1`, `Attribute managed_device_count value must be between 0 and 65536, got: -1`},
		"not a date":                {`due_date_time = "next friday"`, `Invalid RFC3339 String Value`},
		"date without zone":         {`due_date_time = "2027-01-01T00:00:00"`, `Invalid RFC3339 String Value`},
		"too precise":               {`due_date_time = "2027-01-01T00:00:00.123456789Z"`, `due_date_time has 9 fractional-second digits`},
		"Graph's no-date value":     {`due_date_time = "0001-01-01T00:00:00Z"`, `Date-time means "no date" in Graph(.|\n)*For a task without a due date, leave due_date_time out of the configuration`},
		"no-date, another spelling": {`due_date_time = "0001-01-01T01:00:00.0+01:00"`, `due_date_time = "0001-01-01T01:00:00.0\+01:00" is 0001-01-01T00:00:00Z`},
		"setting without name":      {`intended_settings = [{ value = "x" }]`, `Incorrect attribute value type|attribute "name" is required`},
	}
	for name, c := range cases {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			name := acctest.RandomName()
			if c.attrs == "" {
				name = ""
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:   configAttrs(name, c.attrs),
					PlanOnly: true,
					// Terraform wraps long messages: any run of spaces may be a line break.
					ExpectError: regexp.MustCompile(strings.ReplaceAll(c.want, " ", `\s+`)),
				}},
			})
		})
	}
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

func configFull(name string, v fullValues) string {
	return fmt.Sprintf(`
resource "intune_security_configuration_task" "test" {
  display_name                     = %q
  description                      = %q
  creator                          = %q
  creator_notes                    = %q
  assigned_to                      = %q
  insights                         = %q
  due_date_time                    = %q
  category                         = %q
  priority                         = %q
  status                           = %q
  endpoint_security_policy         = %q
  applicable_platform              = %q
  endpoint_security_policy_profile = %q
  managed_device_count             = %d
  intended_settings                = %s

  timeouts {
    create = "5m"
  }
}
`, name, v.description, v.creator, v.creatorNotes, v.assignedTo, v.insights, v.due, v.category, v.priority, v.status,
		v.policy, v.platform, v.profile, v.count, v.settings)
}

func configFullNoTimeouts(name string, v fullValues) string {
	c := configFull(name, v)
	return strings.Replace(c, "\n  timeouts {\n    create = \"5m\"\n  }\n", "", 1)
}

// wantDue checks that Graph's dueDateTime names the instant want.
func wantDue(task map[string]any, want string) error {
	return acctest.WantInstant(task, "dueDateTime", want)
}
