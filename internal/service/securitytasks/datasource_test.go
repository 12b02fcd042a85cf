package securitytasks_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// Every test here reads tasks seeded at an emulator of its own: the collection's sibling types and
// a type newer than the provider can only be made there, since the provider creates none of them.

const (
	sct  = "#microsoft.graph.securityConfigurationTask"
	avt  = "#microsoft.graph.appVulnerabilityTask"
	uddt = "#microsoft.graph.unmanagedDeviceDiscoveryTask"
)

// wantTask is what one element of `tasks` must hold; "" stands for null.
type wantTask struct {
	id, typ, resourceType                                  string
	displayName, description, creator, creatorNotes        string
	assignedTo, status, priority, category, due, createdAt string
}

// check is the element exactly: every attribute, nothing more.
func (w wantTask) check() knownvalue.Check {
	str := func(v string) knownvalue.Check {
		if v == "" {
			return knownvalue.Null()
		}
		return knownvalue.StringExact(v)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":                knownvalue.StringExact(w.id),
		"type":              knownvalue.StringExact(w.typ),
		"resource_type":     str(w.resourceType),
		"display_name":      str(w.displayName),
		"description":       str(w.description),
		"creator":           str(w.creator),
		"creator_notes":     str(w.creatorNotes),
		"assigned_to":       str(w.assignedTo),
		"status":            str(w.status),
		"priority":          str(w.priority),
		"category":          str(w.category),
		"due_date_time":     str(w.due),
		"created_date_time": str(w.createdAt),
	})
}

// mixedTenant seeds eight tasks of the three types, in this order (keys A to H), as Defender and
// Intune raise them, with every base property somewhere set and somewhere left unset.
func mixedTenant(sim *graphsim.Server, prefix string) map[string]string {
	seeds := []struct {
		key  string
		task map[string]any
	}{
		{"A", map[string]any{"@odata.type": sct, "displayName": prefix + "-av",
			"description": "Defender found devices without real-time protection", "creator": "defender@contoso.com",
			"creatorNotes": "raised by Defender", "assignedTo": "secops@contoso.com", "status": "pending", "priority": "high",
			"category": "advancedThreatProtection", "dueDateTime": "2027-01-01T00:02:18.1994089-08:00",
			"createdDateTime": "2026-11-30T02:53:59.0726811Z", "endpointSecurityPolicy": "antivirus", "applicablePlatform": "windows10AndLater",
			"endpointSecurityPolicyProfile": "antivirus", "insights": "12 devices", "managedDeviceCount": 12,
			"intendedSettings": []any{map[string]any{"name": "RealTimeProtection", "value": "enabled"}}}},
		{"B", map[string]any{"@odata.type": avt, "displayName": prefix + "-reader", "description": "Contoso Reader 1.2 is vulnerable",
			"creator": "defender@contoso.com", "status": "active", "priority": "low", "category": "unknown",
			"createdDateTime": "2026-10-01T00:00:00Z", "appName": "Contoso Reader", "appPublisher": "Contoso Ltd", "appVersion": "1.2",
			"mitigationType": "update", "managedDeviceCount": 3, "mobileAppCount": 1, "remediation": "Update to 1.3"}},
		{"C", map[string]any{"@odata.type": uddt, "displayName": prefix + "-discovery", "creator": "defender@contoso.com",
			"status": "pending", "priority": "none", "category": "advancedThreatProtection", "dueDateTime": "2027-06-30T23:59:59.5Z",
			"createdDateTime": "2026-11-01T12:00:00.5Z", "unmanagedDevices": []any{
				map[string]any{"deviceName": "pc-1", "os": "Windows", "lastSeenDateTime": "2026-11-29T10:00:00Z"}}}},
		{"D", map[string]any{"@odata.type": sct, "displayName": prefix + "-Shared", "assignedTo": "alice@contoso.com",
			"status": "completed", "priority": "high", "category": "unknown", "createdDateTime": "2026-09-01T00:00:00Z"}},
		{"E", map[string]any{"@odata.type": avt, "displayName": prefix + "-viewer", "creatorNotes": "false positive",
			"status": "rejected", "priority": "high", "category": "advancedThreatProtection", "dueDateTime": "2028-02-29T12:00:00Z",
			"createdDateTime": "2026-08-01T00:00:00Z", "mitigationType": "uninstall"}},
		// Nothing set but the creation date: Graph's unset values throughout, no display name.
		{"F", map[string]any{"@odata.type": uddt, "createdDateTime": "2026-07-01T00:00:00Z"}},
		{"G", map[string]any{"@odata.type": sct, "displayName": prefix + "-shared", "status": "pending", "priority": "high",
			"category": "advancedThreatProtection", "createdDateTime": "2026-06-01T00:00:00Z"}},
		{"H", map[string]any{"@odata.type": avt, "displayName": prefix + "-shared", "status": "pending", "priority": "high",
			"category": "advancedThreatProtection", "createdDateTime": "2026-05-01T00:00:00Z", "mitigationType": "securityConfiguration"}},
	}
	ids := map[string]string{}
	for _, s := range seeds {
		ids[s.key] = sim.Seed(s.task)
	}
	return ids
}

