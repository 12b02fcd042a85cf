package securityconfigurationtask

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

var _ list.ListResourceWithConfigure = (*taskListResource)(nil)

// NewListResource is the list resource for `terraform query` (Terraform 1.14+), registered by the
// provider: it finds the security configuration tasks of the tenant, so that tasks Terraform did
// not create (Defender raises most of them) can be brought under management.
func NewListResource() list.ListResource { return &taskListResource{} }

type taskListResource struct{ client *graph.Client }

func (l *taskListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_configuration_task"
}

func (l *taskListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	attrs := map[string]listschema.Attribute{}
	for _, f := range taskFilters {
		attrs[f.name] = listschema.StringAttribute{Optional: true, MarkdownDescription: f.description, Validators: f.validators}
	}
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the Intune security configuration tasks of the tenant for `terraform query`, following every page of " +
			"`/deviceAppManagement/deviceAppManagementTasks` and skipping the collection's other task types. Each result carries the " +
			"task's identity and, with `include_resource`, every attribute, so `terraform query -generate-config-out=FILE` writes " +
			"import and resource blocks that import the tasks with no change planned. The filters are those of the " +
			"`intune_security_configuration_tasks` data source, applied by the provider; they combine with AND.",
		Attributes: attrs,
	}
}

func (l *taskListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

func (l *taskListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var filter taskFilter
	var diags diag.Diagnostics
	if diags.Append(req.Config.Get(ctx, &filter)...); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	// Results go to Terraform as Graph's pages arrive: a query with a limit reads only the pages it
	// needs, and a large tenant is never held in memory at once.
	stream.Results = func(push func(list.ListResult) bool) {
		sent := int64(0)
		err := eachSecurityTask(ctx, l.client, filter, func(f foundTask, d diag.Diagnostics) bool {
			if d.HasError() {
				push(list.ListResult{Diagnostics: d})
				return false
			}
			if req.Limit > 0 && sent >= req.Limit {
				return false
			}
			r := req.NewListResult(ctx)
			r.Diagnostics.Append(d...)
			r.DisplayName = f.model.DisplayName.ValueString()
			r.Diagnostics.Append(r.Identity.Set(ctx, identityModel{ID: types.StringValue(f.task.ID)})...)
			if req.IncludeResource {
				r.Diagnostics.Append(r.Resource.Set(ctx, listedState(f.model))...)
			}
			sent++
			return push(r) && (req.Limit <= 0 || sent < req.Limit)
		})
		if err != nil {
			var d diag.Diagnostics
			d.AddError("listing Intune security configuration tasks", graph.Describe(err))
			push(list.ListResult{Diagnostics: d})
		}
	}
}

// listedState is a found task as the resource's state: what an import of it would hold, with the
// Terraform-only attributes unset.
func listedState(m taskModel) resourceModel {
	return resourceModel{
		taskModel:  m,
		StatusNote: types.StringNull(),
		Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
			"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
		})},
	}
}
