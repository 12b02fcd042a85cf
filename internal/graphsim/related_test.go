package graphsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	sctCast = "microsoft.graph.securityConfigurationTask"
	avtCast = "microsoft.graph.appVulnerabilityTask"
)

// relPage is one page of a relationship as a client decodes it.
type relPage struct {
	Context string           `json:"@odata.context"`
	Count   *int             `json:"@odata.count"`
	Next    string           `json:"@odata.nextLink"`
	Value   []map[string]any `json:"value"`
}

func (e *env) relPage(path string) relPage {
	e.t.Helper()
	resp, b := e.do("GET", path, nil)
	if resp.StatusCode != 200 {
		e.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	var p relPage
	mustJSON(e.t, b, &p)
	return p
}

// seedRelated seeds a task of type typ with the given relationships.
func (e *env) seedRelated(typ string, rel map[string][]map[string]any) string {
	e.t.Helper()
	id := e.srv.Seed(map[string]any{"@odata.type": "#" + typ, "displayName": "with relationships"})
	for nav, items := range rel {
		if _, err := e.srv.SeedRelated(id, nav, items...); err != nil {
			e.t.Fatal(err)
		}
	}
	return id
}

// A task's relationship is served at both URL forms, with the items' types,
// every declared property (unset ones null or DateTimeOffset.MinValue), UTC
// date-times without trailing zeros, in insertion order; one item at the item
// route.
func TestRelatedCollections(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.seedRelated(sctTypeName, map[string][]map[string]any{"managedDevices": {
		{"id": "dev-1", "displayName": "PC-1", "managedDeviceId": "md-1", "lastSyncDateTime": "2027-01-01T08:30:00.5000000+01:00"},
		{"id": "dev-2"}, // nothing else set
		{"id": "dev-3", "displayName": "PC-3", "lastSyncDateTime": time.Date(2026, 11, 30, 2, 53, 59, 72681100, time.UTC)},
	}})
	wantCtx := func(cast string) string {
		c := e.srv.URL() + "/beta/$metadata#deviceAppManagement/deviceAppManagementTasks('" + id + "')/"
		if cast != "" {
			c += cast + "/"
		}
		return c + "managedDevices"
	}
	for _, c := range []struct{ path, cast string }{
		{tasksPath + "/" + id + "/managedDevices", ""},
		{tasksPath + "/" + id + "/" + sctCast + "/managedDevices", sctCast},
		{tasksPath + "('" + id + "')/managedDevices", ""},
		{"/beta/deviceappmanagement/DeviceAppManagementTasks/" + id + "/MICROSOFT.GRAPH.securityconfigurationtask/MANAGEDDEVICES", sctCast},
	} {
		p := e.relPage(c.path)
		if p.Context != wantCtx(c.cast) || p.Next != "" || p.Count != nil || len(p.Value) != 3 {
			t.Fatalf("%s: %+v", c.path, p)
		}
		want := []map[string]any{
			{"@odata.type": "#microsoft.graph.vulnerableManagedDevice", "id": "dev-1", "displayName": "PC-1", "lastSyncDateTime": "2027-01-01T07:30:00.5Z", "managedDeviceId": "md-1"},
			{"@odata.type": "#microsoft.graph.vulnerableManagedDevice", "id": "dev-2", "displayName": nil, "lastSyncDateTime": "0001-01-01T00:00:00Z", "managedDeviceId": nil},
			{"@odata.type": "#microsoft.graph.vulnerableManagedDevice", "id": "dev-3", "displayName": "PC-3", "lastSyncDateTime": "2026-11-30T02:53:59.0726811Z", "managedDeviceId": nil},
		}
		for i, w := range want {
			got, _ := json.Marshal(p.Value[i])
			wj, _ := json.Marshal(w)
			if !bytes.Equal(got, wj) {
				t.Errorf("%s item %d: %s, want %s", c.path, i, got, wj)
			}
		}
	}
	// The wire order: @odata.type, id, then the CSDL's order.
	_, b := e.do("GET", tasksPath+"/"+id+"/managedDevices", nil)
	if !bytes.Contains(b, []byte(`{"@odata.type":"#microsoft.graph.vulnerableManagedDevice","id":"dev-2","displayName":null,"lastSyncDateTime":"0001-01-01T00:00:00Z","managedDeviceId":null}`)) {
		t.Errorf("wire form: %s", b)
	}

	// One item, at every form; ids compare case-insensitively.
	for _, c := range []struct{ path, cast string }{
		{tasksPath + "/" + id + "/managedDevices/dev-1", ""},
		{tasksPath + "/" + id + "/" + sctCast + "/managedDevices/DEV-1", sctCast},
		{tasksPath + "/" + id + "/managedDevices('dev-1')", ""},
	} {
		resp, b := e.do("GET", c.path, nil)
		m := mustMap(t, b)
		if resp.StatusCode != 200 || m["@odata.context"] != wantCtx(c.cast)+"/$entity" || m["id"] != "dev-1" || m["lastSyncDateTime"] != "2027-01-01T07:30:00.5Z" ||
			m["@odata.type"] != "#microsoft.graph.vulnerableManagedDevice" {
			t.Errorf("%s: %d %s", c.path, resp.StatusCode, b)
		}
	}
	if resp, b := e.do("GET", tasksPath+"/"+id+"/managedDevices/dev-2?$select=lastSyncDateTime", nil); resp.StatusCode != 200 ||
		string(b) != `{"@odata.context":"`+wantCtx("")+`(lastSyncDateTime)/$entity","@odata.type":"#microsoft.graph.vulnerableManagedDevice","lastSyncDateTime":"0001-01-01T00:00:00Z"}` {
		t.Errorf("item $select: %d %s", resp.StatusCode, b)
	}

	// An app vulnerability task has both, typed as its own item types.
	avt := e.seedRelated(avtTypeName, map[string][]map[string]any{
		"managedDevices": {{"displayName": "Mac-1"}},
		"mobileApps":     {{"displayName": "Contoso", "version": "1.2", "lastModifiedDateTime": "2026-01-02T03:04:05Z"}},
	})
	devs := e.relPage(tasksPath + "/" + avt + "/managedDevices")
	if len(devs.Value) != 1 || devs.Value[0]["@odata.type"] != "#microsoft.graph.appVulnerabilityManagedDevice" ||
		!guidRE.MatchString(devs.Value[0]["id"].(string)) || devs.Value[0]["lastSyncDateTime"] != "0001-01-01T00:00:00Z" {
		t.Errorf("avt devices %+v", devs)
	}
	apps := e.relPage(tasksPath + "/" + avt + "/" + avtCast + "/mobileApps")
	if len(apps.Value) != 1 || !strings.HasSuffix(apps.Context, "('"+avt+"')/"+avtCast+"/mobileApps") {
		t.Fatalf("avt apps %+v", apps)
	}
	app := apps.Value[0]
	wantApp := map[string]any{"@odata.type": "#microsoft.graph.appVulnerabilityMobileApp", "id": app["id"], "createdDateTime": "0001-01-01T00:00:00Z",
		"displayName": "Contoso", "lastModifiedDateTime": "2026-01-02T03:04:05Z", "mobileAppId": nil, "mobileAppType": nil, "version": "1.2"}
	if g, w := fmt.Sprint(app), fmt.Sprint(wantApp); g != w {
		t.Errorf("app %s, want %s", g, w)
	}
	// A task nobody filled has empty collections.
	empty := e.srv.Seed(map[string]any{"@odata.type": avtTypeName})
	if p := e.relPage(tasksPath + "/" + empty + "/mobileApps"); len(p.Value) != 0 || p.Value == nil {
		t.Errorf("empty %+v", p)
	}
	if got, ok := e.srv.Related(id, "managedDevices"); !ok || len(got) != 3 || got[1]["lastSyncDateTime"] != "0001-01-01T00:00:00Z" {
		t.Errorf("Related %v %v", got, ok)
	}
	if n := e.srv.Count("GET", RouteRelated); n != 8 {
		t.Errorf("GET %s counted %d", RouteRelated, n)
	}
	if n := e.srv.Count("GET", RouteRelatedItem); n != 4 {
		t.Errorf("GET %s counted %d", RouteRelatedItem, n)
	}
}

// Pages of a relationship: PageSize, opaque $skiptoken links that keep $top
// and $select, $count.
func TestRelatedPaging(t *testing.T) {
	e := newEnv(t, Options{PageSize: 2})
	var items []map[string]any
	for i := range 5 {
		items = append(items, map[string]any{"id": fmt.Sprintf("d%d", i), "displayName": fmt.Sprintf("PC-%d", i)})
	}
	id := e.seedRelated(sctTypeName, map[string][]map[string]any{"managedDevices": items})
	read := func(first string) (names []string, pages []relPage) {
		for next := first; next != ""; {
			p := e.relPage(next)
			pages = append(pages, p)
			for _, v := range p.Value {
				names = append(names, v["displayName"].(string))
			}
			next = p.Next
		}
		return names, pages
	}
	names, pages := read(tasksPath + "/" + id + "/" + sctCast + "/managedDevices")
	if strings.Join(names, ",") != "PC-0,PC-1,PC-2,PC-3,PC-4" || len(pages) != 3 {
		t.Fatalf("%v in %d pages", names, len(pages))
	}
	link := e.srv.URL() + tasksPath + "/" + id + "/" + sctCast + "/managedDevices?$skiptoken="
	if !strings.HasPrefix(pages[0].Next, link) || !strings.HasPrefix(pages[1].Next, link) || pages[0].Next == pages[1].Next {
		t.Fatalf("links %q %q", pages[0].Next, pages[1].Next)
	}
	// $top is the page size and stays in the links, as do $select and the
	// short form of the URL; $count counts the whole collection.
	names, pages = read(tasksPath + "/" + id + "/managedDevices?$top=3&$select=displayName&$count=true")
	if strings.Join(names, ",") != "PC-0,PC-1,PC-2,PC-3,PC-4" || len(pages) != 3 { // PageSize 2 is below $top
		t.Fatalf("%v in %d pages", names, len(pages))
	}
	u, err := url.Parse(pages[0].Next)
	if err != nil || u.Path != tasksPath+"/"+id+"/managedDevices" || u.Query().Get("$top") != "3" || u.Query().Get("$select") != "displayName" || u.Query().Get("$skiptoken") == "" {
		t.Fatalf("link %q", pages[0].Next)
	}
	if pages[0].Count == nil || *pages[0].Count != 5 || !strings.HasSuffix(pages[0].Context, "/managedDevices(displayName)") {
		t.Fatalf("count/select %+v", pages[0])
	}
	if len(pages[0].Value[0]) != 2 { // @odata.type and displayName
		t.Fatalf("selected %v", pages[0].Value[0])
	}
	_, pages = read(tasksPath + "/" + id + "/managedDevices?$top=1")
	if len(pages) != 5 || !strings.Contains(pages[0].Next, "$top=1") {
		t.Fatalf("$top=1: %d pages, %q", len(pages), pages[0].Next)
	}
	if p := e.relPage(tasksPath + "/" + id + "/managedDevices?$top=0&$count=true"); len(p.Value) != 0 || p.Next != "" || *p.Count != 5 {
		t.Fatalf("$top=0: %+v", p)
	}
	// Items seeded after a page was read show up behind the cursor.
	p1 := e.relPage(tasksPath + "/" + id + "/managedDevices?$top=4")
	if _, err := e.srv.SeedRelated(id, "managedDevices", map[string]any{"id": "d5", "displayName": "PC-5"}); err != nil {
		t.Fatal(err)
	}
	names, _ = read(p1.Next)
	if strings.Join(names, ",") != "PC-2,PC-3,PC-4,PC-5" { // the first page held PageSize items
		t.Fatalf("after the cursor: %v", names)
	}
}

// What Graph's router answers for relationship URLs it cannot resolve, what
// Intune answers for ids it does not have, and 405 for writes.
func TestRelatedErrors(t *testing.T) {
	e := newEnv(t, Options{})
	sct := e.seedRelated(sctTypeName, map[string][]map[string]any{"managedDevices": {{"id": "dev-1"}}})
	avt := e.srv.Seed(map[string]any{"@odata.type": avtTypeName})
	ud := e.srv.Seed(map[string]any{"@odata.type": uddtTypeName})
	future := e.srv.Seed(map[string]any{"@odata.type": "#microsoft.graph.someFutureTask"})
	segment := func(s string) string { return "Resource not found for the segment '" + s + "'." }
	cases := []struct {
		path string
		msg  string // "" = Intune's ResourceNotFound
	}{
		{tasksPath + "/" + sct + "/mobileApps", segment("mobileApps")},
		{tasksPath + "/" + sct + "/mobileApps/x", segment("mobileApps")},
		{tasksPath + "/" + ud + "/managedDevices", segment("managedDevices")},
		{tasksPath + "/" + ud + "/ManagedDevices/x", segment("ManagedDevices")},
		{tasksPath + "/" + future + "/managedDevices", segment("managedDevices")},
		// A cast to a type the task is not.
		{tasksPath + "/" + sct + "/" + avtCast + "/managedDevices", segment(avtCast)},
		{tasksPath + "/" + avt + "/microsoft.graph.SecurityConfigurationTask/managedDevices/dev-1", segment("microsoft.graph.SecurityConfigurationTask")},
		// A cast Graph's model resolves without the task.
		{tasksPath + "/" + sct + "/microsoft.graph.foo/managedDevices", segment("microsoft.graph.foo")},
		{tasksPath + "/" + sct + "/microsoft.graph.vulnerableManagedDevice/managedDevices", segment("microsoft.graph.vulnerableManagedDevice")},
		{tasksPath + "/" + sct + "/" + sctCast + "/mobileApps", segment("mobileApps")},
		{tasksPath + "/" + sct + "/microsoft.graph.unmanagedDeviceDiscoveryTask/managedDevices", segment("managedDevices")},
		{tasksPath + "/" + sct + "/microsoft.graph.deviceAppManagementTask/managedDevices", segment("managedDevices")},
		{tasksPath + "/" + sct + "/" + sctCast, segment(sctCast)},
		{tasksPath + "/" + sct + "/managedDevices/dev-1/foo", segment("foo")},
		{tasksPath + "/" + sct + "/managedDevices/$count", segment("$count")},
		// Unknown ids: Intune's 404, as for an item GET of the task.
		{tasksPath + "/no-such-task/managedDevices", ""},
		{tasksPath + "/no-such-task/" + sctCast + "/managedDevices/dev-1", ""},
		{tasksPath + "/" + sct + "/managedDevices/dev-2", ""},
		{tasksPath + "/" + sct + "/managedDevices('dev-2')", ""},
	}
	for _, c := range cases {
		resp, b := e.do("GET", c.path, nil)
		ge := graphErr(t, b)
		switch {
		case resp.StatusCode != 404:
			t.Errorf("%s: %d %s", c.path, resp.StatusCode, b)
		case c.msg == "" && (ge.Error.Code != "ResourceNotFound" || !strings.Contains(ge.Error.Message, "An error has occurred")):
			t.Errorf("%s: %s", c.path, b)
		case c.msg != "" && (ge.Error.Code != "BadRequest" || ge.Error.Message != c.msg):
			t.Errorf("%s: %s, want %q", c.path, b, c.msg)
		}
	}
	// The item GET of an unknown task answers the same body.
	_, item := e.do("GET", tasksPath+"/no-such-task", nil)
	_, rel := e.do("GET", tasksPath+"/no-such-task/managedDevices", nil)
	if graphErr(t, item).Error.Code != graphErr(t, rel).Error.Code {
		t.Errorf("%s vs %s", item, rel)
	}

	// Writes: 405, Allow: GET, on both routes and both forms.
	for _, path := range []string{tasksPath + "/" + sct + "/managedDevices", tasksPath + "/" + sct + "/" + sctCast + "/managedDevices/dev-1",
		tasksPath + "/" + avt + "/mobileApps"} {
		for _, m := range []string{"POST", "PATCH", "PUT", "DELETE"} {
			resp, b := e.do(m, path, map[string]any{"displayName": "x"})
			if resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET" ||
				graphErr(t, b).Error.Message != "The requested resource does not support http method '"+m+"'." {
				t.Errorf("%s %s: %d %v %s", m, path, resp.StatusCode, resp.Header, b)
			}
		}
	}
	if items, _ := e.srv.Related(sct, "managedDevices"); len(items) != 1 {
		t.Errorf("a write changed the collection: %v", items)
	}

	// Query options.
	bad := []struct{ path, msg string }{
		{"/managedDevices?$filter=displayName%20eq%20'x'", "Invalid filter clause: filtering is not supported on 'managedDevices'. Filter: 'displayName eq 'x''."},
		{"/managedDevices?$select=foo", "Could not find a property named 'foo' on type 'microsoft.graph.vulnerableManagedDevice'."},
		{"/managedDevices?$select=appName", "Could not find a property named 'appName' on type 'microsoft.graph.vulnerableManagedDevice'."},
		{"/managedDevices?$skiptoken=garbage", "The skip token 'garbage' is invalid or has expired."},
		{"/managedDevices?$top=x", "Invalid value 'x' for $top query option found."},
		{"/managedDevices?$orderby=displayName", "Query option 'Orderby' is not supported by this resource."},
		{"/managedDevices/dev-1?$top=1", "Query option 'Top' is not allowed."},
		{"/managedDevices/dev-1?$filter=id%20eq%20'x'", "filtering is not supported on 'managedDevices'"},
	}
	for _, c := range bad {
		resp, b := e.do("GET", tasksPath+"/"+sct+c.path, nil)
		if resp.StatusCode != 400 || graphErr(t, b).Error.Code != "BadRequest" || !strings.Contains(graphErr(t, b).Error.Message, c.msg) {
			t.Errorf("%s: %d %s", c.path, resp.StatusCode, b)
		}
	}
}

// Deleting a task drops its relationships, however it is deleted.
func TestRelatedGoneWithTask(t *testing.T) {
	e := newEnv(t, Options{})
	devs := map[string][]map[string]any{"managedDevices": {{"id": "dev-1"}}}
	id := e.seedRelated(sctTypeName, devs)
	// Even while the task itself is still visible after the delete.
	e.srv.SetFaults(Faults{VisibleAfterDelete: 1})
	if resp, b := e.do("DELETE", tasksPath+"/"+id, nil); resp.StatusCode != 204 {
		t.Fatalf("delete: %d %s", resp.StatusCode, b)
	}
	for _, p := range []string{"/managedDevices", "/managedDevices/dev-1"} {
		if resp, b := e.do("GET", tasksPath+"/"+id+p, nil); resp.StatusCode != 404 || graphErr(t, b).Error.Code != "ResourceNotFound" {
			t.Errorf("after DELETE %s: %d %s", p, resp.StatusCode, b)
		}
	}
	if _, ok := e.srv.Related(id, "managedDevices"); ok {
		t.Error("Related after DELETE")
	}
	e.srv.SetFaults(Faults{})
	// Seeding a task again under the id does not bring them back.
	e.srv.Seed(map[string]any{"id": id})
	if items, ok := e.srv.Related(id, "managedDevices"); !ok || len(items) != 0 {
		t.Errorf("re-seeded: %v %v", items, ok)
	}

	id = e.seedRelated(sctTypeName, devs)
	e.srv.DeleteTask(id)
	if resp, _ := e.do("GET", tasksPath+"/"+id+"/managedDevices", nil); resp.StatusCode != 404 {
		t.Error("after DeleteTask")
	}
	id = e.seedRelated(sctTypeName, devs)
	e.srv.Reset()
	if _, ok := e.srv.Related(id, "managedDevices"); ok {
		t.Error("after Reset")
	}
}

// SeedRelated validates against the CSDL's item type and stores nothing when
// an item is invalid; Seed takes the relationships along.
func TestSeedRelatedValidation(t *testing.T) {
	e := newEnv(t, Options{})
	sct := e.srv.Seed(map[string]any{"@odata.type": sctTypeName})
	ud := e.srv.Seed(map[string]any{"@odata.type": uddtTypeName})
	if _, err := e.srv.SeedRelated(sct, "managedDevices", map[string]any{"id": "taken"}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		task, nav string
		item      map[string]any
		msg       string
	}{
		{sct, "managedDevices", map[string]any{"foo": 1}, "managedDevices[1]: The property 'foo' does not exist on type 'microsoft.graph.vulnerableManagedDevice'."},
		{sct, "managedDevices", map[string]any{"version": "1"}, "The property 'version' does not exist on type 'microsoft.graph.vulnerableManagedDevice'."},
		{sct, "managedDevices", map[string]any{"displayName": 3}, "displayName: Cannot convert a primitive value to the expected type 'Edm.String'."},
		{sct, "managedDevices", map[string]any{"displayName": []any{"x"}}, "An unexpected 'StartArray' node was found for property named 'displayName'"},
		{sct, "managedDevices", map[string]any{"lastSyncDateTime": nil}, "lastSyncDateTime: A null value was found for the property named 'lastSyncDateTime', which has the expected type 'Edm.DateTimeOffset[Nullable=False]'."},
		{sct, "managedDevices", map[string]any{"lastSyncDateTime": "yesterday"}, "Cannot convert the literal 'yesterday' to the expected type 'Edm.DateTimeOffset'."},
		{sct, "managedDevices", map[string]any{"lastSyncDateTime": "2027-01-01T00:00:00"}, "Cannot convert the literal '2027-01-01T00:00:00'"},
		{sct, "managedDevices", map[string]any{"@odata.type": "#microsoft.graph.appVulnerabilityManagedDevice"}, `@odata.type "#microsoft.graph.appVulnerabilityManagedDevice" is not microsoft.graph.vulnerableManagedDevice`},
		{sct, "managedDevices", map[string]any{"id": 7}, "id must be a non-empty string"},
		{sct, "managedDevices", map[string]any{"id": ""}, "id must be a non-empty string"},
		{sct, "managedDevices", map[string]any{"id": "TAKEN"}, `id "TAKEN" is already in the collection`},
		{sct, "mobileApps", map[string]any{}, `type microsoft.graph.securityConfigurationTask has no navigation collection "mobileApps"`},
		{ud, "managedDevices", map[string]any{}, `type microsoft.graph.unmanagedDeviceDiscoveryTask has no navigation collection "managedDevices"`},
		{"no-such-task", "managedDevices", map[string]any{}, `no task "no-such-task"`},
	}
	for _, c := range cases {
		// A valid item first: nothing of the call is stored.
		_, err := e.srv.SeedRelated(c.task, c.nav, map[string]any{"id": "fine"}, c.item)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%v: %v, want %q", c.item, err, c.msg)
		}
	}
	if items, _ := e.srv.Related(sct, "managedDevices"); len(items) != 1 {
		t.Fatalf("a failed call stored items: %v", items)
	}
	// Within one call, ids must differ too.
	if _, err := e.srv.SeedRelated(sct, "managedDevices", map[string]any{"id": "a"}, map[string]any{"id": "A"}); err == nil || !strings.Contains(err.Error(), `managedDevices[1]: id "A"`) {
		t.Errorf("duplicate in a call: %v", err)
	}
	// Generated GUIDs, the nav's spelling is forgiving like a URL's, and
	// json.Number values (what the control API and seed files decode) pass.
	ids, err := e.srv.SeedRelated(sct, "MANAGEDDEVICES", map[string]any{"displayName": "x", "@odata.type": "microsoft.graph.vulnerableManagedDevice"}, map[string]any{})
	if err != nil || len(ids) != 2 || !guidRE.MatchString(ids[0]) || ids[0] == ids[1] {
		t.Fatalf("ids %v %v", ids, err)
	}

	// Seed takes the relationships along and never stores them as properties.
	id := e.srv.Seed(map[string]any{"@odata.type": "#" + avtTypeName, "appName": "Contoso",
		"managedDevices": []any{map[string]any{"id": "m1"}},
		"mobileApps":     []map[string]any{{"id": "a1", "createdDateTime": "2026-01-01T00:00:00.000Z"}, {"id": "a2"}}})
	task, _ := e.srv.Task(id)
	if _, inline := task["mobileApps"]; inline || task["appName"] != "Contoso" {
		t.Errorf("task %v", task)
	}
	apps, _ := e.srv.Related(id, "mobileApps")
	if len(apps) != 2 || apps[0]["createdDateTime"] != "2026-01-01T00:00:00Z" {
		t.Errorf("apps %v", apps)
	}
	for _, obj := range []map[string]any{
		{"@odata.type": sctTypeName, "mobileApps": []any{}},
		{"@odata.type": "#microsoft.graph.someFutureTask", "managedDevices": []any{}},
		{"managedDevices": "all of them"},
		{"managedDevices": []any{"dev"}},
		{"managedDevices": []any{map[string]any{"foo": "bar"}}},
	} {
		before := len(e.srv.Tasks())
		if _, err := e.srv.SeedTask(obj); err == nil || len(e.srv.Tasks()) != before {
			t.Errorf("SeedTask(%v): %v", obj, err)
		}
	}
	func() {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "foo") {
				t.Errorf("Seed did not panic: %v", r)
			}
		}()
		e.srv.Seed(map[string]any{"managedDevices": []any{map[string]any{"foo": "bar"}}})
	}()
}

