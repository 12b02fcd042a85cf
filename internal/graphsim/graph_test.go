package graphsim

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// docsCreateBody is the create example from the Graph docs, verbatim.
const docsCreateBody = `{
  "@odata.type": "#microsoft.graph.securityConfigurationTask",
  "displayName": "Display Name value",
  "description": "Description value",
  "dueDateTime": "2017-01-01T00:02:18.1994089-08:00",
  "category": "advancedThreatProtection",
  "priority": "high",
  "creator": "Creator value",
  "creatorNotes": "Creator Notes value",
  "assignedTo": "Assigned To value",
  "status": "pending",
  "endpointSecurityPolicy": "antivirus",
  "applicablePlatform": "macOS",
  "endpointSecurityPolicyProfile": "antivirus",
  "insights": "Insights value",
  "managedDeviceCount": 2,
  "intendedSettings": [
    { "@odata.type": "microsoft.graph.keyValuePair", "name": "Name value", "value": "Value value" }
  ]
}`

// graphTimeRE is Graph's output form of a date-time: UTC, up to seven
// fractional digits, trailing zeros dropped (graph-behaviour.md §3).
var graphTimeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,6}[1-9])?Z$`)

var allSCTProps = []string{"@odata.type", "id", "displayName", "description", "createdDateTime", "dueDateTime", "category",
	"priority", "creator", "creatorNotes", "assignedTo", "status", "endpointSecurityPolicy", "applicablePlatform",
	"endpointSecurityPolicyProfile", "insights", "managedDeviceCount", "intendedSettings"}

func TestAuthRequired(t *testing.T) {
	e := newEnv(t, Options{})
	expired := e.getToken()
	e.srv.mu.Lock()
	e.srv.tokens[expired] = time.Now().Add(-time.Second)
	e.srv.mu.Unlock()
	cases := []struct{ name, authz, msg string }{
		{"none", "", "Access token is empty."},
		{"empty bearer", "Bearer ", "Access token is empty."},
		{"garbage", "Bearer abc", "IDX14100"},
		{"foreign jwt", "Bearer a.b.c", "Access token validation failure"},
		{"expired", "Bearer " + expired, "Lifetime validation failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := e.newReq(t.Context(), "GET", tasksPath, nil)
			req.Header.Del("Authorization")
			if c.authz != "" {
				req.Header.Set("Authorization", c.authz)
			}
			resp, b := e.send(req)
			ge := graphErr(t, b)
			if resp.StatusCode != 401 || ge.Error.Code != "InvalidAuthenticationToken" || !strings.Contains(ge.Error.Message, c.msg) {
				t.Fatalf("%d %s", resp.StatusCode, b)
			}
			if resp.Header.Get("request-id") == "" || resp.Header.Get("WWW-Authenticate") == "" {
				t.Fatal("missing headers")
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	e := newEnv(t, Options{})
	req := e.newReq(t.Context(), "POST", tasksPath, docsCreateBody)
	req.Header.Set("client-request-id", "11111111-1111-1111-1111-111111111111")
	resp, b := e.send(req)
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	checkGraphHeaders(t, resp, "11111111-1111-1111-1111-111111111111")
	var created map[string]any
	mustJSON(t, b, &created)
	id, _ := created["id"].(string)
	if !guidRE.MatchString(id) {
		t.Fatalf("id %q", id)
	}
	if resp.Header.Get("Location") != e.srv.URL()+tasksPath+"/"+id {
		t.Fatalf("Location %q", resp.Header.Get("Location"))
	}
	if created["@odata.context"] != e.srv.URL()+"/beta/$metadata#deviceAppManagement/deviceAppManagementTasks/$entity" {
		t.Fatalf("context %v", created["@odata.context"])
	}
	for _, k := range allSCTProps {
		if _, ok := created[k]; !ok {
			t.Errorf("property %s missing", k)
		}
	}
	if created["dueDateTime"] != "2017-01-01T08:02:18.1994089Z" || !graphTimeRE.MatchString(created["createdDateTime"].(string)) {
		t.Fatalf("dates %v %v", created["dueDateTime"], created["createdDateTime"])
	}
	kv := created["intendedSettings"].([]any)[0].(map[string]any)
	if kv["@odata.type"] != "microsoft.graph.keyValuePair" || kv["name"] != "Name value" || kv["value"] != "Value value" {
		t.Fatalf("kv %v", kv)
	}
	// Key order: @odata.context, @odata.type, id, ...
	if !bytes.HasPrefix(b, []byte(`{"@odata.context":`)) || !bytes.Contains(b, []byte(`"@odata.type":"#microsoft.graph.securityConfigurationTask","id":"`)) {
		t.Fatalf("order: %s", b)
	}

	// GET: unwrapped.
	resp, b = e.do("GET", tasksPath+"/"+id, nil)
	var got map[string]any
	mustJSON(t, b, &got)
	if resp.StatusCode != 200 || got["value"] != nil || got["displayName"] != "Display Name value" || got["managedDeviceCount"] != float64(2) {
		t.Fatalf("get: %d %s", resp.StatusCode, b)
	}

	// PATCH: partial, full entity back. Only nullable properties clear with
	// null; the others are cleared by writing their unset values
	// (graph-behaviour.md §2.3). id and createdDateTime are ignored.
	resp, b = e.do("PATCH", tasksPath+"/"+id, `{"@odata.type":"#microsoft.graph.securityConfigurationTask","displayName":"new","description":null,"dueDateTime":"0001-01-01T00:00:00Z","managedDeviceCount":0,"intendedSettings":[],"id":"ignored","createdDateTime":"2000-01-01T00:00:00Z"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("patch: %d %s", resp.StatusCode, b)
	}
	var patched map[string]any
	mustJSON(t, b, &patched)
	if patched["displayName"] != "new" || patched["description"] != nil || patched["dueDateTime"] != "0001-01-01T00:00:00Z" ||
		patched["managedDeviceCount"] != float64(0) || len(patched["intendedSettings"].([]any)) != 0 ||
		patched["id"] != id || patched["createdDateTime"] != created["createdDateTime"] || patched["insights"] != "Insights value" {
		t.Fatalf("patched %s", b)
	}
	// PATCH without @odata.type can touch base properties.
	if resp, b = e.do("PATCH", tasksPath+"/"+id, `{"assignedTo":"me"}`); resp.StatusCode != 200 {
		t.Fatalf("patch base: %d %s", resp.StatusCode, b)
	}

	// updateStatus: 204, status set, note kept but never served.
	resp, b = e.do("POST", tasksPath+"/"+id+"/updateStatus", `{"status":"completed","note":"Note value"}`)
	if resp.StatusCode != 204 || len(b) != 0 {
		t.Fatalf("updateStatus: %d %s", resp.StatusCode, b)
	}
	stored, _ := e.srv.Task(id)
	if note, _ := e.srv.TaskNote(id); stored["status"] != "completed" || note != "Note value" {
		t.Fatalf("stored %v note %q", stored, note)
	}
	_, b = e.do("GET", tasksPath+"/"+id, nil)
	if bytes.Contains(b, []byte("Note value")) || bytes.Contains(b, []byte(`"note"`)) {
		t.Fatalf("note served: %s", b)
	}

	// DELETE then 404s with Intune's wrapped message.
	if resp, _ = e.do("DELETE", tasksPath+"/"+id, nil); resp.StatusCode != 204 {
		t.Fatalf("delete %d", resp.StatusCode)
	}
	for _, m := range []string{"GET", "DELETE", "PATCH"} {
		var body any
		if m == "PATCH" {
			body = `{"displayName":"x"}`
		}
		resp, b = e.do(m, tasksPath+"/"+id, body)
		ge := graphErr(t, b)
		if resp.StatusCode != 404 || ge.Error.Code != "ResourceNotFound" || !strings.Contains(ge.Error.Message, `"_version": 3`) ||
			!strings.Contains(ge.Error.Message, "Activity ID: "+resp.Header.Get("request-id")) || !strings.Contains(ge.Error.Message, "\r\n") {
			t.Fatalf("%s after delete: %d %s", m, resp.StatusCode, b)
		}
	}
	resp, b = e.do("POST", tasksPath+"/"+id+"/updateStatus", `{"status":"active"}`)
	if resp.StatusCode != 404 {
		t.Fatalf("updateStatus missing: %d %s", resp.StatusCode, b)
	}
	if e.srv.Count("POST", RouteTasks) != 1 || e.srv.Count("GET", RouteTask) != 3 || e.srv.Count("POST", RouteUpdateStatus) != 2 || e.srv.Count("", RouteTask) != 8 {
		t.Fatalf("counts %v", e.srv.Counts())
	}
}

func checkGraphHeaders(t *testing.T, resp *http.Response, clientReqID string) {
	t.Helper()
	if !guidRE.MatchString(resp.Header.Get("request-id")) || resp.Header.Get("client-request-id") != clientReqID ||
		resp.Header.Get("x-ms-ags-diagnostic") == "" || resp.Header.Get("Date") == "" {
		t.Fatalf("headers %v", resp.Header)
	}
	if ct := resp.Header.Get("Content-Type"); ct != graphContentType {
		t.Fatalf("content type %q", ct)
	}
}

func TestDefaultsAndDates(t *testing.T) {
	e := newEnv(t, Options{})
	m := e.create(map[string]any{"displayName": nil})
	want := map[string]any{"displayName": nil, "description": nil, "dueDateTime": "0001-01-01T00:00:00Z", "category": "unknown", "priority": "none",
		"creator": nil, "creatorNotes": nil, "assignedTo": nil, "status": "unknown", "endpointSecurityPolicy": "unknown",
		"applicablePlatform": "unknown", "endpointSecurityPolicyProfile": "unknown", "insights": nil, "managedDeviceCount": float64(0)}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %v, want %v", k, m[k], v)
		}
	}
	if s, ok := m["intendedSettings"].([]any); !ok || len(s) != 0 {
		t.Errorf("intendedSettings %v", m["intendedSettings"])
	}
	// Without '#' on @odata.type, and key-value pairs without a type.
	resp, b := e.do("POST", tasksPath, `{"@odata.type":"microsoft.graph.securityConfigurationTask","intendedSettings":[{"name":"a","value":null}]}`)
	if resp.StatusCode != 201 || !bytes.Contains(b, []byte(`"intendedSettings":[{"@odata.type":"microsoft.graph.keyValuePair","name":"a","value":null}]`)) {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}

	dates := []struct{ in, out string }{
		{"2017-01-01T00:02:18.1994089-08:00", "2017-01-01T08:02:18.1994089Z"},
		{"2024-03-04T05:06:07Z", "2024-03-04T05:06:07Z"},
		{"2024-03-04T05:06:07.5+01:00", "2024-03-04T04:06:07.5Z"},
		{"2027-06-30T23:59:59.5000000Z", "2027-06-30T23:59:59.5Z"},
		{"2026-11-30T02:53:59.0726811+00:00", "2026-11-30T02:53:59.0726811Z"},
		{"2024-03-04T05:06:07.00000004Z", "2024-03-04T05:06:07Z"},
		{"0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"},
		{"2024-03-04T05:06:07.890123456+05:30", "2024-03-03T23:36:07.8901235Z"},
		{"2024-12-31T23:59:59.9999999-14:00", "2025-01-01T13:59:59.9999999Z"},
		{"2024-12-31T23:59:59+14:00", "2024-12-31T09:59:59Z"},
		{"9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999Z"},
		{"9999-12-31T23:59:59.99999994Z", "9999-12-31T23:59:59.9999999Z"},
		{"0001-01-01T00:00:00.0000001Z", "0001-01-01T00:00:00.0000001Z"},
		{"0001-01-01T01:00:00+01:00", "0001-01-01T00:00:00Z"},
		{"0001-01-01T00:00:00-14:00", "0001-01-01T14:00:00Z"},
	}
	for _, d := range dates {
		m := e.create(map[string]any{"dueDateTime": d.in})
		if m["dueDateTime"] != d.out {
			t.Errorf("%s -> %v, want %s", d.in, m["dueDateTime"], d.out)
		}
	}
}

func TestValidation(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.create(nil)["id"].(string)
	const sct = `"@odata.type":"#microsoft.graph.securityConfigurationTask"`
	cases := []struct {
		name, method, body string
		status             int
		code, msg          string
		intune             bool
	}{
		{"unknown property", "POST", `{` + sct + `,"foo":1}`, 400, "BadRequest", "The property 'foo' does not exist on type 'microsoft.graph.securityConfigurationTask'. Make sure to only use property names that are defined by the type or mark the type as open type.", false},
		{"property case", "POST", `{` + sct + `,"DisplayName":"x"}`, 400, "BadRequest", "The property 'DisplayName' does not exist", false},
		{"string for int", "POST", `{` + sct + `,"managedDeviceCount":"2"}`, 400, "BadRequest", "Cannot convert a primitive value to the expected type 'Edm.Int32'", false},
		{"fraction for int", "POST", `{` + sct + `,"managedDeviceCount":2.5}`, 400, "BadRequest", "Edm.Int32", false},
		{"number for string", "POST", `{` + sct + `,"displayName":5}`, 400, "BadRequest", "Cannot convert a primitive value to the expected type 'Edm.String'", false},
		{"bool for string", "POST", `{` + sct + `,"insights":true}`, 400, "BadRequest", "Edm.String", false},
		{"object for string", "POST", `{` + sct + `,"displayName":{}}`, 400, "BadRequest", "An unexpected 'StartObject' node was found for property named 'displayName'", false},
		{"enum case", "POST", `{` + sct + `,"status":"Pending"}`, 400, "BadRequest", "Requested value 'Pending' was not found.", false},
		{"enum unknown", "POST", `{` + sct + `,"applicablePlatform":"linux"}`, 400, "BadRequest", "Requested value 'linux' was not found.", false},
		{"enum number", "POST", `{` + sct + `,"priority":1}`, 400, "BadRequest", "Cannot convert a primitive value", false},
		{"enum null", "POST", `{` + sct + `,"category":null}`, 400, "BadRequest", "does not allow null values", false},
		{"count too big", "POST", `{` + sct + `,"managedDeviceCount":65537}`, 400, "BadRequest", "Invalid value 65537 for property 'managedDeviceCount'", true},
		{"count negative", "POST", `{` + sct + `,"managedDeviceCount":-1}`, 400, "BadRequest", "Invalid value -1", true},
		{"date without zone", "POST", `{` + sct + `,"dueDateTime":"2017-01-01T00:02:18"}`, 400, "BadRequest", "Cannot convert the literal '2017-01-01T00:02:18' to the expected type 'Edm.DateTimeOffset'.", false},
		{"date only", "POST", `{` + sct + `,"dueDateTime":"2017-01-01"}`, 400, "BadRequest", "Cannot convert the literal '2017-01-01'", false},
		{"date bad month", "POST", `{` + sct + `,"dueDateTime":"2017-13-01T00:00:00Z"}`, 400, "BadRequest", "Edm.DateTimeOffset", false},
		{"date number", "POST", `{` + sct + `,"dueDateTime":5}`, 400, "BadRequest", "Edm.DateTimeOffset", false},
		// .NET's DateTimeOffset: offsets up to 14 hours, a period before the fraction, and years
		// 0001 to 9999 both as written and once in UTC.
		{"date offset past 14h", "POST", `{` + sct + `,"dueDateTime":"2027-01-01T00:00:00+14:30"}`, 400, "BadRequest", "Cannot convert the literal '2027-01-01T00:00:00+14:30' to the expected type 'Edm.DateTimeOffset'.", false},
		{"date offset minutes", "POST", `{` + sct + `,"dueDateTime":"2027-01-01T00:00:00+05:60"}`, 400, "BadRequest", "Cannot convert the literal '2027-01-01T00:00:00+05:60'", false},
		{"date comma fraction", "POST", `{` + sct + `,"dueDateTime":"2027-01-01T00:00:00,5Z"}`, 400, "BadRequest", "Cannot convert the literal '2027-01-01T00:00:00,5Z'", false},
		{"date year 0000", "POST", `{` + sct + `,"dueDateTime":"0000-12-31T23:30:00-01:00"}`, 400, "BadRequest", "Cannot convert the literal '0000-12-31T23:30:00-01:00' to the expected type 'Edm.DateTimeOffset'.", false},
		{"date before MinValue in UTC", "POST", `{` + sct + `,"dueDateTime":"0001-01-01T00:30:00+01:00"}`, 400, "BadRequest", "Cannot convert the literal '0001-01-01T00:30:00+01:00' to the expected type 'Edm.DateTimeOffset'.", false},
		{"date after MaxValue in UTC", "POST", `{` + sct + `,"dueDateTime":"9999-12-31T23:59:59-01:00"}`, 400, "BadRequest", "Cannot convert the literal '9999-12-31T23:59:59-01:00' to the expected type 'Edm.DateTimeOffset'.", false},
		{"date rounded past MaxValue", "POST", `{` + sct + `,"dueDateTime":"9999-12-31T23:59:59.99999999Z"}`, 400, "BadRequest", "Cannot convert the literal '9999-12-31T23:59:59.99999999Z'", false},
		{"nested date after MaxValue", "POST", `{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","unmanagedDevices":[{"lastSeenDateTime":"9999-12-31T23:00:00-01:00"}]}`, 400, "BadRequest", "Cannot convert the literal '9999-12-31T23:00:00-01:00' to the expected type 'Edm.DateTimeOffset'.", false},
		{"patch date after MaxValue", "PATCH", `{"dueDateTime":"9999-12-31T10:00:00-14:00"}`, 400, "BadRequest", "Cannot convert the literal '9999-12-31T10:00:00-14:00'", false},
		{"settings object", "POST", `{` + sct + `,"intendedSettings":{}}`, 400, "BadRequest", "A 'StartArray' node was expected", false},
		{"settings extra key", "POST", `{` + sct + `,"intendedSettings":[{"name":"a","value":"b","x":1}]}`, 400, "BadRequest", "The property 'x' does not exist on type 'microsoft.graph.keyValuePair'", false},
		{"settings number value", "POST", `{` + sct + `,"intendedSettings":[{"name":"a","value":1}]}`, 400, "BadRequest", "Edm.String", false},
		{"settings wrong type", "POST", `{` + sct + `,"intendedSettings":[{"@odata.type":"#microsoft.graph.foo","name":"a"}]}`, 400, "BadRequest", "could not be resolved", false},
		{"settings string item", "POST", `{` + sct + `,"intendedSettings":["a"]}`, 400, "BadRequest", "A 'StartObject' node was expected", false},
		{"missing type", "POST", `{"displayName":"x"}`, 400, "No method match route template", noRouteMessage, false},
		{"base type", "POST", `{"@odata.type":"#microsoft.graph.deviceAppManagementTask"}`, 400, "No method match route template", noRouteMessage, false},
		{"sibling's property", "POST", `{` + sct + `,"appName":"x"}`, 400, "BadRequest", "The property 'appName' does not exist on type 'microsoft.graph.securityConfigurationTask'.", false},
		{"entity type", "POST", `{"@odata.type":"#microsoft.graph.vulnerableManagedDevice"}`, 400, "BadRequest", "A resource with type 'microsoft.graph.vulnerableManagedDevice' was found, but it is not assignable to the expected type 'microsoft.graph.deviceAppManagementTask'.", false},
		{"complex type", "POST", `{"@odata.type":"#microsoft.graph.keyValuePair"}`, 400, "BadRequest", "Incompatible type kinds were found. The type 'microsoft.graph.keyValuePair' was found to be of kind 'Complex' instead of the expected kind 'Entity'.", false},
		{"type not first", "POST", `{"displayName":"x",` + sct + `}`, 400, "BadRequest", "The 'odata.type' instance annotation in a resource object is preceded by an invalid property.", false},
		{"type after context", "PATCH", `{"@odata.context":"x",` + sct + `,"displayName":"x"}`, 200, "", "", false},
		{"item type not first", "POST", `{` + sct + `,"intendedSettings":[{"name":"a","@odata.type":"#microsoft.graph.keyValuePair"}]}`, 400, "BadRequest", "preceded by an invalid property", false},
		{"navigation deep insert", "POST", `{` + sct + `,"managedDevices":[]}`, 400, "ModelValidationFailure", "navigation property 'managedDevices'", false},
		{"navigation patch", "PATCH", `{` + sct + `,"managedDevices":[{"displayName":"d"}]}`, 400, "ModelValidationFailure", "Cannot apply PATCH to navigation property 'managedDevices' on entity type 'microsoft.graph.securityConfigurationTask'.", false},
		{"navigation object", "PATCH", `{` + sct + `,"managedDevices":{}}`, 400, "BadRequest", "A node of type 'StartObject' was read from the JSON reader when trying to read the contents of the property 'managedDevices'; however, a 'StartArray' node was expected.", false},
		{"unknown type", "POST", `{"@odata.type":"#microsoft.graph.user"}`, 400, "BadRequest", "A type named 'microsoft.graph.user' could not be resolved by the model.", false},
		{"duplicate", "POST", `{` + sct + `,"displayName":"a","displayName":"b"}`, 400, "BadRequest", "Multiple properties with the name 'displayName' were detected", false},
		{"empty body", "POST", ``, 400, "BadRequest", "Empty Payload. JSON content expected.", false},
		{"invalid json", "POST", `{"a":`, 400, "BadRequest", "Invalid JSON.", false},
		{"trailing json", "POST", `{` + sct + `} {}`, 400, "BadRequest", "More than one value was found at the root", false},
		{"array body", "POST", `[]`, 400, "BadRequest", "An unexpected 'StartArray' node was found when reading from the JSON reader. A 'StartObject' node was expected.", false},
		{"patch derived without type", "PATCH", `{"insights":"x"}`, 400, "BadRequest", "The property 'insights' does not exist on type 'microsoft.graph.deviceAppManagementTask'", false},
		{"patch other type", "PATCH", `{"@odata.type":"#microsoft.graph.appVulnerabilityTask","appName":"x"}`, 400, "BadRequest", "does not match", true},
		{"patch enum null", "PATCH", `{"status":null}`, 400, "BadRequest", "'microsoft.graph.deviceAppManagementTaskStatus[Nullable=False]'", false},
		{"status unknown key", "POST /updateStatus", `{"status":"active","foo":1}`, 400, "BadRequest", "The parameter 'foo' in the request payload is not a valid parameter for the operation 'updateStatus'.", false},
		{"status missing", "POST /updateStatus", `{"note":"x"}`, 400, "BadRequest", "'status'", false},
		{"status invalid", "POST /updateStatus", `{"status":"Active"}`, 400, "BadRequest", "Requested value 'Active' was not found.", false},
		{"status null", "POST /updateStatus", `{"status":null}`, 400, "BadRequest", "does not allow null values", false},
		{"note number", "POST /updateStatus", `{"status":"active","note":3}`, 400, "BadRequest", "Edm.String", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, method := tasksPath, c.method
			switch method {
			case "PATCH":
				path += "/" + id
			case "POST /updateStatus":
				method, path = "POST", path+"/"+id+"/updateStatus"
			}
			resp, b := e.do(method, path, c.body)
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.status, b)
			}
			if c.status < 300 {
				return
			}
			ge := graphErr(t, b)
			if ge.Error.Code != c.code || !strings.Contains(ge.Error.Message, c.msg) {
				t.Fatalf("got %s %q", ge.Error.Code, ge.Error.Message)
			}
			if isIntune := strings.HasPrefix(ge.Error.Message, "{\r\n  \"_version\": 3"); isIntune != c.intune {
				t.Fatalf("intune-wrapped=%v, want %v: %q", isIntune, c.intune, ge.Error.Message)
			}
		})
	}
	// Nothing was created or changed by the failures.
	if n := len(e.srv.Tasks()); n != 1 {
		t.Fatalf("%d tasks", n)
	}
	if st, _ := e.srv.Task(id); st["status"] != "unknown" {
		t.Fatalf("status changed: %v", st["status"])
	}
}

