// Package securitytasks is the data source of every task in Intune's task collection, whatever its
// type (intune_security_tasks): the properties every task type shares, each task's type, and the
// resource that manages tasks of that type. The schema rows, filters, date-times, enums and
// Configure are the shared core's (internal/framework).
package securitytasks

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
	"github.com/terraform-intune/terraform-provider-intune/internal/service"
)

var (
	_ datasource.DataSourceWithConfigure      = (*dataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*dataSource)(nil)
)

// NewDataSource is intune_security_tasks, registered by the provider.
func NewDataSource() datasource.DataSource { return &dataSource{} }

type dataSource struct{ client *graph.Client }

// shortTypeNames are the type filter's values: the types with a resource.
func shortTypeNames() []string {
	out := make([]string, len(service.TaskTypes))
	for i, e := range service.TaskTypes {
		out[i] = e.GraphName()
	}
	return out
}

type task = models.DeviceAppManagementTaskable

// table is one element of `tasks`: the base task table, then the task's type and the resource that
// manages it, both read from the @odata.type Graph sent (the SDK model keeps it, for a type the SDK
// does not know too).
var table = append(framework.TaskBase(),
	framework.String("type", "@odata.type", "The task's type: its `@odata.type` without the `#microsoft.graph.` prefix "+
		"(`"+strings.Join(shortTypeNames(), "`, `")+"`). A type this provider version does not know is shown as Graph names it.",
		func(t task) *string {
			if t.GetOdataType() == nil {
				return nil
			}
			s := framework.ShortTypeName(*t.GetOdataType())
			return &s
		}),
	framework.String("resource_type", "@odata.type", "The Terraform resource type that manages tasks of this type ("+
		resourceTypesMarkdown()+"), or null for a type this provider has no resource for.",
		func(t task) *string {
			if t.GetOdataType() == nil {
				return nil
			}
			if e := framework.ManagedBy(*t.GetOdataType()); e != nil {
				r := e.ResourceType()
				return &r
			}
			return nil
		}),
)

func resourceTypesMarkdown() string {
	quoted := make([]string, len(service.TaskTypes))
	for i, e := range service.TaskTypes {
		quoted[i] = "`" + e.ResourceType() + "`"
	}
	return strings.Join(quoted, ", ")
}

// model is the data source: optional filters and the matching tasks.
type model struct {
	framework.TaskFilter
	Type     types.String   `tfsdk:"type"`
	Tasks    types.List     `tfsdk:"tasks"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// matches reports whether a task's values pass every filter that is set (they combine with AND).
func (m model) matches(v framework.Values) bool {
	if !m.Type.IsNull() && v.Str("type") != m.Type.ValueString() {
		return false
	}
	return m.Matches(v)
}

func (d *dataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_tasks"
}

func (d *dataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := framework.FilterDataSourceAttributes()
	attrs["tasks"] = schema.ListNestedAttribute{
		MarkdownDescription: "The matching tasks, of every type, in the order Graph lists them.",
		Computed:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: table.DataSourceAttributes()},
	}
	attrs["type"] = schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "Only tasks of this type (one of `" + strings.Join(shortTypeNames(), "`, `") + "`). " +
			"A type this provider version does not know cannot be selected; the other filters apply to it.",
		Validators: []validator.String{stringvalidator.OneOf(shortTypeNames()...)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every task in the tenant's Intune task collection (`" + graph.TasksPath + "`), whatever its " +
			"type: security configuration tasks, app vulnerability tasks, unmanaged device discovery tasks, and any type Graph " +
			"adds later. Tasks come in the order Graph lists them, following every page, each with the properties every task " +
			"type has, its `type` and the `resource_type` that manages it. `intune_security_configuration_tasks` lists one type " +
			"with all its properties.\n\n" +
			"Filters are applied by the provider, not by Graph: Graph's support for `$filter` on this collection is " +
			"undocumented (and `isof` on it unverified), so the provider reads every page and filters client-side; only " +
			"`odata_filter` is sent to Graph, as written. Filters combine with AND.\n\n" +
			"For triage, combine the filters and act on the result: for example, accept every pending task a creator raised " +
			"this month with the `intune_security_task_update_status` action and `for_each` over `tasks`.",
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": framework.DataSourceTimeoutsBlock(ctx)},
	}
}

func (d *dataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ProviderClient(req.ProviderData, &resp.Diagnostics)
}

func (d *dataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	framework.ValidateDataSourceTimeouts(ctx, req.Config, &resp.Diagnostics)
}

func (d *dataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg model
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, cfg.Timeouts.Read, framework.DefaultDataSourceReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	tasks := []attr.Value{}
	err := d.client.EachWhere(ctx, framework.AllTasks(), cfg.ODataFilter.ValueString(), func(item *graph.Item) bool {
		v, diags := table.Flatten(item, nil)
		// A task the filters leave out is not reported on (an enum value newer than the SDK).
		if !diags.HasError() && !cfg.matches(v) {
			return true
		}
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return false
		}
		obj, diags := table.Object(v)
		resp.Diagnostics.Append(diags...)
		tasks = append(tasks, obj)
		return !diags.HasError()
	})
	if err != nil {
		resp.Diagnostics.AddError("listing Intune security tasks", graph.Describe(err))
		return
	}
	if resp.Diagnostics.HasError() {
		return
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: table.AttrTypes()}, tasks)
	resp.Diagnostics.Append(diags...)
	cfg.Tasks = list
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
