package framework

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The timeouts package checks only that a timeout parses as a Go duration, and "0s" or "-1s" do:
// such a timeout would end the operation before it began (a create would fail with a token request
// blamed on the credentials). The resources and data sources refuse them in ValidateConfig, at
// plan time, since the package offers no way to add validators to its block.

var (
	_ resource.ResourceWithValidateConfig     = (*Resource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*DataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*ListDataSource)(nil)
)

// resourceTimeouts is each resource timeout's default, by its attribute in the timeouts block.
var resourceTimeouts = map[string]time.Duration{
	"create": defaultCreateTimeout,
	"read":   defaultReadTimeout,
	"update": defaultUpdateTimeout,
	"delete": defaultDeleteTimeout,
}

// dataSourceTimeouts is a data source's only timeout and its default.
var dataSourceTimeouts = map[string]time.Duration{"read": DefaultDataSourceReadTimeout}

// timeoutDescription describes one timeout of the block: what it bounds (with Graph's retries),
// its format and its default.
func timeoutDescription(bounds string, def time.Duration) string {
	return "How long " + bounds + " may take, retries included, as a [Go duration](https://pkg.go.dev/time#ParseDuration): numbers with " +
		`units, such as "30s", "10m" or "2h45m" (units "s", "m", "h"). Must be positive; zero or a negative duration is ` +
		"refused at plan time. Default `" + shortDuration(def) + "`."
}

// resourceTimeoutsBlock is a resource's timeouts block, each timeout described with its default.
func resourceTimeoutsBlock(ctx context.Context) schema.Block {
	return timeouts.Block(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: timeoutDescription("the create", defaultCreateTimeout),
		ReadDescription: timeoutDescription("each refresh", defaultReadTimeout) + " A refresh uses the value in state, " +
			"which the next apply updates to the configured one.",
		UpdateDescription: timeoutDescription("an update", defaultUpdateTimeout),
		DeleteDescription: timeoutDescription("the delete", defaultDeleteTimeout) +
			" It takes effect only once it is in state, so set it in an apply before the destroy that needs it.",
	})
}

// DataSourceTimeoutsBlock is a data source's timeouts block.
func DataSourceTimeoutsBlock(ctx context.Context) dsschema.Block {
	return dstimeouts.BlockWithOpts(ctx, dstimeouts.Opts{
		ReadDescription: timeoutDescription("the read", DefaultDataSourceReadTimeout),
	})
}

func (r *Resource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	validateTimeouts(ctx, req.Config, resourceTimeouts, &resp.Diagnostics)
}

func (d *DataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	ValidateDataSourceTimeouts(ctx, req.Config, &resp.Diagnostics)
}

func (d *ListDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	ValidateDataSourceTimeouts(ctx, req.Config, &resp.Diagnostics)
}

// ValidateDataSourceTimeouts refuses a data source's timeout of zero or less (validateTimeouts).
func ValidateDataSourceTimeouts(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) {
	validateTimeouts(ctx, config, dataSourceTimeouts, diags)
}

// validateTimeouts adds an error at each attribute of config's timeouts block (one of defaults'
// keys) that holds a duration of zero or less. A value that does not parse is left to the
// timeouts package's own validator, and an unknown one to the apply.
func validateTimeouts(ctx context.Context, config tfsdk.Config, defaults map[string]time.Duration, diags *diag.Diagnostics) {
	names := make([]string, 0, len(defaults))
	for name := range defaults {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := path.Root("timeouts").AtName(name)
		var v types.String
		if d := config.GetAttribute(ctx, p, &v); d.HasError() {
			diags.Append(d...)
			return
		}
		if v.IsNull() || v.IsUnknown() {
			continue
		}
		if d, err := time.ParseDuration(v.ValueString()); err != nil || d > 0 {
			continue
		}
		diags.AddAttributeError(p, fmt.Sprintf("timeouts.%s must be a positive duration", name),
			fmt.Sprintf(`timeouts.%s is %q: a timeout of zero or less would end the operation before it starts. `+
				`Set a positive duration such as "10m", or leave timeouts.%s out for the default of %s.`,
				name, v.ValueString(), name, shortDuration(defaults[name])))
	}
}

// shortDuration is d as a user would write it: 30m, not 30m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
