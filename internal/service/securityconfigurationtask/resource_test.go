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
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

const resourceName = "intune_security_configuration_task.test"

func TestAccSecurityConfigurationTask_basic(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroy(t),
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
				Check: checkUserAgent,
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
		CheckDestroy:             checkDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: configFull(name, fullA),
				ConfigStateChecks: append(fullChecks(name, fullA),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("intended_settings"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"name": knownvalue.StringExact("RealTimeProtection"), "value": knownvalue.StringExact("enabled")}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{"name": knownvalue.StringExact("CloudProtection"), "value": knownvalue.Null()}),
					})),
				),
				Check: checkRemote(t, func(m models.SecurityConfigurationTaskable) error {
					// The fractional seconds the user wrote reached Graph (the SDK's writer would drop them).
					if got := m.GetDueDateTime().UTC().Format("2006-01-02T15:04:05.0000000Z"); got != "2027-01-01T08:02:18.1994089Z" {
						return fmt.Errorf("dueDateTime at Graph = %s", got)
					}
					if n := len(m.GetIntendedSettings()); n != 2 {
						return fmt.Errorf("intendedSettings at Graph has %d items", n)
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
		CheckDestroy:             checkDestroy(t),
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
				Check: checkRemote(t, func(m models.SecurityConfigurationTaskable) error {
					if got := *m.GetDisplayName(); got != name+"-renamed" {
						return fmt.Errorf("displayName at Graph = %q", got)
					}
					if got := m.GetEndpointSecurityPolicyProfile().String(); got != "fileVault" {
						return fmt.Errorf("endpointSecurityPolicyProfile at Graph = %q", got)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccSecurityConfigurationTask_removeOptional(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroy(t),
		Steps: []resource.TestStep{
			{Config: configFull(name, fullA)},
			{
				// Removing every optional attribute: the strings, the date and the list are cleared
				// in Graph (explicit nulls / []); enums and the count stay as they are (Optional+Computed).
				Config: configBasic(name),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("due_date_time"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("intended_settings"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
				},
				Check: checkRemote(t, func(m models.SecurityConfigurationTaskable) error {
					for prop, v := range map[string]*string{
						"description": m.GetDescription(), "creator": m.GetCreator(), "creatorNotes": m.GetCreatorNotes(),
						"assignedTo": m.GetAssignedTo(), "insights": m.GetInsights(),
					} {
						if v != nil {
							return fmt.Errorf("%s at Graph = %q, want null", prop, *v)
						}
					}
					if m.GetDueDateTime() != nil {
						return fmt.Errorf("dueDateTime at Graph = %s, want null", m.GetDueDateTime())
					}
					if n := len(m.GetIntendedSettings()); n != 0 {
						return fmt.Errorf("intendedSettings at Graph has %d items, want none", n)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccSecurityConfigurationTask_dueDateOffset(t *testing.T) {
	name := acctest.RandomName()
	due := "2027-01-01T00:02:18.1994089-08:00"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroy(t),
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
				Check: checkRemote(t, func(m models.SecurityConfigurationTaskable) error {
					if got := m.GetDueDateTime().UTC().Format("2006-01-02T15:04:05.0000000Z"); got != "2027-01-01T08:02:18.5000000Z" {
						return fmt.Errorf("dueDateTime at Graph = %s", got)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccSecurityConfigurationTask_importBlock(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroy(t),
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
		CheckDestroy:             checkDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: configBasic(name),
				Check: func(s *terraform.State) error {
					// Deleted behind Terraform's back.
					return acctest.Client(t).DeleteTask(acctest.Context(t), s.RootModule().Resources[resourceName].Primary.ID)
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
		"empty display name":   {``, `Attribute display_name string length must be at least 1, got: 0`},
		"unknown status":       {`status = "inReview"`, `Attribute status value must be one of: \["unknown" "pending" "active" "completed" "rejected"\], got: "inReview"`},
		"wrong case":           {`priority = "High"`, `Attribute priority value must be one of: \["none" "high" "low"\], got: "High"`},
		"bad category":         {`category = "malware"`, `Attribute category value must be one of: \["unknown" "advancedThreatProtection"\]`},
		"bad policy":           {`endpoint_security_policy = "av"`, `Attribute endpoint_security_policy value must be one of:`},
		"bad platform":         {`applicable_platform = "linux"`, `Attribute applicable_platform value must be one of:`},
		"bad profile":          {`endpoint_security_policy_profile = "bitlocker"`, `Attribute endpoint_security_policy_profile value must be one of:`},
		"count too large":      {`managed_device_count = 65537`, `Attribute managed_device_count value must be between 0 and 65536, got: 65537`},
		"count negative":       {`managed_device_count = -1`, `Attribute managed_device_count value must be between 0 and 65536, got: -1`},
		"not a date":           {`due_date_time = "next friday"`, `Invalid RFC3339 String Value`},
		"date without zone":    {`due_date_time = "2027-01-01T00:00:00"`, `Invalid RFC3339 String Value`},
		"too precise":          {`due_date_time = "2027-01-01T00:00:00.123456789Z"`, `due_date_time has 9 fractional-second digits`},
		"setting without name": {`intended_settings = [{ value = "x" }]`, `Incorrect attribute value type|attribute "name" is required`},
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

// checkRemote reads the task from Graph (the emulator or a real tenant) and runs f on it.
func checkRemote(t *testing.T, f func(models.SecurityConfigurationTaskable) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[resourceName]
		if !ok {
			return fmt.Errorf("%s not in state", resourceName)
		}
		task, err := acctest.Client(t).GetTask(acctest.Context(t), rs.Primary.ID)
		if err != nil {
			return fmt.Errorf("reading %s from Graph: %s", rs.Primary.ID, graph.Describe(err))
		}
		m, ok := task.Security()
		if !ok {
			return fmt.Errorf("task %s is %s", rs.Primary.ID, task.OdataType)
		}
		return f(m)
	}
}

// checkDestroy asks Graph that no task in state is left.
func checkDestroy(t *testing.T) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		c := acctest.Client(t)
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "intune_security_configuration_task" {
				continue
			}
			_, err := c.GetTask(acctest.Context(t), rs.Primary.ID)
			if err == nil {
				return fmt.Errorf("task %s still exists", rs.Primary.ID)
			}
			if !graph.IsNotFound(err) {
				return fmt.Errorf("checking task %s: %s", rs.Primary.ID, graph.Describe(err))
			}
		}
		return nil
	}
}
