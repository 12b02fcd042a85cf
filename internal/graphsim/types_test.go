package graphsim

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// sortedTaskTypes lists the collection's task types in a stable order.
func sortedTaskTypes() []*structuredType {
	var out []*structuredType
	for _, t := range taskTypes {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// wantNullError is ODataLib's message for a null the CSDL does not allow,
// spelled out here independently of the emulator's code
// (graph-behaviour.md §2.3).
func wantNullError(prop, typeName string, collection bool) string {
	if collection {
		return fmt.Sprintf("A null value was found for the property named '%s', which has the expected type '%s[Nullable=True]'. The expected type '%s[Nullable=True]' cannot be null but it can have null values.", prop, typeName, typeName)
	}
	return fmt.Sprintf("A null value was found for the property named '%s', which has the expected type '%s[Nullable=False]'. The expected type '%s[Nullable=False]' does not allow null values.", prop, typeName, typeName)
}

// TestNullForNonNullable walks the CSDL's table, so no property can be
// skipped: every non-nullable property (and every collection) of every task
// type refuses null in POST and PATCH with ODataLib's message; every nullable
// one accepts it.
func TestNullForNonNullable(t *testing.T) {
	e := newEnv(t, Options{})
	for _, typ := range sortedTaskTypes() {
		at := `"@odata.type":"#` + typ.name + `"`
		resp, b := e.do("POST", tasksPath, `{`+at+`}`)
		if resp.StatusCode != 201 {
			t.Fatalf("create %s: %d %s", typ.name, resp.StatusCode, b)
		}
		id := mustMap(t, b)["id"].(string)
		for _, p := range typ.props {
			refused := !p.nullable || p.kind == kComplexCollection
			for _, method := range []string{"POST", "PATCH"} {
				path := tasksPath
				if method == "PATCH" {
					path += "/" + id
				}
				resp, b := e.do(method, path, `{`+at+`,"`+p.name+`":null}`)
				if !refused {
					if resp.StatusCode >= 300 || mustMap(t, b)[p.name] != nil {
						t.Errorf("%s %s.%s = null: %d %s", method, typ.name, p.name, resp.StatusCode, b)
					}
					continue
				}
				if resp.StatusCode != 400 {
					t.Errorf("%s %s.%s = null: %d %s", method, typ.name, p.name, resp.StatusCode, b)
					continue
				}
				ge := graphErr(t, b)
				want := wantNullError(p.name, p.typeName, p.kind == kComplexCollection)
				if ge.Error.Code != "BadRequest" || ge.Error.Message != want {
					t.Errorf("%s %s.%s = null:\n got %s %q\nwant BadRequest %q", method, typ.name, p.name, ge.Error.Code, ge.Error.Message, want)
				}
			}
		}
	}
	// The messages name the types as the brief examples do.
	for prop, typeName := range map[string]string{"dueDateTime": "Edm.DateTimeOffset", "status": "microsoft.graph.deviceAppManagementTaskStatus",
		"managedDeviceCount": "Edm.Int32", "intendedSettings": "Collection(microsoft.graph.keyValuePair)"} {
		p, _ := taskTypes[sctTypeName].prop(prop)
		if p.typeName != typeName {
			t.Errorf("%s is typed %s, want %s", prop, p.typeName, typeName)
		}
	}
}

// TestNullInsideComplexValues: a complex value's non-nullable properties
// refuse null too, and items of a collection whose CSDL property is nullable
// may be null.
func TestNullInsideComplexValues(t *testing.T) {
	e := newEnv(t, Options{})
	for _, typ := range sortedTaskTypes() {
		for _, p := range typ.props {
			if p.kind != kComplexCollection {
				continue
			}
			at := `"@odata.type":"#` + typ.name + `"`
			for _, cp := range p.complex.props {
				body := `{` + at + `,"` + p.name + `":[{"` + cp.name + `":null}]}`
				resp, b := e.do("POST", tasksPath, body)
				if cp.nullable {
					if resp.StatusCode != 201 {
						t.Errorf("%s: %d %s", body, resp.StatusCode, b)
					}
					continue
				}
				want := wantNullError(cp.name, cp.typeName, false)
				if ge := graphErr(t, b); resp.StatusCode != 400 || ge.Error.Code != "BadRequest" || ge.Error.Message != want {
					t.Errorf("%s: %d %s, want %q", body, resp.StatusCode, b, want)
				}
			}
			if !p.nullable {
				continue
			}
			resp, b := e.do("POST", tasksPath, `{`+at+`,"`+p.name+`":[null]}`)
			if resp.StatusCode != 201 || !strings.Contains(string(b), `"`+p.name+`":[null]`) {
				t.Errorf("%s.%s: [null]: %d %s", typ.name, p.name, resp.StatusCode, b)
			}
		}
	}
	// The two complex non-nullable properties the CSDL has are covered.
	kvpName, _ := edm.types[kvpTypeName].prop("name")
	seen, _ := edm.types[udTypeName].prop("lastSeenDateTime")
	if kvpName.nullable || kvpName.typeName != "Edm.String" || seen.nullable || seen.typeName != "Edm.DateTimeOffset" {
		t.Fatalf("%+v %+v", kvpName, seen)
	}
}

// TestCreateEachType creates each of the three task types with its own
// properties.
func TestCreateEachType(t *testing.T) {
	e := newEnv(t, Options{})
	cases := []struct {
		body string
		want map[string]any
	}{
		{`{"@odata.type":"#microsoft.graph.securityConfigurationTask","displayName":"sct","endpointSecurityPolicy":"firewall",
		  "applicablePlatform":"windows10AndLater","endpointSecurityPolicyProfile":"firewallRules","insights":"i","managedDeviceCount":7,
		  "intendedSettings":[{"name":"n","value":"v"}]}`,
			map[string]any{"displayName": "sct", "endpointSecurityPolicy": "firewall", "applicablePlatform": "windows10AndLater",
				"endpointSecurityPolicyProfile": "firewallRules", "insights": "i", "managedDeviceCount": float64(7)}},
		{`{"@odata.type":"#microsoft.graph.appVulnerabilityTask","displayName":"avt","appName":"Contoso","appPublisher":"Contoso Ltd",
		  "appVersion":"1.2","insights":"old","remediation":"update it","managedDeviceCount":70000,"mobileAppCount":3,
		  "mitigationType":"securityConfiguration","dueDateTime":"2027-06-30T23:59:59.5000000+00:00"}`,
			map[string]any{"displayName": "avt", "appName": "Contoso", "appPublisher": "Contoso Ltd", "appVersion": "1.2", "insights": "old",
				"remediation": "update it", "managedDeviceCount": float64(70000), "mobileAppCount": float64(3),
				"mitigationType": "securityConfiguration", "dueDateTime": "2027-06-30T23:59:59.5Z"}},
		{`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","displayName":"ud","unmanagedDevices":[
		  {"@odata.type":"#microsoft.graph.unmanagedDevice","deviceName":"pc-1","os":"Windows","osVersion":"11","ipAddress":"10.0.0.1",
		   "macAddress":"00:11:22:33:44:55","domain":"corp","manufacturer":"m","model":"x","location":"HQ","lastLoggedOnUser":"u",
		   "lastSeenDateTime":"2026-11-30T03:53:59.0726811+01:00"},
		  {"deviceName":"pc-2"}, null]}`,
			map[string]any{"displayName": "ud"}},
	}
	for _, c := range cases {
		resp, b := e.do("POST", tasksPath, c.body)
		if resp.StatusCode != 201 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		got := mustMap(t, b)
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%s: %s = %v, want %v", got["@odata.type"], k, got[k], v)
			}
		}
		// Exactly the type's properties from the CSDL, no more.
		typ := taskTypes[strings.TrimPrefix(got["@odata.type"].(string), "#")]
		if len(got) != len(typ.props)+2 { // + @odata.context, @odata.type
			t.Errorf("%s: %d members for %d properties: %s", typ.name, len(got), len(typ.props), b)
		}
		if id := got["id"].(string); !guidRE.MatchString(id) {
			t.Errorf("id %q", id)
		}
	}
	// The unmanaged devices, in CSDL order with unset values filled in.
	ud := e.srv.Tasks()[2]["unmanagedDevices"].([]any)
	first, _ := json.Marshal(ud[0])
	if ud[0].(map[string]any)["lastSeenDateTime"] != "2026-11-30T02:53:59.0726811Z" ||
		ud[1].(map[string]any)["lastSeenDateTime"] != "0001-01-01T00:00:00Z" || ud[1].(map[string]any)["os"] != nil || ud[2] != nil {
		t.Fatalf("devices %s / %v", first, ud)
	}
	_, got := e.do("GET", tasksPath+"/"+e.srv.Tasks()[2]["id"].(string), nil)
	if !strings.Contains(string(got), `"unmanagedDevices":[{"@odata.type":"microsoft.graph.unmanagedDevice","deviceName":"pc-1","domain":"corp",`) {
		t.Fatalf("device order: %s", got)
	}

	const avt = `"@odata.type":"#microsoft.graph.appVulnerabilityTask"`
	refusals := []struct{ body, code, msg string }{
		// The mitigation type the hand-written table used to invent.
		{`{` + avt + `,"mitigationType":"securityUpdate"}`, "BadRequest", "Requested value 'securityUpdate' was not found."},
		// The property the hand-written table used to invent.
		{`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","unmanagedDeviceCount":1}`, "BadRequest",
			"The property 'unmanagedDeviceCount' does not exist on type 'microsoft.graph.unmanagedDeviceDiscoveryTask'."},
		// A sibling's property.
		{`{` + avt + `,"endpointSecurityPolicy":"antivirus"}`, "BadRequest",
			"The property 'endpointSecurityPolicy' does not exist on type 'microsoft.graph.appVulnerabilityTask'."},
		{`{` + avt + `,"mobileAppCount":"3"}`, "BadRequest", "Cannot convert a primitive value to the expected type 'Edm.Int32'."},
		{`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","unmanagedDevices":[{"@odata.type":"#microsoft.graph.keyValuePair"}]}`,
			"BadRequest", "A resource with type 'microsoft.graph.keyValuePair' was found, but it is not assignable to the expected type 'microsoft.graph.unmanagedDevice'."},
		{`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","unmanagedDevices":[{"lastSeenDateTime":"yesterday"}]}`,
			"BadRequest", "Cannot convert the literal 'yesterday' to the expected type 'Edm.DateTimeOffset'."},
		{`{` + avt + `,"mobileApps":[]}`, "ModelValidationFailure", "navigation property 'mobileApps'"},
	}
	for _, r := range refusals {
		resp, b := e.do("POST", tasksPath, r.body)
		if ge := graphErr(t, b); resp.StatusCode != 400 || ge.Error.Code != r.code || !strings.Contains(ge.Error.Message, r.msg) {
			t.Errorf("%s: %d %s", r.body, resp.StatusCode, b)
		}
	}
	// A PATCH without @odata.type is read as the base type.
	id := e.srv.Tasks()[1]["id"].(string)
	resp, b := e.do("PATCH", tasksPath+"/"+id, `{"appName":"x"}`)
	if ge := graphErr(t, b); resp.StatusCode != 400 || ge.Error.Message != "The property 'appName' does not exist on type 'microsoft.graph.deviceAppManagementTask'. Make sure to only use property names that are defined by the type or mark the type as open type." {
		t.Errorf("untyped PATCH: %d %s", resp.StatusCode, b)
	}
	if resp, b = e.do("PATCH", tasksPath+"/"+id, `{`+avt+`,"appName":"y","mitigationType":"update"}`); resp.StatusCode != 200 || mustMap(t, b)["appName"] != "y" {
		t.Errorf("typed PATCH: %d %s", resp.StatusCode, b)
	}
	// updateStatus is bound to the base type, so it works on every task type.
	if resp, b = e.do("POST", tasksPath+"/"+id+"/updateStatus", `{"status":"rejected","note":null}`); resp.StatusCode != 204 {
		t.Errorf("updateStatus: %d %s", resp.StatusCode, b)
	}
	if m, _ := e.srv.Task(id); m["status"] != "rejected" {
		t.Errorf("status %v", m["status"])
	}
}