// The list faults apply to relationship pages; rules match the new routes.
func TestRelatedFaults(t *testing.T) {
	e := newEnv(t, Options{PageSize: 1})
	id := e.seedRelated(sctTypeName, map[string][]map[string]any{"managedDevices": {{"id": "d1"}, {"id": "d2"}, {"id": "d3"}}})
	path := tasksPath + "/" + id + "/managedDevices"

	e.srv.SetFaults(Faults{NextLinkHost: "graph.microsoft.com"})
	if p := e.relPage(path); !strings.HasPrefix(p.Next, "https://graph.microsoft.com"+path+"?$skiptoken=") {
		t.Errorf("NextLinkHost: %q", p.Next)
	}
	e.srv.SetFaults(Faults{NextLinkWithoutQuery: true})
	if p := e.relPage(path); p.Next != e.srv.URL()+path {
		t.Errorf("NextLinkWithoutQuery: %q", p.Next)
	}
	e.srv.SetFaults(Faults{NextLinkToSamePage: true})
	first := e.relPage(path)
	second := e.relPage(first.Next)
	if second.Next != first.Next || second.Value[0]["id"] != "d2" {
		t.Errorf("NextLinkToSamePage: %q then %q", first.Next, second.Next)
	}
	e.srv.SetFaults(Faults{ListItemsWithoutID: true})
	if p := e.relPage(path); len(p.Value) != 1 || p.Value[0]["id"] != nil || p.Value[0]["@odata.type"] == nil {
		t.Errorf("ListItemsWithoutID: %+v", p)
	}
	if resp, b := e.do("GET", path+"/d1", nil); mustMap(t, b)["id"] != "d1" {
		t.Errorf("ListItemsWithoutID touched the item route: %d %s", resp.StatusCode, b)
	}
	counts := e.srv.FaultCounts()
	if counts[FaultNextLinkHost] != 1 || counts[FaultNextLinkRepeat] != 2 || counts[FaultListItemsWithoutID] != 1 {
		t.Errorf("fault counts %v", counts)
	}

	e.srv.SetFaults(Faults{Latency: 30 * time.Millisecond, Rules: []Rule{
		{Name: "devices", Route: RouteRelated, Times: 1, Status: 503},
		{Name: "device", Route: RouteRelatedItem, PerTask: true, Times: 1, Status: 429, RetryAfter: "1"},
	}})
	if resp, _ := e.do("GET", tasksPath+"/"+id+"/"+sctCast+"/managedDevices", nil); resp.StatusCode != 503 {
		t.Errorf("rule on %s: %d", RouteRelated, resp.StatusCode)
	}
	start := time.Now()
	if resp, _ := e.do("GET", path, nil); resp.StatusCode != 200 {
		t.Errorf("second list: %d", resp.StatusCode)
	}
	if time.Since(start) < 30*time.Millisecond || e.srv.FaultCounts()[FaultLatency] == 0 {
		t.Error("no latency")
	}
	if resp, _ := e.do("GET", path+"/d1", nil); resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("rule on %s: %d", RouteRelatedItem, resp.StatusCode)
	}
	if resp, _ := e.do("GET", path+"/d2", nil); resp.StatusCode != 200 {
		t.Errorf("second item: %d", resp.StatusCode)
	}
	if e.srv.RuleFirings("devices") != 1 || e.srv.RuleFirings("device") != 1 {
		t.Errorf("firings %d %d", e.srv.RuleFirings("devices"), e.srv.RuleFirings("device"))
	}
	var routes []string
	for _, r := range e.srv.Requests() {
		if strings.Contains(r.Path, "/managedDevices") {
			routes = append(routes, r.Route)
		}
	}
	if !strings.HasSuffix(strings.Join(routes, ","), "related,related,relatedItem,relatedItem") {
		t.Errorf("logged routes %v", routes)
	}
}

