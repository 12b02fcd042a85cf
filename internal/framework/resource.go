package framework

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
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
	_ resource.Resource                = (*Resource)(nil)
	_ resource.ResourceWithConfigure   = (*Resource)(nil)
	_ resource.ResourceWithImportState = (*Resource)(nil)
	_ resource.ResourceWithIdentity    = (*Resource)(nil)
	_ resource.ResourceWithModifyPlan  = (*Resource)(nil)
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

// NewResource returns the resource of entity e. Every task type's resource is this one type: what
// differs between them is e's table.
func NewResource(e *Entity) func() resource.Resource {
	return func() resource.Resource { return &Resource{entity: e} }
}

// Resource is the resource of one task type.
type Resource struct {
	entity *Entity
	client *graph.Client
}

// state is a resource's state or plan: the table's values plus what only Terraform knows.
type state struct {
	values     Values
	statusNote types.String
	timeouts   timeouts.Value
	types      map[string]attr.Type
}

// stateGetter is a plan, a state or a config.
type stateGetter interface {
	Get(context.Context, any) diag.Diagnostics
}

func (r *Resource) load(ctx context.Context, from stateGetter, diags *diag.Diagnostics) state {
	var obj types.Object
	diags.Append(from.Get(ctx, &obj)...)
	s := state{values: Values{}, statusNote: types.StringNull(), types: obj.AttributeTypes(ctx)}
	for k, v := range obj.Attributes() {
		switch k {
		case "status_note":
			s.statusNote, _ = v.(types.String)
		case "timeouts":
			s.timeouts, _ = v.(timeouts.Value)
		default:
			s.values[k] = v
		}
	}
	return s
}

// stateSetter is what the store functions write to: the response's state.
type stateSetter interface {
	Set(context.Context, any) diag.Diagnostics
}

func (s state) store(ctx context.Context, to stateSetter, diags *diag.Diagnostics) {
	vals := map[string]attr.Value{"status_note": s.statusNote, "timeouts": s.timeouts}
	for k, v := range s.values {
		vals[k] = v
	}
	obj, d := types.ObjectValue(s.types, vals)
	diags.Append(d...)
	if d.HasError() {
		return
	}
	diags.Append(to.Set(ctx, obj)...)
}

func (r *Resource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.entity.TypeName
}

func (r *Resource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.entity.ResourceSchema(ctx)
}

// identityModel is the resource identity of every task: its Graph id, which is all Graph needs to
// find it.
type identityModel struct {
	ID types.String `tfsdk:"id"`
}

func (r *Resource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
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

func (r *Resource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = ProviderClient(req.ProviderData, &resp.Diagnostics)
}

// WithTimeout bounds ctx by the operation's timeout from the timeouts block (timeout is one of
// timeouts.Value's methods), or by def; ok is false when the block's value is unusable.
//
// A timeout of zero or less is refused at plan time, but state written before that may hold one,
// and Read and Delete take their timeout from state: it means def, not a deadline already passed,
// so a refresh with the fixed configuration reaches Graph and the apply replaces the value.
func WithTimeout(ctx context.Context, timeout func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	d, dd := timeout(ctx, def)
	diags.Append(dd...)
	if dd.HasError() {
		return ctx, func() {}, false
	}
	if d <= 0 {
		d = def
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, true
}

// summary is a diagnostic's summary for doing something to the entity: "creating Intune security
// configuration task".
func (r *Resource) summary(doing string) string {
	return doing + " Intune " + r.entity.Noun
}

// ModifyPlan warns when a plan creates a task with status_note: the create sets the status in its
// own request, which has no note, so the note is recorded only with a later change of status.
func (r *Resource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var note types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("status_note"), &note)...)
	if note.IsNull() || note.IsUnknown() || note.ValueString() == "" {
		return
	}
	resp.Diagnostics.AddAttributeWarning(path.Root("status_note"), "status_note is not recorded when the task is created",
		"Graph records a note only with a change of status through its updateStatus action. Creating "+r.entity.withArticle()+
			" sets its status in the create request itself, which carries no note, so this note is kept in state but not "+
			"sent to Graph. It is sent with the next change of status, or leave it out until then.")
}

