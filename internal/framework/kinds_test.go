package framework

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// fakeTask stands in for an SDK model with the kinds no task type has yet: what the next Intune
// entities need (a flag, a 64-bit count, a list of strings, one complex value).
type fakeTask struct {
	serialization.Parsable // never called: the rows read through the getters below
	enabled                *bool
	size                   *int64
	tags                   []string
	owner                  *fakeOwner
}

type fakeOwner struct{ name *string }

func (f fakeTask) GetEnabled() *bool       { return f.enabled }
func (f fakeTask) GetSize() *int64         { return f.size }
func (f fakeTask) GetTags() []string       { return f.tags }
func (f fakeTask) GetOwner() *fakeOwner    { return f.owner }
func (o *fakeOwner) GetOwnerName() *string { return o.name }
func ptr[T any](v T) *T                    { return &v }
func ownerValue(name string) types.Object {
	return types.ObjectValueMust(ownerType, map[string]attr.Value{"name": types.StringValue(name)})
}
func tagsValue(tags ...string) types.List { return types.ListValueMust(types.StringType, strs(tags)) }
func strs(ss []string) (out []attr.Value) {
	out = []attr.Value{}
	for _, s := range ss {
		out = append(out, types.StringValue(s))
	}
	return out
}

var newKinds = Table{
	Bool("enabled", "enabled", "Enabled.", fakeTask.GetEnabled),
	Int64("size", "size", "Size.", fakeTask.GetSize),
	Strings("tags", "tags", "Tags.", fakeTask.GetTags),
	Object("owner", "owner", "Owner.", fakeTask.GetOwner, String("name", "ownerName", "Name.", (*fakeOwner).GetOwnerName)),
}

var ownerType = newKinds.Row("owner").ElemType().AttrTypes

func expandNew(t *testing.T, plan, prior Values) map[string]any {
	t.Helper()
	out, _ := expandJSON(t, newKinds, models.NewSecurityConfigurationTask(), plan, prior)
	delete(out, "@odata.type")
	return out
}

func TestNewKindsExpand(t *testing.T) {
	full := Values{"enabled": types.BoolValue(true), "size": types.Int64Value(1 << 40), "tags": tagsValue("a", "b"), "owner": ownerValue("x")}
	removed := Values{"enabled": types.BoolNull(), "size": types.Int64Null(), "tags": types.ListNull(types.StringType),
		"owner": types.ObjectNull(ownerType)}
	for _, c := range []struct {
		name        string
		plan, prior Values
		want        string
	}{
		{"create sets every configured value", full, nil, `{"enabled":true,"owner":{"ownerName":"x"},"size":1099511627776,"tags":["a","b"]}`},
		{"create sends nothing unset, and no empty list", Values{"tags": tagsValue()}, nil, `{}`},
		{"removal keeps the flag and the number, clears the list and the object", removed, full, `{"owner":null,"tags":[]}`},
		{"an unchanged value is not sent", full, full, `{}`},
		{"a change sends the whole object", Values{"enabled": types.BoolValue(false), "tags": tagsValue("b", "a"), "owner": ownerValue("y"),
			"size": types.Int64Value(1 << 40)}, full, `{"enabled":false,"owner":{"ownerName":"y"},"tags":["b","a"]}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, _ := json.Marshal(expandNew(t, c.plan, c.prior))
			if string(got) != c.want {
				t.Errorf("sent %s, want %s", got, c.want)
			}
		})
	}
}

func TestNewKindsFlattenAndMatch(t *testing.T) {
	read := func(m fakeTask, prior Values) Values {
		t.Helper()
		got, diags := newKinds.Flatten(&graph.Item{ID: "t", Model: m}, prior)
		if diags.HasError() {
			t.Fatal(diags)
		}
		return got
	}
	unset := read(fakeTask{enabled: ptr(false), size: ptr(int64(0))}, nil)
	if !unset["tags"].IsNull() || !unset["owner"].IsNull() || !unset["enabled"].Equal(types.BoolValue(false)) {
		t.Errorf("Graph's unset values read as %v", unset)
	}
	if got := read(fakeTask{}, Values{"tags": tagsValue()})["tags"]; !got.Equal(tagsValue()) {
		t.Errorf("an empty list configured as [] reads as %s", got)
	}
	full := read(fakeTask{enabled: ptr(true), size: ptr(int64(7)), tags: []string{"a"}, owner: &fakeOwner{name: ptr("x")}}, nil)
	if !full["owner"].Equal(ownerValue("x")) || !full["tags"].Equal(tagsValue("a")) || !full["size"].Equal(types.Int64Value(7)) {
		t.Errorf("Graph's values read as %v", full)
	}
	// What a create of nothing makes is Graph's unset values, and nothing else.
	if !newKinds.Matches(Values{}, unset) {
		t.Error("an empty configuration does not match Graph's unset values")
	}
	if newKinds.Matches(Values{}, full) {
		t.Error("an empty configuration matches a task with values")
	}
	if !newKinds.Matches(Values{"enabled": types.BoolValue(true), "size": types.Int64Value(7), "tags": tagsValue("a"), "owner": ownerValue("x")}, full) {
		t.Error("the configuration that made the task does not match it")
	}
}

func TestNewKindsSchemaAndRemoval(t *testing.T) {
	want := map[string]Removal{"enabled": RemovalKeeps, "size": RemovalKeeps, "tags": RemovalSendsEmptyList, "owner": RemovalSendsNull}
	for i := range newKinds {
		a := &newKinds[i]
		if a.Removal() != want[a.Name()] {
			t.Errorf("%s: removal %v, want %v", a.Name(), a.Removal(), want[a.Name()])
		}
		s := a.kind.resourceAttribute(a)
		if s.IsComputed() != (a.Removal() == RemovalKeeps) || !s.IsOptional() {
			t.Errorf("%s: optional %v computed %v", a.Name(), s.IsOptional(), s.IsComputed())
		}
		if !strings.Contains(strings.ToLower(s.GetMarkdownDescription()), "removing it from the configuration") {
			t.Errorf("%s: the description does not say what removing it does: %s", a.Name(), s.GetMarkdownDescription())
		}
	}
	if _, ok := newKinds.Row("owner").kind.resourceAttribute(newKinds.Row("owner")).(schema.SingleNestedAttribute); !ok {
		t.Error("owner is not a nested object")
	}
}

// A table is checked when its type is registered: a row built by hand, or in a way its kind does
// not support, stops the provider at start-up with the row named, never mid-apply.
func TestTableCheck(t *testing.T) {
	for _, c := range []struct {
		name  string
		table Table
		want  string
	}{
		{"hand-built", Table{{}}, `row 0 ("") was not built by a constructor`},
		{"required flag", Table{Required(Bool("on", "on", "On.", fakeTask.GetEnabled))}, `row 0 ("on") is required`},
		{"computed number", Table{Computed(Int64("n", "n", "N.", fakeTask.GetSize))}, `row 0 ("n") is computed`},
		{"twice", Table{Bool("on", "on", "On.", fakeTask.GetEnabled), Bool("on", "on2", "On.", fakeTask.GetEnabled)}, `row 1 ("on") is a second row`},
		{"flag in an element", Table{Object("o", "o", "O.", fakeTask.GetOwner, Bool("on", "on", "On.", fakeTask.GetEnabled))}, `x.o: row 0 ("on") is in a complex value`},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				got, _ := recover().(string)
				if !strings.Contains(got, c.want) {
					t.Errorf("panic %q, want it to contain %q", got, c.want)
				}
			}()
			c.table.check("x")
		})
	}
	newKinds.check("fine")
	deviceTable.check("fine")
}