// The control API seeds and lists relationships.
func TestControlRelated(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.srv.Seed(map[string]any{"id": "t/1", "@odata.type": avtTypeName})
	ctl := func(method, path, body string) (int, []byte) {
		req, _ := http.NewRequestWithContext(t.Context(), method, e.srv.URL()+"/_graphsim"+path, strings.NewReader(body))
		resp, b := e.send(req)
		return resp.StatusCode, b
	}
	status, b := ctl("POST", "/tasks/t%2F1/mobileApps", `[{"displayName":"Contoso","createdDateTime":"2027-01-01T00:00:00.100Z"},{"id":"a2","version":"2.0"}]`)
	var created struct{ IDs []string }
	mustJSON(t, b, &created)
	if status != 201 || len(created.IDs) != 2 || created.IDs[1] != "a2" || !guidRE.MatchString(created.IDs[0]) {
		t.Fatalf("POST: %d %s", status, b)
	}
	status, b = ctl("GET", "/tasks/t%2F1/mobileApps", "")
	var listed struct{ Value []map[string]any }
	mustJSON(t, b, &listed)
	if status != 200 || len(listed.Value) != 2 || listed.Value[0]["createdDateTime"] != "2027-01-01T00:00:00.1Z" {
		t.Fatalf("GET: %d %s", status, b)
	}
	if p := e.relPage(tasksPath + "/" + url.PathEscape(id) + "/mobileApps"); len(p.Value) != 2 {
		t.Fatalf("served %+v", p)
	}
	for _, c := range []struct {
		method, path, body string
		status             int
		msg                string
	}{
		{"POST", "/tasks/t%2F1/mobileApps", `[{"foo":1}]`, 400, "The property 'foo' does not exist"},
		{"POST", "/tasks/t%2F1/mobileApps", `{"displayName":"x"}`, 400, "bad JSON"},
		{"POST", "/tasks/t%2F1/managedDevices", `[{"displayName":1}]`, 400, "Cannot convert a primitive value"},
		{"POST", "/tasks/nope/managedDevices", `[]`, 404, "no such task"},
		{"GET", "/tasks/t%2F1/foo", "", 404, "no navigation collection foo"},
		{"DELETE", "/tasks/t%2F1/mobileApps", "", 404, "unknown control route"},
	} {
		if status, b := ctl(c.method, c.path, c.body); status != c.status || !strings.Contains(string(b), c.msg) {
			t.Errorf("%s %s: %d %s", c.method, c.path, status, b)
		}
	}
}

