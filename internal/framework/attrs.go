package framework

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoft/kiota-abstractions-go/serialization"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// Kind is what an attribute holds, which decides how it is planned, sent, read and compared.
type Kind int

const (
	// KindString is a nullable Edm.String: removing it sends null.
	KindString Kind = iota
	// KindDateTime is a non-nullable Edm.DateTimeOffset: unset is UnsetDateTime, shown as null.
	KindDateTime
	// KindEnum is a non-nullable enum: Optional+Computed, removing it keeps Graph's value.
	KindEnum
	// KindInt32 is a non-nullable Edm.Int32: Optional+Computed, removing it keeps Graph's value.
	KindInt32
	// KindObjects is a collection of a complex type: a list of objects, cleared with [].
	KindObjects
)

// Attr is one row of an entity's attribute table: the one place that says how a Graph property is
// a Terraform attribute. The schemas (resource, data sources, list resource), expand, flatten, the
// create-recovery match and the apply-time consistency checks all walk the table, so a property is
// added by adding one row.
type Attr struct {
	// Name is the Terraform attribute name, JSON the Graph property name.
	Name, JSON string
	// Doc is the base description, shared by every schema; the resource adds what removing it does.
	Doc  string
	Kind Kind
	// Required attributes must be configured (and are at least one character); Computed ones are
	// Graph's (id, createdDateTime) and never sent.
	Required, Computed bool
	// Enum lists the members of a KindEnum.
	Enum *Enum
	// Int32 validates a KindInt32.
	Int32 []validator.Int32
	// Elem is the table of a KindObjects element (KindString and KindDateTime rows).
	Elem []Attr
	// get reads the property from an SDK model (of the entity, or of an element): *string,
	// *time.Time, *int32, *string (an enum's member), or []any (the elements' models).
	get func(m any) any
}

// OptionalComputed reports whether Graph fills the attribute in when it is not configured: the
// non-nullable enums and numbers (graph-behaviour.md §2.5).
func (a *Attr) OptionalComputed() bool { return a.Kind == KindEnum || a.Kind == KindInt32 }

// String is a nullable string property read with get (a method expression of the SDK model type T).
func String[T any](name, json, doc string, get func(T) *string) Attr {
	return Attr{Name: name, JSON: json, Doc: doc, Kind: KindString, get: func(m any) any {
		if t, ok := m.(T); ok {
			return get(t)
		}
		return (*string)(nil)
	}}
}

// DateTime is a non-nullable date-time property.
func DateTime[T any](name, json, doc string, get func(T) *time.Time) Attr {
	return Attr{Name: name, JSON: json, Doc: doc, Kind: KindDateTime, get: func(m any) any {
		if t, ok := m.(T); ok {
			return get(t)
		}
		return (*time.Time)(nil)
	}}
}

// Int32 is a non-nullable Int32 property, with its validators.
func Int32[T any](name, json, doc string, get func(T) *int32, validators ...validator.Int32) Attr {
	return Attr{Name: name, JSON: json, Doc: doc, Kind: KindInt32, Int32: validators, get: func(m any) any {
		if t, ok := m.(T); ok {
			return get(t)
		}
		return (*int32)(nil)
	}}
}

// EnumOf is a non-nullable enum property; e lists its members, get reads the SDK's value.
func EnumOf[T any, E fmt.Stringer](name string, e *Enum, doc string, get func(T) *E) Attr {
	return Attr{Name: name, JSON: e.JSON, Doc: doc + ": " + e.Markdown() + ".", Kind: KindEnum, Enum: e, get: func(m any) any {
		if t, ok := m.(T); ok {
			if v := get(t); v != nil {
				s := (*v).String()
				return &s
			}
		}
		return (*string)(nil)
	}}
}

// Objects is a collection of a complex type, whose elements (SDK type E) are described by elem.
func Objects[T any, E any](name, json, doc string, get func(T) []E, elem ...Attr) Attr {
	return Attr{Name: name, JSON: json, Doc: doc, Kind: KindObjects, Elem: elem, get: func(m any) any {
		t, ok := m.(T)
		if !ok {
			return []any(nil)
		}
		var out []any
		for _, e := range get(t) {
			out = append(out, e)
		}
		return out
	}}
}

// Required marks a row as required.
func Required(a Attr) Attr { a.Required = true; return a }

// Computed marks a row as Graph's own.
func Computed(a Attr) Attr { a.Computed = true; return a }

// Type is the attribute's Terraform type.
func (a *Attr) Type() attr.Type {
	switch a.Kind {
	case KindDateTime:
		return timetypes.RFC3339Type{}
	case KindInt32:
		return types.Int32Type
	case KindObjects:
		return types.ListType{ElemType: a.ElemType()}
	}
	return types.StringType
}

