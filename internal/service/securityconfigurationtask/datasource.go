package securityconfigurationtask

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

var (
	_ datasource.DataSourceWithConfigure = (*taskDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*listDataSource)(nil)
)

// NewDataSource is the single-task data source, registered by the provider.
func NewDataSource() datasource.DataSource { return &taskDataSource{} }

// NewListDataSource is the all-tasks data source, registered by the provider.
func NewListDataSource() datasource.DataSource { return &listDataSource{} }

type taskDataSource struct{ client *graph.Client }

type listDataSource struct{ client *graph.Client }

// defaultDataSourceReadTimeout bounds a data source's read when its timeouts block does not.
const defaultDataSourceReadTimeout = 5 * time.Minute

// taskDataSourceModel is the single-task data source: every task property, and its timeouts.
type taskDataSourceModel struct {
	taskModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// computedTaskAttributes is every task property as a computed data-source attribute; id is
// Required on the single-task data source and replaced there.
func computedTaskAttributes() map[string]schema.Attribute {
	str := func(name string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: docs[name], Computed: true}
	}
	date := func(name string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: docs[name], Computed: true, CustomType: timetypes.RFC3339Type{}}
	}
	attrs := map[string]schema.Attribute{
		"created_date_time":    date("created_date_time"),
		"due_date_time":        date("due_date_time"),
		"managed_device_count": schema.Int32Attribute{MarkdownDescription: docs["managed_device_count"], Computed: true},
		"intended_settings": schema.ListNestedAttribute{
			MarkdownDescription: docs["intended_settings"],
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"name":  schema.StringAttribute{MarkdownDescription: docs["intended_settings.name"], Computed: true},
				"value": schema.StringAttribute{MarkdownDescription: docs["intended_settings.value"], Computed: true},
			}},
		},
	}
	for _, n := range []string{"id", "display_name", "description", "creator", "creator_notes", "assigned_to", "insights",
		"category", "priority", "status", "endpoint_security_policy", "applicable_platform", "endpoint_security_policy_profile"} {
		attrs[n] = str(n)
	}
	return attrs
}

func (d *taskDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_configuration_task"
}

func (d *taskDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := computedTaskAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: docs["id"] + " The task to read.",
		Required:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Intune security configuration task (Microsoft Graph beta `securityConfigurationTask`) by id, " +
			"without managing it. A missing id, or an id of another task type, is an error. A task this run created moments ago " +
			"is read again while Graph's replicas catch up, as the resource does.",
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
	}
}

func (d *taskDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

func (d *taskDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg taskDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := cfg.Timeouts.Read(ctx, defaultDataSourceReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id := cfg.ID.ValueString()
	task, err := findTask(ctx, d.client, id, func() bool { return recentlyCreated(d.client, id, timetypes.NewRFC3339Null()) })
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Intune security configuration task not found",
			fmt.Sprintf("No task with id %q exists in Graph.\n\n%s", cfg.ID.ValueString(), graph.Describe(err)))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("reading Intune security configuration task", graph.Describe(err))
		return
	}
	out, diags := flattenTask(task, taskModel{})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &taskDataSourceModel{taskModel: out, Timeouts: cfg.Timeouts})...)
}

// listModel is the all-tasks data source: optional filters and the matching tasks.
type listModel struct {
	taskFilter
	Tasks    []taskModel    `tfsdk:"tasks"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (d *listDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_configuration_tasks"
}

func (d *listDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"tasks": schema.ListNestedAttribute{
			MarkdownDescription: "The matching tasks, in the order Graph lists them.",
			Computed:            true,
			NestedObject:        schema.NestedAttributeObject{Attributes: computedTaskAttributes()},
		},
	}
	for _, f := range taskFilters {
		attrs[f.name] = schema.StringAttribute{Optional: true, MarkdownDescription: f.description, Validators: f.validators}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Intune security configuration tasks in the tenant, following every page of " +
			"`/deviceAppManagement/deviceAppManagementTasks` and skipping the other task types the collection holds " +
			"(`appVulnerabilityTask`, `unmanagedDeviceDiscoveryTask`).\n\n" +
			"Filters are applied by the provider, not by Graph: Graph's support for `$filter` on this collection is " +
			"undocumented (and `isof` on it unverified), so the provider reads every page and filters client-side. " +
			"Filters combine with AND.",
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
	}
}

func (d *listDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

func (d *listDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg listModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := cfg.Timeouts.Read(ctx, defaultDataSourceReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	found, err := findSecurityTasks(ctx, d.client, cfg.taskFilter, &resp.Diagnostics)
	if err != nil {
		resp.Diagnostics.AddError("listing Intune security configuration tasks", graph.Describe(err))
		return
	}
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.Tasks = make([]taskModel, len(found))
	for i, f := range found {
		cfg.Tasks[i] = f.model
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
