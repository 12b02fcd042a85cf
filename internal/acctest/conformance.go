package acctest

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// Conformance is the suite every task type runs: the behaviour the shared core promises for each
// row of the type's table, generated from the table and two sample values per configurable row.
// What each check expects follows from the row's kind (Removal, Graph's unset value), never from
// the provider's own code, so a broken row fails the suite.
type Conformance struct {
	Type  TaskType
	Table framework.Table
	// Samples are two values of every configurable row but display_name (named by the suite), by
	// Terraform name: A, the full configuration's, and B, which differs in every value. A string,
	// enum or date-time row's sample is a string; an Int32 or Int64 row's an int; a Bool row's a
	// bool; a Strings row's a []string; a complex value's a map[string]any of its rows (or a
	// []map[string]any for a list), each row's value a string.
	Samples map[string][2]any
	// Invalid are the type's own plan-time refusals (its validators), beside those every kind has.
	Invalid []Invalid
}

// Invalid is a configuration the plan must refuse: Attrs inside the resource block, and the
// error's exact summary and detail.
type Invalid struct {
	Name, Attrs, Summary, Detail string
}

// Run runs the suite, each case a parallel subtest.
func (c Conformance) Run(t *testing.T) {
	c.checkSamples(t)
	for name, f := range map[string]func(*testing.T){
		"basic": c.basic, "full": c.full, "update": c.update, "removeOptional": c.removeOptional,
		"disappears": c.disappears, "invalid": c.invalid, "identity": c.identity, "importOtherType": c.importOtherType,
		"dataSource": c.dataSource, "dataSourceOtherType": c.dataSourceOtherType, "listQuery": c.listQuery,
		"generateConfig": c.generateConfig, "statusNote": c.statusNote, "statusNoteAtCreateWarns": c.statusNoteAtCreateWarns,
		"statusNoteASCII": c.statusNoteASCII,
	} {
		t.Run(name, f)
	}
}

// configurable are the rows a configuration sets.
func (c Conformance) configurable() []*framework.Attr {
	var out []*framework.Attr
	for i := range c.Table {
		if a := &c.Table[i]; !a.IsComputed() {
			out = append(out, a)
		}
	}
	return out
}

// checkSamples fails the test unless every configurable row but display_name has two different
// samples: a row the suite does not exercise would pass it untested.
func (c Conformance) checkSamples(t *testing.T) {
	t.Helper()
	for _, a := range c.configurable() {
		s, ok := c.Samples[a.Name()]
		switch {
		case a.Name() == "display_name":
		case !ok:
			t.Fatalf("no samples for %s", a.Name())
		case reflect.DeepEqual(s[0], s[1]):
			t.Fatalf("the samples of %s are the same: B must differ from A in every value", a.Name())
		}
	}
	for name := range c.Samples {
		if c.Table.Row(name) == nil {
			t.Fatalf("a sample for %s, which is not a row", name)
		}
	}
}

// sample is the sample set i (0 for A, 1 for B) with display_name set to name.
func (c Conformance) sample(name string, i int) map[string]any {
	out := map[string]any{"display_name": name}
	for k, v := range c.Samples {
		out[k] = v[i]
	}
	return out
}

func (c Conformance) required(name string) map[string]any {
	return map[string]any{"display_name": name}
}

// config is the resource block with vals; extra goes inside it.
func (c Conformance) config(vals map[string]any, extra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nresource %q \"test\" {\n", c.Type.Resource)
	for _, a := range c.configurable() {
		if v, ok := vals[a.Name()]; ok {
			fmt.Fprintf(&b, "  %s = %s\n", a.Name(), hcl(v))
		}
	}
	return b.String() + extra + "}\n"
}

// terraformOnly are the resource's values Graph has no property for.
const terraformOnly = `
  status_note = "raised by the conformance suite"

  timeouts {
    create = "5m"
  }
`

