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
	list, err := c.ListTasks(ctx)
	if err != nil {
		return nil, err
	}
	var out []foundTask
	for _, t := range list.Tasks {
		if _, ok := t.Security(); !ok {
			continue
		}
		m, d := flattenTask(t, taskModel{})
		diags.Append(d...)
		if d.HasError() {
			return nil, nil
		}
		if filter.matches(m) {
			out = append(out, foundTask{task: t, model: m})
		}
	}
	return out, nil
}
