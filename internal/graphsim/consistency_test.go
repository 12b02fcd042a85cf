package graphsim

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// listIDs lists the collection (one page is enough here) and its $count.
func (e *env) listIDs() (ids []string, count string) {
	e.t.Helper()
	resp, b := e.do("GET", tasksPath, nil)
	if resp.StatusCode != 200 {
		e.t.Fatalf("list: %d %s", resp.StatusCode, b)
	}
	var page struct{ Value []map[string]any }
	mustJSON(e.t, b, &page)
	for _, v := range page.Value {
		ids = append(ids, v["id"].(string))
	}
	_, c := e.do("GET", tasksPath+"/$count", nil)
	return ids, string(c)
}

func TestListLag(t *testing.T) {
	e := newEnv(t, Options{})
	old := e.create(nil)["id"].(string)
	const lag = 2 * time.Second
	time.Sleep(lag) // old is now old enough to be listed
	e.srv.SetFaults(Faults{ListLag: lag})

	beforeCreate := time.Now()
	id := e.create(nil)["id"].(string)
	// Item GETs are unaffected.
	if resp, _ := e.do("GET", tasksPath+"/"+id, nil); resp.StatusCode != 200 {
		t.Fatalf("item GET %d", resp.StatusCode)
	}
	// The new task appears in lists, and in $count, only once it is lag old.
	// The server measures from when it stored the task, which is after
	// beforeCreate, so a list answered sooner than lag after beforeCreate
	// cannot show it, and one that shows it cannot have been answered sooner.
	sawHidden := false
	for {
		ids, count := e.listIDs()
		elapsed := time.Since(beforeCreate)
		visible := slices.Contains(ids, id)
		if !slices.Contains(ids, old) {
			t.Fatalf("an old task left the list: %v", ids)
		}
		if visible != (count == "2") {
			t.Fatalf("list %v disagrees with $count %s", ids, count)
		}
		if visible {
			if elapsed < lag {
				t.Fatalf("listed %v after the create, before the lag of %v", elapsed, lag)
			}
			break
		}
		sawHidden = true
		if elapsed > 30*time.Second {
			t.Fatal("the task never appeared in the list")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !sawHidden {
		t.Skip("machine too slow to observe the lag: the first list came after it")
	}
	if e.srv.FaultCounts()[FaultListLag] == 0 {
		t.Fatal(e.srv.FaultCounts())
	}
}

func TestVisibleAfterDelete(t *testing.T) {
	e := newEnv(t, Options{})
	e.srv.SetFaults(Faults{VisibleAfterDelete: 2})
	created := e.create(map[string]any{"displayName": "ghost"})
	id := created["id"].(string)
	if resp, _ := e.do("DELETE", tasksPath+"/"+id, nil); resp.StatusCode != 204 {
		t.Fatalf("delete %d", resp.StatusCode)
	}
	if _, ok := e.srv.Task(id); ok {
		t.Fatal("the store still holds the task")
	}
	// Writes see that it is gone.
	if resp, _ := e.do("PATCH", tasksPath+"/"+id, `{"displayName":"x"}`); resp.StatusCode != 404 {
		t.Fatalf("PATCH of a deleted task %d", resp.StatusCode)
	}
	if resp, _ := e.do("DELETE", tasksPath+"/"+id, nil); resp.StatusCode != 404 {
		t.Fatalf("second DELETE %d", resp.StatusCode)
	}
	for i := range 2 {
		if ids, count := e.listIDs(); !slices.Contains(ids, id) || count != "1" {
			t.Fatalf("read %d: list %v count %s", i, ids, count)
		}
		resp, b := e.do("GET", tasksPath+"/"+id, nil)
		if resp.StatusCode != 200 || mustMap(t, b)["displayName"] != "ghost" {
			t.Fatalf("read %d: %d %s", i, resp.StatusCode, b)
		}
	}
	if ids, count := e.listIDs(); len(ids) != 0 || count != "0" {
		t.Fatalf("list after the visible reads: %v %s", ids, count)
	}
	if resp, _ := e.do("GET", tasksPath+"/"+id, nil); resp.StatusCode != 404 {
		t.Fatalf("GET after the visible reads %d", resp.StatusCode)
	}
	if n := e.srv.FaultCounts()[FaultVisibleAfterDelete]; n != 6 { // 2 GETs, 2 lists, 2 $counts
		t.Fatalf("counted %d", n)
	}
}

func TestBareNotFoundAfterDelete(t *testing.T) {
	e := newEnv(t, Options{})
	kept := e.create(map[string]any{"displayName": "kept"})["id"].(string)
	before := e.create(map[string]any{"displayName": "deleted before"})["id"].(string)
	if resp, _ := e.do("DELETE", tasksPath+"/"+before, nil); resp.StatusCode != 204 {
		t.Fatalf("delete %d", resp.StatusCode)
	}
	e.srv.SetFaults(Faults{BareNotFoundAfterDelete: true})
	id := e.create(map[string]any{"displayName": "gone"})["id"].(string)
	if resp, _ := e.do("DELETE", tasksPath+"/"+id, nil); resp.StatusCode != 204 {
		t.Fatalf("delete %d", resp.StatusCode)
	}
	for i := range 2 {
		resp, b := e.do("GET", tasksPath+"/"+strings.ToUpper(id), nil)
		if resp.StatusCode != 404 || len(b) != 0 {
			t.Fatalf("GET %d of the deleted task: %d %q, want a 404 with no body", i, resp.StatusCode, b)
		}
	}
	// Only GETs of what was deleted under the fault are bare.
	if resp, b := e.do("DELETE", tasksPath+"/"+id, nil); resp.StatusCode != 404 || !strings.Contains(string(b), `"ResourceNotFound"`) {
		t.Fatalf("second DELETE %d %s, want Graph's 404", resp.StatusCode, b)
	}
	if resp, b := e.do("GET", tasksPath+"/"+before, nil); resp.StatusCode != 404 || !strings.Contains(string(b), `"ResourceNotFound"`) {
		t.Fatalf("GET of a task deleted before the fault: %d %s, want Graph's 404", resp.StatusCode, b)
	}
	if resp, _ := e.do("GET", tasksPath+"/"+kept, nil); resp.StatusCode != 200 {
		t.Fatalf("GET of a live task %d", resp.StatusCode)
	}
	if n := e.srv.FaultCounts()[FaultBareNotFoundAfterDelete]; n != 2 {
		t.Fatalf("counted %d, want 2", n)
	}
	// Cleared, Graph's own 404 again.
	e.srv.SetFaults(Faults{})
	if resp, b := e.do("GET", tasksPath+"/"+id, nil); resp.StatusCode != 404 || !strings.Contains(string(b), `"ResourceNotFound"`) {
		t.Fatalf("GET after the fault was cleared: %d %s", resp.StatusCode, b)
	}
}

func TestStaleReadsAfterWrite(t *testing.T) {
	e := newEnv(t, Options{})
	e.srv.SetFaults(Faults{StaleReadsAfterWrite: 2})
	id := e.create(map[string]any{"displayName": "v1"})["id"].(string)
	read := func() map[string]any {
		resp, b := e.do("GET", tasksPath+"/"+id, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		return mustMap(t, b)
	}
	// A create is not a write this fault delays.
	if got := read()["displayName"]; got != "v1" {
		t.Fatalf("after create: %v", got)
	}
	resp, b := e.do("PATCH", tasksPath+"/"+id, `{"displayName":"v2"}`)
	if resp.StatusCode != 200 || mustMap(t, b)["displayName"] != "v2" {
		t.Fatalf("PATCH answers the new entity: %d %s", resp.StatusCode, b)
	}
	var seen []any
	for range 3 {
		seen = append(seen, read()["displayName"])
	}
	if seen[0] != "v1" || seen[1] != "v1" || seen[2] != "v2" {
		t.Fatalf("reads after PATCH: %v", seen)
	}
	// Lists are current.
	if _, b := e.do("GET", tasksPath, nil); !strings.Contains(string(b), `"displayName":"v2"`) {
		t.Fatalf("list: %s", b)
	}
	// A failed write leaves no stale reads.
	e.do("PATCH", tasksPath+"/"+id, `{"displayName":5}`)
	if got := read()["displayName"]; got != "v2" {
		t.Fatalf("after a failed PATCH: %v", got)
	}
	if resp, _ := e.do("POST", tasksPath+"/"+id+"/updateStatus", `{"status":"active"}`); resp.StatusCode != 204 {
		t.Fatal(resp.StatusCode)
	}
	seen = nil
	for range 3 {
		seen = append(seen, read()["status"])
	}
	if seen[0] != "unknown" || seen[1] != "unknown" || seen[2] != "active" {
		t.Fatalf("reads after updateStatus: %v", seen)
	}
	if n := e.srv.FaultCounts()[FaultStaleRead]; n != 4 {
		t.Fatalf("counted %d", n)
	}
}

func TestNextLinkHost(t *testing.T) {
	e := newEnv(t, Options{PageSize: 1})
	e.create(nil)
	e.create(nil)
	e.srv.SetFaults(Faults{NextLinkHost: "graph.example.invalid:8443"})
	_, b := e.do("GET", tasksPath+"?$select=id", nil)
	var page struct {
		Context string `json:"@odata.context"`
		Next    string `json:"@odata.nextLink"`
	}
	mustJSON(t, b, &page)
	if !strings.HasPrefix(page.Next, "https://graph.example.invalid:8443"+tasksPath+"?") || !strings.Contains(page.Next, "$skiptoken=") ||
		!strings.HasPrefix(page.Context, e.srv.URL()) {
		t.Fatalf("%s", b)
	}
	if e.srv.FaultCounts()[FaultNextLinkHost] != 1 {
		t.Fatal(e.srv.FaultCounts())
	}
}

func TestControlAPIConsistencyFaults(t *testing.T) {
	e := newEnv(t, Options{})
	body := `{"listLag":"1.5s","visibleAfterDelete":2,"bareNotFoundAfterDelete":true,"staleReadsAfterWrite":3,"nextLinkHost":"other.invalid:443","writeThrottle":{"limit":3,"window":"20s"}}`
	req, _ := http.NewRequestWithContext(t.Context(), "PUT", e.srv.URL()+"/_graphsim/faults", strings.NewReader(body))
	resp, b := e.send(req)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	f := e.srv.CurrentFaults()
	if f.ListLag != 1500*time.Millisecond || f.VisibleAfterDelete != 2 || !f.BareNotFoundAfterDelete || f.StaleReadsAfterWrite != 3 || f.NextLinkHost != "other.invalid:443" {
		t.Fatalf("%+v", f)
	}
	// The answer, and GET, give the same JSON back.
	var got map[string]any
	mustJSON(t, b, &got)
	if got["listLag"] != "1.5s" || got["visibleAfterDelete"] != float64(2) || got["bareNotFoundAfterDelete"] != true || got["staleReadsAfterWrite"] != float64(3) ||
		got["nextLinkHost"] != "other.invalid:443" {
		t.Fatalf("%s", b)
	}
	req, _ = http.NewRequestWithContext(t.Context(), "GET", e.srv.URL()+"/_graphsim/faults", nil)
	if _, again := e.send(req); string(again) != string(b) {
		t.Fatalf("GET %s\nPUT %s", again, b)
	}
	// The request log carries Retry-After as JSON.
	e.srv.SetFaults(Faults{Rules: []Rule{{Route: RouteTasks, Method: "GET", Times: 1, Status: 503, RetryAfter: "7"}}})
	e.do("GET", tasksPath, nil)
	req, _ = http.NewRequestWithContext(t.Context(), "GET", e.srv.URL()+"/_graphsim/requests", nil)
	if _, logged := e.send(req); !strings.Contains(string(logged), `"retryAfter":"7"`) {
		t.Fatalf("%s", logged)
	}
}

func TestEditBeforeWrite(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.create(map[string]any{"displayName": "v1", "status": "pending"})["id"].(string)
	e.srv.SetFaults(Faults{EditBeforeWrite: map[string]any{"status": "completed"}})
	resp, b := e.do("PATCH", tasksPath+"/"+id, `{"@odata.type":"#microsoft.graph.securityConfigurationTask","displayName":"v2"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("PATCH %d %s", resp.StatusCode, b)
	}
	if got := mustMap(t, b); got["displayName"] != "v2" || got["status"] != "completed" {
		t.Fatalf("PATCH answered %v: the edit and the write must both show", got)
	}
	if resp, b = e.do("POST", tasksPath+"/"+id+"/updateStatus", `{"status":"active","note":"n"}`); resp.StatusCode != 204 {
		t.Fatalf("updateStatus %d %s", resp.StatusCode, b)
	}
	if got, _ := e.srv.Task(id); got["status"] != "active" {
		t.Fatalf("the write must win over the edit made before it: %v", got["status"])
	}
	if n := e.srv.FaultCounts()[FaultEditBeforeWrite]; n != 2 {
		t.Fatalf("counted %d, want 2", n)
	}
}