// ElemType is a KindObjects element's object type.
func (a *Attr) ElemType() types.ObjectType {
	t := map[string]attr.Type{}
	for i := range a.Elem {
		t[a.Elem[i].Name] = a.Elem[i].Type()
	}
	return types.ObjectType{AttrTypes: t}
}

// null is the attribute's null value.
func (a *Attr) null() attr.Value {
	switch a.Kind {
	case KindDateTime:
		return timetypes.NewRFC3339Null()
	case KindInt32:
		return types.Int32Null()
	case KindObjects:
		return types.ListNull(a.ElemType())
	}
	return types.StringNull()
}

// Values are an entity's attribute values by Terraform name.
type Values map[string]attr.Value

// get returns v's value for a, or a's null when v has none (a data source's missing prior).
func (v Values) get(a *Attr) attr.Value {
	if x, ok := v[a.Name]; ok && x != nil {
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
		out[t[i].Name] = t[i].Type()
	}
	return out
}

// Object is v as an object of the table's attributes.
func (t Table) Object(v Values) (types.Object, diag.Diagnostics) {
	vals := map[string]attr.Value{}
	for i := range t {
		vals[t[i].Name] = v.get(&t[i])
	}
	return types.ObjectValue(t.AttrTypes(), vals)
}

// Expand builds the request body that moves Graph from prior to plan into body, which must be a
// freshly made SDK model of the entity's type (a GET result must never be sent back:
// graph-behaviour.md §10.5). With prior nil it is a create holding every configured value;
// otherwise a PATCH holding only what changed. A value removed from the configuration is cleared
// the way Graph allows (§2.5): null for a nullable string, the unset date-time for a date (which
// cannot be null), [] for a list; an Optional+Computed enum or number is not sent and keeps
// Graph's value. Values go out as their JSON through the model's additional data: the SDK's typed
// setters cannot send null without the backing store, and its time writer drops fractional
// seconds (§1, §3). changed is false when nothing in Graph needs to change.
func (t Table) Expand(ctx context.Context, body serialization.AdditionalDataHolder, plan Values, prior Values) (changed bool, diags diag.Diagnostics) {
	extra := body.GetAdditionalData()
	if extra == nil {
		extra = map[string]any{}
		body.SetAdditionalData(extra)
	}
	create := prior == nil
	for i := range t {
		a := &t[i]
		if a.Computed {
			continue
		}
		p, s := plan.get(a), prior.get(a)
		if p.IsUnknown() || !create && p.Equal(s) {
			continue
		}
		switch a.Kind {
		case KindString:
			ps, ss := p.(types.String), s.(types.String)
			switch {
			case ps.IsNull():
				if !create && !equivalentEmpty(ps, ss) {
					extra[a.JSON] = nil
					changed = true
				}
			case !create && equivalentEmpty(ps, ss):
			default:
				extra[a.JSON] = ps.ValueString()
				changed = true
			}
		case KindDateTime:
			pd, sd := p.(timetypes.RFC3339), s.(timetypes.RFC3339)
			switch {
			case pd.IsNull():
				if !create {
					extra[a.JSON] = UnsetDateTime
					changed = true
				}
			case !create && InstantEqual(pd.ValueString(), sd.ValueString()):
			default:
				// The configured text: validated RFC 3339 with at most 7 fractional digits.
				extra[a.JSON] = pd.ValueString()
				changed = true
			}
		case KindEnum:
			if !p.IsNull() {
				extra[a.JSON] = p.(types.String).ValueString()
				changed = true
			}
		case KindInt32:
			if !p.IsNull() {
				extra[a.JSON] = p.(types.Int32).ValueInt32()
				changed = true
			}
		case KindObjects:
			pl, d := elements(ctx, p)
			diags.Append(d...)
			sl, d := elements(ctx, s)
			diags.Append(d...)
			if create && len(pl) > 0 || !create && !a.elementsEqual(pl, sl) {
				// An empty (non-nil) slice is sent as [], which is how a removed list is cleared.
				out := make([]map[string]any, 0, len(pl))
				for _, e := range pl {
					out = append(out, a.expandElement(e))
				}
				extra[a.JSON] = out
				changed = true
			}
		}
	}
	return changed, diags
}

// expandElement is one complex value's JSON: its set properties (an unset date is left out, and
// Graph holds its unset value for it).
func (a *Attr) expandElement(e map[string]attr.Value) map[string]any {
	out := map[string]any{}
	for i := range a.Elem {
		ea := &a.Elem[i]
		v, ok := e[ea.Name]
		if !ok || v.IsNull() || v.IsUnknown() {
			continue
		}
		switch x := v.(type) {
		case types.String:
			out[ea.JSON] = x.ValueString()
		case timetypes.RFC3339:
			out[ea.JSON] = x.ValueString()
		}
	}
	return out
}

