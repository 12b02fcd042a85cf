package framework

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int32planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// Kind names what an attribute holds. Each kind is one implementation of kind (below): its
// Terraform type and null, how a planned value is sent and Graph's value read back, when two
// values mean the same thing in Graph, its schemas, and what removing it from the configuration
// does. Adding a kind is adding one implementation and its constructor.
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
	// KindInt64 is a non-nullable Edm.Int64, like KindInt32.
	KindInt64
	// KindBool is a non-nullable Edm.Boolean: Optional+Computed, removing it keeps Graph's value.
	KindBool
	// KindStrings is a Collection(Edm.String): a list of strings, cleared with [].
	KindStrings
	// KindObjects is a collection of a complex type: a list of objects, cleared with [].
	KindObjects
	// KindObject is one nullable complex value: a nested object, cleared with null.
	KindObject
)

// Removal is what removing an attribute from the configuration does in Graph, which follows from
// its kind and Graph's metadata (graph-behaviour.md §2.5).
type Removal int

const (
	// RemovalSendsNull clears a nullable property: the provider sends null.
	RemovalSendsNull Removal = iota
	// RemovalWritesUnset clears a non-nullable date-time: the provider writes UnsetDateTime.
	RemovalWritesUnset
	// RemovalSendsEmptyList clears a collection: the provider sends [].
	RemovalSendsEmptyList
	// RemovalKeeps sends nothing: a non-nullable property keeps Graph's value, shown in state.
	RemovalKeeps
)

// Markdown is what the removal does, for the docs' removal table.
func (r Removal) Markdown() string {
	switch r {
	case RemovalWritesUnset:
		return "**cleared**: the provider writes `" + UnsetDateTime + "`, Graph's value for \"not set\""
	case RemovalSendsEmptyList:
		return "**cleared**: the provider sends an empty list"
	case RemovalKeeps:
		return "**kept**: nothing is sent; Graph keeps its value, and state shows it"
	}
	return "**cleared**: the provider sends `null`"
}

// kind is one kind's implementation. a is the row (its names, docs, validators and elements).
type kind interface {
	id() Kind
	removal() Removal
	tfType(a *Attr) attr.Type
	null(a *Attr) attr.Value
	// expand is the JSON that moves Graph from s (null on a create) to p, which is known and differs
	// from s; send is false when Graph needs nothing (a removal that keeps Graph's value).
	expand(ctx context.Context, a *Attr, p, s attr.Value, create bool) (json any, send bool, diags diag.Diagnostics)
	// flatten is Graph's value v (what the row's getter returned) as state, given prior.
	flatten(a *Attr, item *graph.Item, v any, prior attr.Value, diags *diag.Diagnostics) attr.Value
	// same reports whether x and y (neither nil) mean the same thing in Graph.
	same(a *Attr, x, y attr.Value) bool
	// unset is the value Graph holds when a create did not set the property, as flatten shows it.
	unset(a *Attr) attr.Value
	resourceAttribute(a *Attr) schema.Attribute
	dataSourceAttribute(a *Attr) dsschema.Attribute
}

// keepsGraphValue is the description of an Optional+Computed attribute's removal.
func keepsGraphValue(a *Attr, unset string) string {
	return fmt.Sprintf(" Graph's `%s` cannot be null. When omitted, Graph's value (%s for a new task) is shown in state and not "+
		"managed: **removing it from the configuration keeps the value Graph holds**, it does not reset it.", a.json, unset)
}

// keepsGraphsValue is what the non-nullable kinds that are Optional+Computed share: removing one
// sends nothing, and two values are the same only when equal.
type keepsGraphsValue struct{}

func (keepsGraphsValue) removal() Removal                   { return RemovalKeeps }
func (keepsGraphsValue) same(_ *Attr, x, y attr.Value) bool { return x.Equal(y) }

// ---- string ----------------------------------------------------------------------------------

type stringKind struct{}

func (stringKind) id() Kind               { return KindString }
func (stringKind) removal() Removal       { return RemovalSendsNull }
func (stringKind) tfType(*Attr) attr.Type { return types.StringType }
func (stringKind) null(*Attr) attr.Value  { return types.StringNull() }
func (stringKind) unset(*Attr) attr.Value { return types.StringNull() }
func (stringKind) same(_ *Attr, x, y attr.Value) bool {
	return x.(types.String).ValueString() == y.(types.String).ValueString()
}