// idsAre checks that a list of tasks holds exactly these ids, in this order.
func idsAre(ids ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
	}
	return knownvalue.ListExact(checks)
}

// readsEveryPage checks the emulator's request log, at the test's end: every read of the collection
// started on its first page and followed its @odata.nextLinks to the last, pages in all and no
// more, and nothing was written.
func readsEveryPage(sim *graphsim.Server, pages int) func() error {
	return func() error {
		firsts, total := 0, 0
		for _, r := range sim.Requests() {
			if !strings.HasPrefix(r.Path, "/beta/") {
				continue
			}
			if r.Method != "GET" || r.Route != graphsim.RouteTasks {
				return fmt.Errorf("the data source called %s %s; it must only list the collection", r.Method, r.Path)
			}
			total++
			if !strings.Contains(r.RawQuery, "skiptoken") {
				firsts++
			}
		}
		if firsts == 0 || total != firsts*pages {
			return fmt.Errorf("%d reads of the collection made %d page requests, want %d pages each", firsts, total, pages)
		}
		return nil
	}
}

// Every task of the collection, whatever its type, in Graph's order across pages, with every
// attribute: the type's short name, the resource that manages it, the base properties as Graph
// holds them, due dates in Graph's UTC spelling and Graph's unset due date as null.
func TestAccSecurityTasksDataSource_allTypes(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 3})
	prefix := acctest.RandomName()
	ids := mixedTenant(sim, prefix)
	// 8 tasks, 3 a page.
	acctest.AtEnd(t, readsEveryPage(sim, 3))
	const (
		sctRes = "intune_security_configuration_task"
		avtRes = "intune_app_vulnerability_task"
		udRes  = "intune_unmanaged_device_discovery_task"
	)
	want := []wantTask{
		{id: ids["A"], typ: "securityConfigurationTask", resourceType: sctRes, displayName: prefix + "-av",
			description: "Defender found devices without real-time protection", creator: "defender@contoso.com",
			creatorNotes: "raised by Defender", assignedTo: "secops@contoso.com", status: "pending", priority: "high",
			category: "advancedThreatProtection", due: "2027-01-01T08:02:18.1994089Z", createdAt: "2026-11-30T02:53:59.0726811Z"},
		{id: ids["B"], typ: "appVulnerabilityTask", resourceType: avtRes, displayName: prefix + "-reader",
			description: "Contoso Reader 1.2 is vulnerable", creator: "defender@contoso.com", status: "active", priority: "low",
			category: "unknown", createdAt: "2026-10-01T00:00:00Z"},
		{id: ids["C"], typ: "unmanagedDeviceDiscoveryTask", resourceType: udRes, displayName: prefix + "-discovery",
			creator: "defender@contoso.com", status: "pending", priority: "none", category: "advancedThreatProtection",
			due: "2027-06-30T23:59:59.5Z", createdAt: "2026-11-01T12:00:00.5Z"},
		{id: ids["D"], typ: "securityConfigurationTask", resourceType: sctRes, displayName: prefix + "-Shared",
			assignedTo: "alice@contoso.com", status: "completed", priority: "high", category: "unknown", createdAt: "2026-09-01T00:00:00Z"},
		{id: ids["E"], typ: "appVulnerabilityTask", resourceType: avtRes, displayName: prefix + "-viewer", creatorNotes: "false positive",
			status: "rejected", priority: "high", category: "advancedThreatProtection", due: "2028-02-29T12:00:00Z", createdAt: "2026-08-01T00:00:00Z"},
		{id: ids["F"], typ: "unmanagedDeviceDiscoveryTask", resourceType: udRes, status: "unknown", priority: "none",
			category: "unknown", createdAt: "2026-07-01T00:00:00Z"},
		{id: ids["G"], typ: "securityConfigurationTask", resourceType: sctRes, displayName: prefix + "-shared", status: "pending",
			priority: "high", category: "advancedThreatProtection", createdAt: "2026-06-01T00:00:00Z"},
		{id: ids["H"], typ: "appVulnerabilityTask", resourceType: avtRes, displayName: prefix + "-shared", status: "pending",
			priority: "high", category: "advancedThreatProtection", createdAt: "2026-05-01T00:00:00Z"},
	}
	checks := make([]knownvalue.Check, len(want))
	for i, w := range want {
		checks[i] = w.check()
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: provider + `data "intune_security_tasks" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.intune_security_tasks.all", tfjsonpath.New("tasks"), knownvalue.ListExact(checks)),
				// No filter set: the filter attributes stay null.
				statecheck.ExpectKnownValue("data.intune_security_tasks.all", tfjsonpath.New("type"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.intune_security_tasks.all", tfjsonpath.New("status"), knownvalue.Null()),
			},
		}},
	})
}

// Each filter alone and combined with the others (AND), on all three types: exact, case-sensitive
// matches on the values Graph holds, unset enum members included; no match is an empty list.
func TestAccSecurityTasksDataSource_filters(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 3})
	prefix := acctest.RandomName()
	ids := mixedTenant(sim, prefix)
	acctest.AtEnd(t, readsEveryPage(sim, 3))
	of := func(keys string) knownvalue.Check {
		var list []string
		for _, k := range keys {
			list = append(list, ids[string(k)])
		}
		return idsAre(list...)
	}
	cases := []struct {
		name, filters string
		want          knownvalue.Check
	}{
		{"sct", `type = "securityConfigurationTask"`, of("ADG")},
		{"avt", `type = "appVulnerabilityTask"`, of("BEH")},
		{"udd", `type = "unmanagedDeviceDiscoveryTask"`, of("CF")},
		{"pending", `status = "pending"`, of("ACGH")},
		{"unknown_status", `status = "unknown"`, of("F")},
		{"high", `priority = "high"`, of("ADEGH")},
		{"no_priority", `priority = "none"`, of("CF")},
		{"atp", `category = "advancedThreatProtection"`, of("ACEGH")},
		{"shared", `display_name = "` + prefix + `-shared"`, of("GH")},
		{"pending_high", "status = \"pending\"\n  priority = \"high\"", of("AGH")},
		{"all_four", "type = \"appVulnerabilityTask\"\n  status = \"pending\"\n  priority = \"high\"\n  category = \"advancedThreatProtection\"", of("H")},
		{"sct_shared", "type = \"securityConfigurationTask\"\n  display_name = \"" + prefix + "-shared\"", of("G")},
		{"nothing", "type = \"unmanagedDeviceDiscoveryTask\"\n  status = \"rejected\"", idsAre()},
		// Date ranges: after is inclusive, before exclusive, instants compared whatever the offset;
		// a task without the date matches no range.
		{"created_autumn", "created_after = \"2026-09-01T00:00:00Z\"\n  created_before = \"2026-11-01T12:00:00.5Z\"", of("BD")},
		{"created_early", `created_before = "2026-07-01T00:00:00Z"`, of("GH")},
		{"due_late", `due_after = "2027-06-30T23:59:59.5Z"`, of("CE")},
		{"due_before_c", `due_before = "2027-06-30T16:59:59.5-07:00"`, of("A")},
		{"creator", `creator = "DEFENDER@contoso.com"`, of("ABC")},
		{"creator_due", "creator = \"defender@contoso.com\"\n  due_after = \"2027-01-01T00:00:00Z\"", of("AC")},
		{"no_such_name", `display_name = "` + prefix + `-nothing-has-this-name"`, idsAre()},
	}
	var config strings.Builder
	config.WriteString(provider)
	var checks []statecheck.StateCheck
	for _, c := range cases {
		fmt.Fprintf(&config, "\ndata \"intune_security_tasks\" %q {\n  %s\n}\n", c.name, c.filters)
		checks = append(checks, statecheck.ExpectKnownValue("data.intune_security_tasks."+c.name, tfjsonpath.New("tasks"), c.want))
	}
	checks = append(checks,
		statecheck.ExpectKnownValue("data.intune_security_tasks.all_four", tfjsonpath.New("type"), knownvalue.StringExact("appVulnerabilityTask")),
		statecheck.ExpectKnownValue("data.intune_security_tasks.all_four", tfjsonpath.New("category"), knownvalue.StringExact("advancedThreatProtection")))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config.String(), ConfigStateChecks: checks}},
	})
}

// A filter value outside its list (or an empty name) is an error at plan time, before Graph is
// called, naming the attribute and the values it takes.
func TestAccSecurityTasksDataSource_invalidFilters(t *testing.T) {
	const match, length = `Invalid Attribute Value Match`, `Invalid Attribute Value Length`
	cases := map[string]struct{ filter, summary, detail string }{
		"future type": {`type = "someFutureTask"`, match,
			`Attribute type value must be one of: ["securityConfigurationTask" "appVulnerabilityTask" "unmanagedDeviceDiscoveryTask"], got: "someFutureTask"`},
		"type as Graph spells it": {`type = "#microsoft.graph.securityConfigurationTask"`, match,
			`Attribute type value must be one of: ["securityConfigurationTask" "appVulnerabilityTask" "unmanagedDeviceDiscoveryTask"], got: "#microsoft.graph.securityConfigurationTask"`},
		"status case": {`status = "Pending"`, match,
			`Attribute status value must be one of: ["unknown" "pending" "active" "completed" "rejected"], got: "Pending"`},
		"priority":   {`priority = "urgent"`, match, `Attribute priority value must be one of: ["none" "high" "low"], got: "urgent"`},
		"category":   {`category = "malware"`, match, `Attribute category value must be one of: ["unknown" "advancedThreatProtection"], got: "malware"`},
		"empty name": {`display_name = ""`, length, `Attribute display_name string length must be at least 1, got: 0`},
		"date":       {`created_after = "2026-13-01T00:00:00Z"`, `Invalid RFC3339 String Value`, `A string value was provided that is not valid RFC3339 string format.`},
		"unbalanced quote": {`odata_filter = "displayName eq 'O'Neil'"`, `Invalid OData filter`,
			`the string literal opened at position 23 is not closed in "displayName eq 'O'Neil'"`},
		"unbalanced parenthesis": {`odata_filter = "(status eq 'pending'"`, `Invalid OData filter`, `1 parenthesis not closed`},
	}
	for name, c := range cases {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			sim, provider := acctest.NewSim(t, graphsim.Options{})
			sim.Seed(map[string]any{"@odata.type": sct, "displayName": "seeded"})
			acctest.AtEnd(t, func() error {
				for _, r := range sim.Requests() {
					if strings.HasPrefix(r.Path, "/beta/") {
						return fmt.Errorf("an invalid filter reached Graph: %s %s", r.Method, r.Path)
					}
				}
				return nil
			})
			// Terraform wraps long messages: any run of spaces may be a line break.
			detail := strings.ReplaceAll(regexp.QuoteMeta(c.detail), " ", `\s+`)
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      provider + "data \"intune_security_tasks\" \"bad\" {\n  " + c.filter + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`Error: ` + c.summary + `(.|\n)*` + detail),
				}},
			})
		})
	}
}

// A task of a type newer than the provider is listed like any other: its type as Graph names it,
// without the namespace, no resource to manage it, and its base properties; the type filter,
// which takes the known types only, leaves it out, the others apply to it.
func TestAccSecurityTasksDataSource_unknownType(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 2})
	prefix := acctest.RandomName()
	before := sim.Seed(map[string]any{"@odata.type": sct, "displayName": prefix + "-before", "status": "pending",
		"createdDateTime": "2026-11-01T00:00:00Z"})
	// Graph's CSDL-driven create refuses a type it does not know, so the task is planted in the
	// emulator's store, as a newer Graph would hold it.
	future := sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.someFutureTask", "id": "5e1f3c2a-7d6b-4c1e-9a0f-3b2d1c0e9f87",
		"displayName": prefix + "-future", "description": "a task type newer than the provider", "creator": "defender@contoso.com",
		"creatorNotes": "n", "assignedTo": "secops@contoso.com", "status": "pending", "priority": "high",
		"category": "advancedThreatProtection", "dueDateTime": "2027-03-01T09:30:00+01:00", "createdDateTime": "2026-11-02T00:00:00Z",
		// Its own property, which the provider has no attribute for.
		"riskScore": 7})
	after := sim.Seed(map[string]any{"@odata.type": avt, "displayName": prefix + "-after", "status": "active",
		"createdDateTime": "2026-11-03T00:00:00Z"})
	acctest.AtEnd(t, readsEveryPage(sim, 2))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: provider + `
data "intune_security_tasks" "all" {}

data "intune_security_tasks" "sct" {
  type = "securityConfigurationTask"
}

data "intune_security_tasks" "pending_high" {
  status   = "pending"
  priority = "high"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.intune_security_tasks.all", tfjsonpath.New("tasks"), idsAre(before, future, after)),
				statecheck.ExpectKnownValue("data.intune_security_tasks.all", tfjsonpath.New("tasks").AtSliceIndex(1), wantTask{
					id: future, typ: "someFutureTask", displayName: prefix + "-future", description: "a task type newer than the provider",
					creator: "defender@contoso.com", creatorNotes: "n", assignedTo: "secops@contoso.com", status: "pending",
					priority: "high", category: "advancedThreatProtection", due: "2027-03-01T08:30:00Z", createdAt: "2026-11-02T00:00:00Z",
				}.check()),
				statecheck.ExpectKnownValue("data.intune_security_tasks.sct", tfjsonpath.New("tasks"), idsAre(before)),
				statecheck.ExpectKnownValue("data.intune_security_tasks.pending_high", tfjsonpath.New("tasks"), idsAre(future)),
			},
		}},
	})
}