// hcl writes a sample as an HCL expression.
func hcl(v any) string {
	switch x := v.(type) {
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = fmt.Sprintf("%q", s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case map[string]any:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, fmt.Sprintf("%s = %s", k, hcl(x[k])))
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	case []map[string]any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = hcl(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(v)
}

// known is the state check of a holding sample v (nil: null).
func known(a *framework.Attr, v any) knownvalue.Check {
	if v == nil {
		return knownvalue.Null()
	}
	switch a.Kind() {
	case framework.KindInt32:
		return knownvalue.Int32Exact(int32(v.(int)))
	case framework.KindInt64:
		return knownvalue.Int64Exact(int64(v.(int)))
	case framework.KindBool:
		return knownvalue.Bool(v.(bool))
	case framework.KindStrings:
		var checks []knownvalue.Check
		for _, s := range v.([]string) {
			checks = append(checks, knownvalue.StringExact(s))
		}
		return knownvalue.ListExact(checks)
	case framework.KindObject:
		return knownElement(a, v.(map[string]any))
	case framework.KindObjects:
		var checks []knownvalue.Check
		for _, e := range v.([]map[string]any) {
			checks = append(checks, knownElement(a, e))
		}
		return knownvalue.ListExact(checks)
	}
	return knownvalue.StringExact(v.(string))
}

func knownElement(a *framework.Attr, e map[string]any) knownvalue.Check {
	checks := map[string]knownvalue.Check{}
	for _, ea := range a.Elem() {
		checks[ea.Name()] = known(&ea, e[ea.Name()])
	}
	return knownvalue.ObjectExact(checks)
}

// unsetInState is what state shows for a row a create did not set: Graph's value for an
// Optional+Computed row, else null.
func unsetInState(a *framework.Attr) knownvalue.Check {
	switch a.Kind() {
	case framework.KindEnum:
		return knownvalue.StringExact(a.Enum().Unset())
	case framework.KindInt32:
		return knownvalue.Int32Exact(0)
	case framework.KindInt64:
		return knownvalue.Int64Exact(0)
	case framework.KindBool:
		return knownvalue.Bool(false)
	}
	return knownvalue.Null()
}

// graphJSON is a sample as Graph's JSON holds it.
func graphJSON(a *framework.Attr, v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for _, ea := range a.Elem() {
			if ev, ok := x[ea.Name()]; ok {
				out[ea.JSON()] = ev
			}
		}
		return out
	case []map[string]any:
		out := []any{}
		for _, e := range x {
			out = append(out, graphJSON(a, e))
		}
		return out
	case []string:
		out := []any{}
		for _, s := range x {
			out = append(out, s)
		}
		return out
	case int:
		return float64(x)
	}
	return v
}

// holds checks that Graph's JSON task holds sample v of row a: date-times as instants (Graph's
// spelling varies), the rest exactly.
func holds(task map[string]any, a *framework.Attr, v any) error {
	got, want := task[a.JSON()], graphJSON(a, v)
	if a.Kind() == framework.KindDateTime {
		return WantInstant(task, a.JSON(), v.(string))
	}
	if a.Kind() == framework.KindObjects || a.Kind() == framework.KindObject {
		return holdsElements(a, got, want)
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("%s at Graph = %v (%T), want %v", a.JSON(), got, got, want)
	}
	return nil
}

// holdsElements compares complex values row by row, each element's unset rows absent or null
// (an unset date-time is Graph's unset value).
func holdsElements(a *framework.Attr, got, want any) error {
	g, w := asList(got), asList(want)
	if len(g) != len(w) {
		return fmt.Errorf("%s at Graph = %v, want %v", a.JSON(), got, want)
	}
	for i := range w {
		ge, _ := g[i].(map[string]any)
		we, _ := w[i].(map[string]any)
		for _, ea := range a.Elem() {
			wv, ok := we[ea.JSON()]
			switch {
			case ok && ea.Kind() == framework.KindDateTime:
				if err := WantInstant(ge, ea.JSON(), wv.(string)); err != nil {
					return fmt.Errorf("%s[%d]: %w", a.JSON(), i, err)
				}
			case ok && ge[ea.JSON()] != wv:
				return fmt.Errorf("%s[%d].%s at Graph = %v, want %v", a.JSON(), i, ea.JSON(), ge[ea.JSON()], wv)
			case !ok && ea.Kind() != framework.KindDateTime && ge[ea.JSON()] != nil:
				return fmt.Errorf("%s[%d].%s at Graph = %v, want null", a.JSON(), i, ea.JSON(), ge[ea.JSON()])
			}
		}
	}
	return nil
}

func asList(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case map[string]any:
		return []any{x}
	}
	return nil
}

