package securityconfigurationtask

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

var (
	_ resource.Resource                = (*taskResource)(nil)
	_ resource.ResourceWithConfigure   = (*taskResource)(nil)
	_ resource.ResourceWithImportState = (*taskResource)(nil)
)

const (
	defaultCreateTimeout = 30 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 30 * time.Minute
	defaultDeleteTimeout = 30 * time.Minute

	// consistencyWindow is how long after creation a 404 may only mean Graph's replicas have not
	// caught up, so a read keeps asking instead of dropping the task from state.
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

func (r *taskResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	c, ok := req.ProviderData.(*graph.Client)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("Expected *graph.Client, got %T. Please report this issue to the provider developers.", req.ProviderData))
		return
	}
	r.client = c
}

func (r *taskResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan resourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
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
	if task != nil && task.Model.GetId() != nil {
		// The id reaches state before anything else can fail, so a later error taints the task
		// instead of orphaning it.
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), *task.Model.GetId())...)
	}
	if err != nil {
		resp.Diagnostics.AddError("creating Intune security configuration task", graph.Describe(err))
		if task == nil {
			return
		}
	}
	r.writeState(ctx, task, plan, &resp.State, &resp.Diagnostics)
}

// create POSTs the task. When a POST fails in a way that leaves open whether Graph created the task
// (connection cut, deadline or server error after the body was sent), it looks for the task before
// posting again, so that a retried create never leaves two tasks behind. When it finds the task
// after the operation's deadline, it returns both the task (so it reaches state, tainted) and the error.
func (r *taskResource) create(ctx context.Context, body models.SecurityConfigurationTaskable, plan taskModel) (*graph.Task, error) {
	since := time.Now().Add(-2 * time.Minute) // tolerate clock skew between this machine and Graph
	for attempt := 1; ; attempt++ {
		task, err := r.client.CreateTask(ctx, body)
		if err == nil || !graph.AmbiguousWrite(err) {
			return task, err
		}
		tflog.Warn(ctx, "create ended ambiguously; looking for the task before posting again", map[string]any{"attempt": attempt, "error": err.Error()})
		lookCtx := ctx
		if ctx.Err() != nil {
			// The deadline passed mid-POST: look with a short budget of our own, so that a task
			// Graph did create still reaches state.
			var cancel context.CancelFunc
			lookCtx, cancel = context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
		}
		// Give Graph a moment: a task created by the failed call may take a little while to be listed.
		if sleepCtx(lookCtx, 2*time.Second) != nil {
			return nil, err
		}
		found, lookErr := r.findCreated(lookCtx, plan, since)
		switch {
		case lookErr != nil:
			return nil, fmt.Errorf("%w\n\nThe task may have been created: looking for it failed too (%s). Before applying again, check "+
				"Intune for security configuration tasks named %q created after %s and import the right one with terraform import",
				err, graph.Describe(lookErr), plan.DisplayName.ValueString(), since.UTC().Format(time.RFC3339))
		case len(found) == 1:
			tflog.Info(ctx, "found the task the ambiguous create made", map[string]any{"id": derefString(found[0].Model.GetId())})
			if ctx.Err() != nil {
				return found[0], err
			}
			return found[0], nil
		case len(found) > 1:
			ids := make([]string, len(found))
			for i, f := range found {
				ids[i] = derefString(f.Model.GetId())
			}
			return nil, fmt.Errorf("%w\n\nThe create may have succeeded, and Graph holds %d matching tasks named %q created after %s: %s. "+
				"Keep one with terraform import and delete the others", err, len(found), plan.DisplayName.ValueString(),
				since.UTC().Format(time.RFC3339), strings.Join(ids, ", "))
		}
		if ctx.Err() != nil {
			return nil, err
		}
		tflog.Info(ctx, "the ambiguous create made no task; posting again", map[string]any{"attempt": attempt})
	}
}

// findCreated lists the tasks that this create could have made: same configured values, created
// after since.
func (r *taskResource) findCreated(ctx context.Context, plan taskModel, since time.Time) ([]*graph.Task, error) {
	all, err := r.client.ListTasks(ctx)
	if err != nil {
		return nil, err
	}
	var out []*graph.Task
	for _, t := range all {
		m, ok := t.Security()
		if !ok || m.GetCreatedDateTime() == nil || m.GetCreatedDateTime().Before(since) {
			continue
		}
		got, diags := flattenTask(t, plan)
		if diags.HasError() || !sameConfigured(plan, got) {
			continue
		}
		out = append(out, t)
	}
	return out, nil
}

