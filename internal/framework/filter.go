package framework

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// TaskFilter is what the plural data sources and the list resources filter on. Graph documents no
// `$filter` support on the collection, so the typed filters are applied here, by the provider;
// odata_filter is the user's own expression, sent to Graph as it is (graph-behaviour.md §9).
type TaskFilter struct {
	DisplayName   types.String      `tfsdk:"display_name"`
	Status        types.String      `tfsdk:"status"`
	Category      types.String      `tfsdk:"category"`
	Priority      types.String      `tfsdk:"priority"`
	Creator       types.String      `tfsdk:"creator"`
	CreatedAfter  timetypes.RFC3339 `tfsdk:"created_after"`
	CreatedBefore timetypes.RFC3339 `tfsdk:"created_before"`
	DueAfter      timetypes.RFC3339 `tfsdk:"due_after"`
	DueBefore     timetypes.RFC3339 `tfsdk:"due_before"`
	ODataFilter   types.String      `tfsdk:"odata_filter"`
}

// filterAttribute is one filter attribute, described once for every schema that has it.
type filterAttribute struct {
	Name, Description string
	// DateTime filters are RFC 3339 instants; the others are strings.
	DateTime   bool
	Validators []validator.String
}

// dateRange describes one bound of a date-time filter.
func dateRange(bound, property, inclusive string) string {
	return fmt.Sprintf("Only tasks whose `%s` is %s this instant (RFC 3339, compared as an instant, %s). %s", property, bound, inclusive,
		"A task without that date (Graph's unset `0001-01-01T00:00:00Z`) never matches.")
}