// holdsUnset checks that Graph holds its unset value for row a: null for a nullable one, member 0,
// 0 or false for the non-nullable ones, the unset date-time (a real tenant may also answer null),
// an empty list or none.
func holdsUnset(task map[string]any, a *framework.Attr) error {
	got := task[a.JSON()]
	var ok bool
	switch a.Kind() {
	case framework.KindDateTime:
		if got == nil && Sim == nil {
			return nil
		}
		return WantInstant(task, a.JSON(), framework.UnsetDateTime)
	case framework.KindEnum:
		ok = got == a.Enum().Unset()
	case framework.KindInt32, framework.KindInt64:
		ok = got == float64(0)
	case framework.KindBool:
		ok = got == false
	case framework.KindStrings, framework.KindObjects:
		ok = got == nil || len(asList(got)) == 0
	default:
		ok = got == nil
	}
	if !ok {
		return fmt.Errorf("%s at Graph = %v, want Graph's unset value", a.JSON(), got)
	}
	return nil
}

// stateChecks check that state holds vals for every row in it, and unset for every other
// configurable row.
func (c Conformance) stateChecks(vals map[string]any, unset func(*framework.Attr) knownvalue.Check) []statecheck.StateCheck {
	addr := c.Type.Address()
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.NotNull()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("created_date_time"), knownvalue.NotNull()),
	}
	for _, a := range c.configurable() {
		want := unset(a)
		if v, ok := vals[a.Name()]; ok {
			want = known(a, v)
		}
		checks = append(checks, statecheck.ExpectKnownValue(addr, tfjsonpath.New(a.Name()), want))
	}
	return checks
}

