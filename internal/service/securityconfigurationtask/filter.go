package securityconfigurationtask

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// taskFilter is what the plural data source and the list resource filter on. Graph's `$filter`
// support on the collection is undocumented, so filtering is done here (graph-behaviour.md §9).
type taskFilter struct {
	DisplayName types.String `tfsdk:"display_name"`
	Status      types.String `tfsdk:"status"`
	Category    types.String `tfsdk:"category"`
	Priority    types.String `tfsdk:"priority"`
}

// taskFilters describes the filter attributes once, for both schemas.
var taskFilters = []struct {
	name, description string
	validators        []validator.String
}{
	{"display_name", "Only tasks whose `display_name` equals this exactly (case-sensitive).", []validator.String{stringvalidator.LengthAtLeast(1)}},
	{"status", "Only tasks whose `status` is this (one of " + statusEnum.markdown() + ").", []validator.String{stringvalidator.OneOf(statusEnum.values...)}},
	{"category", "Only tasks whose `category` is this (one of " + categoryEnum.markdown() + ").", []validator.String{stringvalidator.OneOf(categoryEnum.values...)}},
	{"priority", "Only tasks whose `priority` is this (one of " + priorityEnum.markdown() + ").", []validator.String{stringvalidator.OneOf(priorityEnum.values...)}},
}

// matches reports whether m passes every filter that is set (they combine with AND).
func (f taskFilter) matches(m taskModel) bool {
	is := func(filter, v types.String) bool {
		return filter.IsNull() || filter.ValueString() == v.ValueString() && !v.IsNull()
	}
	return is(f.DisplayName, m.DisplayName) && is(f.Status, m.Status) && is(f.Category, m.Category) && is(f.Priority, m.Priority)
}

// foundTask is one security configuration task of the collection, and its state.
type foundTask struct {
	task  *graph.Task
	model taskModel
}

// findSecurityTasks lists the collection, every page, and returns the security configuration tasks
// that pass filter, in Graph's order. Other task types are skipped; a task that cannot be mapped
// to state is reported in diags.
func findSecurityTasks(ctx context.Context, c *graph.Client, filter taskFilter, diags *diag.Diagnostics) ([]foundTask, error) {
	var out []foundTask
	err := eachSecurityTask(ctx, c, filter, func(f foundTask, d diag.Diagnostics) bool {
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

// eachSecurityTask reads the collection page by page and calls yield with each security
// configuration task that passes filter, and the diagnostics of mapping it to state, until yield
// returns false. Other task types are skipped.
func eachSecurityTask(ctx context.Context, c *graph.Client, filter taskFilter, yield func(foundTask, diag.Diagnostics) bool) error {
	return c.EachTask(ctx, func(t *graph.Task) bool {
		if _, ok := t.Security(); !ok {
			return true
		}
		m, d := flattenTask(t, taskModel{})
		if !d.HasError() && !filter.matches(m) {
			return true
		}
		return yield(foundTask{task: t, model: m}, d)
	})
}