func TestBodyEncodings(t *testing.T) {
	e := newEnv(t, Options{})
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	if _, err := zw.Write([]byte(`{"@odata.type":"#microsoft.graph.securityConfigurationTask","displayName":"zipped"}`)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}

	// gzip, sent chunked (unknown length), as kiota's compression handler does.
	req := e.newReq(t.Context(), "POST", tasksPath, nil)
	req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(zb.Bytes())))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	resp, b := e.send(req)
	if resp.StatusCode != 201 || !bytes.Contains(b, []byte(`"displayName":"zipped"`)) {
		t.Fatalf("gzip chunked: %d %s", resp.StatusCode, b)
	}
	last := e.srv.Requests()[len(e.srv.Requests())-1]
	if !strings.Contains(last.Body, "zipped") {
		t.Fatalf("log body not decoded: %q", last.Body)
	}

	// Plain chunked body.
	req = e.newReq(t.Context(), "POST", tasksPath, nil)
	req.Body = io.NopCloser(strings.NewReader(`{"@odata.type":"#microsoft.graph.securityConfigurationTask","displayName":"chunked"}`))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	if resp, b = e.send(req); resp.StatusCode != 201 {
		t.Fatalf("chunked: %d %s", resp.StatusCode, b)
	}

	// gzip header with a plain body (the kiota retry bug, graph-behaviour.md §10.2).
	req = e.newReq(t.Context(), "POST", tasksPath, `{"@odata.type":"#microsoft.graph.securityConfigurationTask"}`)
	req.Header.Set("Content-Encoding", "gzip")
	if resp, b = e.send(req); resp.StatusCode != 400 || !strings.Contains(string(b), "gzip: invalid header") {
		t.Fatalf("bad gzip: %d %s", resp.StatusCode, b)
	}
	req = e.newReq(t.Context(), "POST", tasksPath, `{}`)
	req.Header.Set("Content-Encoding", "br")
	if resp, b = e.send(req); resp.StatusCode != 415 {
		t.Fatalf("br: %d %s", resp.StatusCode, b)
	}
	req = e.newReq(t.Context(), "POST", tasksPath, `{}`)
	req.Header.Set("Content-Type", "text/plain")
	if resp, b = e.send(req); resp.StatusCode != 415 {
		t.Fatalf("text/plain: %d %s", resp.StatusCode, b)
	}
}