func (k stringKind) expand(_ context.Context, a *Attr, p, s attr.Value, create bool) (any, bool, diag.Diagnostics) {
	ps := p.(types.String)
	switch {
	case ps.IsNull():
		// null and "" are the same text: Graph may store either for "nothing".
		return nil, !create && s.(types.String).ValueString() != "", nil
	case !create && k.same(a, p, s):
		return nil, false, nil
	}
	return ps.ValueString(), true, nil
}

// flatten keeps prior's "" or null when Graph answers the other one.
func (stringKind) flatten(_ *Attr, _ *graph.Item, v any, prior attr.Value, _ *diag.Diagnostics) attr.Value {
	s, p := v.(*string), prior.(types.String)
	if (s == nil || *s == "") && !p.IsUnknown() && !p.IsNull() && p.ValueString() == "" {
		return p
	}
	if s != nil && *s == "" && p.IsNull() {
		return p
	}
	return types.StringPointerValue(s)
}

func (stringKind) resourceAttribute(a *Attr) schema.Attribute {
	switch {
	case a.computed:
		return schema.StringAttribute{MarkdownDescription: a.doc + " Assigned by Graph on creation.", Computed: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	case a.required && a.element:
		return schema.StringAttribute{MarkdownDescription: a.doc, Required: true}
	case a.required:
		return schema.StringAttribute{MarkdownDescription: a.doc + " Must not be empty.", Required: true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)}}
	case a.element:
		return schema.StringAttribute{MarkdownDescription: a.doc, Optional: true}
	}
	return schema.StringAttribute{MarkdownDescription: a.doc + " **Removing it from the configuration clears it in Graph** " +
		"(the provider sends `null`).", Optional: true}
}

func (stringKind) dataSourceAttribute(a *Attr) dsschema.Attribute {
	return dsschema.StringAttribute{MarkdownDescription: a.doc, Computed: true}
}

// ---- date-time -------------------------------------------------------------------------------

type dateTimeKind struct{}

func (dateTimeKind) id() Kind               { return KindDateTime }
func (dateTimeKind) removal() Removal       { return RemovalWritesUnset }
func (dateTimeKind) tfType(*Attr) attr.Type { return timetypes.RFC3339Type{} }
func (dateTimeKind) null(*Attr) attr.Value  { return timetypes.NewRFC3339Null() }
func (dateTimeKind) unset(*Attr) attr.Value { return timetypes.NewRFC3339Null() }
func (dateTimeKind) same(_ *Attr, x, y attr.Value) bool {
	xd, yd := x.(timetypes.RFC3339), y.(timetypes.RFC3339)
	return xd.IsNull() == yd.IsNull() && (xd.IsNull() || InstantEqual(xd.ValueString(), yd.ValueString()))
}

func (k dateTimeKind) expand(_ context.Context, a *Attr, p, s attr.Value, create bool) (any, bool, diag.Diagnostics) {
	pd := p.(timetypes.RFC3339)
	switch {
	case pd.IsNull():
		// Graph's date-times cannot be null: the unset value clears one.
		return UnsetDateTime, !create, nil
	case !create && k.same(a, p, s):
		return nil, false, nil
	}
	// The configured text: validated RFC 3339 with at most 7 fractional digits.
	return pd.ValueString(), true, nil
}

func (dateTimeKind) flatten(a *Attr, _ *graph.Item, v any, prior attr.Value, diags *diag.Diagnostics) attr.Value {
	return flattenDateTime(a.json, v.(*time.Time), prior.(timetypes.RFC3339), diags)
}