// Graph may write a date-time without a zone, meaning UTC, inside a complex value of one task type
// as well as at the top level: the list of every type repairs the date-times of every type it can
// meet, so a device's zone-less lastSeenDateTime with a fraction (which the Graph SDK cannot parse)
// does not fail the whole list, and the zone-less due date reads as UTC.
func TestAccSecurityTasksDataSource_zonelessNestedDateTime(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	prefix := acctest.RandomName()
	before := sim.Seed(map[string]any{"@odata.type": sct, "displayName": prefix + "-before", "status": "pending",
		"createdDateTime": "2026-11-01T00:00:00Z"})
	// Seeded, since Graph's create refuses a zone-less date-time.
	discovery := sim.Seed(map[string]any{"@odata.type": uddt, "displayName": prefix + "-discovery", "status": "pending",
		"priority": "high", "category": "advancedThreatProtection", "dueDateTime": "2027-02-01T10:00:00.5",
		"createdDateTime": "2026-11-02T00:00:00Z", "unmanagedDevices": []any{
			map[string]any{"deviceName": "pc-1", "lastSeenDateTime": "2027-01-01T08:02:18.123"},
			map[string]any{"deviceName": "pc-2", "lastSeenDateTime": "2027-01-01T08:02:18"}}})
	acctest.AtEnd(t, readsEveryPage(sim, 1))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: provider + `data "intune_security_tasks" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.intune_security_tasks.all", tfjsonpath.New("tasks"), idsAre(before, discovery)),
				statecheck.ExpectKnownValue("data.intune_security_tasks.all", tfjsonpath.New("tasks").AtSliceIndex(1), wantTask{
					id: discovery, typ: "unmanagedDeviceDiscoveryTask", resourceType: "intune_unmanaged_device_discovery_task",
					displayName: prefix + "-discovery", status: "pending", priority: "high", category: "advancedThreatProtection",
					due: "2027-02-01T10:00:00.5Z", createdAt: "2026-11-02T00:00:00Z",
				}.check()),
			},
		}},
	})
}

// An enum member the Graph SDK does not know (the service added it) is kept as Graph sent it, with
// a warning naming the task, the property and the value; a task the filters leave out warns of
// nothing. terraform-plugin-testing does not show warnings, so the CLI is driven directly.
func TestAccSecurityTasksDataSource_unknownEnumMember(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 2})
	prefix := acctest.RandomName()
	odd := map[string]struct{ id, property, value string }{}
	for _, s := range []struct {
		typ, property, value string
	}{
		{sct, "status", "inReview"},
		{avt, "category", "vulnerabilityManagement"},
		{uddt, "priority", "critical"},
	} {
		task := map[string]any{"@odata.type": s.typ, "displayName": prefix + "-" + s.property, "status": "pending"}
		task[s.property] = s.value
		odd[s.property] = struct{ id, property, value string }{sim.Seed(task), s.property, s.value}
	}
	normal := sim.Seed(map[string]any{"@odata.type": sct, "displayName": prefix + "-normal", "status": "active"})

	h := acctest.NewHarness(t)
	apply := func(config string) (warnings []string, outputs map[string][]string) {
		t.Helper()
		dir := h.Dir(t, map[string]string{"main.tf": provider + config + `
output "ids" {
  value = [for t in data.intune_security_tasks.these.tasks : t.id]
}
output "statuses" {
  value = [for t in data.intune_security_tasks.these.tasks : t.status]
}
output "categories" {
  value = [for t in data.intune_security_tasks.these.tasks : t.category]
}
output "priorities" {
  value = [for t in data.intune_security_tasks.these.tasks : t.priority]
}
`})
		out, err := h.Run(t, dir, "apply", "-auto-approve", "-input=false", "-json")
		if err != nil {
			t.Fatalf("terraform apply: %v\n%s", err, out)
		}
		warnings = acctest.Warnings(out, "Graph returned")
		sort.Strings(warnings)
		raw, err := h.Run(t, dir, "output", "-json")
		if err != nil {
			t.Fatalf("terraform output: %v\n%s", err, raw)
		}
		var outs map[string]struct {
			Value []string `json:"value"`
		}
		if err := json.Unmarshal([]byte(raw), &outs); err != nil {
			t.Fatalf("terraform output: %v\n%s", err, raw)
		}
		outputs = map[string][]string{}
		for k, v := range outs {
			outputs[k] = v.Value
		}
		return warnings, outputs
	}

	warnings, outputs := apply(`data "intune_security_tasks" "these" {}`)
	if got, want := strings.Join(outputs["ids"], ","), strings.Join([]string{odd["status"].id, odd["category"].id, odd["priority"].id, normal}, ","); got != want {
		t.Fatalf("ids %s, want %s", got, want)
	}
	for property, want := range map[string]string{
		"statuses":   "inReview,pending,pending,active",
		"categories": "unknown,vulnerabilityManagement,unknown,unknown",
		"priorities": "none,none,critical,none",
	} {
		if got := strings.Join(outputs[property], ","); got != want {
			t.Errorf("%s: %s, want %s (as Graph sent them)", property, got, want)
		}
	}
	if len(warnings) != 3 {
		t.Fatalf("%d warnings, want one for each of the 3 unknown values:\n%s", len(warnings), strings.Join(warnings, "\n---\n"))
	}
	for i, property := range []string{"category", "priority", "status"} { // sorted by summary
		o := odd[property]
		w := warnings[i]
		if !strings.HasPrefix(w, "Graph returned an unknown "+property+" value\n") || !strings.Contains(w, o.id) ||
			!strings.Contains(w, fmt.Sprintf("%q", o.value)) {
			t.Errorf("warning for %s %q of task %s:\n%s", property, o.value, o.id, w)
		}
	}

	// Only the normal task is active: the others, unknown values and all, are filtered out.
	warnings, outputs = apply(`data "intune_security_tasks" "these" {
  status = "active"
}`)
	if got := strings.Join(outputs["ids"], ","); got != normal {
		t.Fatalf("ids %s, want only %s", got, normal)
	}
	if len(warnings) != 0 {
		t.Fatalf("warnings for tasks the filter left out:\n%s", strings.Join(warnings, "\n---\n"))
	}
}

// An @odata.nextLink that names another host (a Graph stand-in or a proxy writing Graph's own
// host) is followed on the configured endpoint: every task of every type is listed, and the other
// host receives nothing, so the bearer token never leaves the configured endpoint.
func TestAccSecurityTasksDataSource_nextLinkToAnotherHost(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 2})
	other, _ := acctest.NewSim(t, graphsim.Options{})
	for i, typ := range []string{sct, avt, uddt} {
		sim.Seed(map[string]any{"@odata.type": typ, "displayName": fmt.Sprint("seeded ", i)})
	}
	acctest.AtEnd(t, func() error { return acctest.CheckNextLinkRerooted(sim, other) })
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			sim.SetFaults(graphsim.Faults{NextLinkHost: strings.TrimPrefix(other.URL(), "https://")})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: provider + `data "intune_security_tasks" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.intune_security_tasks.all", tfjsonpath.New("tasks"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue("data.intune_security_tasks.all", tfjsonpath.New("tasks").AtSliceIndex(2).AtMapKey("type"), knownvalue.StringExact("unmanagedDeviceDiscoveryTask")),
			},
		}},
	})
}