// remoteHolds checks that Graph holds vals, and its unset value for every other configurable row.
func (c Conformance) remoteHolds(t *testing.T, vals map[string]any) resource.TestCheckFunc {
	return c.Type.CheckRemote(t, func(task map[string]any) error {
		for _, a := range c.configurable() {
			v, ok := vals[a.Name()]
			var err error
			if ok {
				err = holds(task, a, v)
			} else {
				err = holdsUnset(task, a)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func (c Conformance) testCase(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { PreCheck(t) },
		ProtoV6ProviderFactories: ProtoV6ProviderFactories,
		CheckDestroy:             c.Type.CheckDestroy(t),
		Steps:                    steps,
	})
}

func emptyPlan() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
}

// basic: the smallest configuration. Graph fills in the non-nullable rows, which land in state
// without a difference; the rest stay null, in state and (as Graph's unset values) in Graph.
func (c Conformance) basic(t *testing.T) {
	vals := c.required(RandomName())
	c.testCase(t,
		resource.TestStep{Config: c.config(vals, ""), ConfigStateChecks: c.stateChecks(vals, unsetInState), Check: c.remoteHolds(t, vals)},
		resource.TestStep{Config: c.config(vals, ""), ConfigPlanChecks: emptyPlan()},
	)
}

// full: every row set: state and Graph hold each; an import reads each back; an import block
// plans nothing.
func (c Conformance) full(t *testing.T) {
	a := c.sample(RandomName(), 0)
	c.testCase(t,
		resource.TestStep{Config: c.config(a, terraformOnly), ConfigStateChecks: c.stateChecks(a, unsetInState), Check: c.remoteHolds(t, a)},
		resource.TestStep{Config: c.config(a, terraformOnly), ResourceName: c.Type.Address(), ImportState: true, ImportStateVerify: true,
			// Graph has no property for them to import from.
			ImportStateVerifyIgnore: []string{"timeouts", "status_note"}},
		// An import block plans against the configuration, and an imported task has no
		// Terraform-only values in state.
		resource.TestStep{Config: c.config(a, ""), ResourceName: c.Type.Address(), ImportState: true, ImportStateKind: resource.ImportBlockWithID},
	)
}

// update: every row changes in place, the same task, and Graph holds the new values.
func (c Conformance) update(t *testing.T) {
	name := RandomName()
	a, b := c.sample(name, 0), c.sample(name+"-b", 1)
	var id string
	c.testCase(t,
		resource.TestStep{Config: c.config(a, ""), Check: SaveID(c.Type.Address(), &id)},
		resource.TestStep{
			Config: c.config(b, ""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(c.Type.Address(), plancheck.ResourceActionUpdate)}},
			ConfigStateChecks: c.stateChecks(b, unsetInState),
			Check:             resource.ComposeTestCheckFunc(resource.TestCheckResourceAttrPtr(c.Type.Address(), "id", &id), c.remoteHolds(t, b)),
		},
	)
}

// removeOptional: every optional row removed does what its kind's removal says, in state, in
// Graph and in the one PATCH; the next plan is empty.
func (c Conformance) removeOptional(t *testing.T) {
	name := RandomName()
	a := c.sample(name, 0)
	kept := c.required(name)
	for _, r := range c.configurable() {
		if r.Removal() == framework.RemovalKeeps {
			kept[r.Name()] = a[r.Name()]
		}
	}
	var id string
	c.testCase(t,
		resource.TestStep{Config: c.config(a, terraformOnly), Check: SaveID(c.Type.Address(), &id)},
		resource.TestStep{
			Config: c.config(c.required(name), ""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(c.Type.Address(), plancheck.ResourceActionUpdate)}},
			ConfigStateChecks: append(c.stateChecks(kept, func(*framework.Attr) knownvalue.Check { return knownvalue.Null() }),
				statecheck.ExpectKnownValue(c.Type.Address(), tfjsonpath.New("status_note"), knownvalue.Null())),
			Check: resource.ComposeTestCheckFunc(c.remoteHolds(t, kept), func(*terraform.State) error { return c.checkRemovalPatch(id) }),
		},
		resource.TestStep{Config: c.config(c.required(name), ""), ConfigPlanChecks: emptyPlan()},
	)
}

// checkRemovalPatch checks the PATCH that removed the optional rows: it names the derived type
// and clears each row the way its kind's removal says (null, the unset date-time, []), and carries
// nothing else: not the rows that keep Graph's value, nor the unchanged display name.
func (c Conformance) checkRemovalPatch(id string) error {
	if Sim == nil {
		return nil // a real tenant keeps no request log; state and Graph's values are checked
	}
	patch, err := OnlyPatch(Sim, id)
	if err != nil {
		return err
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal([]byte(patch), &body); err != nil {
		return fmt.Errorf("PATCH body %q: %w", patch, err)
	}
	want := map[string]string{"@odata.type": fmt.Sprintf("%q", c.Type.ODataType)}
	for _, a := range c.configurable() {
		switch a.Removal() {
		case framework.RemovalSendsNull:
			want[a.JSON()] = "null"
		case framework.RemovalWritesUnset:
			want[a.JSON()] = fmt.Sprintf("%q", framework.UnsetDateTime)
		case framework.RemovalSendsEmptyList:
			want[a.JSON()] = "[]"
		}
	}
	delete(want, "displayName")
	got := map[string]string{}
	for k, v := range body {
		got[k] = string(v)
	}
	if !maps.Equal(got, want) {
		return fmt.Errorf("the PATCH sent %s, want exactly %v", patch, want)
	}
	return nil
}

// disappears: a task deleted outside Terraform is dropped from state on refresh and planned for
// creation.
func (c Conformance) disappears(t *testing.T) {
	coll := framework.ManagedBy(c.Type.ODataType).Collection()
	c.testCase(t, resource.TestStep{
		Config: c.config(c.required(RandomName()), ""),
		Check: func(s *terraform.State) error {
			return Client(t).Delete(Context(t), coll, s.RootModule().Resources[c.Type.Address()].Primary.ID)
		},
		ExpectNonEmptyPlan: true,
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(c.Type.Address(), plancheck.ResourceActionCreate)}},
	})
}