func (dateTimeKind) resourceAttribute(a *Attr) schema.Attribute {
	if a.computed {
		return schema.StringAttribute{MarkdownDescription: a.doc, Computed: true, CustomType: timetypes.RFC3339Type{},
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	}
	notNull := fmt.Sprintf(" Graph's `%s` cannot be null: when it is not set Graph holds `%s`, which the provider shows as no "+
		"value (null), and that instant cannot be configured.", a.json, UnsetDateTime)
	s := schema.StringAttribute{
		CustomType:          timetypes.RFC3339Type{},
		MarkdownDescription: a.doc + " For example `2026-12-31T17:00:00-08:00`. " + dateTimeRules + notNull,
		Optional:            true,
		Validators:          []validator.String{graphDateTime{}, graphPrecision{}, notUnsetDateTime{}},
		PlanModifiers:       []planmodifier.String{sameInstant{}},
	}
	if a.element {
		s.MarkdownDescription = a.doc + " " + dateTimeRules + notNull
		s.Validators[2] = notUnsetDateTime{Meaning: "an unset " + a.json}
		return s
	}
	s.MarkdownDescription += fmt.Sprintf(" **Removing it clears it in Graph** (the provider writes `%s` back).", UnsetDateTime)
	return s
}

func (dateTimeKind) dataSourceAttribute(a *Attr) dsschema.Attribute {
	return dsschema.StringAttribute{MarkdownDescription: a.doc, Computed: true, CustomType: timetypes.RFC3339Type{}}
}

// ---- enum ------------------------------------------------------------------------------------

type enumKind struct{ keepsGraphsValue }

func (enumKind) id() Kind                 { return KindEnum }
func (enumKind) tfType(*Attr) attr.Type   { return types.StringType }
func (enumKind) null(*Attr) attr.Value    { return types.StringNull() }
func (enumKind) unset(a *Attr) attr.Value { return types.StringValue(a.enum.Unset()) }

func (enumKind) expand(_ context.Context, _ *Attr, p, _ attr.Value, _ bool) (any, bool, diag.Diagnostics) {
	return p.(types.String).ValueString(), !p.IsNull(), nil
}

// flatten writes the enum's text. A value the SDK could not map (newer than the SDK,
// graph-behaviour.md §4) is kept as Graph sent it, with a warning, instead of becoming null and a
// bogus difference.
func (enumKind) flatten(a *Attr, item *graph.Item, v any, prior attr.Value, diags *diag.Diagnostics) attr.Value {
	if s := v.(*string); s != nil {
		return types.StringValue(*s)
	}
	if raw, ok := item.Unparsed[a.json]; ok {
		diags.AddWarning("Graph returned an unknown "+a.json+" value",
			fmt.Sprintf("Task %s has %s %q, which is not one of %s. The provider keeps the value as Graph sent it; "+
				"configuring %s replaces it. A newer provider version may know this value.",
				item.ID, a.json, raw, strings.Join(a.enum.Values, ", "), a.json))
		return types.StringValue(raw)
	}
	if prior.IsUnknown() {
		return types.StringNull()
	}
	return prior
}

func (enumKind) resourceAttribute(a *Attr) schema.Attribute {
	return schema.StringAttribute{
		MarkdownDescription: a.doc + " Case-sensitive." + keepsGraphValue(a, "`"+a.enum.Unset()+"`"),
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.OneOf(a.enum.Values...)},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

func (enumKind) dataSourceAttribute(a *Attr) dsschema.Attribute {
	return dsschema.StringAttribute{MarkdownDescription: a.doc, Computed: true}
}

// ---- numbers and booleans --------------------------------------------------------------------

type int32Kind struct{ keepsGraphsValue }

func (int32Kind) id() Kind               { return KindInt32 }
func (int32Kind) tfType(*Attr) attr.Type { return types.Int32Type }
func (int32Kind) null(*Attr) attr.Value  { return types.Int32Null() }
func (int32Kind) unset(*Attr) attr.Value { return types.Int32Value(0) }
func (int32Kind) expand(_ context.Context, _ *Attr, p, _ attr.Value, _ bool) (any, bool, diag.Diagnostics) {
	return p.(types.Int32).ValueInt32(), !p.IsNull(), nil
}
func (int32Kind) flatten(_ *Attr, _ *graph.Item, v any, _ attr.Value, _ *diag.Diagnostics) attr.Value {
	return types.Int32PointerValue(v.(*int32))
}
func (int32Kind) resourceAttribute(a *Attr) schema.Attribute {
	return schema.Int32Attribute{MarkdownDescription: a.doc + keepsGraphValue(a, "0"), Optional: true, Computed: true,
		Validators: a.int32s, PlanModifiers: []planmodifier.Int32{int32planmodifier.UseStateForUnknown()}}
}
func (int32Kind) dataSourceAttribute(a *Attr) dsschema.Attribute {
	return dsschema.Int32Attribute{MarkdownDescription: a.doc, Computed: true}
}

type int64Kind struct{ keepsGraphsValue }

func (int64Kind) id() Kind               { return KindInt64 }
func (int64Kind) tfType(*Attr) attr.Type { return types.Int64Type }
func (int64Kind) null(*Attr) attr.Value  { return types.Int64Null() }
func (int64Kind) unset(*Attr) attr.Value { return types.Int64Value(0) }
func (int64Kind) expand(_ context.Context, _ *Attr, p, _ attr.Value, _ bool) (any, bool, diag.Diagnostics) {
	return p.(types.Int64).ValueInt64(), !p.IsNull(), nil
}
func (int64Kind) flatten(_ *Attr, _ *graph.Item, v any, _ attr.Value, _ *diag.Diagnostics) attr.Value {
	return types.Int64PointerValue(v.(*int64))
}
func (int64Kind) resourceAttribute(a *Attr) schema.Attribute {
	return schema.Int64Attribute{MarkdownDescription: a.doc + keepsGraphValue(a, "0"), Optional: true, Computed: true,
		Validators: a.int64s, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}}
}
func (int64Kind) dataSourceAttribute(a *Attr) dsschema.Attribute {
	return dsschema.Int64Attribute{MarkdownDescription: a.doc, Computed: true}
}

type boolKind struct{ keepsGraphsValue }

func (boolKind) id() Kind               { return KindBool }
func (boolKind) tfType(*Attr) attr.Type { return types.BoolType }
func (boolKind) null(*Attr) attr.Value  { return types.BoolNull() }
func (boolKind) unset(*Attr) attr.Value { return types.BoolValue(false) }
func (boolKind) expand(_ context.Context, _ *Attr, p, _ attr.Value, _ bool) (any, bool, diag.Diagnostics) {
	return p.(types.Bool).ValueBool(), !p.IsNull(), nil
}
func (boolKind) flatten(_ *Attr, _ *graph.Item, v any, _ attr.Value, _ *diag.Diagnostics) attr.Value {
	return types.BoolPointerValue(v.(*bool))
}
func (boolKind) resourceAttribute(a *Attr) schema.Attribute {
	return schema.BoolAttribute{MarkdownDescription: a.doc + keepsGraphValue(a, "`false`"), Optional: true, Computed: true,
		PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}}
}
func (boolKind) dataSourceAttribute(a *Attr) dsschema.Attribute {
	return dsschema.BoolAttribute{MarkdownDescription: a.doc, Computed: true}
}

