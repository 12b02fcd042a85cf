package framework

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// TaskFilter is what the plural data sources and the list resources filter on. Graph's `$filter`
// support on the collection is undocumented, so filtering is done here (graph-behaviour.md §9).
type TaskFilter struct {
	DisplayName types.String `tfsdk:"display_name"`
	Status      types.String `tfsdk:"status"`
	Category    types.String `tfsdk:"category"`
	Priority    types.String `tfsdk:"priority"`
}

// filterAttribute is one filter attribute, described once for every schema that has it.
type filterAttribute struct {
	Name, Description string
	Validators        []validator.String
}

// TaskFilters describes TaskFilter's attributes.
var TaskFilters = []filterAttribute{
	{"display_name", "Only tasks whose `display_name` equals this exactly (case-sensitive).", []validator.String{stringvalidator.LengthAtLeast(1)}},
	{"status", "Only tasks whose `status` is this (one of " + StatusEnum.Markdown() + ").", []validator.String{stringvalidator.OneOf(StatusEnum.Values...)}},
	{"category", "Only tasks whose `category` is this (one of " + CategoryEnum.Markdown() + ").", []validator.String{stringvalidator.OneOf(CategoryEnum.Values...)}},
	{"priority", "Only tasks whose `priority` is this (one of " + PriorityEnum.Markdown() + ").", []validator.String{stringvalidator.OneOf(PriorityEnum.Values...)}},
}

// Matches reports whether v passes every filter that is set (they combine with AND).
func (f TaskFilter) Matches(v Values) bool {
	is := func(filter types.String, name string) bool {
		s, _ := v[name].(types.String)
		return filter.IsNull() || filter.ValueString() == s.ValueString() && !s.IsNull()
	}
	return is(f.DisplayName, "display_name") && is(f.Status, "status") && is(f.Category, "category") && is(f.Priority, "priority")
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
	return c.Each(ctx, coll, func(t *graph.Item) bool {
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
