package service_test

import (
	"slices"
	"testing"

	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
	"github.com/terraform-intune/terraform-provider-intune/internal/service"
)

// The list of every task type meets every registered type's properties, so it repairs each one's
// zone-less date-times, nested ones included: one it missed would fail the whole list.
func TestAllTasksRepairsEveryTypesDateTimes(t *testing.T) {
	all := framework.AllTasks().DateTimes
	for _, e := range service.TaskTypes {
		for _, d := range e.Table.DateTimes() {
			if !slices.Contains(all, d) {
				t.Errorf("the list of every task type does not repair %s's %s", e.GraphName(), d)
			}
		}
	}
	item, err := framework.AllTasks().Parse([]byte(`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","id":"t1",
		"dueDateTime":"2027-02-01T10:00:00.5","unmanagedDevices":[{"deviceName":"pc-1","lastSeenDateTime":"2027-01-01T08:02:18.123"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if item.ID != "t1" {
		t.Errorf("id = %q", item.ID)
	}
}
