package graph

import (
	"testing"
)

// FuzzParseTask feeds arbitrary JSON through the task decoder: errors are fine, panics are not.
func FuzzParseTask(f *testing.F) {
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.securityConfigurationTask","id":"i","status":"inReview","dueDateTime":"2017-01-01T00:00:00.1234567","intendedSettings":[{"name":"a","value":null}]}`))
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.appVulnerabilityTask","managedDeviceCount":3000000000}`))
	f.Add([]byte(`{"createdDateTime":12,"category":7}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		task, err := testTasks.Parse(body)
		if err == nil && task == nil {
			t.Fatal("nil task without an error")
		}
	})
}