func TestPagingAndQuery(t *testing.T) {
	e := newEnv(t, Options{PageSize: 2})
	e.srv.Seed(map[string]any{"@odata.type": "#microsoft.graph.appVulnerabilityTask", "displayName": "avt", "appName": "Contoso"})
	e.create(map[string]any{"displayName": "s1"})
	e.srv.Seed(map[string]any{"@odata.type": "microsoft.graph.unmanagedDeviceDiscoveryTask", "displayName": "ud",
		"unmanagedDevices": []any{map[string]any{"deviceName": "pc-1", "lastSeenDateTime": "2026-01-02T03:04:05+01:00"}, map[string]any{"os": "Linux"}}})
	e.create(map[string]any{"displayName": "s2"})
	e.create(map[string]any{"displayName": "s3"})

	var names, types []string
	next := tasksPath
	pages := 0
	for next != "" {
		resp, b := e.do("GET", next, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		checkGraphHeaders(t, resp, resp.Header.Get("client-request-id"))
		var page struct {
			Context string           `json:"@odata.context"`
			Next    string           `json:"@odata.nextLink"`
			Value   []map[string]any `json:"value"`
		}
		mustJSON(t, b, &page)
		if page.Context != e.srv.URL()+"/beta/$metadata#deviceAppManagement/deviceAppManagementTasks" {
			t.Fatalf("context %q", page.Context)
		}
		if page.Next != "" && (!strings.HasPrefix(page.Next, e.srv.URL()+tasksPath+"?") || !strings.Contains(page.Next, "$skiptoken=")) {
			t.Fatalf("nextLink %q", page.Next)
		}
		for _, v := range page.Value {
			names = append(names, v["displayName"].(string))
			types = append(types, v["@odata.type"].(string))
		}
		next = page.Next
		pages++
	}
	if pages != 3 || strings.Join(names, ",") != "avt,s1,ud,s2,s3" {
		t.Fatalf("pages %d names %v", pages, names)
	}
	if types[0] != "#microsoft.graph.appVulnerabilityTask" || types[2] != "#microsoft.graph.unmanagedDeviceDiscoveryTask" || types[1] != "#microsoft.graph.securityConfigurationTask" {
		t.Fatalf("types %v", types)
	}
	// Sibling types carry base properties plus their own.
	all := e.srv.Tasks()
	if all[0]["appName"] != "Contoso" || all[0]["status"] != "unknown" || all[0]["mitigationType"] != "unknown" || all[0]["mobileAppCount"] != float64(0) {
		t.Fatalf("seeded %v", all[0])
	}
	// Seeded complex values get the unset values of the properties left out
	// and Graph's date-time form, like created ones.
	devs, _ := all[2]["unmanagedDevices"].([]any)
	if len(devs) != 2 || devs[0].(map[string]any)["lastSeenDateTime"] != "2026-01-02T02:04:05Z" ||
		devs[1].(map[string]any)["lastSeenDateTime"] != "0001-01-01T00:00:00Z" || devs[1].(map[string]any)["deviceName"] != nil ||
		devs[0].(map[string]any)["@odata.type"] != "microsoft.graph.unmanagedDevice" {
		t.Fatalf("seeded devices %v", all[2]["unmanagedDevices"])
	}

	// $top is the page size; the dollar is optional on beta; custom options are ignored.
	for _, q := range []string{"?$top=1", "?top=1&foo=bar"} {
		_, b := e.do("GET", tasksPath+q, nil)
		var page struct {
			Next  string `json:"@odata.nextLink"`
			Value []any  `json:"value"`
		}
		mustJSON(t, b, &page)
		if len(page.Value) != 1 || !strings.Contains(page.Next, "$top=1") {
			t.Fatalf("%s: %s", q, b)
		}
	}
	// $count and $select.
	_, b := e.do("GET", tasksPath+"?$count=true&$select=id,displayName,microsoft.graph.securityConfigurationTask/insights&$top=5", nil)
	var page map[string]any
	mustJSON(t, b, &page)
	if page["@odata.count"] != float64(5) || !strings.HasSuffix(page["@odata.context"].(string), "deviceAppManagementTasks(id,displayName,microsoft.graph.securityConfigurationTask/insights)") {
		t.Fatalf("count/select: %s", b)
	}
	// The cast-qualified property applies only to items of that type.
	if first := page["value"].([]any)[0].(map[string]any); len(first) != 3 { // @odata.type, id, displayName
		t.Fatalf("select first %v", first)
	}
	if second := page["value"].([]any)[1].(map[string]any); len(second) != 4 || second["insights"] != nil {
		t.Fatalf("select second %v", second)
	}

	bad := []struct{ q, msg string }{
		{"?$filter=isof('microsoft.graph.foo')", "Cast or IsOf Function must have a type in its arguments."},
		{"?filter=displayName%20eq%20'x", "There is an unterminated string literal at position 17 in 'displayName eq 'x'."},
		{"?$foo=1", "The query parameter '$foo' is not supported."},
		{"?$top=-1", "Invalid value '-1' for $top query option"},
		{"?$top=1&$top=2", "specified more than once"},
		{"?$skiptoken=garbage", "skip token"},
		{"?$orderby=displayName", "not supported"},
		{"?$expand=managedDevices", "not supported"},
		{"?$select=insights", "Could not find a property named 'insights' on type 'microsoft.graph.deviceAppManagementTask'."},
	}
	for _, c := range bad {
		resp, b := e.do("GET", tasksPath+c.q, nil)
		if resp.StatusCode != 400 || graphErr(t, b).Error.Code != "BadRequest" || !strings.Contains(string(b), c.msg) {
			t.Errorf("%s: %d %s", c.q, resp.StatusCode, b)
		}
	}
	id := all[1]["id"].(string)
	if resp, b := e.do("GET", tasksPath+"/"+id+"?$top=1", nil); resp.StatusCode != 400 || !strings.Contains(string(b), "Query option 'Top' is not allowed") {
		t.Errorf("item $top: %d %s", resp.StatusCode, b)
	}
	if resp, b := e.do("GET", tasksPath+"/"+id+"?$select=displayName", nil); resp.StatusCode != 200 || !strings.HasSuffix(mustMap(t, b)["@odata.context"].(string), "(displayName)/$entity") {
		t.Errorf("item $select: %d %s", resp.StatusCode, b)
	}
	if resp, b := e.do("GET", tasksPath+"/$count", nil); resp.StatusCode != 200 || string(b) != "5" {
		t.Errorf("$count: %d %s", resp.StatusCode, b)
	}
}

func mustMap(t *testing.T, b []byte) map[string]any {
	var m map[string]any
	mustJSON(t, b, &m)
	return m
}

func TestRoutingErrors(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.create(nil)["id"].(string)
	cases := []struct {
		method, path string
		status       int
		msg          string
	}{
		{"GET", "/beta/foo", 404, "Resource not found for the segment 'foo'."},
		{"GET", "/beta/deviceAppManagement/mobileApps", 404, "Resource not found for the segment 'mobileApps'."},
		{"GET", tasksPath + "/" + id + "/mobileApps", 404, "Resource not found for the segment 'mobileApps'."},
		{"GET", tasksPath + "/" + id + "/foo", 404, "Resource not found for the segment 'foo'."},
		{"PUT", tasksPath + "/" + id, 405, "does not support http method 'PUT'"},
		{"DELETE", tasksPath, 405, "does not support http method 'DELETE'"},
		{"GET", tasksPath + "/" + id + "/updateStatus", 405, "does not support http method 'GET'"},
	}
	for _, c := range cases {
		resp, b := e.do(c.method, c.path, nil)
		if resp.StatusCode != c.status || graphErr(t, b).Error.Code != "BadRequest" || !strings.Contains(string(b), c.msg) {
			t.Errorf("%s %s: %d %s", c.method, c.path, resp.StatusCode, b)
		}
	}
	// Case-insensitive segments, trailing slash = collection, key in parentheses.
	for _, p := range []string{"/beta/deviceappmanagement/DEVICEAPPMANAGEMENTTASKS", tasksPath + "/"} {
		if resp, b := e.do("GET", p, nil); resp.StatusCode != 200 || !bytes.Contains(b, []byte(`"value":[`)) {
			t.Errorf("%s: %d %s", p, resp.StatusCode, b)
		}
	}
	if resp, b := e.do("GET", tasksPath+"('"+id+"')", nil); resp.StatusCode != 200 || mustMap(t, b)["id"] != id {
		t.Errorf("parens key: %d %s", resp.StatusCode, b)
	}
}

func TestLogRedaction(t *testing.T) {
	e := newEnv(t, Options{})
	e.create(nil)
	e.do("GET", tasksPath, nil)
	logs := e.srv.Requests()
	if len(logs) != 3 { // token, POST, GET
		t.Fatalf("%d log entries", len(logs))
	}
	j, _ := json.Marshal(logs)
	for _, tok := range e.srv.IssuedTokens() {
		if bytes.Contains(j, []byte(tok)) {
			t.Fatal("token leaked into the request log")
		}
	}
	if bytes.Contains(j, []byte(DefaultClientSecret)) || logs[1].Header.Get("Authorization") != "Bearer <redacted>" {
		t.Fatalf("redaction: %s", j)
	}
	if logs[1].Status != 201 || logs[1].Route != RouteTasks || logs[1].Method != "POST" || !strings.Contains(logs[1].Body, `"displayName":"t"`) {
		t.Fatalf("entry %+v", logs[1])
	}
	e.srv.ResetLog()
	if len(e.srv.Requests()) != 0 || e.srv.Count("GET", RouteTasks) != 0 {
		t.Fatal("ResetLog")
	}
}

func TestStoreAPI(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.srv.Seed(map[string]any{"id": "fixed-id", "displayName": "seeded", "dueDateTime": "2020-01-01T01:00:00+01:00"})
	if id != "fixed-id" {
		t.Fatal(id)
	}
	m, ok := e.srv.Task(id)
	if !ok || m["dueDateTime"] != "2020-01-01T00:00:00Z" || m["@odata.type"] != "#microsoft.graph.securityConfigurationTask" {
		t.Fatalf("%v", m)
	}
	if !e.srv.SetRaw(id, "status", "inReview") {
		t.Fatal("SetRaw")
	}
	_, b := e.do("GET", tasksPath+"/"+id, nil)
	if mustMap(t, b)["status"] != "inReview" {
		t.Fatalf("%s", b)
	}
	if !e.srv.DeleteTask(id) || e.srv.DeleteTask(id) {
		t.Fatal("DeleteTask")
	}
	if resp, _ := e.do("GET", tasksPath+"/"+id, nil); resp.StatusCode != 404 {
		t.Fatal("deleted task still served")
	}
	e.create(nil)
	e.srv.Reset()
	if len(e.srv.Tasks()) != 0 || len(e.srv.Requests()) != 0 {
		t.Fatal("Reset")
	}
	// Tokens survive Reset.
	if resp, _ := e.do("GET", tasksPath, nil); resp.StatusCode != 200 {
		t.Fatal("token lost on Reset")
	}
}
