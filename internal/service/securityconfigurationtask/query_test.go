package securityconfigurationtask_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// defenderTask is a security configuration task as Microsoft Defender for Endpoint raises it:
// pending, with a creator and insights, made through Graph rather than by Terraform.
func defenderTask(name string, extra map[string]any) map[string]any {
	t := map[string]any{
		"@odata.type": "#microsoft.graph.securityConfigurationTask", "displayName": name,
		"description": "Defender found devices without real-time protection", "creator": "defender@contoso.com",
		"category": "advancedThreatProtection", "priority": "high", "status": "pending",
		"endpointSecurityPolicy": "antivirus", "applicablePlatform": "windows10AndLater",
		"endpointSecurityPolicyProfile": "antivirus", "insights": "12 devices", "managedDeviceCount": 12,
	}
	for k, v := range extra {
		t[k] = v
	}
	return t
}

// seedTenant fills sim with security configuration tasks the way Defender makes them, spread over
// several pages among tasks of the other two types, and returns the security tasks' ids by name.
func seedTenant(sim *graphsim.Server, prefix string) map[string]string {
	ids := map[string]string{}
	sct := []map[string]any{
		defenderTask(prefix+"-av", map[string]any{"dueDateTime": "2027-06-30T23:59:59.5Z"}),
		defenderTask(prefix+"-fw", map[string]any{"status": "active", "priority": "low", "endpointSecurityPolicy": "firewall",
			"endpointSecurityPolicyProfile": "firewall", "intendedSettings": []any{
				map[string]any{"name": "Firewall", "value": "on"}, map[string]any{"name": "LogDropped"}}}),
		defenderTask(prefix+"-asr", map[string]any{"dueDateTime": "2027-01-01T08:02:18.1994089Z", "assignedTo": "secops@contoso.com"}),
		defenderTask(prefix+"-edr", map[string]any{"status": "rejected", "category": "unknown", "creatorNotes": "false positive"}),
		defenderTask(prefix+"-bitlocker", map[string]any{"priority": "none", "endpointSecurityPolicy": "diskEncryption",
			"endpointSecurityPolicyProfile": "bitLocker", "dueDateTime": "2028-02-29T12:00:00Z"}),
	}
	// Tasks of the other types between them, with the same name prefix: never results.
	seeded, _ := acctest.SeedAmongOthers(sim, odataType, prefix, sct)
	for i, t := range sct {
		ids[t["displayName"].(string)] = seeded[i]
	}
	return ids
}

