package framework

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoft/kiota-abstractions-go/serialization"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// Attr is one row of an entity's attribute table: the one place that says how a Graph property is
// a Terraform attribute. The schemas (resource, data sources, list resource), expand, flatten, the
// create-recovery match and the apply-time consistency checks all walk the table, so a property is
// added by adding one row. Rows are built only by the constructors below (String, DateTime, EnumOf,
// Int32, Int64, Bool, Strings, Objects, Object), which Register checks.
type Attr struct {
	// name is the Terraform attribute name, json the Graph property name, doc the base
	// description shared by every schema (the resource adds what removing it does).
	name, json, doc string
	kind            kind
	// required attributes must be configured (and are at least one character); computed ones are
	// Graph's (id, createdDateTime) and never sent.
	required, computed bool
	// element marks a row of a complex value's table.
	element bool
	enum    *Enum
	int32s  []validator.Int32
	int64s  []validator.Int64
	// elem is the table of a complex value's rows (KindObjects, KindObject).
	elem Table
	// get reads the property from an SDK model (of the entity, or of an element): *string,
	// *time.Time, *int32, *int64, *bool, *string (an enum's member), []string, []any (the
	// elements' models) or any (one complex value's model, nil when unset).
	get func(m any) any
}

// Name is the Terraform attribute name.
func (a *Attr) Name() string { return a.name }

// JSON is the Graph property name.
func (a *Attr) JSON() string { return a.json }

// Doc is the base description.
func (a *Attr) Doc() string { return a.doc }

// Kind is what the attribute holds.
func (a *Attr) Kind() Kind { return a.kind.id() }

// Enum lists a KindEnum's members (nil for other kinds).
func (a *Attr) Enum() *Enum { return a.enum }

// Elem is the table of a complex value's rows (nil for other kinds).
func (a *Attr) Elem() Table { return a.elem }

// IsRequired reports whether the attribute must be configured.
func (a *Attr) IsRequired() bool { return a.required }

// IsComputed reports whether the attribute is Graph's own, never sent.
func (a *Attr) IsComputed() bool { return a.computed }

// Removal is what removing the attribute from the configuration does in Graph.
func (a *Attr) Removal() Removal { return a.kind.removal() }

// OptionalComputed reports whether Graph fills the attribute in when it is not configured: the
// non-nullable enums, numbers and booleans (graph-behaviour.md §2.5).
func (a *Attr) OptionalComputed() bool { return !a.computed && a.kind.removal() == RemovalKeeps }

// getter adapts a typed getter of the SDK model type T; a model of another type reads as zero.
func getter[T, V any](get func(T) V) func(any) any {
	return func(m any) any {
		if t, ok := m.(T); ok {
			return get(t)
		}
		var zero V
		return zero
	}
}

func row(name, json, doc string, k kind, get func(any) any) Attr {
	return Attr{name: name, json: json, doc: doc, kind: k, get: get}
}

// String is a nullable string property read with get (a method expression of the SDK model type T).
func String[T any](name, json, doc string, get func(T) *string) Attr {
	return row(name, json, doc, stringKind{}, getter(get))
}

// DateTime is a non-nullable date-time property.
func DateTime[T any](name, json, doc string, get func(T) *time.Time) Attr {
	return row(name, json, doc, dateTimeKind{}, getter(get))
}

// Int32 is a non-nullable Int32 property, with its validators.
func Int32[T any](name, json, doc string, get func(T) *int32, validators ...validator.Int32) Attr {
	a := row(name, json, doc, int32Kind{}, getter(get))
	a.int32s = validators
	return a
}

// Int64 is a non-nullable Int64 property, with its validators.
func Int64[T any](name, json, doc string, get func(T) *int64, validators ...validator.Int64) Attr {
	a := row(name, json, doc, int64Kind{}, getter(get))
	a.int64s = validators
	return a
}

// Bool is a non-nullable Boolean property.
func Bool[T any](name, json, doc string, get func(T) *bool) Attr {
	return row(name, json, doc, boolKind{}, getter(get))
}

// Strings is a collection of strings.
func Strings[T any](name, json, doc string, get func(T) []string) Attr {
	return row(name, json, doc, stringsKind{}, getter(get))
}

// EnumOf is a non-nullable enum property; e lists its members, get reads the SDK's value.
func EnumOf[T any, E fmt.Stringer](name string, e *Enum, doc string, get func(T) *E) Attr {
	a := row(name, e.JSON, doc+": "+e.Markdown()+".", enumKind{}, getter(func(t T) *string {
		if v := get(t); v != nil {
			s := (*v).String()
			return &s
		}
		return nil
	}))
	a.enum = e
	return a
}

// Objects is a collection of a complex type, whose elements (SDK type E) are described by elem.
func Objects[T any, E any](name, json, doc string, get func(T) []E, elem ...Attr) Attr {
	a := row(name, json, doc, objectsKind{}, getter(func(t T) []any {
		var out []any
		for _, e := range get(t) {
			out = append(out, e)
		}
		return out
	}))
	a.elem = elementRows(elem)
	return a
}