// invalid: what every kind refuses at plan time, for each row of that kind, and the type's own
// refusals, each with its exact summary and a detail naming the attribute.
func (c Conformance) invalid(t *testing.T) {
	cases := append([]Invalid{{Name: "empty display name", Attrs: `display_name = ""`, Summary: "Invalid Attribute Value Length",
		Detail: "Attribute display_name string length must be at least 1, got: 0"}}, c.Invalid...)
	for _, a := range c.configurable() {
		switch a.Kind() {
		case framework.KindEnum:
			members := fmt.Sprintf("%q", a.Enum().Values) // ["a" "b"], as the validator writes them
			for _, bad := range []string{"Bogus", strings.ToUpper(a.Enum().Values[1][:1]) + a.Enum().Values[1][1:]} {
				cases = append(cases, Invalid{Name: a.Name() + " " + bad, Attrs: fmt.Sprintf("%s = %q", a.Name(), bad),
					Summary: "Invalid Attribute Value Match",
					Detail:  fmt.Sprintf("Attribute %s value must be one of: %s, got: %q", a.Name(), members, bad)})
			}
		case framework.KindObjects:
			cases = append(cases, Invalid{Name: a.Name() + " null element", Attrs: a.Name() + " = [null]", Summary: "Null List Value",
				Detail: "This attribute contains a null value."})
			for _, ea := range a.Elem() {
				if ea.Kind() != framework.KindDateTime {
					continue
				}
				at := fmt.Sprintf("%s[0].%s", a.Name(), ea.Name())
				cases = append(cases,
					Invalid{Name: at + " eight digits", Attrs: fmt.Sprintf(`%s = [{ %s = "2026-11-30T00:00:00.12345678+01:00" }]`, a.Name(), ea.Name()),
						Summary: "Date-time more precise than Graph stores", Detail: at + " has 8 fractional-second digits"},
					Invalid{Name: at + " unset value", Attrs: fmt.Sprintf(`%s = [{ %s = "0001-01-01T00:00:00Z" }]`, a.Name(), ea.Name()),
						Summary: `Date-time means "no date" in Graph`, Detail: at + ` = "0001-01-01T00:00:00Z" is 0001-01-01T00:00:00Z`})
			}
		case framework.KindDateTime:
			cases = append(cases,
				Invalid{Name: a.Name() + " not a date", Attrs: a.Name() + ` = "next friday"`, Summary: "Invalid RFC3339 String Value",
					Detail: "Given Value: next friday"},
				Invalid{Name: a.Name() + " without a zone", Attrs: a.Name() + ` = "2027-01-01T00:00:00"`, Summary: "Invalid RFC3339 String Value",
					Detail: "Given Value: 2027-01-01T00:00:00"},
				Invalid{Name: a.Name() + " eight digits", Attrs: a.Name() + ` = "2027-01-01T00:00:00.12345678Z"`,
					Summary: "Date-time more precise than Graph stores",
					Detail:  a.Name() + ` has 8 fractional-second digits in "2027-01-01T00:00:00.12345678Z"; Microsoft Graph keeps 7 (100 ns)`},
				Invalid{Name: a.Name() + " unset value", Attrs: a.Name() + ` = "0001-01-01T00:00:00Z"`,
					Summary: `Date-time means "no date" in Graph`, Detail: a.Name() + ` = "0001-01-01T00:00:00Z" is 0001-01-01T00:00:00Z`},
				Invalid{Name: a.Name() + " offset", Attrs: a.Name() + ` = "2027-01-01T00:00:00+24:00"`,
					Summary: "Date-time offset outside Graph's range", Detail: a.Name() + ` = "2027-01-01T00:00:00+24:00" has the UTC offset +24:00`},
				Invalid{Name: a.Name() + " comma", Attrs: a.Name() + ` = "2027-01-01T00:00:00,5Z"`,
					Summary: "Date-time with a comma before its fraction", Detail: `Graph accepts only a period: "2027-01-01T00:00:00.5Z".`},
				Invalid{Name: a.Name() + " before year 1", Attrs: a.Name() + ` = "0001-01-01T00:30:00+01:00"`,
					Summary: "Date-time outside Graph's range", Detail: a.Name() + ` = "0001-01-01T00:30:00+01:00" is 0000-12-31T23:30:00Z in UTC`})
		}
	}
	for _, ic := range cases {
		t.Run(strings.ReplaceAll(ic.Name, " ", "_"), func(t *testing.T) {
			attrs := map[string]any{}
			if !strings.HasPrefix(ic.Attrs, "display_name") {
				attrs["display_name"] = RandomName()
			}
			config := strings.Replace(c.config(attrs, ""), "\n}\n", "\n  "+ic.Attrs+"\n}\n", 1)
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { PreCheck(t) },
				ProtoV6ProviderFactories: ProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: config, PlanOnly: true, ExpectError: Diagnostic(ic.Summary, ic.Detail)}},
			})
		})
	}
}

