package graphsim

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLatency(t *testing.T) {
	e := newEnv(t, Options{})
	e.srv.SetFaults(Faults{Latency: 150 * time.Millisecond})
	start := time.Now()
	if resp, _ := e.do("GET", tasksPath, nil); resp.StatusCode != 200 {
		t.Fatal(resp.StatusCode)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("took %v", d)
	}
	if e.srv.FaultCounts()[FaultLatency] != 1 {
		t.Fatal(e.srv.FaultCounts())
	}
}

// retryAfter parses a Retry-After header in whole seconds.
func retryAfter(t *testing.T, resp *http.Response) int {
	t.Helper()
	n, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil {
		t.Fatalf("Retry-After %q: %v", resp.Header.Get("Retry-After"), err)
	}
	return n
}

// Timing in these tests must hold on a loaded 2-core machine: windows are
// seconds long, and the assertions are orderings and bounds, never exact
// durations.

func TestWriteThrottle(t *testing.T) {
	e := newEnv(t, Options{})
	e.srv.SetFaults(Faults{WriteThrottle: &Throttle{Limit: 2, Window: 10 * time.Second}})
	e.create(nil)
	id := e.create(nil)["id"].(string)
	resp, b := e.do("POST", tasksPath+"/"+id+"/updateStatus", `{"status":"active"}`)
	if resp.StatusCode != 429 || graphErr(t, b).Error.Code != "TooManyRequests" {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	if ra := retryAfter(t, resp); ra < 1 || ra > 10 {
		t.Fatalf("Retry-After %d outside [1, 10]", ra)
	}
	// Reads are not throttled.
	if resp, _ := e.do("GET", tasksPath, nil); resp.StatusCode != 200 {
		t.Fatal("read throttled")
	}
	e.srv.SetFaults(Faults{WriteThrottle: &Throttle{Limit: 1, Window: time.Minute, OmitRetryAfter: true}})
	e.do("DELETE", tasksPath+"/"+id, nil)
	resp, _ = e.do("PATCH", tasksPath+"/"+id, `{"displayName":"x"}`)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "" {
		t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if e.srv.Throttled() != 2 {
		t.Fatal(e.srv.Throttled())
	}
	// The window slides: once Retry-After has passed, writes succeed again.
	e.srv.SetFaults(Faults{WriteThrottle: &Throttle{Limit: 1, Window: 2 * time.Second}})
	e.create(nil)
	resp, _ = e.do("POST", tasksPath, `{}`)
	if resp.StatusCode != 429 {
		t.Fatalf("expected 429, got %d", resp.StatusCode)
	}
	time.Sleep(time.Duration(retryAfter(t, resp)) * time.Second)
	e.create(nil)
}

// TestThrottleCountsRejections: Graph counts every request, throttled ones
// included (graph-behaviour.md §7.1). A client that hammers without waiting
// stays throttled well past the window; one that honours Retry-After gets
// through.
func TestThrottleCountsRejections(t *testing.T) {
	e := newEnv(t, Options{})
	const window = 2 * time.Second
	e.srv.SetFaults(Faults{WriteThrottle: &Throttle{Limit: 2, Window: window}})
	e.create(nil)
	e.create(nil)
	start := time.Now()
	hammered := 0
	for time.Since(start) < window+window/2 {
		resp, _ := e.do("POST", tasksPath, `{"@odata.type":"#microsoft.graph.securityConfigurationTask"}`)
		if resp.StatusCode != 429 {
			t.Fatalf("write %d after %v of hammering got %d, want 429", hammered, time.Since(start), resp.StatusCode)
		}
		if ra := retryAfter(t, resp); ra < 1 || ra > 2 {
			t.Fatalf("Retry-After %d outside [1, 2]", ra)
		}
		hammered++
		time.Sleep(20 * time.Millisecond)
	}

	// Honour Retry-After, retrying with the same client-request-id.
	const crid = "22222222-2222-4222-8222-222222222222"
	var waited time.Duration
	for attempt := 0; ; attempt++ {
		req := e.newReq(t.Context(), "POST", tasksPath, `{"@odata.type":"#microsoft.graph.securityConfigurationTask","displayName":"patient"}`)
		req.Header.Set("client-request-id", crid)
		resp, b := e.send(req)
		if resp.StatusCode == 201 {
			break
		}
		if resp.StatusCode != 429 || attempt > 0 {
			t.Fatalf("attempt %d after waiting %v: %d %s", attempt, waited, resp.StatusCode, b)
		}
		waited = time.Duration(retryAfter(t, resp)) * time.Second
		time.Sleep(waited)
	}
	// The log shows what the server asked for and that the client waited
	// at least that long before its retry.
	var tries []LoggedRequest
	for _, r := range e.srv.Requests() {
		if r.Header.Get("client-request-id") == crid {
			tries = append(tries, r)
		}
	}
	if len(tries) != 2 || tries[0].Status != 429 || tries[0].RetryAfter == "" || tries[1].Status != 201 || tries[1].RetryAfter != "" {
		t.Fatalf("log %+v", tries)
	}
	asked, _ := strconv.Atoi(tries[0].RetryAfter)
	if gap := tries[1].Time.Sub(tries[0].Time); gap < time.Duration(asked)*time.Second {
		t.Fatalf("retried after %v, asked to wait %ds", gap, asked)
	}
	if e.srv.Throttled() != hammered+1 {
		t.Fatalf("throttled %d, want %d", e.srv.Throttled(), hammered+1)
	}
}

func TestRules(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.create(nil)["id"].(string)

	// Times: first call only, with Retry-After.
	e.srv.SetFaults(Faults{Rules: []Rule{{Method: "GET", Route: RouteTask, Times: 1, Status: 503, RetryAfter: "1"}}})
	resp, b := e.do("GET", tasksPath+"/"+id, nil)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "1" || graphErr(t, b).Error.Code != "ServiceUnavailable" {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	if resp, _ = e.do("GET", tasksPath+"/"+id, nil); resp.StatusCode != 200 {
		t.Fatal("rule fired twice")
	}
	// Route filter: the collection is unaffected.
	e.srv.SetFaults(Faults{Rules: []Rule{{Route: RouteTask, Status: 500}}})
	if resp, _ = e.do("GET", tasksPath, nil); resp.StatusCode != 200 {
		t.Fatal("route filter")
	}
	resp, b = e.do("GET", tasksPath+"/"+id, nil)
	if resp.StatusCode != 500 || !strings.Contains(graphErr(t, b).Error.Message, `"_version": 3`) {
		t.Fatalf("500: %s", b)
	}

	// EveryNth with an HTML gateway page.
	html := "<html><body><h1>502 Bad Gateway</h1></body></html>"
	e.srv.SetFaults(Faults{Rules: []Rule{{Route: RouteTasks, Method: "GET", EveryNth: 2, Status: 502, Body: html}}})
	var got []int
	for range 4 {
		resp, b := e.do("GET", tasksPath, nil)
		got = append(got, resp.StatusCode)
		if resp.StatusCode == 502 && (string(b) != html || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html")) {
			t.Fatalf("html: %q %q", resp.Header.Get("Content-Type"), b)
		}
	}
	if got[0] != 200 || got[1] != 502 || got[2] != 200 || got[3] != 502 {
		t.Fatalf("everyNth %v", got)
	}

	// Delay honours client cancellation: the client gets an error, never an
	// answer, and does not wait for the delay.
	e.srv.SetFaults(Faults{Rules: []Rule{{Route: RouteTask, Delay: time.Minute}}})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if resp, err := e.hc.Do(e.newReq(ctx, "GET", tasksPath+"/"+id, nil)); err == nil || time.Since(start) > 30*time.Second {
		if err == nil {
			resp.Body.Close()
		}
		t.Fatalf("delay: err=%v after %v", err, time.Since(start))
	}
	// A short delay alone answers normally.
	e.srv.SetFaults(Faults{Rules: []Rule{{Route: RouteTask, Delay: 50 * time.Millisecond}}})
	if resp, _ = e.do("GET", tasksPath+"/"+id, nil); resp.StatusCode != 200 {
		t.Fatal("delay-only")
	}

	// Token route: Entra-shaped error.
	e.srv.SetFaults(Faults{Rules: []Rule{{Route: RouteToken, Times: 1, Status: 503}}})
	e.hc.CloseIdleConnections()
	resp, b = e.postForm("/"+DefaultTenantID+"/oauth2/v2.0/token", nil)
	if resp.StatusCode != 503 || !strings.Contains(string(b), "temporarily_unavailable") {
		t.Fatalf("token fault: %d %s", resp.StatusCode, b)
	}
	fc := e.srv.FaultCounts()
	if fc[FaultStatus] != 5 || fc[FaultDelay] != 2 {
		t.Fatalf("fault counts %v", fc)
	}
}

func TestResetConnection(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		name := "http1"
		if h2 {
			name = "h2"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, Options{})
			e.hc = trustingClient(t, e.srv, h2)
			e.srv.SetFaults(Faults{Rules: []Rule{{Method: "POST", Route: RouteTasks, Times: 1, ResetConnection: true}}})
			req := e.newReq(t.Context(), "POST", tasksPath, `{"@odata.type":"#microsoft.graph.securityConfigurationTask"}`)
			resp, err := e.hc.Do(req)
			if err == nil {
				resp.Body.Close()
				t.Fatalf("got %d, want a transport error", resp.StatusCode)
			}
			if len(e.srv.Tasks()) != 0 {
				t.Fatal("reset before commit must not create")
			}
			// Ambiguous failure: created, then the connection dies.
			e.srv.SetFaults(Faults{Rules: []Rule{{Method: "POST", Route: RouteTasks, Times: 1, ResetConnection: true, AfterCommit: true}}})
			if resp, err := e.hc.Do(e.newReq(t.Context(), "POST", tasksPath, `{"@odata.type":"#microsoft.graph.securityConfigurationTask","displayName":"ghost"}`)); err == nil {
				resp.Body.Close()
				t.Fatalf("got %d, want a transport error", resp.StatusCode)
			}
			if ts := e.srv.Tasks(); len(ts) != 1 || ts[0]["displayName"] != "ghost" {
				t.Fatalf("after-commit reset: %v", ts)
			}
			if e.srv.FaultCounts()[FaultReset] != 2 {
				t.Fatal(e.srv.FaultCounts())
			}
			// The server keeps serving.
			if resp, _ := e.do("GET", tasksPath, nil); resp.StatusCode != 200 {
				t.Fatal("server broken after reset")
			}
		})
	}
}