// Object is one nullable complex value (SDK type E, nil when unset), described by elem.
func Object[T any, E comparable](name, json, doc string, get func(T) E, elem ...Attr) Attr {
	a := row(name, json, doc, objectKind{}, getter(func(t T) any {
		var zero E
		if v := get(t); v != zero {
			return v
		}
		return nil
	}))
	a.elem = elementRows(elem)
	return a
}

func elementRows(rows []Attr) Table {
	out := make(Table, len(rows))
	for i, r := range rows {
		r.element = true
		out[i] = r
	}
	return out
}

// Required marks a row as required.
func Required(a Attr) Attr { a.required = true; return a }

// Computed marks a row as Graph's own.
func Computed(a Attr) Attr { a.computed = true; return a }

// check panics unless every row was built by a constructor, in a way its kind supports: a table is
// a program's constant, so a wrong one is the programmer's mistake, found when the provider starts.
func (t Table) check(where string) {
	seen := map[string]bool{}
	for i := range t {
		a := &t[i]
		problem := ""
		switch k := a.Kind; {
		case a.kind == nil || a.get == nil:
			problem = "was not built by a constructor (String, DateTime, EnumOf, ...)"
		case seen[a.name]:
			problem = "is a second row of that name"
		case a.required && k() != KindString:
			problem = "is required, which only a string row can be"
		case a.computed && k() != KindString && k() != KindDateTime:
			problem = "is computed, which only a string or date-time row can be"
		case a.element && k() != KindString && k() != KindDateTime:
			problem = "is in a complex value, where only string and date-time rows are supported"
		case k() == KindEnum && (a.enum == nil || len(a.enum.Values) == 0):
			problem = "is an enum without members"
		case (k() == KindObjects || k() == KindObject) && len(a.elem) == 0:
			problem = "is a complex value without rows"
		}
		if problem != "" {
			panic(fmt.Sprintf("%s: row %d (%q) %s", where, i, a.name, problem))
		}
		seen[a.name] = true
		a.elem.check(where + "." + a.name)
	}
}

// Type is the attribute's Terraform type.
func (a *Attr) Type() attr.Type { return a.kind.tfType(a) }

// ElemType is a complex value's object type.
func (a *Attr) ElemType() types.ObjectType { return types.ObjectType{AttrTypes: a.elem.AttrTypes()} }

// null is the attribute's null value.
func (a *Attr) null() attr.Value { return a.kind.null(a) }

// same reports whether two values of a mean the same thing in Graph (nil is null).
func (a *Attr) same(x, y attr.Value) bool {
	if x == nil {
		x = a.null()
	}
	if y == nil {
		y = a.null()
	}
	return a.kind.same(a, x, y)
}

// Values are an entity's attribute values by Terraform name.
type Values map[string]attr.Value

// get returns v's value for a, or a's null when v has none (a data source's missing prior).
func (v Values) get(a *Attr) attr.Value {
	if x, ok := v[a.name]; ok && x != nil {
		return x
	}
	return a.null()
}

// Str returns a string attribute's text ("" when null or unknown).
func (v Values) Str(name string) string {
	if s, ok := v[name].(types.String); ok {
		return s.ValueString()
	}
	return ""
}

// Table is an entity's attribute table, in a fixed order.
type Table []Attr

// AttrTypes are the table's attribute types, for an object holding one entity.
func (t Table) AttrTypes() map[string]attr.Type {
	out := map[string]attr.Type{}
	for i := range t {
		out[t[i].name] = t[i].Type()
	}
	return out
}

// Object is v as an object of the table's attributes.
func (t Table) Object(v Values) (types.Object, diag.Diagnostics) {
	vals := map[string]attr.Value{}
	for i := range t {
		vals[t[i].name] = v.get(&t[i])
	}
	return types.ObjectValue(t.AttrTypes(), vals)
}

// Expand builds the request body that moves Graph from prior to plan into body, which must be a
// freshly made SDK model of the entity's type (a GET result must never be sent back:
// graph-behaviour.md §10.5). With prior nil it is a create holding every configured value;
// otherwise a PATCH holding only what changed. A value removed from the configuration is cleared
// the way its kind allows (Removal, §2.5). Values go out as their JSON through the model's
// additional data: the SDK's typed setters cannot send null without the backing store, and its
// time writer drops fractional seconds (§1, §3). changed is false when nothing in Graph needs to
// change.
func (t Table) Expand(ctx context.Context, body serialization.AdditionalDataHolder, plan Values, prior Values) (changed bool, diags diag.Diagnostics) {
	extra := body.GetAdditionalData()
	if extra == nil {
		extra = map[string]any{}
		body.SetAdditionalData(extra)
	}
	create := prior == nil
	for i := range t {
		a := &t[i]
		if a.computed {
			continue
		}
		p, s := plan.get(a), prior.get(a)
		if p.IsUnknown() || !create && p.Equal(s) {
			continue
		}
		j, send, d := a.kind.expand(ctx, a, p, s, create)
		diags.Append(d...)
		if send {
			extra[a.json] = j
			changed = true
		}
	}
	return changed, diags
}