// ---- collections and complex values ----------------------------------------------------------

// emptyListSameAsNone is how every list reads: Graph answers [] for a list nobody set.
const emptyListSameAsNone = " Omitting it and an empty list from Graph are the same. **Removing it from the configuration clears " +
	"the list in Graph** (the provider sends `[]`)."

type stringsKind struct{}

func (stringsKind) id() Kind               { return KindStrings }
func (stringsKind) removal() Removal       { return RemovalSendsEmptyList }
func (stringsKind) tfType(*Attr) attr.Type { return types.ListType{ElemType: types.StringType} }
func (stringsKind) null(*Attr) attr.Value  { return types.ListNull(types.StringType) }
func (stringsKind) unset(*Attr) attr.Value { return types.ListNull(types.StringType) }
func (stringsKind) same(_ *Attr, x, y attr.Value) bool {
	xs, ys := listStrings(x), listStrings(y)
	if len(xs) != len(ys) {
		return false
	}
	for i := range xs {
		if xs[i] != ys[i] {
			return false
		}
	}
	return true
}

func (k stringsKind) expand(_ context.Context, a *Attr, p, s attr.Value, create bool) (any, bool, diag.Diagnostics) {
	ps := listStrings(p)
	if create && len(ps) == 0 || !create && k.same(a, p, s) {
		return nil, false, nil
	}
	return append([]string{}, ps...), true, nil
}

func (stringsKind) flatten(_ *Attr, _ *graph.Item, v any, prior attr.Value, diags *diag.Diagnostics) attr.Value {
	ss := v.([]string)
	if len(ss) == 0 {
		return emptyOrNull(prior, types.StringType)
	}
	vals := make([]attr.Value, len(ss))
	for i, s := range ss {
		vals[i] = types.StringValue(s)
	}
	l, d := types.ListValue(types.StringType, vals)
	diags.Append(d...)
	return l
}