// identity: the resource identity is the task's id, through create, update and an import block
// naming only the identity.
func (c Conformance) identity(t *testing.T) {
	name := RandomName()
	IdentityTest(t, c.Type, c.config(c.sample(name, 0), ""), c.config(c.sample(name+"-b", 1), ""))
}

// importOtherType: an id of a task of each other type cannot be imported.
func (c Conformance) importOtherType(t *testing.T) {
	ImportOtherTypeTest(t, c.Type, c.config(c.required(RandomName()), ""))
}

// dataSource: the data source reads a task by id with every value the resource holds, and a
// missing id is an error, not an empty result.
func (c Conformance) dataSource(t *testing.T) {
	b := c.sample(RandomName(), 1)
	data := "data." + c.Type.Resource + ".test"
	names := []string{"id", "created_date_time"}
	for _, a := range c.configurable() {
		names = append(names, a.Name())
	}
	// CompareValuePairs of two nulls would pass whatever the data source read: B sets every row.
	checks := SameValues(c.Type.Address(), data, names...)
	for _, a := range c.configurable() {
		if v, ok := b[a.Name()]; ok {
			checks = append(checks, statecheck.ExpectKnownValue(data, tfjsonpath.New(a.Name()), known(a, v)))
		}
	}
	c.testCase(t,
		resource.TestStep{Config: c.config(b, "") + fmt.Sprintf("\ndata %q \"test\" {\n  id = %s.id\n}\n", c.Type.Resource, c.Type.Address()),
			ConfigStateChecks: checks},
		resource.TestStep{
			Config:      fmt.Sprintf("data %q \"missing\" {\n  id = \"00000000-0000-0000-0000-000000000000\"\n}\n", c.Type.Resource),
			ExpectError: Diagnostic("Intune "+c.Type.Noun+" not found", `No task with id "00000000-0000-0000-0000-000000000000" exists in Graph.`),
		},
	)
}

