package framework

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoft/kiota-abstractions-go/serialization"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// Related is one of a task type's relationships: a collection contained in each task of Owner's
// type (a CSDL navigation property with ContainsTarget), such as the devices a security
// configuration task is about. Microsoft Defender fills these collections; Graph documents no
// way for a client to write them, so they are read-only: each has a data source that reads one
// task's items, every page of them.
type Related struct {
	// Owner is the task type that declares the relationship.
	Owner *Entity
	// Nav is the navigation property ("managedDevices"), Attribute the data source's list of items
	// ("managed_devices"), Noun one item in messages ("managed device").
	Nav, Attribute, Noun string
	// ItemType is the items' @odata.type ("#microsoft.graph.vulnerableManagedDevice").
	ItemType string
	// Factory parses one item: the SDK's discriminator factory of the item type.
	Factory serialization.ParsableFactory
	// Items is the items' attribute table.
	Items Table

	once sync.Once
	rel  *graph.Relationship
}

// TypeName is the data source's type name after the provider's prefix: the owner's and the
// attribute's ("security_configuration_task_managed_devices").
func (r *Related) TypeName() string { return r.Owner.TypeName + "_" + r.Attribute }

// DataSourceType is the data source's Terraform type ("intune_security_configuration_task_managed_devices").
func (r *Related) DataSourceType() string { return "intune_" + r.TypeName() }

func (r *Related) relationship() *graph.Relationship {
	r.once.Do(func() {
		r.rel = &graph.Relationship{Nav: r.Nav, Owner: r.Owner.ODataType,
			Items: &graph.Collection{Type: r.ItemType, Factory: r.Factory, DateTimes: r.Items.DateTimes()}}
	})
	return r.rel
}

var (
	relatedMu sync.RWMutex
	related   []*Related
)

// RegisterRelated makes the relationships known to each other, so that a data source given a task
// of another type names the one to use for it; the provider registers a data source for each.
func RegisterRelated(rs ...*Related) {
	relatedMu.Lock()
	defer relatedMu.Unlock()
	for _, r := range rs {
		if !slices.Contains(related, r) {
			related = append(related, r)
		}
	}
}

// relatedOf is the registered relationship nav of tasks of type odataType, or nil.
func relatedOf(odataType, nav string) *Related {
	relatedMu.RLock()
	defer relatedMu.RUnlock()
	for _, r := range related {
		if r.Owner.ODataType == odataType && r.Nav == nav {
			return r
		}
	}
	return nil
}

// NewRelatedDataSource returns the data source of relationship r.
func NewRelatedDataSource(r *Related) func() datasource.DataSource {
	return func() datasource.DataSource { return &relatedDataSource{rel: r} }
}

type relatedDataSource struct {
	rel    *Related
	client *graph.Client
}

var (
	_ datasource.DataSourceWithConfigure      = (*relatedDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*relatedDataSource)(nil)
)

func (d *relatedDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.rel.TypeName()
}

func (d *relatedDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	r := d.rel
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Reads the %ss of one Intune %s: Graph's `%s` relationship (`%s`), which "+
			"Microsoft Defender for Endpoint fills with what the task is about, following every page. The %ss cannot be "+
			"changed through Graph, so there is no resource for them.\n\n"+
			"The task is read first: an unknown id, or a task of another type, is an error that says which data source to "+
			"use instead.", r.Noun, r.Owner.Noun, r.Nav, graph.TasksPath+"/{id}/"+r.Nav, r.Noun),
		Attributes: map[string]schema.Attribute{
			"task_id": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The Graph id of the %s (`id`).", r.Owner.Noun),
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			r.Attribute: schema.ListNestedAttribute{
				MarkdownDescription: fmt.Sprintf("The task's %ss, in the order Graph lists them; empty when it has none.", r.Noun),
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: r.Items.DataSourceAttributes()},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": DataSourceTimeoutsBlock(ctx)},
	}
}

func (d *relatedDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = ProviderClient(req.ProviderData, &resp.Diagnostics)
}

func (d *relatedDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	ValidateDataSourceTimeouts(ctx, req.Config, &resp.Diagnostics)
}