func (stringsKind) resourceAttribute(a *Attr) schema.Attribute {
	return schema.ListAttribute{MarkdownDescription: a.doc + emptyListSameAsNone + " An element cannot be null.",
		ElementType: types.StringType, Optional: true, Validators: []validator.List{listvalidator.NoNullValues()}}
}

func (stringsKind) dataSourceAttribute(a *Attr) dsschema.Attribute {
	return dsschema.ListAttribute{MarkdownDescription: a.doc, ElementType: types.StringType, Computed: true}
}

// listStrings is a list of strings' elements (none for null or unknown).
func listStrings(v attr.Value) []string {
	l, ok := v.(types.List)
	if !ok || l.IsNull() || l.IsUnknown() {
		return nil
	}
	out := make([]string, 0, len(l.Elements()))
	for _, e := range l.Elements() {
		if s, ok := e.(types.String); ok {
			out = append(out, s.ValueString())
		}
	}
	return out
}

// emptyOrNull is what Graph's empty list is in state: the configuration's explicit [] (the same
// thing) when prior has it, else null.
func emptyOrNull(prior attr.Value, elem attr.Type) attr.Value {
	if l, ok := prior.(types.List); ok && !l.IsNull() && !l.IsUnknown() && len(l.Elements()) == 0 {
		return l
	}
	return types.ListNull(elem)
}

type objectsKind struct{}

func (objectsKind) id() Kind                 { return KindObjects }
func (objectsKind) removal() Removal         { return RemovalSendsEmptyList }
func (objectsKind) tfType(a *Attr) attr.Type { return types.ListType{ElemType: a.ElemType()} }
func (objectsKind) null(a *Attr) attr.Value  { return types.ListNull(a.ElemType()) }
func (objectsKind) unset(a *Attr) attr.Value { return types.ListNull(a.ElemType()) }

// same compares two lists of complex values element by element (null and [] are the same list).
func (objectsKind) same(a *Attr, x, y attr.Value) bool {
	xs, ys := elements(x), elements(y)
	if len(xs) != len(ys) {
		return false
	}
	for i := range xs {
		if !a.elem.sameElement(xs[i], ys[i]) {
			return false
		}
	}
	return true
}

func (k objectsKind) expand(_ context.Context, a *Attr, p, s attr.Value, create bool) (any, bool, diag.Diagnostics) {
	pl := elements(p)
	if create && len(pl) == 0 || !create && k.same(a, p, s) {
		return nil, false, nil
	}
	// An empty (non-nil) slice is sent as [], which is how a removed list is cleared.
	out := make([]map[string]any, 0, len(pl))
	for _, e := range pl {
		out = append(out, a.elem.expandElement(e))
	}
	return out, true, nil
}

func (objectsKind) flatten(a *Attr, item *graph.Item, v any, prior attr.Value, diags *diag.Diagnostics) attr.Value {
	et := a.ElemType()
	priorElems := elements(prior)
	vals := make([]attr.Value, 0)
	for _, e := range v.([]any) {
		if e == nil {
			continue
		}
		var pe map[string]attr.Value
		if n := len(vals); n < len(priorElems) {
			pe = priorElems[n]
		}
		vals = append(vals, a.elem.flattenElement(item, e, pe, diags))
	}
	if len(vals) == 0 {
		return emptyOrNull(prior, et)
	}
	l, d := types.ListValue(et, vals)
	diags.Append(d...)
	return l
}

func (objectsKind) resourceAttribute(a *Attr) schema.Attribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: a.doc + emptyListSameAsNone + " An element cannot be null.",
		Optional:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: a.elem.elementAttributes()},
		// A null element would reach Graph as an object with nothing set and come back as one,
		// which Terraform reports as a provider bug after the apply: refuse it at plan time.
		Validators: []validator.List{listvalidator.NoNullValues()},
	}
}

func (objectsKind) dataSourceAttribute(a *Attr) dsschema.Attribute {
	return dsschema.ListNestedAttribute{MarkdownDescription: a.doc, Computed: true,
		NestedObject: dsschema.NestedAttributeObject{Attributes: a.elem.DataSourceAttributes()}}
}

type objectKind struct{}