// dataSourceOtherType: an id of a task of another type is an error naming both types and the data
// source to use, not an empty result.
func (c Conformance) dataSourceOtherType(t *testing.T) {
	sim, provider := NewSim(t, graphsim.Options{})
	for _, other := range TaskTypes {
		if other == c.Type {
			continue
		}
		id := sim.Seed(map[string]any{"@odata.type": other.ODataType, "displayName": RandomName()})
		t.Run(strings.TrimPrefix(other.ODataType, "#microsoft.graph."), func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { PreCheck(t) },
				ProtoV6ProviderFactories: ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: provider + fmt.Sprintf("data %q \"test\" {\n  id = %q\n}\n", c.Type.Resource, id),
					ExpectError: Diagnostic("Not "+c.Type.aNoun(), fmt.Sprintf(`Graph returned a task of type %q, not %q. This data source reads `+
						`only %ss. It is %s: read it with data.%s instead.`, other.ODataType, c.Type.ODataType, c.Type.Noun, other.aNoun(), other.Resource)),
				}},
			})
		})
	}
}

// seedSamples seeds A and B as Graph holds them (named prefix-a and prefix-b) among tasks of the
// other types, and returns their ids by name.
func (c Conformance) seedSamples(sim *graphsim.Server, prefix string) map[string]string {
	var tasks []map[string]any
	for i, suffix := range []string{"-a", "-b"} {
		task := map[string]any{"@odata.type": c.Type.ODataType, "displayName": prefix + suffix}
		for _, a := range c.configurable() {
			if v, ok := c.Samples[a.Name()]; ok {
				task[a.JSON()] = graphJSON(a, v[i])
			}
		}
		tasks = append(tasks, task)
	}
	ids, _ := SeedAmongOthers(sim, c.Type.ODataType, prefix, tasks)
	return map[string]string{prefix + "-a": ids[0], prefix + "-b": ids[1]}
}

// listQuery: terraform query lists the type's tasks across pages and among the other types' tasks,
// each with its identity, its display name and, with include_resource, every value; a filter on
// the display name finds one.
func (c Conformance) listQuery(t *testing.T) {
	SkipUnlessTerraform(t, "1.14.0", "list resources (terraform query)")
	sim, provider := NewSim(t, graphsim.Options{PageSize: 2})
	prefix := RandomName()
	ids := c.seedSamples(sim, prefix)
	all, named := c.Type.Resource+".all", c.Type.Resource+".named"
	byID := func(name string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"id": knownvalue.StringExact(ids[name])}
	}
	checks := []querycheck.QueryResultCheck{
		querycheck.ExpectLength(all, 2), querycheck.ExpectLength(named, 1),
		querycheck.ExpectIdentity(named, byID(prefix+"-b")),
	}
	for i, suffix := range []string{"-a", "-b"} {
		var values []querycheck.KnownValueCheck
		vals := c.sample(prefix+suffix, i)
		for _, a := range c.configurable() {
			values = append(values, querycheck.KnownValueCheck{Path: tfjsonpath.New(a.Name()), KnownValue: known(a, vals[a.Name()])})
		}
		// Terraform-only values are unset, as after an import.
		values = append(values, querycheck.KnownValueCheck{Path: tfjsonpath.New("status_note"), KnownValue: knownvalue.Null()})
		filter := queryfilter.ByResourceIdentity(byID(prefix + suffix))
		checks = append(checks, querycheck.ExpectIdentity(all, byID(prefix+suffix)),
			querycheck.ExpectResourceDisplayName(all, filter, knownvalue.StringExact(prefix+suffix)),
			querycheck.ExpectResourceKnownValues(all, filter, values))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { PreCheck(t) },
		ProtoV6ProviderFactories: ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: provider},
			{
				Query: true,
				Config: fmt.Sprintf(`
list %[1]q "all" {
  provider         = intune
  include_resource = true
}

list %[1]q "named" {
  provider = intune
  config {
    display_name = %[2]q
  }
}
`, c.Type.Resource, prefix+"-b"),
				QueryResultChecks: checks,
			},
		},
	})
}

