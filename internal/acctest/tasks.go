package acctest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// TaskTypes are the task types the collection holds, each with its resource, as the tests know
// them: spelled out here rather than taken from the provider, so a wrong name in the provider fails
// a test.
var TaskTypes = []TaskType{
	{Resource: "intune_security_configuration_task", ODataType: "#microsoft.graph.securityConfigurationTask", Noun: "security configuration task"},
	{Resource: "intune_app_vulnerability_task", ODataType: "#microsoft.graph.appVulnerabilityTask", Noun: "app vulnerability task"},
	{Resource: "intune_unmanaged_device_discovery_task", ODataType: "#microsoft.graph.unmanagedDeviceDiscoveryTask", Noun: "unmanaged device discovery task"},
}

// TaskType is what the shared checks need to know of one task type's resource. Each type's tests
// declare one and keep to themselves only what is the type's own: configurations and values.
type TaskType struct {
	Resource  string // the resource type, intune_app_vulnerability_task
	ODataType string // Graph's type, #microsoft.graph.appVulnerabilityTask
	Noun      string // as the provider's messages name it: app vulnerability task
}

// Address is the address of the resource under test, <type>.test.
func (k TaskType) Address() string { return k.Resource + ".test" }

// CheckRemote reads the task under test as Graph holds it (the shared emulator's own store, or a
// plain GET against a real tenant), checks it is of this type, and runs f on its JSON.
func (k TaskType) CheckRemote(t *testing.T, f func(task map[string]any) error) resource.TestCheckFunc {
	return CheckRemote(t, Sim, k.Address(), k.ODataType, f)
}

// CheckDestroy asks Graph (the shared emulator, or a real tenant) that no task of this resource
// type in state is left.
func (k TaskType) CheckDestroy(t *testing.T) resource.TestCheckFunc {
	return k.CheckDestroyOn(t, Sim)
}

// CheckDestroyOn is CheckDestroy against emulator sim, a test's own.
func (k TaskType) CheckDestroyOn(t *testing.T, sim *graphsim.Server) resource.TestCheckFunc {
	return CheckDestroy(t, sim, k.Resource)
}

// AtEnd runs check when the test ends, before its emulator closes, and fails the test if check
// fails. TestCase.CheckDestroy would not do for a check that must always run: terraform-plugin-
// testing skips it when the state is empty, as it is after an apply that failed as expected.
func AtEnd(t *testing.T, check func() error) {
	t.Helper()
	t.Cleanup(func() {
		if err := check(); err != nil {
			t.Error(err)
		}
	})
}

// SaveID stores the id of the resource at addr.
func SaveID(addr string, id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		*id = rs.Primary.ID
		return nil
	}
}

// SameValues checks that the data source at dataAddr holds the same value as the resource at
// resourceAddr for each of attrs.
func SameValues(resourceAddr, dataAddr string, attrs ...string) []statecheck.StateCheck {
	checks := make([]statecheck.StateCheck, 0, len(attrs))
	for _, attr := range attrs {
		checks = append(checks, statecheck.CompareValuePairs(resourceAddr, tfjsonpath.New(attr), dataAddr, tfjsonpath.New(attr), compare.ValuesSame()))
	}
	return checks
}

// OnlyPatch is the body of the one PATCH of task id in sim's request log, and an error when there
// is not exactly one.
func OnlyPatch(sim *graphsim.Server, id string) (string, error) {
	var bodies []string
	for _, r := range sim.Requests() {
		if r.Method == "PATCH" && strings.HasSuffix(r.Path, "/"+id) {
			bodies = append(bodies, r.Body)
		}
	}
	if len(bodies) != 1 {
		return "", fmt.Errorf("%d PATCHes of %s, want 1: %v", len(bodies), id, bodies)
	}
	return bodies[0], nil
}

// UpdateStatusCalls counts the updateStatus calls for task id in sim's request log.
func UpdateStatusCalls(sim *graphsim.Server, id string) int {
	n := 0
	for _, r := range sim.Requests() {
		if strings.Contains(r.Path, id) && r.Route == graphsim.RouteUpdateStatus {
			n++
		}
	}
	return n
}