// TaskFilters describes TaskFilter's attributes.
var TaskFilters = []filterAttribute{
	{Name: "display_name", Description: "Only tasks whose `display_name` equals this exactly (case-sensitive).", Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
	{Name: "status", Description: "Only tasks whose `status` is this (one of " + StatusEnum.Markdown() + ").", Validators: []validator.String{stringvalidator.OneOf(StatusEnum.Values...)}},
	{Name: "category", Description: "Only tasks whose `category` is this (one of " + CategoryEnum.Markdown() + ").", Validators: []validator.String{stringvalidator.OneOf(CategoryEnum.Values...)}},
	{Name: "priority", Description: "Only tasks whose `priority` is this (one of " + PriorityEnum.Markdown() + ").", Validators: []validator.String{stringvalidator.OneOf(PriorityEnum.Values...)}},
	{Name: "creator", Description: "Only tasks whose `creator` (the requester's email address, as Defender sets it) equals this, ignoring case as email addresses compare.", Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
	{Name: "created_after", Description: dateRange("at or after", "created_date_time", "inclusive"), DateTime: true},
	{Name: "created_before", Description: dateRange("before", "created_date_time", "exclusive"), DateTime: true},
	{Name: "due_after", Description: dateRange("at or after", "due_date_time", "inclusive"), DateTime: true},
	{Name: "due_before", Description: dateRange("before", "due_date_time", "exclusive"), DateTime: true},
	{Name: "odata_filter", Description: "An OData `$filter` expression sent to Graph as it is, for what the other filters do not cover, " +
		"such as `startswith(displayName,'Defender')` or `assignedTo eq 'secops@contoso.com'`. Graph documents no `$filter` support " +
		"for this collection: an expression Graph refuses fails the read with Graph's message. String literals are in single " +
		"quotes, a quote inside one doubled (`'O''Neil'`); unbalanced quotes or parentheses are refused at plan time. " +
		"It combines with the other filters with AND.", Validators: []validator.String{stringvalidator.LengthAtLeast(1), odataFilterValidator{}}},
}

// FilterDataSourceAttributes are the filters as a data source's optional attributes.
func FilterDataSourceAttributes() map[string]dsschema.Attribute {
	out := map[string]dsschema.Attribute{}
	for _, f := range TaskFilters {
		a := dsschema.StringAttribute{Optional: true, MarkdownDescription: f.Description, Validators: f.Validators}
		if f.DateTime {
			a.CustomType = timetypes.RFC3339Type{}
		}
		out[f.Name] = a
	}
	return out
}

// filterListAttributes are the filters as a list resource's optional attributes.
func filterListAttributes() map[string]listschema.Attribute {
	out := map[string]listschema.Attribute{}
	for _, f := range TaskFilters {
		a := listschema.StringAttribute{Optional: true, MarkdownDescription: f.Description, Validators: f.Validators}
		if f.DateTime {
			a.CustomType = timetypes.RFC3339Type{}
		}
		out[f.Name] = a
	}
	return out
}

// Matches reports whether v passes every typed filter that is set (they combine with AND);
// odata_filter is Graph's to apply.
func (f TaskFilter) Matches(v Values) bool {
	is := func(filter types.String, name string) bool {
		s, _ := v[name].(types.String)
		return filter.IsNull() || filter.ValueString() == s.ValueString() && !s.IsNull()
	}
	creator, _ := v["creator"].(types.String)
	return is(f.DisplayName, "display_name") && is(f.Status, "status") && is(f.Category, "category") && is(f.Priority, "priority") &&
		(f.Creator.IsNull() || !creator.IsNull() && strings.EqualFold(f.Creator.ValueString(), creator.ValueString())) &&
		inRange(v["created_date_time"], f.CreatedAfter, f.CreatedBefore) && inRange(v["due_date_time"], f.DueAfter, f.DueBefore)
}

// inRange reports whether date-time value v is at or after after and before before, each when set;
// a null v (no date) is in no range that has a bound.
func inRange(v attr.Value, after, before timetypes.RFC3339) bool {
	if after.IsNull() && before.IsNull() {
		return true
	}
	d, ok := v.(timetypes.RFC3339)
	if !ok || d.IsNull() || d.IsUnknown() {
		return false
	}
	t, err := time.Parse(time.RFC3339Nano, d.ValueString())
	if err != nil {
		return false
	}
	if !after.IsNull() {
		if a, err := time.Parse(time.RFC3339Nano, after.ValueString()); err == nil && t.Before(a) {
			return false
		}
	}
	if !before.IsNull() {
		if b, err := time.Parse(time.RFC3339Nano, before.ValueString()); err == nil && !t.Before(b) {
			return false
		}
	}
	return true
}

// odataFilterValidator refuses an OData expression whose single quotes or parentheses do not
// balance: Graph would refuse it anyway, and at plan time the error can point at the attribute.
// Inside a string literal a quote is escaped by doubling it, and parentheses are text.
type odataFilterValidator struct{}

func (odataFilterValidator) Description(context.Context) string {
	return "single quotes and parentheses must balance (a quote inside a string literal is doubled)"
}

func (v odataFilterValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (odataFilterValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := odataFilterProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid OData filter",
			fmt.Sprintf("%s in %q. String literals are written in single quotes, with a quote inside one doubled: "+
				"displayName eq 'O''Neil'.", problem, req.ConfigValue.ValueString()))
	}
}

// odataFilterProblem says what does not balance in expr, or "".
func odataFilterProblem(expr string) string {
	inString, depth, opened := false, 0, 0
	for i := 0; i < len(expr); i++ {
		switch c := expr[i]; {
		case c == '\'' && inString && i+1 < len(expr) && expr[i+1] == '\'':
			i++ // an escaped quote
		case c == '\'':
			inString = !inString
			opened = i
		case inString:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth < 0 {
				return fmt.Sprintf("the parenthesis at position %d closes nothing", i+1)
			}
		}
	}
	switch {
	case inString:
		return fmt.Sprintf("the string literal opened at position %d is not closed", opened+1)
	case depth > 0:
		return fmt.Sprintf("%d parenthesis not closed", depth)
	}
	return ""
}

// Found is one task of the entity's type in the collection, and its values.
type Found struct {
	Item   *graph.Item
	Values Values
}

// find lists the collection, every page, and returns the entity's tasks that pass filter, in
// Graph's order. Other task types are skipped; a task that cannot be mapped to state is reported
// in diags.
func (e *Entity) find(ctx context.Context, c *graph.Client, filter TaskFilter, diags *diag.Diagnostics) ([]Found, error) {
	var out []Found
	err := e.each(ctx, c, filter, func(f Found, d diag.Diagnostics) bool {
		diags.Append(d...)
		if d.HasError() {
			return false
		}
		out = append(out, f)
		return true
	})
	if err != nil || diags.HasError() {
		return nil, err
	}
	return out, nil
}

// each reads the collection page by page and calls yield with each of the entity's tasks that
// passes filter, and the diagnostics of mapping it to state, until yield returns false. Other task
// types are skipped.
func (e *Entity) each(ctx context.Context, c *graph.Client, filter TaskFilter, yield func(Found, diag.Diagnostics) bool) error {
	coll := e.Collection()
	return c.EachWhere(ctx, coll, filter.ODataFilter.ValueString(), func(t *graph.Item) bool {
		if !coll.Owns(t) {
			return true
		}
		m, d := e.Table.Flatten(t, nil)
		if !d.HasError() && !filter.Matches(m) {
			return true
		}
		return yield(Found{Item: t, Values: m}, d)
	})
}

// objects turns found tasks into the table's objects, for a data source's list.
func (e *Entity) objects(found []Found) ([]attr.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := make([]attr.Value, 0, len(found))
	for _, f := range found {
		o, d := e.Table.Object(f.Values)
		diags.Append(d...)
		out = append(out, o)
	}
	return out, diags
}
