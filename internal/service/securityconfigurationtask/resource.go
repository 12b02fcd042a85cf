package securityconfigurationtask

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

var (
	_ resource.Resource                = (*taskResource)(nil)
	_ resource.ResourceWithConfigure   = (*taskResource)(nil)
	_ resource.ResourceWithImportState = (*taskResource)(nil)
	_ resource.ResourceWithIdentity    = (*taskResource)(nil)
)

const (
	defaultCreateTimeout = 30 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 30 * time.Minute
	defaultDeleteTimeout = 30 * time.Minute

	// consistencyWindow is how long Graph's replicas may lag a write: a 404 for a task younger
	// than this may only mean they have not caught up, a list may not show it yet, and a read
	// after an update may still show the old values (graph-behaviour.md §8).
	consistencyWindow = 30 * time.Second
)

// NewResource is registered by the provider.
func NewResource() resource.Resource {
	return &taskResource{}
}

type taskResource struct {
	client *graph.Client
}

// resourceModel is the resource's state: the Graph properties plus what only Terraform knows.
type resourceModel struct {
	taskModel
	StatusNote types.String   `tfsdk:"status_note"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (r *taskResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_configuration_task"
}

func (r *taskResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

// identityModel is the resource identity: the task's Graph id, which is all Graph needs to find it.
type identityModel struct {
	ID types.String `tfsdk:"id"`
}

func (r *taskResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"id": identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "The task's Graph id (`id`).",
		},
	}}
}

// setIdentity records the task's identity. Terraform before 1.12 has no identities, and an
// identity may be missing from state written by an earlier provider version: it is set on every
// create, read, update and import, so it is always there afterwards.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string, diags *diag.Diagnostics) {
	if identity == nil || id == "" {
		return
	}
	diags.Append(identity.Set(ctx, identityModel{ID: types.StringValue(id)})...)
}

func (r *taskResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

func (r *taskResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config resourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	body, _, diags := expandTask(ctx, plan.taskModel, nil)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	task, err := r.create(ctx, body, plan.taskModel)
	if task != nil {
		// The id reaches state before anything else can fail, so a later error taints the task
		// instead of orphaning it.
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), task.ID)...)
		setIdentity(ctx, resp.Identity, task.ID, &resp.Diagnostics)
	}
	if err != nil {
		resp.Diagnostics.AddError("creating Intune security configuration task", graph.Describe(err))
		return
	}
	if task.Model == nil {
		// Graph's answer named the new task but did not carry it: read it.
		if task, err = r.find(ctx, task.ID, plan.CreatedDateTime); err != nil {
			resp.Diagnostics.AddError("reading Intune security configuration task after create", graph.Describe(err))
			return
		}
	}
	r.writeState(ctx, task, plan, &config.taskModel, false, &resp.State, &resp.Diagnostics)
}

func (r *taskResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state resourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := state.ID.ValueString()
	// This resource's task: no create-recovery lookup of this run may adopt it.
	r.client.Claims().Claim(id)
	// Set before anything can remove the resource: state written without an identity (by an
	// earlier provider version) must still end a read with one, even when the task is gone.
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
	task, err := r.find(ctx, id, state.CreatedDateTime)
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Intune security configuration task not found",
			fmt.Sprintf("Task %s no longer exists in Graph, so it was removed from state; the next plan creates it again.", id))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("reading Intune security configuration task", graph.Describe(err))
		return
	}
	r.writeState(ctx, task, state, nil, false, &resp.State, &resp.Diagnostics)
}

// find reads a task, with the consistency grace for one created moments ago (findTask).
func (r *taskResource) find(ctx context.Context, id string, created timetypes.RFC3339) (*graph.Task, error) {
	return findTask(ctx, r.client, id, func() bool { return recentlyCreated(r.client, id, created) })
}

func (r *taskResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, config resourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id := state.ID.ValueString()
	r.client.Claims().Claim(id)
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)

	// A status change with a note goes through the updateStatus action, which records the note;
	// everything else goes through one PATCH.
	patchPlan := plan.taskModel
	statusByAction := !plan.Status.IsUnknown() && !plan.Status.IsNull() && !plan.Status.Equal(state.Status) &&
		plan.StatusNote.ValueString() != ""
	if statusByAction {
		patchPlan.Status = state.Status
	}
	body, changed, diags := expandTask(ctx, patchPlan, &state.taskModel)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var task *graph.Task
	var err error
	if changed {
		task, err = r.client.UpdateTask(ctx, id, body)
		if err != nil {
			resp.Diagnostics.AddError("updating Intune security configuration task", graph.Describe(err))
			return
		}
	}
	if statusByAction {
		status, perr := parseValue[models.DeviceAppManagementTaskStatus](statusEnum, plan.Status.ValueString())
		if perr != nil {
			resp.Diagnostics.AddError("updating Intune security configuration task status", perr.Error())
			return
		}
		if err := r.client.UpdateTaskStatus(ctx, id, *status, plan.StatusNote.ValueStringPointer()); err != nil {
			resp.Diagnostics.AddError("updating Intune security configuration task status", graph.Describe(err))
			return
		}
		task = nil // the PATCH answer, if any, predates the status change
	}
	stale := false
	if task == nil {
		// Graph answered 204, or changed the status by the action, or nothing was patched: read
		// the task until it shows what was written, which a lagging replica may not at once
		// (graph-behaviour.md §8).
		task, stale, err = r.waitShows(ctx, id, plan.taskModel, config.taskModel, state.CreatedDateTime)
		if err != nil {
			resp.Diagnostics.AddError("reading Intune security configuration task after update", graph.Describe(err))
			return
		}
		if stale {
			resp.Diagnostics.AddWarning("Graph does not show the update yet",
				fmt.Sprintf("Task %s was updated, but Graph still answered with earlier values after %s. State holds the values "+
					"that were written; the next refresh shows what Graph holds by then.", id, consistencyWindow))
		}
	}
	r.writeState(ctx, task, plan, &config.taskModel, stale, &resp.State, &resp.Diagnostics)
}

func (r *taskResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state resourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id := state.ID.ValueString()
	if strings.TrimSpace(id) == "" {
		// Nothing was ever created (or state lost its id); deleting "" would address the collection.
		return
	}
	if err := r.client.DeleteTask(ctx, id); err != nil && !graph.IsNotFound(err) {
		resp.Diagnostics.AddError("deleting Intune security configuration task", graph.Describe(err))
		return
	}
	if err := waitTaskDeleted(ctx, r.client, id); err != nil {
		resp.Diagnostics.AddError("waiting for Intune security configuration task to be deleted", graph.Describe(err))
	}
}

func (r *taskResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		var im identityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &im)...)
		id = im.ID.ValueString()
	}
	if strings.TrimSpace(id) == "" {
		resp.Diagnostics.AddError("importing Intune security configuration task",
			"The task's id is empty: give its Graph id, e.g. terraform import intune_security_configuration_task.example "+
				"5d630f12-0f12-5d63-120f-635d120f635d, or an import block with id = \"...\" or identity = { id = \"...\" }.")
		return
	}
	r.client.Claims().Claim(id)
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
}

// writeState flattens task onto prior (the plan, or the state on refresh) and stores it with the
// Terraform-only values. After an apply (config not nil), an Optional+Computed attribute the
// configuration leaves out keeps its planned value even if Graph now holds another (someone
// changed status in the portal after the plan was made): Terraform requires the planned value, and
// the next refresh shows the change. With stale, every configured attribute keeps its planned
// value too: Graph accepted the write but a lagging replica does not show it yet.
func (r *taskResource) writeState(ctx context.Context, task *graph.Task, prior resourceModel, config *taskModel, stale bool, state stateSetter, diags *diag.Diagnostics) {
	m, d := flattenTask(task, prior.taskModel)
	diags.Append(d...)
	if d.HasError() {
		return
	}
	if config != nil {
		keepPlanned(&m, prior.taskModel, *config, stale)
	}
	out := resourceModel{taskModel: m, StatusNote: prior.StatusNote, Timeouts: prior.Timeouts}
	diags.Append(state.Set(ctx, &out)...)
}

// stateSetter is what writeState writes to: the response's state.
type stateSetter interface {
	Set(context.Context, any) diag.Diagnostics
}