// CheckStatusNote checks the update that changed task *id's status with a note: sim recorded the
// note through exactly one updateStatus call carrying status and note, and the other changes went
// through exactly one PATCH, which never carries the status and which checkPatch accepts.
func CheckStatusNote(sim *graphsim.Server, id *string, status, note string, checkPatch func(body string) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got, _ := sim.TaskNote(*id); got != note {
			return fmt.Errorf("the note recorded by updateStatus = %q, want %q", got, note)
		}
		calls, patches := 0, 0
		for _, r := range sim.Requests() {
			if !strings.Contains(r.Path, *id) {
				continue
			}
			switch {
			case r.Method == "POST" && r.Route == graphsim.RouteUpdateStatus:
				calls++
				if !strings.Contains(r.Body, fmt.Sprintf("%q", status)) || !strings.Contains(r.Body, note) {
					return fmt.Errorf("updateStatus body = %s", r.Body)
				}
			case r.Method == "PATCH":
				patches++
				if strings.Contains(r.Body, `"status"`) {
					return fmt.Errorf("a PATCH carried status: %s", r.Body)
				}
				if err := checkPatch(r.Body); err != nil {
					return err
				}
			}
		}
		if calls != 1 || patches != 1 {
			return fmt.Errorf("updateStatus calls = %d, PATCHes = %d; want 1 and 1", calls, patches)
		}
		return nil
	}
}

// IdentityTest is the body of each type's _identity test: the resource identity is the task's id,
// set on create (config), kept through an update (updated), and enough to import the task with an
// import block that names only the identity, with nothing planned after. Neither configuration may
// have a timeouts block or Terraform-only values: an imported task has none in state.
func IdentityTest(t *testing.T, k TaskType, config, updated string) {
	t.Helper()
	SkipUnlessTerraform(t, "1.12.0", "resource identity (import blocks with identity)")
	addr := k.Address()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { PreCheck(t) },
		ProtoV6ProviderFactories: ProtoV6ProviderFactories,
		CheckDestroy:             k.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"id": knownvalue.NotNull()}),
					statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("id")),
				},
			},
			{
				Config: updated,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("id")),
				},
			},
			{
				Config:          updated,
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// Diagnostic matches an error diagnostic as the CLI prints it: the exact summary on its line, then
// the detail, which the CLI may wrap at any space.
func Diagnostic(summary, detail string) *regexp.Regexp {
	words := strings.Fields(detail)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(`Error: ` + regexp.QuoteMeta(summary) + `\r?\n(.|\n)*` + strings.Join(words, `\s+`))
}

// SeedAmongOthers seeds tasks into sim in order, each followed by a task of every other type named
// prefix-other-<n>, pending, high and about advanced threat protection like most tasks a query
// looks for: the queries' results must never hold them. It returns the ids of tasks, in order,
// and of the others.
func SeedAmongOthers(sim *graphsim.Server, own, prefix string, tasks []map[string]any) (ids, others []string) {
	n := 0
	for _, task := range tasks {
		ids = append(ids, sim.Seed(task))
		for _, other := range TaskTypes {
			if other.ODataType == own {
				continue
			}
			others = append(others, sim.Seed(map[string]any{"@odata.type": other.ODataType, "displayName": fmt.Sprintf("%s-other-%d", prefix, n),
				"status": "pending", "priority": "high", "category": "advancedThreatProtection"}))
			n++
		}
	}
	return ids, others
}

// GenerateConfigRoundTrip drives `terraform query -generate-config-out` (which terraform-plugin-
// testing cannot pass) for every task of resourceType the tenant of sim holds: the generated
// configuration has an import block for each task of names (id to display name), naming both, and
// no more, nor any task of another type (SeedAmongOthers' -other- tasks); the plan of it imports
// every task with no change, the apply of that plan leaves nothing to plan, and nothing is written
// to Graph.
func GenerateConfigRoundTrip(t *testing.T, sim *graphsim.Server, provider, resourceType string, names map[string]string) {
	t.Helper()
	h := NewHarness(t)
	dir := h.Dir(t, map[string]string{
		"main.tf": provider,
		"find.tfquery.hcl": fmt.Sprintf(`
list %q "all" {
  provider         = intune
  include_resource = true
}
`, resourceType),
	})
	run := func(args ...string) string {
		t.Helper()
		out, err := h.Run(t, dir, args...)
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	run("query", "-no-color", "-generate-config-out=generated.tf")
	b, err := os.ReadFile(filepath.Join(dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	generated := string(b)
	for id, name := range names {
		if !strings.Contains(generated, id) || !strings.Contains(generated, name) {
			t.Fatalf("the generated configuration lacks task %s (%s):\n%s", name, id, generated)
		}
	}
	if n := strings.Count(generated, "import {"); n != len(names) {
		t.Fatalf("%d import blocks, want %d:\n%s", n, len(names), generated)
	}
	if strings.Contains(generated, "-other-") {
		t.Fatalf("the generated configuration holds a task of another type:\n%s", generated)
	}
	for _, other := range TaskTypes {
		if other.Resource != resourceType && strings.Contains(generated, other.Resource) {
			t.Fatalf("the generated configuration holds a task of another type:\n%s", generated)
		}
	}

	run("plan", "-no-color", "-input=false", "-out=import.plan")
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions   []string        `json:"actions"`
				Importing json.RawMessage `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(run("show", "-json", "import.plan")), &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan.ResourceChanges) != len(names) {
		t.Fatalf("%d resource changes, want %d imports", len(plan.ResourceChanges), len(names))
	}
	for _, rc := range plan.ResourceChanges {
		if len(rc.Change.Importing) == 0 || strings.Join(rc.Change.Actions, ",") != "no-op" {
			t.Fatalf("%s: actions %v, importing %s; want an import with no change\n%s", rc.Address, rc.Change.Actions, rc.Change.Importing, generated)
		}
	}
	run("apply", "-no-color", "-input=false", "import.plan")
	if out, err := h.Run(t, dir, "plan", "-no-color", "-input=false", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after importing the generated configuration is not empty: %v\n%s", err, out)
	}
	for _, r := range sim.Requests() {
		if r.Method != "GET" && strings.HasPrefix(r.Path, "/beta/") {
			t.Fatalf("importing the generated configuration wrote to Graph: %s %s %s", r.Method, r.Path, r.Body)
		}
	}
}

// ImportOtherTypeTest imports into the resource under test the id of a task of each other type,
// seeded at an emulator of the test's own, with an import block and with terraform import: each is
// an error that names both types ("Not a(n) <noun>") and the resource to import the task into
// instead, nothing reaches state, and nothing is written to Graph. config is a configuration of
// the resource under test, without a provider block.
func ImportOtherTypeTest(t *testing.T, k TaskType, config string) {
	t.Helper()
	sim, provider := NewSim(t, graphsim.Options{})
	t.Cleanup(func() {
		for _, r := range sim.Requests() {
			if r.Method != "GET" && strings.HasPrefix(r.Path, "/beta/") {
				t.Errorf("importing another type's task wrote to Graph: %s %s %s", r.Method, r.Path, r.Body)
			}
		}
	})
	for _, other := range TaskTypes {
		if other == k {
			continue
		}
		id := sim.Seed(map[string]any{"@odata.type": other.ODataType, "displayName": RandomName(), "status": "pending"})
		want := regexp.MustCompile(`Not ` + k.aNoun() + `(.|\n)*Graph\s+returned\s+a\s+task\s+of\s+type\s+"` +
			regexp.QuoteMeta(other.ODataType) + `",\s+not\s+"` + regexp.QuoteMeta(k.ODataType) + `"(.|\n)*It\s+is\s+` +
			strings.Join(strings.Fields(other.aNoun()), `\s+`) + `:\s+import\s+it\s+into\s+` + other.Resource + `\s+instead`)
		t.Run(strings.TrimPrefix(other.ODataType, "#microsoft.graph."), func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { PreCheck(t) },
				ProtoV6ProviderFactories: ProtoV6ProviderFactories,
				CheckDestroy:             k.CheckDestroyOn(t, sim),
				Steps: []resource.TestStep{
					// The import block first: terraform-plugin-testing copies the state of earlier
					// steps for a later one, and an import step leaves none.
					{
						Config:          provider + config,
						ResourceName:    k.Address(),
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithID,
						ImportStateId:   id,
						ExpectError:     want,
					},
					{
						Config:        provider + config,
						ResourceName:  k.Address(),
						ImportState:   true,
						ImportStateId: id,
						ExpectError:   want,
					},
				},
			})
		})
	}
}