// Flatten maps an entity Graph returned (its SDK model m, and the enum values the SDK could not
// map) onto state. prior is the plan (after create or update) or the state (on refresh), used so
// that a value Graph merely spells differently is not a change: a date-time in UTC for the same
// instant, an empty list for an omitted one, "" for null.
func (t Table) Flatten(item *graph.Item, prior Values) (Values, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := Values{}
	for i := range t {
		a := &t[i]
		out[a.name] = a.kind.flatten(a, item, a.get(item.Model), prior.get(a), &diags)
	}
	return out, diags
}

// WithoutUnknownMembers is v with null for every enum whose member in item the SDK does not know
// (kept as Graph sent it, with a warning, by Flatten). A list resource's result is what
// `terraform query -generate-config-out` writes as configuration, and the enum's validator would
// refuse that member; left out, the attribute (Optional+Computed) imports Graph's value unchanged.
func (t Table) WithoutUnknownMembers(v Values, item *graph.Item) Values {
	out := maps.Clone(v)
	for i := range t {
		if a := &t[i]; a.enum != nil {
			if _, ok := item.Unparsed[a.json]; ok {
				out[a.name] = a.null()
			}
		}
	}
	return out
}

// Matches reports whether got (an entity flattened with no prior) is what a create of plan would
// have made: every attribute plan configures holds that value in Graph, and every attribute plan
// leaves unset holds Graph's unset value (graph-behaviour.md §2.2), with each kind's sameness:
// null and "" are the same text, date-times compare as instants, an empty list is no list.
func (t Table) Matches(plan, got Values) bool {
	for i := range t {
		a := &t[i]
		if a.computed {
			continue
		}
		want := plan.get(a)
		if want.IsUnknown() || want.IsNull() {
			want = a.kind.unset(a)
		}
		if !a.same(want, got.get(a)) {
			return false
		}
	}
	return true
}

// KeepPlannedComputed sets the planned value into out, after an apply, for every Optional+Computed
// attribute the configuration leaves out: Graph's value, which the plan already showed.
func (t Table) KeepPlannedComputed(out, plan, config Values) {
	t.keepPlanned(out, plan, func(a *Attr) bool { return config.get(a).IsNull() && a.OptionalComputed() })
}

// KeepPlannedConfigured sets the planned value into out for every configured attribute: after an
// update that saw the task change under it, state shows what the configuration asked for, so the
// next plan corrects what someone else changed.
func (t Table) KeepPlannedConfigured(out, plan, config Values) {
	t.keepPlanned(out, plan, func(a *Attr) bool { return !config.get(a).IsNull() })
}

func (t Table) keepPlanned(out, plan Values, keep func(*Attr) bool) {
	for i := range t {
		a := &t[i]
		if pv := plan.get(a); !a.computed && !pv.IsUnknown() && keep(a) {
			out[a.name] = pv
		}
	}
}

// Written is config without the attributes an update leaves as they were (planned as in prior,
// the state before it): the configured values the update writes, which Graph must show after it.
func (t Table) Written(config, plan, prior Values) Values {
	out := maps.Clone(config)
	for i := range t {
		a := &t[i]
		if pv := plan.get(a); !a.computed && !pv.IsUnknown() && pv.Equal(prior.get(a)) {
			delete(out, a.name)
		}
	}
	return out
}

// KeepUnwritten sets the planned value into out, after an update, for every configured attribute
// the update did not write (in config but not in written) that Graph now holds otherwise: someone
// changed it after the plan was made. It returns their names.
func (t Table) KeepUnwritten(out, plan, config, written Values) []string {
	var kept []string
	for i := range t {
		a := &t[i]
		if a.computed || config.get(a).IsNull() || !written.get(a).IsNull() {
			continue
		}
		if pv := plan.get(a); !out.get(a).Equal(pv) {
			out[a.name] = pv
			kept = append(kept, a.name)
		}
	}
	return kept
}

// ShowsConfigured reports whether got (flattened onto plan) holds every value the configuration
// sets, as planned.
func (t Table) ShowsConfigured(got, plan, config Values) bool {
	for i := range t {
		a := &t[i]
		if a.computed || config.get(a).IsNull() {
			continue
		}
		if pv := plan.get(a); !pv.IsUnknown() && !got.get(a).Equal(pv) {
			return false
		}
	}
	return true
}

// DateTimes are the JSON names of the table's date-time properties, at any depth.
func (t Table) DateTimes() []string {
	var out []string
	for i := range t {
		if t[i].Kind() == KindDateTime {
			out = append(out, t[i].json)
		}
		out = append(out, t[i].elem.DateTimes()...)
	}
	return out
}

// Enums maps the JSON name of each of the table's enum properties to the SDK's parser.
func (t Table) Enums() map[string]func(string) (any, error) {
	out := map[string]func(string) (any, error){}
	for i := range t {
		if t[i].enum != nil {
			out[t[i].json] = t[i].enum.Parse
		}
	}
	return out
}