// The timeouts block bounds the read: a Graph slower than timeouts.read fails the read, saying the
// timeout passed; with time enough the same read succeeds.
func TestAccSecurityTasksDataSource_readTimeout(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	sim.Seed(map[string]any{"@odata.type": sct, "displayName": "seeded"})
	config := func(read string) string {
		return provider + fmt.Sprintf(`
data "intune_security_tasks" "all" {
  timeouts {
    read = %q
  }
}
`, read)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			sim.SetFaults(graphsim.Faults{Latency: 1500 * time.Millisecond})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config("1s"),
				ExpectError: regexp.MustCompile(`Error: listing Intune security tasks(.|\n)*timeout\s+passed`),
			},
			{
				Config: config("1m"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.intune_security_tasks.all", tfjsonpath.New("tasks"), knownvalue.ListSizeExact(1)),
				},
			},
		},
	})
}

// A read timeout of zero or less is refused at plan time, naming the attribute, before any request
// reaches Graph.
func TestAccSecurityTasksDataSource_nonPositiveTimeout(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	acctest.AtEnd(t, func() error {
		if n := len(sim.Requests()); n != 0 {
			return fmt.Errorf("the emulator received %d requests, want none", n)
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: provider + `
data "intune_security_tasks" "all" {
  timeouts {
    read = "-1m"
  }
}
`,
			ExpectError: acctest.Diagnostic("timeouts.read must be a positive duration",
				`timeouts.read is "-1m": a timeout of zero or less would end the operation before it starts. `+
					`Set a positive duration such as "10m", or leave timeouts.read out for the default of 5m.`),
		}},
	})
}

