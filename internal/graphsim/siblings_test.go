package graphsim

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// The collection's three task types side by side: each one's whole life over HTTP, which of the
// others' properties it refuses, its non-nullable properties, and PATCHes that name another type.
// Expected values are spelled out here, not derived from the emulator's table, except where a test
// walks the table so that no property can be left out.

const (
	sctType  = "#microsoft.graph.securityConfigurationTask"
	avtType  = "#microsoft.graph.appVulnerabilityTask"
	uddtType = "#microsoft.graph.unmanagedDeviceDiscoveryTask"
)

// undeclaredMessage is ODataLib's refusal of a property the payload's type does not declare, on a
// type that is not open (ValidationUtils_PropertyDoesNotExistOnType).
func undeclaredMessage(prop, typeName string) string {
	return fmt.Sprintf("The property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type or mark the type as open type.", prop, typeName)
}

// siblingCase is one task type with a create body and a PATCH body that between them set every
// property the type has, and what Graph serves after each.
type siblingCase struct {
	typ                  string
	create, patch        string
	afterCreate, patched map[string]any
}

func siblingCases() []siblingCase {
	device := func(name, seen string) map[string]any {
		return map[string]any{"@odata.type": "microsoft.graph.unmanagedDevice", "deviceName": name, "domain": "corp.contoso.com",
			"ipAddress": "10.0.0.7", "lastLoggedOnUser": "alice@contoso.com", "lastSeenDateTime": seen, "location": "HQ",
			"macAddress": "00:11:22:33:44:55", "manufacturer": "Contoso", "model": "Surface", "os": "Windows", "osVersion": "11"}
	}
	base := func(extra map[string]any) map[string]any {
		m := map[string]any{"displayName": "created", "description": "d", "creator": "defender@contoso.com", "creatorNotes": "n",
			"assignedTo": "secops@contoso.com", "category": "advancedThreatProtection", "priority": "high", "status": "pending",
			"dueDateTime": "2027-01-01T08:02:18.1994089Z"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	patchedBase := func(extra map[string]any) map[string]any {
		m := map[string]any{"displayName": "patched", "description": nil, "creator": "other@contoso.com", "creatorNotes": nil,
			"assignedTo": nil, "category": "unknown", "priority": "low", "status": "completed", "dueDateTime": "0001-01-01T00:00:00Z"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	const baseCreate = `"displayName":"created","description":"d","creator":"defender@contoso.com","creatorNotes":"n",
		"assignedTo":"secops@contoso.com","category":"advancedThreatProtection","priority":"high","status":"pending",
		"dueDateTime":"2027-01-01T00:02:18.1994089-08:00","createdDateTime":"2000-01-01T00:00:00Z","id":"ignored"`
	const basePatch = `"displayName":"patched","description":null,"creator":"other@contoso.com","creatorNotes":null,
		"assignedTo":null,"category":"unknown","priority":"low","status":"completed","dueDateTime":"0001-01-01T00:00:00Z",
		"createdDateTime":"2000-01-01T00:00:00Z","id":"ignored"`
	return []siblingCase{
		{
			typ: sctType,
			create: `{"@odata.type":"` + sctType + `",` + baseCreate + `,"endpointSecurityPolicy":"firewall","applicablePlatform":"macOS",
				"endpointSecurityPolicyProfile":"firewallRules","insights":"i","managedDeviceCount":65536,
				"intendedSettings":[{"name":"a","value":"1"},{"@odata.type":"#microsoft.graph.keyValuePair","name":"b","value":null}]}`,
			afterCreate: base(map[string]any{"endpointSecurityPolicy": "firewall", "applicablePlatform": "macOS",
				"endpointSecurityPolicyProfile": "firewallRules", "insights": "i", "managedDeviceCount": float64(65536),
				"intendedSettings": []any{
					map[string]any{"@odata.type": "microsoft.graph.keyValuePair", "name": "a", "value": "1"},
					map[string]any{"@odata.type": "microsoft.graph.keyValuePair", "name": "b", "value": nil}}}),
			patch: `{"@odata.type":"` + sctType + `",` + basePatch + `,"endpointSecurityPolicy":"accountProtection",
				"applicablePlatform":"windows10AndWindowsServer","endpointSecurityPolicyProfile":"accountProtection","insights":null,
				"managedDeviceCount":0,"intendedSettings":[]}`,
			patched: patchedBase(map[string]any{"endpointSecurityPolicy": "accountProtection", "applicablePlatform": "windows10AndWindowsServer",
				"endpointSecurityPolicyProfile": "accountProtection", "insights": nil, "managedDeviceCount": float64(0), "intendedSettings": []any{}}),
		},
		{
			typ: avtType,
			create: `{"@odata.type":"` + avtType + `",` + baseCreate + `,"appName":"Contoso Reader","appPublisher":"Contoso Ltd",
				"appVersion":"1.2.3","insights":"i","managedDeviceCount":70000,"mitigationType":"update","mobileAppCount":3,
				"remediation":"Update to 1.2.4"}`,
			afterCreate: base(map[string]any{"appName": "Contoso Reader", "appPublisher": "Contoso Ltd", "appVersion": "1.2.3",
				"insights": "i", "managedDeviceCount": float64(70000), "mitigationType": "update", "mobileAppCount": float64(3),
				"remediation": "Update to 1.2.4"}),
			patch: `{"@odata.type":"` + avtType + `",` + basePatch + `,"appName":null,"appPublisher":"Fabrikam","appVersion":null,
				"insights":null,"managedDeviceCount":0,"mitigationType":"securityConfiguration","mobileAppCount":2147483647,"remediation":null}`,
			patched: patchedBase(map[string]any{"appName": nil, "appPublisher": "Fabrikam", "appVersion": nil, "insights": nil,
				"managedDeviceCount": float64(0), "mitigationType": "securityConfiguration", "mobileAppCount": float64(2147483647), "remediation": nil}),
		},
		{
			typ: uddtType,
			create: `{"@odata.type":"` + uddtType + `",` + baseCreate + `,"unmanagedDevices":[
				{"@odata.type":"#microsoft.graph.unmanagedDevice","deviceName":"pc-1","domain":"corp.contoso.com","ipAddress":"10.0.0.7",
				 "lastLoggedOnUser":"alice@contoso.com","lastSeenDateTime":"2026-11-30T03:53:59.0726811+01:00","location":"HQ",
				 "macAddress":"00:11:22:33:44:55","manufacturer":"Contoso","model":"Surface","os":"Windows","osVersion":"11"},
				{"deviceName":"pc-2"}]}`,
			afterCreate: base(map[string]any{"unmanagedDevices": []any{
				device("pc-1", "2026-11-30T02:53:59.0726811Z"),
				// Left out, the non-nullable date-time is DateTimeOffset.MinValue, the strings null.
				map[string]any{"@odata.type": "microsoft.graph.unmanagedDevice", "deviceName": "pc-2", "domain": nil, "ipAddress": nil,
					"lastLoggedOnUser": nil, "lastSeenDateTime": "0001-01-01T00:00:00Z", "location": nil, "macAddress": nil,
					"manufacturer": nil, "model": nil, "os": nil, "osVersion": nil}}}),
			patch: `{"@odata.type":"` + uddtType + `",` + basePatch + `,"unmanagedDevices":[
				{"deviceName":"pc-3","domain":"corp.contoso.com","ipAddress":"10.0.0.7","lastLoggedOnUser":"alice@contoso.com",
				 "lastSeenDateTime":"2027-06-30T23:59:59.5000000Z","location":"HQ","macAddress":"00:11:22:33:44:55",
				 "manufacturer":"Contoso","model":"Surface","os":"Windows","osVersion":"11"}]}`,
			// A collection is replaced as a whole.
			patched: patchedBase(map[string]any{"unmanagedDevices": []any{device("pc-3", "2027-06-30T23:59:59.5Z")}}),
		},
	}
}

// bodyKeys is the top-level member names of a JSON object.
func bodyKeys(t *testing.T, body string) map[string]bool {
	t.Helper()
	var m map[string]json.RawMessage
	mustJSON(t, []byte(body), &m)
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// checkServed compares a served entity with want, property by property, and requires exactly the
// type's properties (and @odata.context when the answer is a response body).
func checkServed(t *testing.T, where string, got, want map[string]any, typ *structuredType, id string) {
	t.Helper()
	for k, v := range want {
		if !reflect.DeepEqual(got[k], v) {
			gj, _ := json.Marshal(got[k])
			wj, _ := json.Marshal(v)
			t.Errorf("%s: %s = %s, want %s", where, k, gj, wj)
		}
	}
	if got["id"] != id {
		t.Errorf("%s: id %v, want %s", where, got["id"], id)
	}
	extra := 0
	if _, ok := got["@odata.context"]; ok {
		extra = 1
	}
	if len(got) != len(typ.props)+1+extra { // + @odata.type
		t.Errorf("%s: %d members for the %d properties of %s", where, len(got), len(typ.props), typ.name)
	}
}

// TestSiblingTypesLifecycle creates, reads, PATCHes and deletes a task of each type, setting every
// property the type declares or inherits, including nulls for the nullable ones, and reads the
// result back each time over HTTP and from the store.
func TestSiblingTypesLifecycle(t *testing.T) {
	e := newEnv(t, Options{})
	for _, c := range siblingCases() {
		typ := taskTypes[strings.TrimPrefix(c.typ, "#")]
		// Between them the two bodies set every property of the type: a CSDL update that adds
		// one fails here until the case covers it.
		createKeys, patchKeys := bodyKeys(t, c.create), bodyKeys(t, c.patch)
		for _, p := range typ.props {
			if !createKeys[p.name] || !patchKeys[p.name] {
				t.Errorf("%s: the case does not set %s in both the create and the PATCH", c.typ, p.name)
			}
		}

		resp, b := e.do("POST", tasksPath, c.create)
		if resp.StatusCode != 201 {
			t.Fatalf("%s: create: %d %s", c.typ, resp.StatusCode, b)
		}
		created := mustMap(t, b)
		id, _ := created["id"].(string)
		if !guidRE.MatchString(id) || created["@odata.type"] != c.typ {
			t.Fatalf("%s: created %s", c.typ, b)
		}
		createdAt := created["createdDateTime"]
		if s, _ := createdAt.(string); !graphTimeRE.MatchString(s) || strings.HasPrefix(s, "2000-") {
			t.Errorf("%s: createdDateTime %v is not the server's", c.typ, createdAt)
		}
		checkServed(t, c.typ+" create", created, c.afterCreate, typ, id)
		resp, b = e.do("GET", tasksPath+"/"+id, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: get: %d %s", c.typ, resp.StatusCode, b)
		}
		checkServed(t, c.typ+" get", mustMap(t, b), c.afterCreate, typ, id)

		resp, b = e.do("PATCH", tasksPath+"/"+id, c.patch)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: patch: %d %s", c.typ, resp.StatusCode, b)
		}
		patched := mustMap(t, b)
		checkServed(t, c.typ+" patch", patched, c.patched, typ, id)
		if patched["createdDateTime"] != createdAt || patched["@odata.type"] != c.typ {
			t.Errorf("%s: the PATCH changed createdDateTime or the type: %s", c.typ, b)
		}
		_, b = e.do("GET", tasksPath+"/"+id, nil)
		checkServed(t, c.typ+" get after patch", mustMap(t, b), c.patched, typ, id)
		stored, _ := e.srv.Task(id)
		checkServed(t, c.typ+" store", stored, c.patched, typ, id)

		if resp, b = e.do("DELETE", tasksPath+"/"+id, nil); resp.StatusCode != 204 || len(b) != 0 {
			t.Fatalf("%s: delete: %d %s", c.typ, resp.StatusCode, b)
		}
		if resp, b = e.do("GET", tasksPath+"/"+id, nil); resp.StatusCode != 404 || graphErr(t, b).Error.Code != "ResourceNotFound" {
			t.Errorf("%s: get after delete: %d %s", c.typ, resp.StatusCode, b)
		}
		if _, ok := e.srv.Task(id); ok {
			t.Errorf("%s: still stored after delete", c.typ)
		}
	}
	if n := len(e.srv.Tasks()); n != 0 {
		t.Fatalf("%d tasks left", n)
	}
}

// sampleValue is a value of p's type that Graph would accept, so that a refusal can only be about
// the property's name.
func sampleValue(p propDef) string {
	switch p.kind {
	case kString:
		return `"x"`
	case kDateTime:
		return `"2027-01-01T00:00:00Z"`
	case kInt32:
		return `1`
	case kEnum:
		return `"` + p.enum.members[len(p.enum.members)-1] + `"`
	default:
		return `[]`
	}
}

// TestSiblingPropertiesRefused walks the table: every property (and navigation property) that a
// sibling declares and a type does not is refused on that type, in a create and in a typed PATCH,
// with ODataLib's message for an undeclared property of a type that is not open; nothing is created
// or changed.
func TestSiblingPropertiesRefused(t *testing.T) {
	e := newEnv(t, Options{})
	ids := map[string]string{}
	for _, typ := range sortedTaskTypes() {
		resp, b := e.do("POST", tasksPath, `{"@odata.type":"#`+typ.name+`","displayName":"keep"}`)
		if resp.StatusCode != 201 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		ids[typ.name] = mustMap(t, b)["id"].(string)
	}
	visited := map[string]bool{}
	for _, typ := range sortedTaskTypes() {
		for _, other := range sortedTaskTypes() {
			if other == typ {
				continue
			}
			names := map[string]string{}
			for _, p := range other.props {
				names[p.name] = sampleValue(p)
			}
			for _, n := range other.navs {
				names[n.name] = `[]`
			}
			for name, value := range names {
				if _, declared := typ.prop(name); declared {
					continue
				}
				if _, declared := typ.nav(name); declared {
					continue
				}
				visited[typ.name+"."+name] = true
				body := `{"@odata.type":"#` + typ.name + `","` + name + `":` + value + `}`
				want := undeclaredMessage(name, typ.name)
				for _, method := range []string{"POST", "PATCH"} {
					path := tasksPath
					if method == "PATCH" {
						path += "/" + ids[typ.name]
					}
					resp, b := e.do(method, path, body)
					if resp.StatusCode != 400 {
						t.Errorf("%s %s: %d %s", method, body, resp.StatusCode, b)
						continue
					}
					if ge := graphErr(t, b); ge.Error.Code != "BadRequest" || ge.Error.Message != want {
						t.Errorf("%s %s:\n got %s %q\nwant BadRequest %q", method, body, ge.Error.Code, ge.Error.Message, want)
					}
				}
			}
		}
	}
	// The walk reached the cases that matter most, in both directions.
	for _, k := range []string{
		avtTypeName + ".intendedSettings", sctTypeName + ".unmanagedDevices", sctTypeName + ".mitigationType",
		uddtTypeName + ".managedDeviceCount", uddtTypeName + ".insights", sctTypeName + ".mobileApps", uddtTypeName + ".managedDevices",
		avtTypeName + ".endpointSecurityPolicy", uddtTypeName + ".intendedSettings", avtTypeName + ".unmanagedDevices",
	} {
		if !visited[k] {
			t.Errorf("the walk did not try %s", k)
		}
	}
	// insights and managedDeviceCount are declared by two siblings each, so each accepts its own.
	for _, typ := range []string{sctTypeName, avtTypeName} {
		if visited[typ+".insights"] || visited[typ+".managedDeviceCount"] {
			t.Errorf("%s: its own insights or managedDeviceCount was tried as a sibling's", typ)
		}
	}
	if n := len(e.srv.Tasks()); n != 3 {
		t.Fatalf("%d tasks, want the 3 made before the refusals", n)
	}
	for _, id := range ids {
		if m, _ := e.srv.Task(id); m["displayName"] != "keep" {
			t.Errorf("a refused PATCH changed %s: %v", id, m)
		}
	}
}

// TestSiblingNonNullable: null for each non-nullable property a sibling declares, inside its
// complex values too, is ODataLib's 400 in a create and a PATCH, and a refused PATCH changes
// nothing. (TestNullForNonNullable walks every property; these are the siblings' own, spelled out.)
func TestSiblingNonNullable(t *testing.T) {
	e := newEnv(t, Options{})
	notNull := func(prop, typ string) string {
		return fmt.Sprintf("A null value was found for the property named '%s', which has the expected type '%s[Nullable=False]'. The expected type '%s[Nullable=False]' does not allow null values.", prop, typ, typ)
	}
	cases := []struct{ typ, members, want string }{
		{avtType, `"managedDeviceCount":null`, notNull("managedDeviceCount", "Edm.Int32")},
		{avtType, `"mobileAppCount":null`, notNull("mobileAppCount", "Edm.Int32")},
		{avtType, `"mitigationType":null`, notNull("mitigationType", "microsoft.graph.appVulnerabilityTaskMitigationType")},
		{avtType, `"status":null`, notNull("status", "microsoft.graph.deviceAppManagementTaskStatus")},
		{uddtType, `"dueDateTime":null`, notNull("dueDateTime", "Edm.DateTimeOffset")},
		{uddtType, `"unmanagedDevices":[{"deviceName":"pc","lastSeenDateTime":null}]`, notNull("lastSeenDateTime", "Edm.DateTimeOffset")},
		{sctType, `"managedDeviceCount":null`, notNull("managedDeviceCount", "Edm.Int32")},
		{sctType, `"intendedSettings":[{"name":null,"value":"v"}]`, notNull("name", "Edm.String")},
	}
	for _, c := range cases {
		resp, b := e.do("POST", tasksPath, `{"@odata.type":"`+c.typ+`","displayName":"keep"}`)
		if resp.StatusCode != 201 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		id := mustMap(t, b)["id"].(string)
		before, _ := e.srv.Task(id)
		body := `{"@odata.type":"` + c.typ + `",` + c.members + `}`
		for _, method := range []string{"POST", "PATCH"} {
			path := tasksPath
			if method == "PATCH" {
				path += "/" + id
			}
			resp, b := e.do(method, path, body)
			if resp.StatusCode != 400 {
				t.Errorf("%s %s: %d %s", method, body, resp.StatusCode, b)
				continue
			}
			if ge := graphErr(t, b); ge.Error.Code != "BadRequest" || ge.Error.Message != c.want {
				t.Errorf("%s %s:\n got %s %q\nwant BadRequest %q", method, body, ge.Error.Code, ge.Error.Message, c.want)
			}
		}
		if after, _ := e.srv.Task(id); !reflect.DeepEqual(before, after) {
			t.Errorf("a refused PATCH changed the task:\n%v\n%v", before, after)
		}
	}
	if n := len(e.srv.Tasks()); n != len(cases) {
		t.Fatalf("%d tasks: a refused create made one", n)
	}
}

// TestUnmanagedDevicesNullAndEmpty: the CSDL declares unmanagedDevices as
// Collection(graph.unmanagedDevice) without Nullable, which for a collection is about its items
// (OData CSDL §7.2.1): the collection itself is never null, so null is ODataLib's 400 for a
// nullable collection, [] is an empty collection, null items are allowed, and a task nobody gave
// devices holds []. A device left without lastSeenDateTime holds DateTimeOffset.MinValue.
func TestUnmanagedDevicesNullAndEmpty(t *testing.T) {
	e := newEnv(t, Options{})
	const nullCollection = "A null value was found for the property named 'unmanagedDevices', which has the expected type 'Collection(microsoft.graph.unmanagedDevice)[Nullable=True]'. The expected type 'Collection(microsoft.graph.unmanagedDevice)[Nullable=True]' cannot be null but it can have null values."
	devicesOf := func(b []byte) string {
		t.Helper()
		j, _ := json.Marshal(mustMap(t, b)["unmanagedDevices"])
		return string(j)
	}

	resp, b := e.do("POST", tasksPath, `{"@odata.type":"`+uddtType+`"}`)
	if resp.StatusCode != 201 || devicesOf(b) != `[]` {
		t.Fatalf("unset: %d %s", resp.StatusCode, b)
	}
	id := mustMap(t, b)["id"].(string)
	if resp, b = e.do("POST", tasksPath, `{"@odata.type":"`+uddtType+`","unmanagedDevices":[]}`); resp.StatusCode != 201 || devicesOf(b) != `[]` {
		t.Fatalf("[]: %d %s", resp.StatusCode, b)
	}
	for _, method := range []string{"POST", "PATCH"} {
		path := tasksPath
		if method == "PATCH" {
			path += "/" + id
		}
		resp, b := e.do(method, path, `{"@odata.type":"`+uddtType+`","unmanagedDevices":null}`)
		if ge := graphErr(t, b); resp.StatusCode != 400 || ge.Error.Code != "BadRequest" || ge.Error.Message != nullCollection {
			t.Errorf("%s null: %d %s", method, resp.StatusCode, b)
		}
	}

	resp, b = e.do("PATCH", tasksPath+"/"+id, `{"@odata.type":"`+uddtType+`","unmanagedDevices":[{"deviceName":"pc-1"},null]}`)
	const unsetDevice = `{"@odata.type":"microsoft.graph.unmanagedDevice","deviceName":"pc-1","domain":null,"ipAddress":null,` +
		`"lastLoggedOnUser":null,"lastSeenDateTime":"0001-01-01T00:00:00Z","location":null,"macAddress":null,"manufacturer":null,` +
		`"model":null,"os":null,"osVersion":null}`
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"unmanagedDevices":[`+unsetDevice+`,null]`) {
		t.Fatalf("device without lastSeenDateTime: %d %s", resp.StatusCode, b)
	}
	// A null PATCH was refused and left the devices alone; [] clears them.
	if resp, b = e.do("PATCH", tasksPath+"/"+id, `{"@odata.type":"`+uddtType+`","unmanagedDevices":null}`); resp.StatusCode != 400 {
		t.Fatalf("null: %d %s", resp.StatusCode, b)
	}
	if m, _ := e.srv.Task(id); len(m["unmanagedDevices"].([]any)) != 2 {
		t.Fatalf("after a refused null: %v", m["unmanagedDevices"])
	}
	if resp, b = e.do("PATCH", tasksPath+"/"+id, `{"@odata.type":"`+uddtType+`","unmanagedDevices":[]}`); resp.StatusCode != 200 || devicesOf(b) != `[]` {
		t.Fatalf("clear with []: %d %s", resp.StatusCode, b)
	}
	// A PATCH that leaves the collection out keeps it.
	e.do("PATCH", tasksPath+"/"+id, `{"@odata.type":"`+uddtType+`","unmanagedDevices":[{"deviceName":"pc-2"}]}`)
	if resp, b = e.do("PATCH", tasksPath+"/"+id, `{"displayName":"renamed"}`); resp.StatusCode != 200 || !strings.Contains(devicesOf(b), `"pc-2"`) {
		t.Fatalf("untouched collection: %d %s", resp.StatusCode, b)
	}
}

// TestPatchTypeMismatch: a PATCH naming a task type other than the stored task's is refused and
// changes nothing, whichever types; the stored type, the base type and no type at all are
// accepted. A task of a type this emulator's CSDL does not know (seeded) is refused every known
// derived type too.
func TestPatchTypeMismatch(t *testing.T) {
	e := newEnv(t, Options{})
	stored := map[string]string{}
	for _, typ := range []string{sctType, avtType, uddtType} {
		resp, b := e.do("POST", tasksPath, `{"@odata.type":"`+typ+`","displayName":"keep"}`)
		if resp.StatusCode != 201 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		stored[typ] = mustMap(t, b)["id"].(string)
	}
	stored["#microsoft.graph.someFutureTask"] = e.srv.Seed(map[string]any{"@odata.type": "#microsoft.graph.someFutureTask", "displayName": "keep"})
	for storedType, id := range stored {
		for _, patchType := range []string{sctType, avtType, uddtType} {
			if patchType == storedType {
				continue
			}
			resp, b := e.do("PATCH", tasksPath+"/"+id, `{"@odata.type":"`+patchType+`","displayName":"changed"}`)
			want := fmt.Sprintf("The @odata.type '%s' does not match the type of the existing object '%s'.",
				strings.TrimPrefix(patchType, "#"), strings.TrimPrefix(storedType, "#"))
			if ge := graphErr(t, b); resp.StatusCode != 400 || ge.Error.Code != "BadRequest" || !strings.Contains(ge.Error.Message, want) {
				t.Errorf("stored %s, PATCH %s: %d %s", storedType, patchType, resp.StatusCode, b)
			}
		}
		if m, _ := e.srv.Task(id); m["displayName"] != "keep" || m["@odata.type"] != storedType {
			t.Errorf("stored %s: a refused PATCH changed it: %v", storedType, m)
		}
		accepted := []string{`{"displayName":"a"}`, `{"@odata.type":"#microsoft.graph.deviceAppManagementTask","displayName":"b"}`}
		if storedType != "#microsoft.graph.someFutureTask" {
			accepted = append(accepted, `{"@odata.type":"`+storedType+`","displayName":"c"}`)
		}
		for _, body := range accepted {
			if resp, b := e.do("PATCH", tasksPath+"/"+id, body); resp.StatusCode != 200 || mustMap(t, b)["@odata.type"] != storedType {
				t.Errorf("stored %s, PATCH %s: %d %s", storedType, body, resp.StatusCode, b)
			}
		}
	}
}

// TestMitigationTypeMembers: appVulnerabilityTask.mitigationType takes exactly the CSDL's members,
// case-sensitively, and holds the first (value 0) when nobody set it.
func TestMitigationTypeMembers(t *testing.T) {
	e := newEnv(t, Options{})
	resp, b := e.do("POST", tasksPath, `{"@odata.type":"`+avtType+`"}`)
	if resp.StatusCode != 201 || mustMap(t, b)["mitigationType"] != "unknown" {
		t.Fatalf("unset: %d %s", resp.StatusCode, b)
	}
	id := mustMap(t, b)["id"].(string)
	for _, member := range []string{"unknown", "update", "uninstall", "securityConfiguration"} {
		body := `{"@odata.type":"` + avtType + `","mitigationType":"` + member + `"}`
		if resp, b := e.do("POST", tasksPath, body); resp.StatusCode != 201 || mustMap(t, b)["mitigationType"] != member {
			t.Errorf("POST %s: %d %s", member, resp.StatusCode, b)
		}
		if resp, b := e.do("PATCH", tasksPath+"/"+id, body); resp.StatusCode != 200 || mustMap(t, b)["mitigationType"] != member {
			t.Errorf("PATCH %s: %d %s", member, resp.StatusCode, b)
		}
	}
	refused := map[string]string{
		`"Update"`:           "Requested value 'Update' was not found.",
		`"securityUpdate"`:   "Requested value 'securityUpdate' was not found.",
		`"update,uninstall"`: "Requested value 'update,uninstall' was not found.",
		`""`:                 "Must specify valid information for parsing in the string.",
		`1`:                  "Cannot convert a primitive value to the expected type 'microsoft.graph.appVulnerabilityTaskMitigationType'. See the inner exception for more details.",
	}
	for value, want := range refused {
		for _, method := range []string{"POST", "PATCH"} {
			path := tasksPath
			if method == "PATCH" {
				path += "/" + id
			}
			resp, b := e.do(method, path, `{"@odata.type":"`+avtType+`","mitigationType":`+value+`}`)
			if ge := graphErr(t, b); resp.StatusCode != 400 || ge.Error.Code != "BadRequest" || ge.Error.Message != want {
				t.Errorf("%s mitigationType %s: %d %s", method, value, resp.StatusCode, b)
			}
		}
	}
	if m, _ := e.srv.Task(id); m["mitigationType"] != "securityConfiguration" {
		t.Errorf("after the refusals: %v", m["mitigationType"])
	}
}

// TestSeedAnyType: the Go store API plants tasks of every type with whatever properties a test
// needs, validation bypassed, including a type the CSDL does not know yet; lists and item reads
// serve them like any other task, in creation order, with the base type's unset values.
func TestSeedAnyType(t *testing.T) {
	e := newEnv(t, Options{PageSize: 2})
	sct := e.srv.Seed(map[string]any{"@odata.type": sctType, "displayName": "s", "managedDeviceCount": 12,
		"intendedSettings": []any{map[string]any{"name": "a"}}})
	avt := e.srv.Seed(map[string]any{"@odata.type": avtType, "displayName": "a", "mitigationType": "uninstall", "mobileAppCount": 4,
		// Another type's property and an enum member the CSDL lacks: seeding plants what validation refuses.
		"intendedSettings": []any{}, "status": "inReview"})
	uddt := e.srv.Seed(map[string]any{"@odata.type": "microsoft.graph.unmanagedDeviceDiscoveryTask", "displayName": "u",
		"unmanagedDevices": []any{map[string]any{"deviceName": "pc", "lastSeenDateTime": "2026-01-02T03:04:05+01:00"}}})
	future := e.srv.Seed(map[string]any{"@odata.type": "#microsoft.graph.someFutureTask", "id": "future-1", "displayName": "f",
		"priority": "high", "riskScore": 7})
	if future != "future-1" {
		t.Fatalf("id %q", future)
	}

	var listed []map[string]any
	for next := tasksPath; next != ""; {
		resp, b := e.do("GET", next, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		var page struct {
			Next  string           `json:"@odata.nextLink"`
			Value []map[string]any `json:"value"`
		}
		mustJSON(t, b, &page)
		listed = append(listed, page.Value...)
		next = page.Next
	}
	var order []string
	for _, m := range listed {
		order = append(order, m["id"].(string)+"="+m["@odata.type"].(string))
	}
	want := []string{sct + "=" + sctType, avt + "=" + avtType, uddt + "=" + uddtType, future + "=#microsoft.graph.someFutureTask"}
	if strings.Join(order, ",") != strings.Join(want, ",") {
		t.Fatalf("listed %v, want %v", order, want)
	}
	if s := listed[0]; s["managedDeviceCount"] != float64(12) || s["status"] != "unknown" ||
		s["intendedSettings"].([]any)[0].(map[string]any)["value"] != nil {
		t.Errorf("sct %v", s)
	}
	if a := listed[1]; a["mitigationType"] != "uninstall" || a["mobileAppCount"] != float64(4) || a["status"] != "inReview" ||
		a["intendedSettings"] == nil || a["managedDeviceCount"] != float64(0) || a["dueDateTime"] != "0001-01-01T00:00:00Z" {
		t.Errorf("avt %v", a)
	}
	if d := listed[2]["unmanagedDevices"].([]any)[0].(map[string]any); d["lastSeenDateTime"] != "2026-01-02T02:04:05Z" || d["os"] != nil {
		t.Errorf("uddt device %v", d)
	}
	// The future type carries the base type's properties, with their unset values, and its own.
	f := listed[3]
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if strings.Join(keys, ",") != "@odata.type,assignedTo,category,createdDateTime,creator,creatorNotes,description,displayName,dueDateTime,id,priority,riskScore,status" ||
		f["priority"] != "high" || f["status"] != "unknown" || f["category"] != "unknown" || f["riskScore"] != float64(7) {
		t.Errorf("future %v", f)
	}
	resp, b := e.do("GET", tasksPath+"/"+future, nil)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"@odata.type":"#microsoft.graph.someFutureTask","id":"future-1","assignedTo":null,`) {
		t.Errorf("future item: %d %s", resp.StatusCode, b)
	}
	if resp, b = e.do("DELETE", tasksPath+"/"+future, nil); resp.StatusCode != 204 {
		t.Errorf("delete future: %d %s", resp.StatusCode, b)
	}
}