// terraform query finds the security configuration tasks of the tenant, across pages and among
// the collection's other task types, each with its identity and display name; the filters work as
// the data source's do.
func TestAccSecurityConfigurationTaskList_query(t *testing.T) {
	acctest.SkipUnlessTerraform(t, "1.14.0", "list resources (terraform query)")
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 3})
	prefix := acctest.RandomName()
	ids := seedTenant(sim, prefix)
	id := func(suffix string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"id": knownvalue.StringExact(ids[prefix+"-"+suffix])}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: provider},
			{
				Query: true,
				// The provider block comes from the step before: its .tf file stays beside the query.
				Config: `
list "intune_security_configuration_task" "all" {
  provider         = intune
  include_resource = true
}

list "intune_security_configuration_task" "pending" {
  provider = intune
  config {
    status = "pending"
  }
}

list "intune_security_configuration_task" "high_atp" {
  provider = intune
  config {
    priority = "high"
    category = "advancedThreatProtection"
  }
}

list "intune_security_configuration_task" "named" {
  provider = intune
  config {
    display_name = "` + prefix + `-fw"
  }
}

list "intune_security_configuration_task" "due_2027" {
  provider = intune
  config {
    creator    = "Defender@Contoso.com"
    due_after  = "2027-01-01T00:00:00Z"
    due_before = "2028-01-01T00:00:00Z"
  }
}

list "intune_security_configuration_task" "rejected" {
  provider = intune
  config {
    odata_filter = "status eq 'rejected'"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("intune_security_configuration_task.all", 5),
					querycheck.ExpectIdentity("intune_security_configuration_task.all", id("av")),
					querycheck.ExpectIdentity("intune_security_configuration_task.all", id("bitlocker")),
					querycheck.ExpectResourceDisplayName("intune_security_configuration_task.all",
						queryfilter.ByResourceIdentity(id("edr")), knownvalue.StringExact(prefix+"-edr")),
					querycheck.ExpectResourceKnownValues("intune_security_configuration_task.all", queryfilter.ByResourceIdentity(id("av")),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("due_date_time"), KnownValue: knownvalue.StringExact("2027-06-30T23:59:59.5Z")},
							{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact("pending")},
						}),
					querycheck.ExpectResourceKnownValues("intune_security_configuration_task.all", queryfilter.ByResourceIdentity(id("fw")),
						[]querycheck.KnownValueCheck{
							// Graph's unset due date is no due date.
							{Path: tfjsonpath.New("due_date_time"), KnownValue: knownvalue.Null()},
							{Path: tfjsonpath.New("intended_settings"), KnownValue: knownvalue.ListSizeExact(2)},
						}),
					querycheck.ExpectLength("intune_security_configuration_task.pending", 3),
					querycheck.ExpectNoIdentity("intune_security_configuration_task.pending", id("fw")),
					querycheck.ExpectLength("intune_security_configuration_task.high_atp", 2),
					querycheck.ExpectLength("intune_security_configuration_task.named", 1),
					querycheck.ExpectIdentity("intune_security_configuration_task.named", id("fw")),
					querycheck.ExpectLength("intune_security_configuration_task.due_2027", 2),
					querycheck.ExpectIdentity("intune_security_configuration_task.due_2027", id("av")),
					querycheck.ExpectIdentity("intune_security_configuration_task.due_2027", id("asr")),
					querycheck.ExpectLength("intune_security_configuration_task.rejected", 1),
					querycheck.ExpectIdentity("intune_security_configuration_task.rejected", id("edr")),
				},
			},
			{
				Query: true,
				// The provider block comes from the step before: its .tf file stays beside the query.
				Config: `
list "intune_security_configuration_task" "bad" {
  provider = intune
  config {
    status = "Pending"
  }
}
`,
				ExpectError: regexp.MustCompile(`Attribute status value must be one of:`),
			},
		},
	})
}

// terraform query -generate-config-out writes import and resource blocks for the tenant's tasks;
// applied as they are, they import every task and plan no change: due dates with fractions,
// Graph's unset due date, intended settings with a missing value and every enum round-trip.
// terraform-plugin-testing cannot pass -generate-config-out, so the CLI is driven directly.
func TestAccSecurityConfigurationTaskList_generateConfig(t *testing.T) {
	acctest.SkipUnlessTerraform(t, "1.14.0", "list resources (terraform query -generate-config-out)")
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 3})
	prefix := acctest.RandomName()
	ids := seedTenant(sim, prefix)
	names := map[string]string{}
	for name, id := range ids {
		names[id] = name
	}
	acctest.GenerateConfigRoundTrip(t, sim, provider, resourceType, names)
}

// A query with a limit reads only the pages it needs: results go to Terraform as pages arrive.
func TestAccSecurityConfigurationTaskList_limitReadsOnlyWhatItNeeds(t *testing.T) {
	acctest.SkipUnlessTerraform(t, "1.14.0", "list resources (terraform query)")
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 3})
	prefix := acctest.RandomName()
	for i := range 10 {
		sim.Seed(defenderTask(fmt.Sprintf("%s-%d", prefix, i), nil))
	}
	acctest.AtEnd(t, func() error {
		// Four results fit in the first two pages of three; the other two pages are never read.
		if n := sim.Count("GET", graphsim.RouteTasks); n != 2 {
			return fmt.Errorf("the query read %d pages, want 2", n)
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: provider},
			{
				Query: true,
				Config: `
list "intune_security_configuration_task" "first" {
  provider = intune
  limit    = 4
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("intune_security_configuration_task.first", 4),
				},
			},
		},
	})
}
