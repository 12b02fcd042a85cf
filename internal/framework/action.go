package framework

import (
	"context"
	"fmt"
	"time"

	actiontimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

var (
	_ action.ActionWithConfigure      = (*updateStatusAction)(nil)
	_ action.ActionWithValidateConfig = (*updateStatusAction)(nil)
)

// updateStatusTimeout bounds one invocation when its timeouts block does not: a read and the
// status change, with Graph's retries.
const updateStatusTimeout = 10 * time.Minute

// actionTimeouts is the action's only timeout and its default.
var actionTimeouts = map[string]time.Duration{"invoke": updateStatusTimeout}

// NewUpdateStatusAction is the action that changes any task's status through Graph's updateStatus
// (Terraform 1.14+), registered by the provider.
func NewUpdateStatusAction() action.Action { return &updateStatusAction{} }

type updateStatusAction struct{ client *graph.Client }

type updateStatusModel struct {
	TaskID   types.String         `tfsdk:"task_id"`
	Status   types.String         `tfsdk:"status"`
	Note     types.String         `tfsdk:"note"`
	Timeouts actiontimeouts.Value `tfsdk:"timeouts"`
}

func (a *updateStatusAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_task_update_status"
}

func (a *updateStatusAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = actionschema.Schema{
		MarkdownDescription: "Changes the status of an Intune task, with a note, through Microsoft Graph's `updateStatus` action " +
			"(`POST /deviceAppManagement/deviceAppManagementTasks/{id}/updateStatus`). It works on a task of any type in the " +
			"collection (security configuration, app vulnerability, unmanaged device discovery), whether or not Terraform manages it: " +
			"it is how an admin accepts (`active`), completes or rejects a task Microsoft Defender raised.\n\n" +
			"Invoke it with `terraform apply -invoke=action.intune_security_task_update_status.<name>`, or from a resource's " +
			"`lifecycle { action_trigger { ... } }`. For a task that a resource of this provider manages (`intune_security_configuration_task`, `intune_app_vulnerability_task`, `intune_unmanaged_device_discovery_task`), " +
			"prefer that resource's `status` and `status_note`: they change the status the same way and keep it in state; " +
			"changing the status of such a task with this action makes the resource plan to change it back, unless the " +
			"resource leaves `status` unconfigured.\n\n" +
			"Requires the Microsoft Graph application permission `" + RequiredPermission + "`.",
		Attributes: map[string]actionschema.Attribute{
			"task_id": actionschema.StringAttribute{
				MarkdownDescription: "The Graph id of the task (`id`), of any task type.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"status": actionschema.StringAttribute{
				MarkdownDescription: "The new status (`status`): " + StatusEnum.Markdown() + ". Case-sensitive.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.OneOf(StatusEnum.Values...)},
			},
			"note": actionschema.StringAttribute{
				MarkdownDescription: "A note recorded with the change (`note`), in ASCII characters only: Graph's metadata declares it " +
					"non-Unicode. Graph does not return it, so it cannot be read back afterwards.",
				Optional:   true,
				Validators: []validator.String{noteASCII},
			},
		},
		Blocks: map[string]actionschema.Block{"timeouts": actiontimeouts.BlockWithOpts(ctx, actiontimeouts.Opts{
			InvokeDescription: timeoutDescription("one invocation (the task's read and its status change)", updateStatusTimeout),
		})},
	}
}

func (a *updateStatusAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	validateTimeouts(ctx, req.Config, actionTimeouts, &resp.Diagnostics)
}

func (a *updateStatusAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = ProviderClient(req.ProviderData, &resp.Diagnostics)
}

func (a *updateStatusAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg updateStatusModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := WithTimeout(ctx, cfg.Timeouts.Invoke, updateStatusTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id, want := cfg.TaskID.ValueString(), cfg.Status.ValueString()
	status, err := parseValue[models.DeviceAppManagementTaskStatus](StatusEnum, want)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("status"), "changing an Intune task's status", err.Error())
		return
	}
	// Read the task first: a wrong id fails clearly, and the progress names what changes.
	task, err := findTask(ctx, a.client, AllTasks(), id, func() bool { return false })
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("task_id"), "Intune task not found",
			fmt.Sprintf("No task with id %q exists in Graph.\n\n%s", id, graph.Describe(err)))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("reading the Intune task before changing its status", graph.Describe(err))
		return
	}
	base, _ := TaskBase().Flatten(task, nil)
	from, name := base.Str("status"), base.Str("display_name")
	if from == "" {
		from = "unknown"
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Changing the status of %s %q (%s) from %s to %s",
		task.OdataType, name, id, from, want)})
	if err := a.client.UpdateTaskStatus(ctx, AllTasks(), id, *status, cfg.Note.ValueStringPointer()); err != nil {
		resp.Diagnostics.AddError("changing an Intune task's status", graph.Describe(err))
		return
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Task %s is now %s", id, want)})
}