func (objectKind) id() Kind                 { return KindObject }
func (objectKind) removal() Removal         { return RemovalSendsNull }
func (objectKind) tfType(a *Attr) attr.Type { return a.ElemType() }
func (objectKind) null(a *Attr) attr.Value  { return types.ObjectNull(a.ElemType().AttrTypes) }
func (objectKind) unset(a *Attr) attr.Value { return types.ObjectNull(a.ElemType().AttrTypes) }
func (objectKind) same(a *Attr, x, y attr.Value) bool {
	xo, yo := object(x), object(y)
	return xo == nil && yo == nil || xo != nil && yo != nil && a.elem.sameElement(xo, yo)
}

func (k objectKind) expand(_ context.Context, a *Attr, p, s attr.Value, create bool) (any, bool, diag.Diagnostics) {
	switch o := object(p); {
	case o == nil:
		return nil, !create, nil
	case !create && k.same(a, p, s):
		return nil, false, nil
	default:
		// The whole value: a complex property is replaced, never merged, by a PATCH.
		return a.elem.expandElement(o), true, nil
	}
}

func (objectKind) flatten(a *Attr, item *graph.Item, v any, prior attr.Value, diags *diag.Diagnostics) attr.Value {
	if v == nil {
		return types.ObjectNull(a.ElemType().AttrTypes)
	}
	return a.elem.flattenElement(item, v, object(prior), diags)
}

func (objectKind) resourceAttribute(a *Attr) schema.Attribute {
	return schema.SingleNestedAttribute{MarkdownDescription: a.doc + " **Removing it from the configuration clears it in Graph** " +
		"(the provider sends `null`).", Optional: true, Attributes: a.elem.elementAttributes()}
}

func (objectKind) dataSourceAttribute(a *Attr) dsschema.Attribute {
	return dsschema.SingleNestedAttribute{MarkdownDescription: a.doc, Computed: true, Attributes: a.elem.DataSourceAttributes()}
}

// object is an object value's attributes (nil for null or unknown).
func object(v attr.Value) map[string]attr.Value {
	o, ok := v.(types.Object)
	if !ok || o.IsNull() || o.IsUnknown() {
		return nil
	}
	return o.Attributes()
}

// elements are a list of objects' attributes (none for null or unknown).
func elements(v attr.Value) []map[string]attr.Value {
	l, ok := v.(types.List)
	if !ok || l.IsNull() || l.IsUnknown() {
		return nil
	}
	out := make([]map[string]attr.Value, 0, len(l.Elements()))
	for _, e := range l.Elements() {
		if o := object(e); o != nil {
			out = append(out, o)
		}
	}
	return out
}

// ---- a complex value's rows ------------------------------------------------------------------

// elementAttributes are the rows of a complex value in the resource schema.
func (t Table) elementAttributes() map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for i := range t {
		out[t[i].name] = t[i].kind.resourceAttribute(&t[i])
	}
	return out
}

// expandElement is one complex value's JSON: its set properties (an unset date is left out, and
// Graph holds its unset value for it).
func (t Table) expandElement(e map[string]attr.Value) map[string]any {
	out := map[string]any{}
	for i := range t {
		ea := &t[i]
		v, ok := e[ea.name]
		if !ok || v.IsNull() || v.IsUnknown() {
			continue
		}
		if j, send, _ := ea.kind.expand(context.Background(), ea, v, ea.kind.null(ea), true); send {
			out[ea.json] = j
		}
	}
	return out
}

// flattenElement is one complex value (its SDK model e) as an object, given its prior attributes.
func (t Table) flattenElement(item *graph.Item, e any, prior map[string]attr.Value, diags *diag.Diagnostics) attr.Value {
	ev := map[string]attr.Value{}
	for i := range t {
		ea := &t[i]
		p := prior[ea.name]
		if p == nil || p.IsUnknown() {
			p = ea.kind.null(ea)
		}
		ev[ea.name] = ea.kind.flatten(ea, item, ea.get(e), p, diags)
	}
	o, d := types.ObjectValue(t.AttrTypes(), ev)
	diags.Append(d...)
	return o
}

// sameElement compares two complex values row by row.
func (t Table) sameElement(x, y map[string]attr.Value) bool {
	for i := range t {
		if !t[i].same(x[t[i].name], y[t[i].name]) {
			return false
		}
	}
	return true
}