// aNoun is the type's noun with its indefinite article.
func (k TaskType) aNoun() string {
	if strings.ContainsRune("aeiou", rune(k.Noun[0])) {
		return "an " + k.Noun
	}
	return "a " + k.Noun
}

// CheckNextLinkRerooted checks a list under graphsim.Faults.NextLinkHost: the fault fired, the
// host the links named (other) received nothing, and sim itself served the pages those links led
// to: the links were followed on the configured endpoint.
func CheckNextLinkRerooted(sim, other *graphsim.Server) error {
	if n := len(other.Requests()); n != 0 {
		return fmt.Errorf("the host the @odata.nextLinks named received %d requests, want none", n)
	}
	if n := sim.FaultCounts()[graphsim.FaultNextLinkHost]; n < 1 {
		return fmt.Errorf("no page carried a nextLink to the other host (fault fired %d times): the case did not exercise what it claims", n)
	}
	served := 0
	for _, r := range sim.Requests() {
		if r.Method == "GET" && r.Route == graphsim.RouteTasks && strings.Contains(r.RawQuery, "skiptoken") {
			if r.Status != 200 {
				return fmt.Errorf("the configured endpoint answered a page request (%s?%s) with %d", r.Path, r.RawQuery, r.Status)
			}
			served++
		}
	}
	if served == 0 {
		return errors.New("the configured endpoint served no page after the first: the nextLinks were not followed")
	}
	return nil
}