// generateConfig: terraform query -generate-config-out writes a configuration for A and B that
// imports both with no change (GenerateConfigRoundTrip).
func (c Conformance) generateConfig(t *testing.T) {
	SkipUnlessTerraform(t, "1.14.0", "terraform query -generate-config-out")
	sim, provider := NewSim(t, graphsim.Options{PageSize: 2})
	prefix := RandomName()
	names := map[string]string{}
	for name, id := range c.seedSamples(sim, prefix) {
		names[id] = name
	}
	GenerateConfigRoundTrip(t, sim, provider, c.Type.Resource, names)
}

// statusNote: a status change with status_note goes through updateStatus, which records the note;
// every other change goes through one PATCH, which carries each changed row and never the status;
// Graph does not return the note, and nothing is planned after.
func (c Conformance) statusNote(t *testing.T) {
	sim := RequireEmulator(t)
	name := RandomName()
	a, b := c.sample(name, 0), c.sample(name, 1)
	const note = "Accepted by the conformance suite"
	withNote := c.config(b, fmt.Sprintf("  status_note = %q\n", note))
	var id string
	c.testCase(t,
		resource.TestStep{Config: c.config(a, ""), Check: SaveID(c.Type.Address(), &id)},
		resource.TestStep{
			Config: withNote,
			ConfigStateChecks: append(c.stateChecks(b, unsetInState),
				statecheck.ExpectKnownValue(c.Type.Address(), tfjsonpath.New("status_note"), knownvalue.StringExact(note))),
			Check: resource.ComposeTestCheckFunc(c.remoteHolds(t, b),
				CheckStatusNote(sim, &id, b["status"].(string), note, func(body string) error {
					var sent map[string]any
					if err := json.Unmarshal([]byte(body), &sent); err != nil {
						return err
					}
					for _, r := range c.configurable() {
						if _, ok := sent[r.JSON()]; !ok && r.Name() != "status" && r.Name() != "display_name" {
							return fmt.Errorf("the PATCH does not carry %s: %s", r.JSON(), body)
						}
					}
					return nil
				})),
		},
		resource.TestStep{Config: withNote, ConfigPlanChecks: emptyPlan()},
	)
}

// statusNoteAtCreateWarns: a create carries the status in its own request, which has no note: a
// plan that creates a task with status_note warns, on that attribute, that the note is not
// recorded; a plan without the note does not. terraform-plugin-testing does not show warnings, so
// the CLI is driven directly.
func (c Conformance) statusNoteAtCreateWarns(t *testing.T) {
	_, provider := NewSim(t, graphsim.Options{})
	h := NewHarness(t)
	const summary = "status_note is not recorded when the task is created"
	for _, tc := range []struct {
		extra string
		want  int
	}{{"  status_note = \"raised for the rollout\"\n", 1}, {"", 0}} {
		dir := h.Dir(t, map[string]string{"main.tf": provider + c.config(map[string]any{"display_name": RandomName(), "status": "active"}, tc.extra)})
		out, err := h.Run(t, dir, "plan", "-input=false", "-json")
		if err != nil {
			t.Fatalf("terraform plan: %v\n%s", err, out)
		}
		if got := Warnings(out, summary); len(got) != tc.want {
			t.Fatalf("with %q: %d warnings %q, want %d\n%s", tc.extra, len(got), summary, tc.want, out)
		}
	}
}

// statusNoteASCII: Graph's metadata declares updateStatus's note non-Unicode: a status_note
// outside ASCII fails at plan time, before anything reaches Graph.
func (c Conformance) statusNoteASCII(t *testing.T) {
	name := RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { PreCheck(t) },
		ProtoV6ProviderFactories: ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      c.config(map[string]any{"display_name": name, "status": "active"}, "  status_note = \"Überprüft ✓\"\n"),
			PlanOnly:    true,
			ExpectError: Diagnostic("Invalid Attribute Value Match", "Attribute status_note must contain only ASCII characters"),
		}},
	})
	if Sim == nil {
		return // against a real tenant there is no request log to read
	}
	for _, r := range Sim.Requests() {
		if strings.Contains(r.Body, name) {
			t.Fatalf("the task reached Graph: %s %s", r.Method, r.Path)
		}
	}
}
