package graph

import (
	"net/http"
	"testing"
)

// FuzzDescribe feeds arbitrary error answers through the error-to-diagnostic path: it must never
// panic (the SDK's own ODataError.Error() does on some of these: CONTRACT.md G8) and must always
// name the status.
func FuzzDescribe(f *testing.F) {
	f.Add(404, "application/json", []byte(`{"error":{"code":"ResourceNotFound","message":"{\"_version\":3,\"Message\":\"An error has occurred - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: 11111111-1111-1111-1111-111111111111 - Url: x\"}","innerError":{"request-id":"r"}}}`))
	f.Add(500, "application/json", []byte(`{}`))
	f.Add(502, "text/html", []byte(`<html><body>Bad Gateway</body></html>`))
	f.Add(400, "application/json", []byte(`{"error":null}`))
	f.Add(429, "", []byte(`{"error":{"message":"{not json"}}`))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 400 || status > 599 {
			return
		}
		e := newHTTPError("GET", "/beta/x", status, http.Header{"Content-Type": {contentType}}, body, "crid")
		d := Describe(e)
		if d == "" || e.StatusCode != status {
			t.Fatalf("Describe lost the status: %q", d)
		}
	})
}

// FuzzParseTask feeds arbitrary JSON through the task decoder: errors are fine, panics are not.
func FuzzParseTask(f *testing.F) {
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.securityConfigurationTask","id":"i","status":"inReview","dueDateTime":"2017-01-01T00:00:00.1234567","intendedSettings":[{"name":"a","value":null}]}`))
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.appVulnerabilityTask","managedDeviceCount":3000000000}`))
	f.Add([]byte(`{"createdDateTime":12,"category":7}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		task, err := ParseTask(body)
		if err == nil && task == nil {
			t.Fatal("nil task without an error")
		}
	})
}