func (r *Resource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan := r.load(ctx, req.Plan, &resp.Diagnostics)
	config := r.load(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := WithTimeout(ctx, plan.timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	body := r.entity.New()
	if _, diags := r.entity.Table.Expand(ctx, body, plan.values, nil); diags.HasError() {
		resp.Diagnostics.Append(diags...)
		return
	}
	task, err := r.create(ctx, body, plan.values)
	if task != nil {
		// The id reaches state before anything else can fail, so a later error taints the task
		// instead of orphaning it.
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), task.ID)...)
		setIdentity(ctx, resp.Identity, task.ID, &resp.Diagnostics)
	}
	if err != nil {
		resp.Diagnostics.AddError(r.summary("creating"), graph.Describe(err))
		return
	}
	if task.Model == nil {
		// Graph's answer named the new task but did not carry it: read it.
		if task, err = r.find(ctx, task.ID, plan.values); err != nil {
			resp.Diagnostics.AddError(r.summary("reading")+" after create", graph.Describe(err))
			return
		}
	}
	r.storeCreated(ctx, task, plan, config, &resp.State, &resp.Diagnostics)
}

func (r *Resource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	st := r.load(ctx, req.State, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := WithTimeout(ctx, st.timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	id := st.values.Str("id")
	// This resource's task: no create-recovery lookup of this run may adopt it.
	r.client.Claims().Claim(id)
	// Set before anything can remove the resource: state written without an identity (by an
	// earlier provider version) must still end a read with one, even when the task is gone.
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
	task, err := r.find(ctx, id, st.values)
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Intune "+r.entity.Noun+" not found",
			fmt.Sprintf("Task %s no longer exists in Graph, so it was removed from state; the next plan creates it again.", id))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(r.summary("reading"), graph.Describe(err))
		return
	}
	r.storeRead(ctx, task, st, &resp.State, &resp.Diagnostics)
}

// find reads a task, with the consistency grace for one created moments ago (findTask).
func (r *Resource) find(ctx context.Context, id string, prior Values) (*graph.Item, error) {
	created, _ := prior["created_date_time"].(timetypes.RFC3339)
	return findTask(ctx, r.client, r.entity.Collection(), id, func() bool { return recentlyCreated(r.client, id, created) })
}

func (r *Resource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan := r.load(ctx, req.Plan, &resp.Diagnostics)
	st := r.load(ctx, req.State, &resp.Diagnostics)
	config := r.load(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := WithTimeout(ctx, plan.timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := st.values.Str("id")
	r.client.Claims().Claim(id)
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)

	// A status change with a note goes through the updateStatus action, which records the note;
	// everything else goes through one PATCH.
	planStatus, _ := plan.values["status"].(types.String)
	patchPlan := maps.Clone(plan.values)
	statusByAction := !planStatus.IsUnknown() && !planStatus.IsNull() && !planStatus.Equal(st.values["status"]) &&
		plan.statusNote.ValueString() != ""
	if statusByAction {
		patchPlan["status"] = st.values["status"]
	}
	body := r.entity.New()
	changed, diags := r.entity.Table.Expand(ctx, body, patchPlan, st.values)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	coll := r.entity.Collection()
	var task *graph.Item
	var err error
	if changed {
		task, err = r.client.Update(ctx, coll, id, body)
		if err != nil {
			resp.Diagnostics.AddError(r.summary("updating"), graph.Describe(err))
			return
		}
	}
	if statusByAction {
		status, perr := parseValue[models.DeviceAppManagementTaskStatus](StatusEnum, planStatus.ValueString())
		if perr != nil {
			resp.Diagnostics.AddError(r.summary("updating")+" status", perr.Error())
			return
		}
		if err := r.client.UpdateTaskStatus(ctx, coll, id, *status, plan.statusNote.ValueStringPointer()); err != nil {
			resp.Diagnostics.AddError(r.summary("updating")+" status", graph.Describe(err))
			return
		}
		task = nil // the PATCH answer, if any, predates the status change
	}
	// Configured values this update does not write may have been changed in Graph since the plan:
	// the re-read waits only for what was written, and state keeps the rest as planned.
	written := r.entity.Table.Written(config.values, plan.values, st.values)
	stale := false
	if task == nil {
		// Graph answered 204, or changed the status by the action, or nothing was patched: read
		// the task until it shows what was written, which a lagging replica may not at once
		// (graph-behaviour.md §8).
		task, stale, err = r.waitShows(ctx, id, plan.values, written, st.values)
		if err != nil {
			resp.Diagnostics.AddError(r.summary("reading")+" after update", graph.Describe(err))
			return
		}
		if stale {
			resp.Diagnostics.AddWarning("Graph does not show the update yet",
				fmt.Sprintf("Task %s was updated, but Graph still answered with earlier values after %s. State holds the values "+
					"that were written; the next refresh shows what Graph holds by then.", id, consistencyWindow))
		}
	}
	r.storeUpdated(ctx, task, plan, config, written, stale, &resp.State, &resp.Diagnostics)
}

func (r *Resource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	st := r.load(ctx, req.State, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := WithTimeout(ctx, st.timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := st.values.Str("id")
	if strings.TrimSpace(id) == "" {
		// Nothing was ever created (or state lost its id); deleting "" would address the collection.
		return
	}
	coll := r.entity.Collection()
	if err := r.client.Delete(ctx, coll, id); err != nil && !graph.IsNotFound(err) {
		resp.Diagnostics.AddError(r.summary("deleting"), graph.Describe(err))
		return
	}
	if err := waitDeleted(ctx, r.client, coll, id); err != nil {
		resp.Diagnostics.AddError("waiting for Intune "+r.entity.Noun+" to be deleted", graph.Describe(err))
	}
}

func (r *Resource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		var im identityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &im)...)
		id = im.ID.ValueString()
	}
	if strings.TrimSpace(id) == "" {
		resp.Diagnostics.AddError(r.summary("importing"),
			fmt.Sprintf("The task's id is empty: give its Graph id, e.g. terraform import %s.example "+
				"5d630f12-0f12-5d63-120f-635d120f635d, or an import block with id = \"...\" or identity = { id = \"...\" }.", r.entity.ResourceType()))
		return
	}
	r.client.Claims().Claim(id)
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
}