// odata_filter goes to Graph as written and combines with the typed filters; an expression Graph
// refuses fails the read with Graph's own message.
func TestAccSecurityTasksDataSource_odataFilter(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 3})
	prefix := acctest.RandomName()
	ids := mixedTenant(sim, prefix)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider + `
data "intune_security_tasks" "low" {
  odata_filter = "priority eq 'low'"
}

data "intune_security_tasks" "pending_avt" {
  type         = "appVulnerabilityTask"
  odata_filter = "status eq 'pending' and createdDateTime lt 2026-06-01T00:00:00Z"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.intune_security_tasks.low", tfjsonpath.New("tasks"), idsAre(ids["B"])),
					statecheck.ExpectKnownValue("data.intune_security_tasks.pending_avt", tfjsonpath.New("tasks"), idsAre(ids["H"])),
				},
				Check: func(*terraform.State) error {
					for _, r := range sim.Requests() {
						if r.Route == graphsim.RouteTasks && strings.Contains(r.RawQuery, "skiptoken") && !strings.Contains(r.RawQuery, "filter") {
							return fmt.Errorf("a next page was asked for without the filter: %s", r.RawQuery)
						}
					}
					return nil
				},
			},
			{
				Config: provider + `
data "intune_security_tasks" "bad" {
  odata_filter = "nosuchProperty eq 'x'"
}
`,
				ExpectError: regexp.MustCompile(`listing Intune security tasks(.|\n)*returned\s+HTTP\s+400(.|\n)*Message:\s+Could\s+not\s+find\s+a\s+property\s+named\s+'nosuchProperty'`),
			},
		},
	})
}