// TestSeedMatchesCreate: a seeded task of each type holds the same unset
// values as a created one.
func TestSeedMatchesCreate(t *testing.T) {
	e := newEnv(t, Options{})
	for _, typ := range sortedTaskTypes() {
		resp, b := e.do("POST", tasksPath, `{"@odata.type":"#`+typ.name+`"}`)
		if resp.StatusCode != 201 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		created, _ := e.srv.Task(mustMap(t, b)["id"].(string))
		seeded, _ := e.srv.Task(e.srv.Seed(map[string]any{"@odata.type": typ.name}))
		for _, m := range []map[string]any{created, seeded} {
			delete(m, "id")
			delete(m, "createdDateTime")
		}
		cj, _ := json.Marshal(created)
		sj, _ := json.Marshal(seeded)
		if string(cj) != string(sj) {
			t.Errorf("%s:\ncreated %s\n seeded %s", typ.name, cj, sj)
		}
		if created["dueDateTime"] != "0001-01-01T00:00:00Z" {
			t.Errorf("%s: unset dueDateTime %v", typ.name, created["dueDateTime"])
		}
	}
}

// TestSelectDerived: $select takes base properties and cast-qualified
// properties of each task type, from the table.
func TestSelectDerived(t *testing.T) {
	e := newEnv(t, Options{})
	e.create(map[string]any{"insights": "s"})
	e.srv.Seed(map[string]any{"@odata.type": avtTypeName, "appName": "a", "insights": "v"})
	sel := "displayName,microsoft.graph.appVulnerabilityTask/appName,microsoft.graph.securityConfigurationTask/insights," +
		"microsoft.graph.appVulnerabilityTask/mobileApps,microsoft.graph.deviceAppManagementTask/status"
	resp, b := e.do("GET", tasksPath+"?$select="+sel, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var page struct{ Value []map[string]any }
	mustJSON(t, b, &page)
	sct, avt := page.Value[0], page.Value[1]
	if len(sct) != 4 || sct["insights"] != "s" || sct["status"] != "unknown" || len(avt) != 4 || avt["appName"] != "a" || avt["insights"] != nil {
		t.Fatalf("%s", b)
	}
	for _, bad := range []string{"appName", "microsoft.graph.appVulnerabilityTask/intendedSettings", "microsoft.graph.keyValuePair/name"} {
		if resp, b := e.do("GET", tasksPath+"?$select="+bad, nil); resp.StatusCode != 400 {
			t.Errorf("%s: %d %s", bad, resp.StatusCode, b)
		}
	}
}
