package framework

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

var (
	_ datasource.DataSourceWithConfigure = (*DataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*ListDataSource)(nil)
)

// DefaultDataSourceReadTimeout bounds a data source's read when its timeouts block does not.
const DefaultDataSourceReadTimeout = 5 * time.Minute

// NewDataSource returns the single-task data source of entity e (by id).
func NewDataSource(e *Entity) func() datasource.DataSource {
	return func() datasource.DataSource { return &DataSource{entity: e} }
}

// NewListDataSource returns the data source of every task of entity e's type.
func NewListDataSource(e *Entity) func() datasource.DataSource {
	return func() datasource.DataSource { return &ListDataSource{entity: e} }
}

// DataSource reads one task of an entity's type by id.
type DataSource struct {
	entity *Entity
	client *graph.Client
}

// ListDataSource lists the tasks of an entity's type.
type ListDataSource struct {
	entity *Entity
	client *graph.Client
}

func (d *DataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.entity.TypeName
}

func (d *DataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := d.entity.Table.DataSourceAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: d.entity.Table.Row("id").Doc() + " The task to read.",
		Required:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Reads one Intune %s (Microsoft Graph beta `%s`) by id, without managing it. A missing id, "+
			"or an id of another task type, is an error. A task this run created moments ago is read again while Graph's replicas "+
			"catch up, as the resource does.", d.entity.Noun, d.entity.GraphName()),
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": DataSourceTimeoutsBlock(ctx)},
	}
}

func (d *DataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = ProviderClient(req.ProviderData, &resp.Diagnostics)
}

// readConfig is a data source's configuration, and ctx bounded by the read timeout of its
// timeouts block; ok is false (with the diagnostics) when either is unusable.
func readConfig(ctx context.Context, req datasource.ReadRequest, diags *diag.Diagnostics) (types.Object, context.Context, context.CancelFunc, bool) {
	var cfg types.Object
	diags.Append(req.Config.Get(ctx, &cfg)...)
	if diags.HasError() {
		return cfg, ctx, nil, false
	}
	tv, _ := cfg.Attributes()["timeouts"].(timeouts.Value)
	ctx, cancel, ok := WithTimeout(ctx, tv.Read, DefaultDataSourceReadTimeout, diags)
	return cfg, ctx, cancel, ok
}

// storeDataSourceState sets a data source's state to vals, with the configuration's timeouts block.
func storeDataSourceState(ctx context.Context, cfg types.Object, vals map[string]attr.Value, resp *datasource.ReadResponse) {
	all := map[string]attr.Value{"timeouts": cfg.Attributes()["timeouts"]}
	for k, v := range vals {
		all[k] = v
	}
	obj, diags := types.ObjectValue(cfg.AttributeTypes(ctx), all)
	resp.Diagnostics.Append(diags...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, obj)...)
	}
}

func (d *DataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	cfg, ctx, cancel, ok := readConfig(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := Values(cfg.Attributes()).Str("id")
	coll := d.entity.Collection()
	task, err := findTask(ctx, d.client, coll, id, func() bool { return recentlyCreated(d.client, id, timetypes.NewRFC3339Null()) })
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Intune "+d.entity.Noun+" not found",
			fmt.Sprintf("No task with id %q exists in Graph.\n\n%s", id, graph.Describe(err)))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("reading Intune "+d.entity.Noun, graph.Describe(err))
		return
	}
	if !coll.Owns(task) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Not "+d.entity.withArticle(),
			fmt.Sprintf("Graph returned a task of type %q, not %q. This data source reads only %ss.%s", task.OdataType, d.entity.ODataType,
				d.entity.Noun, readElsewhere(task.OdataType)))
		return
	}
	out, diags := d.entity.Table.Flatten(task, nil)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	storeDataSourceState(ctx, cfg, out, resp)
}

// listModel is a plural data source: optional filters and the matching tasks.
type listModel struct {
	TaskFilter
	Tasks    types.List     `tfsdk:"tasks"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (d *ListDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.entity.TypeName + "s"
}

func (d *ListDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := FilterDataSourceAttributes()
	attrs["tasks"] = schema.ListNestedAttribute{
		MarkdownDescription: "The matching tasks, in the order Graph lists them.",
		Computed:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: d.entity.Table.DataSourceAttributes()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the Intune %ss in the tenant, following every page of "+
			"`%s` and skipping the other task types the collection holds. `intune_security_tasks` lists every type.\n\n"+
			"Filters are applied by the provider, not by Graph: Graph's support for `$filter` on this collection is "+
			"undocumented (and `isof` on it unverified), so the provider reads every page and filters client-side; only "+
			"`odata_filter` is sent to Graph, as written. Filters combine with AND.", d.entity.Noun, graph.TasksPath),
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": DataSourceTimeoutsBlock(ctx)},
	}
}

func (d *ListDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = ProviderClient(req.ProviderData, &resp.Diagnostics)
}

func (d *ListDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg listModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := WithTimeout(ctx, cfg.Timeouts.Read, DefaultDataSourceReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	found, err := d.entity.find(ctx, d.client, cfg.TaskFilter, &resp.Diagnostics)
	if err != nil {
		resp.Diagnostics.AddError("listing Intune "+d.entity.plural(), graph.Describe(err))
		return
	}
	if resp.Diagnostics.HasError() {
		return
	}
	objs, diags := d.entity.objects(found)
	resp.Diagnostics.Append(diags...)
	cfg.Tasks, diags = types.ListValue(types.ObjectType{AttrTypes: d.entity.Table.AttrTypes()}, objs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