// storeRead stores task, read on refresh, flattened onto the state before it.
func (r *Resource) storeRead(ctx context.Context, task *graph.Item, st state, to stateSetter, diags *diag.Diagnostics) {
	if m, ok := r.flattenOwned(task, st, diags); ok {
		st.values = m
		st.store(ctx, to, diags)
	}
}

// storeCreated stores task, read after a create, flattened onto the plan. An Optional+Computed
// attribute the configuration leaves out keeps its planned value even if Graph now holds another
// (someone changed status in the portal after the plan was made): Terraform requires the planned
// value, and the next refresh shows the change.
func (r *Resource) storeCreated(ctx context.Context, task *graph.Item, plan, config state, to stateSetter, diags *diag.Diagnostics) {
	if m, ok := r.flattenOwned(task, plan, diags); ok {
		r.entity.Table.KeepPlannedComputed(m, plan.values, config.values)
		plan.values = m
		plan.store(ctx, to, diags)
	}
}

// storeUpdated stores task, read after an update, like storeCreated. When stale (Graph accepted
// the write but a lagging replica does not show it yet), every configured attribute keeps its
// planned value too. A configured attribute the update did not write (not in written) keeps its
// planned value, with a warning, when Graph now holds another.
func (r *Resource) storeUpdated(ctx context.Context, task *graph.Item, plan, config state, written Values, stale bool,
	to stateSetter, diags *diag.Diagnostics) {
	m, ok := r.flattenOwned(task, plan, diags)
	if !ok {
		return
	}
	r.entity.Table.KeepPlannedComputed(m, plan.values, config.values)
	if stale {
		r.entity.Table.KeepPlannedConfigured(m, plan.values, config.values)
	}
	if kept := r.entity.Table.KeepUnwritten(m, plan.values, config.values, written); len(kept) > 0 {
		diags.AddWarning("Intune "+r.entity.Noun+" changed outside Terraform since the plan",
			fmt.Sprintf("Task %s now holds other values for %s than the plan did. This apply did not change them, so someone "+
				"did after the plan was made (in the Intune portal, or Microsoft Defender for Endpoint). State keeps the "+
				"planned values so that the apply completes; the next plan shows the difference and writes the "+
				"configuration back.", m.Str("id"), strings.Join(kept, ", ")))
	}
	plan.values = m
	plan.store(ctx, to, diags)
}

// flattenOwned flattens task onto prior, refusing a task of another type.
func (r *Resource) flattenOwned(task *graph.Item, prior state, diags *diag.Diagnostics) (Values, bool) {
	if !r.entity.Collection().Owns(task) {
		diags.AddError("Not "+r.entity.withArticle(),
			fmt.Sprintf("Graph returned a task of type %q, not %q. This resource manages only %ss.%s",
				task.OdataType, r.entity.ODataType, r.entity.Noun, importElsewhere(task.OdataType)))
		return nil, false
	}
	m, d := r.entity.Table.Flatten(task, prior.values)
	diags.Append(d...)
	return m, !d.HasError()
}
