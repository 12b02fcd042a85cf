package framework

import (
	"context"
	"fmt"
	"strings"
	"time"

	listtimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/list/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

var (
	_ list.ListResourceWithConfigure      = (*ListResource)(nil)
	_ list.ListResourceWithValidateConfig = (*ListResource)(nil)
)

// DefaultListTimeout bounds one list block of `terraform query` when its timeouts block does not:
// every page of the collection is read, so it is longer than a data source's read.
const DefaultListTimeout = 10 * time.Minute

// listTimeouts is the list resource's only timeout and its default.
var listTimeouts = map[string]time.Duration{"list": DefaultListTimeout}

// listConfig is a list block's configuration.
type listConfig struct {
	TaskFilter
	Timeouts listtimeouts.Value `tfsdk:"timeouts"`
}

// NewListResource returns entity e's list resource for `terraform query` (Terraform 1.14+): it finds
// the tasks of e's type in the tenant, so that tasks Terraform did not create (Defender raises most
// of them) can be brought under management.
func NewListResource(e *Entity) func() list.ListResource {
	return func() list.ListResource { return &ListResource{entity: e} }
}

// ListResource lists the tasks of an entity's type as resource instances.
type ListResource struct {
	entity *Entity
	client *graph.Client
}

func (l *ListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + l.entity.TypeName
}

func (l *ListResource) ListResourceConfigSchema(ctx context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	attrs := filterListAttributes()
	resp.Schema = listschema.Schema{
		MarkdownDescription: fmt.Sprintf("Finds the Intune %ss of the tenant for `terraform query`, following every page of "+
			"`%s` and skipping the collection's other task types. Each result carries the "+
			"task's identity and, with `include_resource`, every attribute, so `terraform query -generate-config-out=FILE` writes "+
			"import and resource blocks that import the tasks with no change planned. Filters are applied by the provider, "+
			"not by Graph (Graph's support for `$filter` on this collection is undocumented), except `odata_filter`, which Graph applies; they combine with AND.", l.entity.Noun, graph.TasksPath),
		Attributes: attrs,
		Blocks: map[string]listschema.Block{"timeouts": listtimeouts.BlockWithOpts(ctx, listtimeouts.Opts{
			ListDescription: timeoutDescription("listing", DefaultListTimeout),
		})},
	}
}

func (l *ListResource) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	validateTimeouts(ctx, req.Config, listTimeouts, &resp.Diagnostics)
}

func (l *ListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = ProviderClient(req.ProviderData, &resp.Diagnostics)
}

func (l *ListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg listConfig
	var diags diag.Diagnostics
	if diags.Append(req.Config.Get(ctx, &cfg)...); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	// Results go to Terraform as Graph's pages arrive: a query with a limit reads only the pages it
	// needs, and a large tenant is never held in memory at once.
	stream.Results = func(push func(list.ListResult) bool) {
		ctx, cancel, ok := WithTimeout(ctx, cfg.Timeouts.List, DefaultListTimeout, &diags)
		if !ok {
			push(list.ListResult{Diagnostics: diags})
			return
		}
		defer cancel()
		sent := int64(0)
		err := l.entity.each(ctx, l.client, cfg.TaskFilter, func(f Found, d diag.Diagnostics) bool {
			if d.HasError() {
				push(list.ListResult{Diagnostics: d})
				return false
			}
			if req.Limit > 0 && sent >= req.Limit {
				return false
			}
			if strings.TrimSpace(f.Item.ID) == "" {
				// Without an id there is nothing to import: an identity of "" would make an import
				// block that can never work.
				var w diag.Diagnostics
				w.AddWarning("Graph listed an Intune "+l.entity.Noun+" without an id",
					fmt.Sprintf("The task %q came without its id, so it is left out of the results: it cannot be imported. "+
						"A proxy or gateway that rewrites Graph's answers can do this; list again without it.", f.Values.Str("display_name")))
				return push(list.ListResult{Diagnostics: w})
			}
			r := req.NewListResult(ctx)
			r.Diagnostics.Append(d...)
			r.DisplayName = f.Values.Str("display_name")
			r.Diagnostics.Append(r.Identity.Set(ctx, identityModel{ID: types.StringValue(f.Item.ID)})...)
			if req.IncludeResource {
				l.listedState(ctx, l.entity.Table.WithoutUnknownMembers(f.Values, f.Item)).store(ctx, r.Resource, &r.Diagnostics)
			}
			sent++
			return push(r) && (req.Limit <= 0 || sent < req.Limit)
		})
		if err != nil {
			var d diag.Diagnostics
			d.AddError("listing Intune "+l.entity.plural(), graph.Describe(err))
			push(list.ListResult{Diagnostics: d})
		}
	}
}

// listedState is a found task as the resource's state: what an import of it would hold, with the
// Terraform-only attributes unset. The attribute types are the resource schema's.
func (l *ListResource) listedState(ctx context.Context, v Values) state {
	attrTypes := l.entity.ResourceSchema(ctx).Type().(types.ObjectType).AttrTypes
	tt, _ := attrTypes["timeouts"].(timeouts.Type)
	return state{
		values:     v,
		statusNote: types.StringNull(),
		timeouts:   timeouts.Value{Object: types.ObjectNull(tt.AttrTypes)},
		types:      attrTypes,
	}
}
