package graph

import (
	"context"

	dam "github.com/microsoftgraph/msgraph-beta-sdk-go/deviceappmanagement"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph/graphhttp"
)

// TasksPath is the path of the polymorphic collection of Intune tasks under the Graph beta root.
const TasksPath = "/deviceAppManagement/deviceAppManagementTasks"

// TaskCollection describes the task collection for the derived task type odataType ("" for every
// type): items parse to the SDK model of their own type, and a 403 names the task permissions.
// dateTimes and enums are the type's date-time and enum properties (see Collection).
func TaskCollection(odataType string, dateTimes []string, enums map[string]func(string) (any, error)) *Collection {
	return &Collection{
		Path:        TasksPath,
		Type:        odataType,
		Factory:     models.CreateDeviceAppManagementTaskFromDiscriminatorValue,
		DateTimes:   dateTimes,
		Enums:       enums,
		Permissions: TaskPermissions,
	}
}

// TaskPermissions are the permissions of the task collection (graph-behaviour.md §11).
var TaskPermissions = graphhttp.TaskPermissions

// UpdateTaskStatus calls the updateStatus action, bound to the base task type so that it works on
// a task of any type, which records a note with the status change; a nil note sends none
// (graph-behaviour.md §13). It sets an absolute status, so a transient failure is retried like a
// PATCH's (at worst, a note whose first sending Graph acted on is recorded twice).
func (c *Client) UpdateTaskStatus(ctx context.Context, coll *Collection, id string, status models.DeviceAppManagementTaskStatus, note *string) error {
	ctx = withRepeatable(ctx)
	body := dam.NewDeviceAppManagementTasksItemUpdateStatusPostRequestBody()
	body.SetStatus(&status)
	body.SetNote(note)
	return c.Action(ctx, coll, id, "updateStatus", body)
}
