package unmanageddevicediscoverytask_test

import (
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

// discoveryTask is an unmanaged device discovery task as Defender's device discovery raises it:
// pending, from Defender, with the devices it found.
func discoveryTask(name string, extra map[string]any) map[string]any {
	t := map[string]any{
		"@odata.type": odataType, "displayName": name, "description": "Devices found on the network that Intune does not manage",
		"creator": "defender@contoso.com", "category": "advancedThreatProtection", "priority": "high", "status": "pending",
		"unmanagedDevices": []any{
			map[string]any{"deviceName": "LAPTOP-7F3K2", "ipAddress": "10.1.4.23", "os": "Windows", "osVersion": "10.0.22631",
				"lastSeenDateTime": "2026-11-30T00:45:12.1234567Z"},
		},
	}
	for k, v := range extra {
		t[k] = v
	}
	return t
}

// seedTenant fills sim with discovery tasks spread over several pages among tasks of the other two
// types (with the same names' prefix), and returns the discovery tasks' ids by suffix and the
// other tasks' ids.
func seedTenant(sim *graphsim.Server, prefix string) (ids map[string]string, others []string) {
	ids = map[string]string{}
	tasks := map[string]map[string]any{
		"office": discoveryTask(prefix+"-office", map[string]any{"dueDateTime": "2027-06-30T23:59:59.5Z"}),
		"lab": discoveryTask(prefix+"-lab", map[string]any{"status": "active", "priority": "low", "unmanagedDevices": []any{
			map[string]any{"deviceName": "PRN-2F-EAST", "ipAddress": "10.1.9.5", "manufacturer": "HP", "os": "Linux"},
			map[string]any{},
			map[string]any{"deviceName": "iPhone-of-bob", "os": "iOS", "lastSeenDateTime": "2026-11-30T10:00:00+01:00"},
		}}),
		"branch":  discoveryTask(prefix+"-branch", map[string]any{"assignedTo": "it@contoso.com", "dueDateTime": "2027-01-01T08:02:18.1994089Z"}),
		"guest":   discoveryTask(prefix+"-guest", map[string]any{"status": "rejected", "category": "unknown", "creatorNotes": "guest Wi-Fi"}),
		"nothing": discoveryTask(prefix+"-nothing", map[string]any{"priority": "none", "unmanagedDevices": []any{}}),
	}
	suffixes := []string{"office", "lab", "branch", "guest", "nothing"}
	ordered := make([]map[string]any, 0, len(suffixes))
	for _, suffix := range suffixes {
		ordered = append(ordered, tasks[suffix])
	}
	// Tasks of the other types between them, pending and high like most of them: never results.
	seeded, others := acctest.SeedAmongOthers(sim, odataType, prefix, ordered)
	for i, suffix := range suffixes {
		ids[suffix] = seeded[i]
	}
	// One named like a discovery task.
	others = append(others, sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.appVulnerabilityTask", "displayName": prefix + "-lab"}))
	return ids, others
}

// terraform query finds the discovery tasks of the tenant across pages (3 tasks a page, 16 tasks)
// and only those, each with its identity, display name and, with include_resource, its values;
// the filters combine with AND.
func TestAccUnmanagedDeviceDiscoveryTaskList_query(t *testing.T) {
	acctest.SkipUnlessTerraform(t, "1.14.0", "list resources (terraform query)")
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 3})
	prefix := acctest.RandomName()
	ids, others := seedTenant(sim, prefix)
	id := func(suffix string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"id": knownvalue.StringExact(ids[suffix])}
	}
	checks := []querycheck.QueryResultCheck{
		querycheck.ExpectLength(resourceType+".all", 5),
		querycheck.ExpectIdentity(resourceType+".all", id("office")),
		querycheck.ExpectIdentity(resourceType+".all", id("nothing")),
		querycheck.ExpectResourceDisplayName(resourceType+".all", queryfilter.ByResourceIdentity(id("guest")), knownvalue.StringExact(prefix+"-guest")),
		querycheck.ExpectResourceKnownValues(resourceType+".all", queryfilter.ByResourceIdentity(id("office")),
			[]querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("due_date_time"), KnownValue: knownvalue.StringExact("2027-06-30T23:59:59.5Z")},
				{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact("pending")},
				{Path: tfjsonpath.New("unmanaged_devices"), KnownValue: devicesCheck(dev{
					"device_name": "LAPTOP-7F3K2", "ip_address": "10.1.4.23", "os": "Windows", "os_version": "10.0.22631",
					"last_seen_date_time": "2026-11-30T00:45:12.1234567Z",
				})},
			}),
		querycheck.ExpectResourceKnownValues(resourceType+".all", queryfilter.ByResourceIdentity(id("lab")),
			[]querycheck.KnownValueCheck{
				// Graph's unset due date is no due date; a device never seen has no date; an element
				// with nothing set is all nulls.
				{Path: tfjsonpath.New("due_date_time"), KnownValue: knownvalue.Null()},
				{Path: tfjsonpath.New("unmanaged_devices"), KnownValue: devicesCheck(
					dev{"device_name": "PRN-2F-EAST", "ip_address": "10.1.9.5", "manufacturer": "HP", "os": "Linux"},
					devEmpty,
					dev{"device_name": "iPhone-of-bob", "os": "iOS", "last_seen_date_time": "2026-11-30T09:00:00Z"},
				)},
			}),
		querycheck.ExpectResourceKnownValues(resourceType+".all", queryfilter.ByResourceIdentity(id("nothing")),
			[]querycheck.KnownValueCheck{{Path: tfjsonpath.New("unmanaged_devices"), KnownValue: knownvalue.Null()}}),
		querycheck.ExpectLength(resourceType+".pending", 3),
		querycheck.ExpectNoIdentity(resourceType+".pending", id("lab")),
		querycheck.ExpectLength(resourceType+".low_atp", 1),
		querycheck.ExpectIdentity(resourceType+".low_atp", id("lab")),
		querycheck.ExpectLength(resourceType+".named", 1),
		querycheck.ExpectIdentity(resourceType+".named", id("lab")),
	}
	for _, o := range others {
		checks = append(checks, querycheck.ExpectNoIdentity(resourceType+".all", map[string]knownvalue.Check{"id": knownvalue.StringExact(o)}))
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
list "intune_unmanaged_device_discovery_task" "all" {
  provider         = intune
  include_resource = true
}

list "intune_unmanaged_device_discovery_task" "pending" {
  provider = intune
  config {
    status = "pending"
  }
}

list "intune_unmanaged_device_discovery_task" "low_atp" {
  provider = intune
  config {
    priority = "low"
    category = "advancedThreatProtection"
  }
}

list "intune_unmanaged_device_discovery_task" "named" {
  provider = intune
  config {
    display_name = "` + prefix + `-lab"
  }
}
`,
				QueryResultChecks: checks,
			},
			{
				Query: true,
				Config: `
list "intune_unmanaged_device_discovery_task" "bad" {
  provider = intune
  config {
    status = "Pending"
  }
}
`,
				ExpectError: regexp.MustCompile(`Invalid Attribute Value Match(.|\n)*Attribute status value must be one of:`),
			},
		},
	})
	// 16 tasks, 3 a page: every list read all six pages (the two queries with a result each).
	if n := sim.Count("GET", graphsim.RouteTasks); n < 4*6 {
		t.Errorf("the queries read %d pages in all: they did not follow @odata.nextLink", n)
	}
}

// terraform query -generate-config-out writes import and resource blocks for the tenant's discovery
// tasks; applied as they are, they import every task and plan no change (devices without a date,
// an element with nothing set, an empty list, a date with a fraction), and write nothing to Graph.
// terraform-plugin-testing cannot pass -generate-config-out, so the CLI is driven directly.
func TestAccUnmanagedDeviceDiscoveryTaskList_generateConfig(t *testing.T) {
	acctest.SkipUnlessTerraform(t, "1.14.0", "list resources (terraform query -generate-config-out)")
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 3})
	prefix := acctest.RandomName()
	ids, _ := seedTenant(sim, prefix)
	names := map[string]string{}
	for suffix, id := range ids {
		names[id] = prefix + "-" + suffix
	}
	acctest.GenerateConfigRoundTrip(t, sim, provider, resourceType, names)
}
