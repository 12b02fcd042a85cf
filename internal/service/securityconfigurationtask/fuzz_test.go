package securityconfigurationtask

import (
	"testing"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// FuzzFlatten maps arbitrary Graph JSON into state: any task the decoder accepts must flatten
// without panicking, whatever values, types and extra properties it carries.
func FuzzFlatten(f *testing.F) {
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.securityConfigurationTask","id":"i","displayName":"n","status":"inReview","dueDateTime":"2017-01-01T00:00:00.1234567-08:00","intendedSettings":[{"name":null,"value":null},null],"extra":{"a":[1]}}`))
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.securityConfigurationTask","intendedSettings":[],"managedDeviceCount":null,"category":"Unknown"}`))
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","id":"x"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		task, err := graph.ParseTask(body)
		if err != nil {
			return
		}
		_, _ = flattenTask(task, taskModel{})
	})
}