func elements(_ context.Context, v attr.Value) ([]map[string]attr.Value, diag.Diagnostics) {
	l, ok := v.(types.List)
	if !ok || l.IsNull() || l.IsUnknown() {
		return nil, nil
	}
	var diags diag.Diagnostics
	out := make([]map[string]attr.Value, 0, len(l.Elements()))
	for _, e := range l.Elements() {
		o, ok := e.(types.Object)
		if !ok {
			diags.AddError("Unexpected list element", fmt.Sprintf("%T is not an object", e))
			continue
		}
		out = append(out, o.Attributes())
	}
	return out, diags
}

// elementsEqual compares two lists of complex values: strings as text ("" and null the same),
// date-times as instants.
func (a *Attr) elementsEqual(x, y []map[string]attr.Value) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		for j := range a.Elem {
			ea := &a.Elem[j]
			if !sameValue(ea, x[i][ea.Name], y[i][ea.Name]) {
				return false
			}
		}
	}
	return true
}

// sameValue reports whether two values of a mean the same thing in Graph.
func sameValue(a *Attr, x, y attr.Value) bool {
	if x == nil {
		x = a.null()
	}
	if y == nil {
		y = a.null()
	}
	switch a.Kind {
	case KindString:
		return x.(types.String).ValueString() == y.(types.String).ValueString()
	case KindDateTime:
		xd, yd := x.(timetypes.RFC3339), y.(timetypes.RFC3339)
		return xd.IsNull() == yd.IsNull() && (xd.IsNull() || InstantEqual(xd.ValueString(), yd.ValueString()))
	}
	return x.Equal(y)
}

// equivalentEmpty treats null and "" as the same text: Graph may store either for "nothing".
func equivalentEmpty(a, b types.String) bool {
	return a.ValueString() == "" && b.ValueString() == "" && !a.IsUnknown() && !b.IsUnknown()
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
		out[a.Name] = a.flatten(item, item.Model, prior.get(a), &diags)
	}
	return out, diags
}

func (a *Attr) flatten(item *graph.Item, m any, prior attr.Value, diags *diag.Diagnostics) attr.Value {
	v := a.get(m)
	switch a.Kind {
	case KindString:
		return flattenString(v.(*string), prior.(types.String))
	case KindDateTime:
		return flattenDateTime(a.JSON, v.(*time.Time), prior.(timetypes.RFC3339), diags)
	case KindInt32:
		return types.Int32PointerValue(v.(*int32))
	case KindEnum:
		return a.flattenEnum(item, v.(*string), prior.(types.String), diags)
	case KindObjects:
		return a.flattenObjects(item, v.([]any), prior.(types.List), diags)
	}
	return a.null()
}

func (a *Attr) flattenObjects(item *graph.Item, elems []any, prior types.List, diags *diag.Diagnostics) attr.Value {
	et := a.ElemType()
	var priorElems []attr.Value
	if !prior.IsNull() && !prior.IsUnknown() {
		priorElems = prior.Elements()
	}
	vals := make([]attr.Value, 0, len(elems))
	for _, e := range elems {
		if e == nil {
			continue
		}
		var pe map[string]attr.Value
		if n := len(vals); n < len(priorElems) {
			if o, ok := priorElems[n].(types.Object); ok {
				pe = o.Attributes()
			}
		}
		ev := map[string]attr.Value{}
		for i := range a.Elem {
			ea := &a.Elem[i]
			p := pe[ea.Name]
			if p == nil || p.IsUnknown() {
				p = ea.null()
			}
			ev[ea.Name] = ea.flatten(item, e, p, diags)
		}
		o, d := types.ObjectValue(et.AttrTypes, ev)
		diags.Append(d...)
		vals = append(vals, o)
	}
	switch {
	case len(vals) > 0:
		l, d := types.ListValue(et, vals)
		diags.Append(d...)
		return l
	case !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) == 0:
		// The configuration says [] explicitly: keep it, Graph's [] is the same thing.
		return prior
	}
	return types.ListNull(et)
}

// flattenString keeps prior's "" or null when Graph answers the other one.
func flattenString(v *string, prior types.String) types.String {
	if (v == nil || *v == "") && !prior.IsUnknown() && !prior.IsNull() && prior.ValueString() == "" {
		return prior
	}
	if v != nil && *v == "" && prior.IsNull() {
		return prior
	}
	return types.StringPointerValue(v)
}