// graphsim -seed loads this file shape (the command calls SeedFile).
func TestSeedFile(t *testing.T) {
	e := newEnv(t, Options{})
	dir := t.TempDir()
	good := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(good, []byte(`{"value":[
		{"@odata.type":"#microsoft.graph.securityConfigurationTask","id":"s1","displayName":"Patch","managedDeviceCount":2,
		 "managedDevices":[{"id":"d1","displayName":"PC-1","lastSyncDateTime":"2027-01-01T08:00:00+02:00"},{"id":"d2"}]},
		{"@odata.type":"#microsoft.graph.appVulnerabilityTask","appName":"Contoso",
		 "mobileApps":[{"displayName":"Contoso","version":"1.2"}]},
		{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","displayName":"Shadow IT"}
	]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	ids, err := e.srv.SeedFile(good)
	if err != nil || len(ids) != 3 || ids[0] != "s1" {
		t.Fatalf("SeedFile: %v %v", ids, err)
	}
	if task, _ := e.srv.Task("s1"); task["managedDeviceCount"] != float64(2) || task["displayName"] != "Patch" {
		t.Errorf("task %v", task)
	}
	p := e.relPage(tasksPath + "/s1/managedDevices")
	if len(p.Value) != 2 || p.Value[0]["lastSyncDateTime"] != "2027-01-01T06:00:00Z" || p.Value[1]["lastSyncDateTime"] != "0001-01-01T00:00:00Z" {
		t.Errorf("devices %+v", p)
	}
	if apps, _ := e.srv.Related(ids[1], "mobileApps"); len(apps) != 1 || apps[0]["version"] != "1.2" {
		t.Errorf("apps %v", apps)
	}

	for _, c := range []struct{ body, msg string }{
		{`{"value":[{"displayName":"ok"},{"managedDevices":[{"lastSyncDateTime":null}]}]}`, "value[1]: graphsim: managedDevices[0]: lastSyncDateTime: A null value"},
		{`{"value":[{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","mobileApps":[]}]}`, `value[0]: graphsim: type microsoft.graph.unmanagedDeviceDiscoveryTask has no navigation collection "mobileApps"`},
		{`{"value":[1]}`, "value[0] is not an object"},
		{`{"tasks":[]}`, `unknown field "tasks"`},
		{`[]`, "cannot unmarshal array"},
		{`{}`, `want {"value":[task objects]}`},
		{`{"value":[]} {}`, "more than one JSON value"},
	} {
		f := filepath.Join(dir, "bad.json")
		if err := os.WriteFile(f, []byte(c.body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := e.srv.SeedFile(f); err == nil || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), f) {
			t.Errorf("%s: %v, want %q", c.body, err, c.msg)
		}
	}
	if _, err := e.srv.SeedFile(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file")
	}
}

// 10,000 devices are seeded in one call and paged at PageSize 1000, each page
// found without walking the collection.
func TestRelatedTenThousand(t *testing.T) {
	e := newEnv(t, Options{PageSize: 1000})
	id := e.srv.Seed(map[string]any{"@odata.type": sctTypeName})
	items := make([]map[string]any, 10000)
	for i := range items {
		items[i] = map[string]any{"id": fmt.Sprintf("dev-%05d", i), "displayName": fmt.Sprintf("PC-%d", i),
			"lastSyncDateTime": "2027-01-01T00:00:00.1000000Z"}
	}
	start := time.Now()
	ids, err := e.srv.SeedRelated(id, "managedDevices", items...)
	if err != nil || len(ids) != 10000 {
		t.Fatalf("seed: %d %v", len(ids), err)
	}
	seeded := time.Since(start)
	start = time.Now()
	n, pages := 0, 0
	for next := tasksPath + "/" + id + "/managedDevices?$count=true"; next != ""; pages++ {
		p := e.relPage(next)
		if pages == 0 && (p.Count == nil || *p.Count != 10000) {
			t.Fatalf("count %v", p.Count)
		}
		for _, v := range p.Value {
			if v["id"] != fmt.Sprintf("dev-%05d", n) || v["lastSyncDateTime"] != "2027-01-01T00:00:00.1Z" {
				t.Fatalf("item %d: %v", n, v)
			}
			n++
		}
		next = p.Next
	}
	paged := time.Since(start)
	if n != 10000 || pages != 10 {
		t.Fatalf("%d items in %d pages", n, pages)
	}
	// Generous bounds for a shared machine; the point is O(n) seeding and
	// O(page) pages, which take milliseconds here.
	if seeded > 5*time.Second || paged > 20*time.Second {
		t.Errorf("seeding took %v, paging %v", seeded, paged)
	}
	t.Logf("seeded 10,000 in %v, read 10 pages in %v", seeded, paged)

	// The cursor finds the last page directly (a binary search over the
	// items' sequence numbers, related.go).
	s := e.srv
	s.mu.Lock()
	c := s.lookup(id).related["managedDevices"]
	s.mu.Unlock()
	page, more, total := c.page(c.items[8999].seq, 1000)
	if len(page) != 1000 || more || total != 10000 || page[0].id != "dev-09000" {
		t.Fatalf("last page: %d %v %d", len(page), more, total)
	}
}