func (d *relatedDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	r := d.rel
	cfg, ctx, cancel, ok := readConfig(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := Values(cfg.Attributes()).Str("task_id")
	what := fmt.Sprintf("reading the %ss of Intune %s", r.Noun, r.Owner.Noun)

	// The task first: its type decides whether it has the relationship, and an unknown id is
	// told apart from a relationship Graph will not serve.
	task, err := findTask(ctx, d.client, AllTasks(), id, func() bool { return recentlyCreated(d.client, id, timetypes.NewRFC3339Null()) })
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("task_id"), "Intune task not found",
			fmt.Sprintf("No task with id %q exists in Graph.\n\n%s", id, graph.Describe(err)))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(what, graph.Describe(err))
		return
	}
	if task.OdataType != r.Owner.ODataType {
		resp.Diagnostics.AddAttributeError(path.Root("task_id"), "Not "+r.Owner.withArticle(),
			fmt.Sprintf("Task %q is of type %q, not %q, so this data source cannot read its %ss.%s", id, task.OdataType,
				r.Owner.ODataType, r.Noun, r.readRelatedElsewhere(task.OdataType)))
		return
	}

	items := []attr.Value{}
	err = d.client.EachRelated(ctx, AllTasks(), id, r.relationship(), func(it *graph.Item) bool {
		v, diags := r.Items.Flatten(it, nil)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return false
		}
		o, diags := r.Items.Object(v)
		resp.Diagnostics.Append(diags...)
		items = append(items, o)
		return !diags.HasError()
	})
	switch {
	case graph.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("task_id"), "Intune task not found",
			fmt.Sprintf("Task %q was deleted while its %ss were read.\n\n%s", id, r.Noun, graph.Describe(err)))
		return
	case err != nil:
		resp.Diagnostics.AddError(what, graph.Describe(err))
		return
	case resp.Diagnostics.HasError():
		return
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: r.Items.AttrTypes()}, items)
	resp.Diagnostics.Append(diags...)
	storeDataSourceState(ctx, cfg, map[string]attr.Value{"task_id": cfg.Attributes()["task_id"], r.Attribute: list}, resp)
}

// readRelatedElsewhere tells what to use for the same relationship of a task of type odataType: the data
// source that reads it, or that the type has no such relationship.
func (r *Related) readRelatedElsewhere(odataType string) string {
	if other := relatedOf(odataType, r.Nav); other != nil {
		return fmt.Sprintf(" It is %s: read its %ss with data.%s instead.", other.Owner.withArticle(), other.Noun, other.DataSourceType())
	}
	if e := ManagedBy(odataType); e != nil {
		return fmt.Sprintf(" It is %s, and %ss have no %s relationship in Graph.", e.withArticle(), e.Noun, r.Nav)
	}
	return fmt.Sprintf(" Graph's %s type has no %s relationship this provider knows of.", strings.TrimPrefix(odataType, "#"), r.Nav)
}

// managedDevice is what the SDK models of a task's vulnerable devices have in common
// (vulnerableManagedDevice, appVulnerabilityManagedDevice: the same three properties).
type managedDevice interface {
	GetId() *string
	GetDisplayName() *string
	GetManagedDeviceId() *string
	GetLastSyncDateTime() *time.Time
}

// ManagedDeviceItems is the table of a device a task is about; T is the item type's SDK model.
func ManagedDeviceItems[T managedDevice]() Table {
	return Table{
		Computed(String("id", "id", "The device's Microsoft Entra device id (`id`).", T.GetId)),
		String("managed_device_id", "managedDeviceId", "The device's Intune managed device id (`managedDeviceId`).", T.GetManagedDeviceId),
		String("display_name", "displayName", "The device's name (`displayName`).", T.GetDisplayName),
		DateTime("last_sync_date_time", "lastSyncDateTime", "When the device last synced with Intune (`lastSyncDateTime`), RFC 3339 "+
			"in UTC; null when Graph holds its unset value, `0001-01-01T00:00:00Z`, for a device that never synced.", T.GetLastSyncDateTime),
	}
}
