package graphhttp

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// FuzzDescribe feeds arbitrary error answers through the error-to-diagnostic path: it must never
// panic (the SDK's own ODataError.Error() does on some of these: graph-behaviour.md §6) and must always
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
		e := NewHTTPError("GET", "/beta/x", status, http.Header{"Content-Type": {contentType}}, body, "crid")
		d := Describe(e)
		if e.StatusCode != status || !strings.HasPrefix(d, fmt.Sprintf("GET /beta/x returned HTTP %d ", status)) {
			t.Fatalf("Describe does not name the status %d: %q", status, d)
		}
		if !strings.Contains(d, "client-request-id: ") {
			t.Fatalf("Describe lost the request ids: %q", d)
		}
		if IsNotFound(e) && (status != http.StatusNotFound || !e.GraphError) {
			t.Fatalf("IsNotFound for HTTP %d, GraphError=%v", status, e.GraphError)
		}
	})
}