func TestAfterCommitStatus(t *testing.T) {
	e := newEnv(t, Options{})
	e.srv.SetFaults(Faults{Rules: []Rule{{Method: "POST", Route: RouteTasks, Times: 1, Status: 500, AfterCommit: true}}})
	resp, b := e.do("POST", tasksPath, `{"@odata.type":"#microsoft.graph.securityConfigurationTask","displayName":"exists"}`)
	if resp.StatusCode != 500 || graphErr(t, b).Error.Code != "InternalServerError" {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	if ts := e.srv.Tasks(); len(ts) != 1 || ts[0]["displayName"] != "exists" {
		t.Fatalf("%v", ts)
	}
	// A delay-only after-commit rule delivers the real answer, headers included.
	e.srv.SetFaults(Faults{Rules: []Rule{{Method: "PATCH", Times: 1, Delay: 20 * time.Millisecond, AfterCommit: true}}})
	pid := e.srv.Tasks()[0]["id"].(string)
	resp, b = e.do("PATCH", tasksPath+"/"+pid, `{"displayName":"late"}`)
	if resp.StatusCode != 200 || mustMap(t, b)["displayName"] != "late" || !guidRE.MatchString(resp.Header.Get("request-id")) {
		t.Fatalf("delayed commit: %d %v %s", resp.StatusCode, resp.Header, b)
	}
	e.srv.SetFaults(Faults{Rules: []Rule{{Method: "DELETE", Times: 1, Status: 504, AfterCommit: true}}})
	id := e.srv.Tasks()[0]["id"].(string)
	if resp, _ := e.do("DELETE", tasksPath+"/"+id, nil); resp.StatusCode != 504 {
		t.Fatal(resp.StatusCode)
	}
	if _, ok := e.srv.Task(id); ok {
		t.Fatal("delete not committed")
	}
}

func TestStoreFaults(t *testing.T) {
	e := newEnv(t, Options{})
	e.srv.SetFaults(Faults{NotFoundReadsAfterCreate: 2})
	id := e.create(nil)["id"].(string)
	var codes []int
	for range 3 {
		resp, _ := e.do("GET", tasksPath+"/"+id, nil)
		codes = append(codes, resp.StatusCode)
	}
	if codes[0] != 404 || codes[1] != 404 || codes[2] != 200 {
		t.Fatalf("eventual consistency %v", codes)
	}
	// The list shows it at once (only item reads lag).
	if len(e.srv.Tasks()) != 1 {
		t.Fatal("list")
	}

	e.srv.SetFaults(Faults{PatchNoContent: true})
	resp, b := e.do("PATCH", tasksPath+"/"+id, `{"displayName":"quiet"}`)
	if resp.StatusCode != 204 || len(b) != 0 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	if m, _ := e.srv.Task(id); m["displayName"] != "quiet" {
		t.Fatal("patch not applied")
	}

	e.srv.SetFaults(Faults{ExtraProperties: true})
	_, b = e.do("GET", tasksPath+"/"+id, nil)
	m := mustMap(t, b)
	if m["riskScore"] != float64(3) || m["roleScopeTagIds"] == nil || m["remediationDetails"] == nil || m["displayName"] != "quiet" {
		t.Fatalf("extra: %s", b)
	}
	if _, ok := e.srv.Tasks()[0]["riskScore"]; ok {
		t.Fatal("extra properties leaked into the store")
	}
	fc := e.srv.FaultCounts()
	if fc[FaultNotFoundAfterCreate] != 2 || fc[FaultPatchNoContent] != 1 || fc[FaultExtraProperties] != 1 {
		t.Fatalf("%v", fc)
	}
}

func TestControlAPI(t *testing.T) {
	e := newEnv(t, Options{})
	ctl := func(method, path, body string) (*http.Response, []byte) {
		req, _ := http.NewRequestWithContext(t.Context(), method, e.srv.URL()+"/_graphsim/"+path, strings.NewReader(body))
		return e.send(req)
	}
	resp, b := ctl("POST", "tasks", `{"@odata.type":"#microsoft.graph.appVulnerabilityTask","appName":"x"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	id := mustMap(t, b)["id"].(string)
	if resp, b = ctl("PATCH", "tasks/"+id, `{"status":"inReview"}`); resp.StatusCode != 200 || mustMap(t, b)["status"] != "inReview" {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	_, b = ctl("GET", "tasks", "")
	var tl struct{ Value []map[string]any }
	mustJSON(t, b, &tl)
	if len(tl.Value) != 1 || tl.Value[0]["appName"] != "x" {
		t.Fatalf("%s", b)
	}

	resp, b = ctl("PUT", "faults", `{"latency":"20ms","writeThrottle":{"limit":5,"window":20000},"rules":[{"route":"task","times":1,"status":503,"delay":"10ms"}]}`)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	f := e.srv.CurrentFaults()
	if f.Latency != 20*time.Millisecond || f.WriteThrottle.Window != 20*time.Second || f.Rules[0].Delay != 10*time.Millisecond || f.Rules[0].Status != 503 {
		t.Fatalf("%+v", f)
	}
	if resp, _ = ctl("PUT", "faults", `{"latency":"soon"}`); resp.StatusCode != 400 {
		t.Fatal("bad duration accepted")
	}
	if resp, _ = e.do("GET", tasksPath+"/"+id, nil); resp.StatusCode != 503 {
		t.Fatal(resp.StatusCode)
	}

	_, b = ctl("GET", "counts", "")
	var counts struct {
		Counts map[string]int
		Faults map[string]int
	}
	mustJSON(t, b, &counts)
	if counts.Counts["GET task"] != 1 || counts.Faults[FaultStatus] != 1 || counts.Counts["POST token"] != 1 {
		t.Fatalf("%s", b)
	}
	_, b = ctl("GET", "requests", "")
	var reqs struct{ Value []LoggedRequest }
	mustJSON(t, b, &reqs)
	if len(reqs.Value) != 2 || reqs.Value[1].Status != 503 || reqs.Value[1].Fault == "" {
		t.Fatalf("%s", b)
	}
	_, b = ctl("GET", "info", "")
	if mustMap(t, b)["url"] != e.srv.URL() {
		t.Fatalf("%s", b)
	}
	if resp, _ = ctl("POST", "reset", ""); resp.StatusCode != 204 || len(e.srv.Tasks()) != 0 || e.srv.CurrentFaults().Latency != 0 {
		t.Fatal("reset")
	}
	_, b = ctl("GET", "faults", "")
	var fw map[string]any
	mustJSON(t, b, &fw)
	if len(fw) != 0 {
		t.Fatalf("faults after reset %s", b)
	}
}

// TestClientGoneDuringDelay: a client that gives up during a rule's delay gets
// no answer at all, before or after the commit; the commit stands.
func TestClientGoneDuringDelay(t *testing.T) {
	for _, afterCommit := range []bool{false, true} {
		e := newEnv(t, Options{})
		e.srv.SetFaults(Faults{Rules: []Rule{{Method: "POST", Route: RouteTasks, Delay: time.Minute, AfterCommit: afterCommit}}})
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		resp, err := e.hc.Do(e.newReq(ctx, "POST", tasksPath, `{"@odata.type":"#microsoft.graph.securityConfigurationTask"}`))
		cancel()
		if err == nil {
			resp.Body.Close()
			t.Fatalf("afterCommit=%v: got %d, want an error", afterCommit, resp.StatusCode)
		}
		// The aborted exchange is logged without a status once the handler
		// has noticed; wait for that rather than for a fixed time.
		deadline := time.Now().Add(30 * time.Second)
		for {
			reqs := e.srv.Requests()
			if last := reqs[len(reqs)-1]; last.Route == RouteTasks {
				if last.Status != 0 {
					t.Fatalf("afterCommit=%v: logged status %d", afterCommit, last.Status)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the aborted exchange was never logged")
			}
			time.Sleep(20 * time.Millisecond)
		}
		if n := len(e.srv.Tasks()); n != map[bool]int{false: 0, true: 1}[afterCommit] {
			t.Fatalf("afterCommit=%v: %d tasks", afterCommit, n)
		}
	}
}

// TestSuccessWithoutEntity: 2xx answers after a real commit that give the
// client no usable entity, with and without the Location header.
func TestSuccessWithoutEntity(t *testing.T) {
	e := newEnv(t, Options{})
	const body = `{"@odata.type":"#microsoft.graph.securityConfigurationTask","displayName":"made"}`
	cases := []struct {
		name     string
		rule     Rule
		wantBody string
		location bool
	}{
		{"empty", Rule{Status: 201, EmptyBody: true}, "", true},
		{"truncated", Rule{Status: 201, Body: `{"@odata.context":"https://x/beta/$metadata#deviceAppManagement/deviceAppManagementTasks/$entity","id":"`}, `{"@odata.context":"https://x/beta/$metadata#deviceAppManagement/deviceAppManagementTasks/$entity","id":"`, true},
		{"default", Rule{Status: 201}, `{}`, true},
		{"no location", Rule{Status: 201, EmptyBody: true, OmitLocation: true}, "", false},
		{"200 empty", Rule{Status: 200, EmptyBody: true}, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(e.srv.Tasks())
			rule := c.rule
			rule.Method, rule.Route, rule.Times, rule.AfterCommit = "POST", RouteTasks, 1, true
			e.srv.SetFaults(Faults{Rules: []Rule{rule}})
			resp, b := e.do("POST", tasksPath, body)
			if resp.StatusCode != c.rule.Status || string(b) != c.wantBody {
				t.Fatalf("%d %q", resp.StatusCode, b)
			}
			if c.rule.EmptyBody && (resp.ContentLength != 0 || resp.Header.Get("Content-Length") != "0") {
				t.Fatalf("Content-Length %q", resp.Header.Get("Content-Length"))
			}
			ts := e.srv.Tasks()
			if len(ts) != before+1 {
				t.Fatal("the create was not committed")
			}
			newID := ts[len(ts)-1]["id"].(string)
			loc := resp.Header.Get("Location")
			if c.location && loc != e.srv.URL()+tasksPath+"/"+newID {
				t.Fatalf("Location %q, want the new task %s", loc, newID)
			}
			if !c.location && loc != "" {
				t.Fatalf("Location %q", loc)
			}
			if !guidRE.MatchString(resp.Header.Get("request-id")) {
				t.Fatal("Graph's headers are missing")
			}
		})
	}
	// A 204 for a PATCH: committed, no body.
	id := e.srv.Tasks()[0]["id"].(string)
	e.srv.SetFaults(Faults{Rules: []Rule{{Method: "PATCH", Times: 1, Status: 204, AfterCommit: true}}})
	if resp, b := e.do("PATCH", tasksPath+"/"+id, `{"displayName":"patched"}`); resp.StatusCode != 204 || len(b) != 0 || resp.Header.Get("Location") != "" {
		t.Fatalf("%d %q %v", resp.StatusCode, b, resp.Header)
	}
	if m, _ := e.srv.Task(id); m["displayName"] != "patched" {
		t.Fatal("the PATCH was not committed")
	}
	// Errors after a commit never carry the Location.
	e.srv.SetFaults(Faults{Rules: []Rule{{Method: "POST", Route: RouteTasks, Times: 1, Status: 500, AfterCommit: true}}})
	if resp, _ := e.do("POST", tasksPath, body); resp.StatusCode != 500 || resp.Header.Get("Location") != "" {
		t.Fatalf("%d %v", resp.StatusCode, resp.Header)
	}
}

func TestControlAPIRuleFields(t *testing.T) {
	e := newEnv(t, Options{})
	body := `{"rules":[{"name":"lost","method":"POST","route":"tasks","times":1,"perTask":true,"status":201,"afterCommit":true,"emptyBody":true,"omitLocation":true}],` +
		`"listItemsWithoutID":true,"nextLinkWithoutQuery":true,"nextLinkToSamePage":true}`
	req, _ := http.NewRequestWithContext(t.Context(), "PUT", e.srv.URL()+"/_graphsim/faults", strings.NewReader(body))
	resp, b := e.send(req)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	want := Rule{Name: "lost", Method: "POST", Route: RouteTasks, Times: 1, PerTask: true, Status: 201, AfterCommit: true, EmptyBody: true, OmitLocation: true}
	if f := e.srv.CurrentFaults(); len(f.Rules) != 1 || !reflect.DeepEqual(f.Rules[0], want) ||
		!f.ListItemsWithoutID || !f.NextLinkWithoutQuery || !f.NextLinkToSamePage {
		t.Fatalf("%+v", f)
	}
	var got struct{ Rules []map[string]any }
	mustJSON(t, b, &got)
	if len(got.Rules) != 1 || got.Rules[0]["emptyBody"] != true || got.Rules[0]["omitLocation"] != true {
		t.Fatalf("%s", b)
	}
}

// TestLateAnswerAfterCommit: a rule can commit a write, hold the answer, and only then fail it,
// as a gateway does that gives up on a backend which did the work: the task is stored before the
// answer leaves, and a lagging list keeps it out for longer than the delay.
func TestLateAnswerAfterCommit(t *testing.T) {
	e := newEnv(t, Options{})
	const delay = 300 * time.Millisecond
	e.srv.SetFaults(Faults{ListLag: time.Hour, Rules: []Rule{{Name: "late", Method: "POST", Route: RouteTasks, Times: 1,
		AfterCommit: true, Delay: delay, Status: 504}}})
	done := make(chan struct{})
	go func() {
		defer close(done)
		start := time.Now()
		resp, b := e.do("POST", tasksPath, `{"@odata.type":"#microsoft.graph.securityConfigurationTask","displayName":"late"}`)
		if resp.StatusCode != 504 || graphErr(t, b).Error.Code != "GatewayTimeout" || time.Since(start) < delay {
			t.Errorf("%d after %v: %s", resp.StatusCode, time.Since(start), b)
		}
	}()
	// The write is stored while the answer is still held back.
	for len(e.srv.Tasks()) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	<-done
	if _, b := e.do("GET", tasksPath, nil); strings.Contains(string(b), `"late"`) {
		t.Fatalf("the lagging list shows the task: %s", b)
	}
	if n := e.srv.RuleFirings("late"); n != 1 {
		t.Fatalf("RuleFirings = %d", n)
	}
}

// TestRuleNamesPerTaskAndOnFire: named rules are counted on their own, PerTask counts each task's
// calls apart, and OnFire runs as the request arrives, before the rule acts; UpdateFaults keeps
// the counters.
func TestRuleNamesPerTaskAndOnFire(t *testing.T) {
	e := newEnv(t, Options{})
	a, b := e.create(nil)["id"].(string), e.create(nil)["id"].(string)
	seeded := ""
	e.srv.SetFaults(Faults{Rules: []Rule{
		{Name: "reads", Method: "GET", Route: RouteTask, Times: 2, PerTask: true, Status: 502},
		{Name: "deletes", Method: "DELETE", Route: RouteTask, Times: 1, Status: 504},
		{Name: "hook", Method: "POST", Route: RouteTasks, OnFire: func() {
			seeded = e.srv.Seed(map[string]any{"displayName": "seeded when the POST arrived"})
		}},
	}})
	for _, id := range []string{a, b, a, b} {
		if resp, _ := e.do("GET", tasksPath+"/"+id, nil); resp.StatusCode != 502 {
			t.Fatalf("GET %s: %d, want each task's first two reads to fail", id, resp.StatusCode)
		}
	}
	for _, id := range []string{a, b} {
		if resp, _ := e.do("GET", tasksPath+"/"+id, nil); resp.StatusCode != 200 {
			t.Fatalf("third GET %s: %d", id, resp.StatusCode)
		}
	}
	created := e.create(nil)
	if seeded == "" || len(e.srv.Tasks()) != 4 {
		t.Fatalf("OnFire did not seed (%q), %d tasks", seeded, len(e.srv.Tasks()))
	}
	if created["id"] == seeded {
		t.Fatal("the hook's task is the created one")
	}
	e.srv.UpdateFaults(func(f *Faults) { f.Latency = time.Millisecond })
	if resp, _ := e.do("DELETE", tasksPath+"/"+a, nil); resp.StatusCode != 504 {
		t.Fatalf("DELETE: %d", resp.StatusCode)
	}
	if resp, _ := e.do("DELETE", tasksPath+"/"+a, nil); resp.StatusCode != 204 {
		t.Fatalf("second DELETE: %d: UpdateFaults reset the counters", resp.StatusCode)
	}
	for name, want := range map[string]int{"reads": 4, "deletes": 1, "hook": 1} {
		if n := e.srv.RuleFirings(name); n != want {
			t.Errorf("RuleFirings(%q) = %d, want %d", name, n, want)
		}
	}
}

// TestListFaults: list items without their id, and @odata.nextLinks that repeat a page (a proxy
// dropping the query, or a link to the page just served).
func TestListFaults(t *testing.T) {
	e := newEnv(t, Options{PageSize: 2})
	for range 5 {
		e.create(nil)
	}
	page := func(url string) (ids []any, next string) {
		t.Helper()
		resp, b := e.do("GET", url, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", url, resp.StatusCode, b)
		}
		var p struct {
			Value []map[string]any `json:"value"`
			Next  string           `json:"@odata.nextLink"`
		}
		mustJSON(t, b, &p)
		for _, v := range p.Value {
			ids = append(ids, v["id"])
		}
		return ids, p.Next
	}

	e.srv.SetFaults(Faults{ListItemsWithoutID: true})
	if ids, _ := page(tasksPath); len(ids) != 2 || ids[0] != nil || ids[1] != nil {
		t.Fatalf("ids %v, want two items without one", ids)
	}
	if e.srv.FaultCounts()[FaultListItemsWithoutID] != 1 {
		t.Fatal(e.srv.FaultCounts())
	}

	e.srv.SetFaults(Faults{NextLinkWithoutQuery: true})
	if _, next := page(tasksPath); next != e.srv.URL()+tasksPath {
		t.Fatalf("nextLink %q, want the collection itself", next)
	}

	e.srv.SetFaults(Faults{NextLinkToSamePage: true})
	first, next := page(tasksPath)
	second, again := page(next)
	if again != next || slices.Equal(first, second) {
		t.Fatalf("second page %v links to %q, want a link to itself %q", second, again, next)
	}
	if repeated, _ := page(again); !slices.Equal(repeated, second) {
		t.Fatalf("following the repeated link served %v, want %v", repeated, second)
	}
	if e.srv.FaultCounts()[FaultNextLinkRepeat] < 3 {
		t.Fatal(e.srv.FaultCounts())
	}
}