// sameConfigured compares the configured (non-null, known) attributes of plan with got.
func sameConfigured(plan, got taskModel) bool {
	pairs := [][2]interface {
		IsNull() bool
		IsUnknown() bool
		String() string
	}{
		{plan.DisplayName, got.DisplayName}, {plan.Description, got.Description}, {plan.Creator, got.Creator},
		{plan.CreatorNotes, got.CreatorNotes}, {plan.AssignedTo, got.AssignedTo}, {plan.Insights, got.Insights},
		{plan.DueDateTime, got.DueDateTime}, {plan.Category, got.Category}, {plan.Priority, got.Priority},
		{plan.Status, got.Status}, {plan.EndpointSecurityPolicy, got.EndpointSecurityPolicy},
		{plan.ApplicablePlatform, got.ApplicablePlatform}, {plan.EndpointSecurityPolicyProfile, got.EndpointSecurityPolicyProfile},
		{plan.ManagedDeviceCount, got.ManagedDeviceCount},
	}
	for _, p := range pairs {
		if p[0].IsNull() || p[0].IsUnknown() {
			continue
		}
		if p[0].String() != p[1].String() {
			return false
		}
	}
	return true
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

	task, err := r.get(ctx, state.ID.ValueString(), createdAt(state.taskModel))
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Intune security configuration task not found",
			fmt.Sprintf("Task %s no longer exists in Graph, so it was removed from state; the next plan creates it again.", state.ID.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("reading Intune security configuration task", graph.Describe(err))
		return
	}
	r.writeState(ctx, task, state, &resp.State, &resp.Diagnostics)
}

// get reads a task. A 404 for a task created moments ago may only mean Graph's replicas have not
// caught up, so until the task is consistencyWindow old (and within ctx), a 404 is asked again;
// an older task gets one confirming read.
func (r *taskResource) get(ctx context.Context, id string, created time.Time) (*graph.Task, error) {
	wait := time.Second
	for attempt := 1; ; attempt++ {
		task, err := r.client.GetTask(ctx, id)
		if !graph.IsNotFound(err) {
			return task, err
		}
		young := !created.IsZero() && time.Since(created) < consistencyWindow
		if !young && attempt >= 2 {
			return nil, err
		}
		tflog.Debug(ctx, "task not found; asking again in case Graph is catching up", map[string]any{"id": id, "attempt": attempt})
		if sleepCtx(ctx, wait) != nil {
			return nil, err
		}
		wait = min(wait*2, 5*time.Second)
	}
}

func createdAt(m taskModel) time.Time {
	if m.CreatedDateTime.IsNull() || m.CreatedDateTime.IsUnknown() {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, m.CreatedDateTime.ValueString())
	return t
}

func (r *taskResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state resourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
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
		if err := r.client.UpdateTaskStatus(ctx, id, *status, plan.StatusNote.ValueString()); err != nil {
			resp.Diagnostics.AddError("updating Intune security configuration task status", graph.Describe(err))
			return
		}
		task = nil // the PATCH answer, if any, predates the status change
	}
	if task == nil {
		// Graph answered 204 (or nothing was patched): read the task to learn its values.
		task, err = r.get(ctx, id, createdAt(state.taskModel))
		if err != nil {
			resp.Diagnostics.AddError("reading Intune security configuration task after update", graph.Describe(err))
			return
		}
	}
	r.writeState(ctx, task, plan, &resp.State, &resp.Diagnostics)
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
	if err := r.waitGone(ctx, id); err != nil {
		resp.Diagnostics.AddError("waiting for Intune security configuration task to be deleted", graph.Describe(err))
	}
}

// waitGone reads the task until Graph reports it gone, so that a re-create in the same apply does
// not race a delete still being replicated.
func (r *taskResource) waitGone(ctx context.Context, id string) error {
	wait := 500 * time.Millisecond
	for {
		_, err := r.client.GetTask(ctx, id)
		if graph.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return fmt.Errorf("task %s still exists after the delete: %w", id, err)
		}
		wait = min(wait*2, 5*time.Second)
	}
}

func (r *taskResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if strings.TrimSpace(req.ID) == "" {
		resp.Diagnostics.AddError("importing Intune security configuration task", "The import id is empty: give the task's Graph id, e.g. terraform import intune_security_configuration_task.example 5d630f12-0f12-5d63-120f-635d120f635d.")
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// writeState flattens task onto prior (plan or state) and stores it with the Terraform-only values.
type stateSetter interface {
	Set(context.Context, any) diag.Diagnostics
}

func (r *taskResource) writeState(ctx context.Context, task *graph.Task, prior resourceModel, state stateSetter, diags *diag.Diagnostics) {
	m, d := flattenTask(task, prior.taskModel)
	diags.Append(d...)
	if d.HasError() {
		return
	}
	out := resourceModel{taskModel: m, StatusNote: prior.StatusNote, Timeouts: prior.Timeouts}
	diags.Append(state.Set(ctx, &out)...)
}

// sleepCtx waits d, or returns ctx's error if it ends first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