// flattenEnum writes the enum's text. A value the SDK could not map (newer than the SDK,
// graph-behaviour.md §4) is kept as Graph sent it, with a warning, instead of becoming null and a
// bogus difference.
func (a *Attr) flattenEnum(item *graph.Item, v *string, prior types.String, diags *diag.Diagnostics) types.String {
	if v != nil {
		return types.StringValue(*v)
	}
	if raw, ok := item.Unparsed[a.JSON]; ok {
		diags.AddWarning("Graph returned an unknown "+a.JSON+" value",
			fmt.Sprintf("Task %s has %s %q, which is not one of %s. The provider keeps the value as Graph sent it; "+
				"configuring %s replaces it. A newer provider version may know this value.",
				item.ID, a.JSON, raw, strings.Join(a.Enum.Values, ", "), a.JSON))
		return types.StringValue(raw)
	}
	if prior.IsUnknown() {
		return types.StringNull()
	}
	return prior
}

// WithoutUnknownMembers is v with null for every enum whose member in item the SDK does not know
// (kept as Graph sent it, with a warning, by Flatten). A list resource's result is what
// `terraform query -generate-config-out` writes as configuration, and the enum's validator would
// refuse that member; left out, the attribute (Optional+Computed) imports Graph's value unchanged.
func (t Table) WithoutUnknownMembers(v Values, item *graph.Item) Values {
	out := maps.Clone(v)
	for i := range t {
		if a := &t[i]; a.Kind == KindEnum {
			if _, ok := item.Unparsed[a.JSON]; ok {
				out[a.Name] = a.null()
			}
		}
	}
	return out
}

// Matches reports whether got (an entity flattened with no prior) is what a create of plan would
// have made: every attribute plan configures holds that value in Graph, and every attribute plan
// leaves unset holds Graph's unset value (graph-behaviour.md §2.2), with the usual rules: null and
// "" are the same text, date-times compare as instants, an empty list is no list.
func (t Table) Matches(plan, got Values) bool {
	for i := range t {
		a := &t[i]
		if a.Computed {
			continue
		}
		p, g := plan.get(a), got.get(a)
		switch a.Kind {
		case KindEnum:
			want := a.Enum.Unset()
			if !p.IsUnknown() && !p.IsNull() {
				want = p.(types.String).ValueString()
			}
			if g.(types.String).ValueString() != want {
				return false
			}
		case KindInt32:
			var want int32
			if !p.IsUnknown() && !p.IsNull() {
				want = p.(types.Int32).ValueInt32()
			}
			if g.(types.Int32).ValueInt32() != want {
				return false
			}
		case KindObjects:
			pl, d1 := elements(context.Background(), p)
			gl, d2 := elements(context.Background(), g)
			if d1.HasError() || d2.HasError() || !a.elementsEqual(pl, gl) {
				return false
			}
		default:
			if !sameValue(a, p, g) {
				return false
			}
		}
	}
	return true
}

// KeepPlanned sets the planned value into out, after an apply, for every Optional+Computed
// attribute the configuration leaves out, and with all for every configured attribute too.
func (t Table) KeepPlanned(out, plan, config Values, all bool) {
	for i := range t {
		a := &t[i]
		if a.Computed {
			continue
		}
		pv, cv := plan.get(a), config.get(a)
		if pv.IsUnknown() {
			continue
		}
		if cv.IsNull() && a.OptionalComputed() || !cv.IsNull() && all {
			out[a.Name] = pv
		}
	}
}

// Written is config without the attributes an update leaves as they were (planned as in prior,
// the state before it): the configured values the update writes, which Graph must show after it.
func (t Table) Written(config, plan, prior Values) Values {
	out := maps.Clone(config)
	for i := range t {
		a := &t[i]
		if pv := plan.get(a); !a.Computed && !pv.IsUnknown() && pv.Equal(prior.get(a)) {
			delete(out, a.Name)
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
		if a.Computed || config.get(a).IsNull() || !written.get(a).IsNull() {
			continue
		}
		if pv := plan.get(a); !out.get(a).Equal(pv) {
			out[a.Name] = pv
			kept = append(kept, a.Name)
		}
	}
	return kept
}

// ShowsConfigured reports whether got (flattened onto plan) holds every value the configuration
// sets, as planned.
func (t Table) ShowsConfigured(got, plan, config Values) bool {
	for i := range t {
		a := &t[i]
		if a.Computed || config.get(a).IsNull() {
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
		switch t[i].Kind {
		case KindDateTime:
			out = append(out, t[i].JSON)
		case KindObjects:
			out = append(out, Table(t[i].Elem).DateTimes()...)
		}
	}
	return out
}

// Enums maps the JSON name of each of the table's enum properties to the SDK's parser.
func (t Table) Enums() map[string]func(string) (any, error) {
	out := map[string]func(string) (any, error){}
	for i := range t {
		if t[i].Kind == KindEnum {
			out[t[i].JSON] = t[i].Enum.Parse
		}
	}
	return out
}
