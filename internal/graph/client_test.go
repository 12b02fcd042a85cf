package graph

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
)

// staticCredential hands out one fixed token.
type staticCredential struct{}

func (staticCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// slowCredential answers only when the context ends, with the deadline as text, the way
// azidentity reports a token request that ran out of time.
type slowCredential struct{}

func (slowCredential) GetToken(ctx context.Context, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
	<-ctx.Done()
	return azcore.AccessToken{}, errors.New("ClientSecretCredential: server response error:\n " + ctx.Err().Error())
}

// fakeGraph is a TLS test server answering with handler, counting requests. The client trusts its
// certificate through the server's own client transport (verification stays on).
type fakeGraph struct {
	*httptest.Server
	calls atomic.Int32
}

func newFakeGraph(t *testing.T, handler func(n int, w http.ResponseWriter, r *http.Request)) *fakeGraph {
	t.Helper()
	f := &fakeGraph{}
	f.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler(int(f.calls.Add(1)), w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeGraph) client(t *testing.T, cfg ClientConfig) *Client {
	t.Helper()
	cfg.GraphEndpoint = f.URL
	cfg.Transport = f.Server.Client().Transport
	if cfg.Credential == nil {
		cfg.Credential = staticCredential{}
	}
	cfg.Retry = RetryPolicy{BaseDelay: 50 * time.Millisecond, MaxDelay: 200 * time.Millisecond, NoDeadlineBudget: 10 * time.Second}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const taskJSON = `{"@odata.type":"#microsoft.graph.securityConfigurationTask","id":"t1","displayName":"n"}`

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func newTaskBody() models.DeviceAppManagementTaskable {
	b := models.NewSecurityConfigurationTask()
	n := "n"
	b.SetDisplayName(&n)
	return b
}

func TestIdempotentCallsRetryServerErrors(t *testing.T) {
	f := newFakeGraph(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		switch n {
		case 1:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html>502 Bad Gateway</html>"))
		case 2:
			writeJSON(w, http.StatusInternalServerError, `{"error":{"code":"InternalServerError","message":"boom"}}`)
		default:
			writeJSON(w, http.StatusOK, taskJSON)
		}
	})
	task, err := f.client(t, ClientConfig{}).Get(t.Context(), testTasks, "t1")
	if err != nil || task.ID != "t1" {
		t.Fatalf("Get after a 502 and a 500: %v, %v", task, err)
	}
	if got := f.calls.Load(); got != 3 {
		t.Fatalf("%d requests, want 3", got)
	}
}

func TestCreateIsNotRetriedOnServerErrors(t *testing.T) {
	f := newFakeGraph(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusBadGateway, `{"error":{"code":"BadGateway","message":"x"}}`)
	})
	_, _, err := f.client(t, ClientConfig{}).Create(t.Context(), testTasks, newTaskBody())
	if !AmbiguousWrite(err) || f.calls.Load() != 1 {
		t.Fatalf("a POST answered 502 was sent %d times; err=%v ambiguous=%v", f.calls.Load(), err, AmbiguousWrite(err))
	}
}

func TestRetryAfterLongerThanTheDeadlineIsNotSlept(t *testing.T) {
	f := newFakeGraph(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "120")
		writeJSON(w, http.StatusTooManyRequests, `{"error":{"code":"TooManyRequests","message":"slow down"}}`)
	})
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err := f.client(t, ClientConfig{}).Get(ctx, testTasks, "t1")
	var ge *Error
	if !errors.As(err, &ge) || ge.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("err = %v, want Graph's 429", err)
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second || f.calls.Load() != 1 {
		t.Fatalf("returned after %v and %d requests: a wait that outlives the deadline must not be slept", elapsed, f.calls.Load())
	}
}

func TestRetryAfterZeroStillPauses(t *testing.T) {
	var mu sync.Mutex
	var at []time.Time
	f := newFakeGraph(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		at = append(at, time.Now())
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			writeJSON(w, http.StatusTooManyRequests, `{"error":{"code":"TooManyRequests","message":"x"}}`)
			return
		}
		writeJSON(w, http.StatusOK, taskJSON)
	})
	if _, err := f.client(t, ClientConfig{}).Get(t.Context(), testTasks, "t1"); err != nil {
		t.Fatal(err)
	}
	if gap := at[1].Sub(at[0]); gap < minRetryAfter {
		t.Fatalf("retried %v after Retry-After: 0, want at least %v", gap, minRetryAfter)
	}
}

// A connection that stops answering must fail the attempt (which is then retried), not hang the
// call until the operation's deadline.
func TestResponseHeaderTimeoutEndsAHungAttempt(t *testing.T) {
	f := newFakeGraph(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			<-r.Context().Done() // never answers; the client has to give up
			return
		}
		writeJSON(w, http.StatusOK, taskJSON)
	})
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	start := time.Now()
	task, err := f.client(t, ClientConfig{ResponseHeaderTimeout: 500 * time.Millisecond}).Get(ctx, testTasks, "t1")
	if err != nil || task.ID != "t1" {
		t.Fatalf("Get: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Fatalf("took %v: the hung attempt was not cut short", elapsed)
	}
}

func TestFailuresBeforeSendingAreNotAmbiguous(t *testing.T) {
	t.Run("no token", func(t *testing.T) {
		f := newFakeGraph(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusCreated, taskJSON) })
		_, _, err := f.client(t, ClientConfig{Credential: noCredential{}}).Create(t.Context(), testTasks, newTaskBody())
		var ge *Error
		if !errors.As(err, &ge) || !ge.NotSent || AmbiguousWrite(err) || f.calls.Load() != 0 {
			t.Fatalf("err=%v NotSent=%v ambiguous=%v requests=%d", err, ge != nil && ge.NotSent, AmbiguousWrite(err), f.calls.Load())
		}
		if !strings.Contains(Describe(err), "getting an access token from Microsoft Entra ID failed") {
			t.Fatalf("Describe: %s", Describe(err))
		}
	})
	t.Run("the deadline passes while Entra ID is asked for a token", func(t *testing.T) {
		f := newFakeGraph(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusCreated, taskJSON) })
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		_, _, err := f.client(t, ClientConfig{Credential: slowCredential{}}).Create(ctx, testTasks, newTaskBody())
		var ge *Error
		if !errors.As(err, &ge) || !ge.NotSent || AmbiguousWrite(err) || f.calls.Load() != 0 {
			t.Fatalf("err=%v NotSent=%v ambiguous=%v requests=%d", err, ge != nil && ge.NotSent, AmbiguousWrite(err), f.calls.Load())
		}
		d := Describe(err)
		if !strings.Contains(d, "timeout passed while Microsoft Entra ID was asked for an access token") || strings.Contains(d, "Retrying does not help") {
			t.Fatalf("a slow Entra ID reads as a wrong credential: %s", d)
		}
	})
	t.Run("the deadline passes while the write pacer holds the request", func(t *testing.T) {
		f := newFakeGraph(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusCreated, taskJSON) })
		c := f.client(t, ClientConfig{WritePacer: NewPacer(1, time.Hour)})
		if _, _, err := c.Create(t.Context(), testTasks, newTaskBody()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		_, _, err := c.Create(ctx, testTasks, newTaskBody())
		var ge *Error
		if !errors.As(err, &ge) || !ge.NotSent || AmbiguousWrite(err) || f.calls.Load() != 1 {
			t.Fatalf("err=%v NotSent=%v ambiguous=%v requests=%d", err, ge != nil && ge.NotSent, AmbiguousWrite(err), f.calls.Load())
		}
	})
}

func TestCreateAnsweredWithoutTheTask(t *testing.T) {
	cases := map[string]struct {
		body, location string
		wantID         string
	}{
		"empty body, Location names the task": {"", "/beta/deviceAppManagement/deviceAppManagementTasks/abc-1", "abc-1"},
		"OData key form in Location":          {"", "/beta/deviceAppManagement/deviceAppManagementTasks('abc-2')", "abc-2"},
		"body the SDK cannot read, id in it":  {`{"@odata.type":"#microsoft.graph.securityConfigurationTask","id":"abc-3","managedDeviceCount":"many"}`, "", "abc-3"},
		"truncated body, Location":            {`{"@odata.type":"#microsoft.graph.securi`, "/beta/deviceAppManagement/deviceAppManagementTasks/abc-4", "abc-4"},
		"nothing names it":                    {"", "", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFakeGraph(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				if c.location != "" {
					w.Header().Set("Location", "https://"+r.Host+c.location)
				}
				writeJSON(w, http.StatusCreated, c.body)
			})
			cl := f.client(t, ClientConfig{})
			task, _, err := cl.Create(t.Context(), testTasks, newTaskBody())
			if c.wantID == "" {
				if !AmbiguousWrite(err) {
					t.Fatalf("err = %v: a write whose id is unknown must be ambiguous", err)
				}
				return
			}
			if err != nil || task.ID != c.wantID || task.Model != nil {
				t.Fatalf("task=%+v err=%v, want only the id %s", task, err, c.wantID)
			}
			if !cl.Claims().Claimed(c.wantID) {
				t.Fatal("the created id was not claimed")
			}
		})
	}
}

// An @odata.nextLink that names another host is followed on the configured endpoint: the other
// host is never called, so the bearer token never leaves the configured endpoint, and the page
// the link names is read from the configured endpoint with the link's path and query.
func TestNextLinkToAnotherHostIsFollowedOnTheConfiguredEndpoint(t *testing.T) {
	other := newFakeGraph(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, `{"value":[]}`) })
	var second *http.Request
	f := newFakeGraph(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			writeJSON(w, http.StatusOK, `{"value":[`+taskJSON+`],"@odata.nextLink":"`+other.URL+`/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x"}`)
			return
		}
		second = r.Clone(context.Background())
		writeJSON(w, http.StatusOK, `{"value":[`+strings.Replace(taskJSON, `"t1"`, `"t2"`, 1)+`]}`)
	})
	list, err := f.client(t, ClientConfig{}).List(t.Context(), testTasks)
	if err != nil || len(list) != 2 || list[1].ID != "t2" {
		t.Fatalf("list = %+v, %v; want both pages' tasks", list, err)
	}
	if n := other.calls.Load(); n != 0 {
		t.Fatalf("the other host was called %d times: the bearer token left the configured endpoint", n)
	}
	if got := second.URL.RequestURI(); got != "/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x" {
		t.Fatalf("page 2 asked for %s", got)
	}
	if got := second.Header.Get("Authorization"); got != "Bearer t" {
		t.Fatalf("page 2 Authorization = %q, want the configured endpoint's bearer token", got)
	}
}

// nextPageURL resolves an @odata.nextLink as OData resolves a URL in a payload and re-roots it on
// the configured endpoint, keeping the link's path and query and nothing else of it.
func TestNextPageURL(t *testing.T) {
	const (
		base    = "https://graph.example:8443/beta"
		request = "https://graph.example:8443/beta/deviceAppManagement/deviceAppManagementTasks"
		context = "https://graph.microsoft.com/beta/$metadata#deviceAppManagement/deviceAppManagementTasks"
		coll    = "https://graph.example:8443/beta/deviceAppManagement/deviceAppManagementTasks"
	)
	cases := []struct {
		name, context, link string
		want                string // "" for an error
		rerooted            bool
	}{
		{name: "same endpoint", link: coll + "?$skiptoken=x", want: coll + "?$skiptoken=x"},
		{name: "same endpoint, host in upper case", link: "https://GRAPH.EXAMPLE:8443/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x",
			want: coll + "?$skiptoken=x"},
		{name: "another host", link: "https://graph.microsoft.com/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x",
			want: coll + "?$skiptoken=x", rerooted: true},
		{name: "another port", link: "https://graph.example:9443/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x",
			want: coll + "?$skiptoken=x", rerooted: true},
		{name: "another host, scheme-relative", link: "//other.example/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x",
			want: coll + "?$skiptoken=x", rerooted: true},
		// The configured scheme is kept: a link never downgrades the connection to plain HTTP.
		{name: "http", link: "http://graph.example:8443/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x",
			want: coll + "?$skiptoken=x", rerooted: true},
		{name: "another scheme", link: "ftp://graph.example/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x",
			want: coll + "?$skiptoken=x", rerooted: true},
		// Credentials in a link are never sent: the request carries the configured token only.
		{name: "userinfo", link: "https://user:secret@graph.example:8443/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x",
			want: coll + "?$skiptoken=x", rerooted: true},
		// A fragment is never part of a request.
		{name: "fragment", link: coll + "?$skiptoken=x#page2", want: coll + "?$skiptoken=x"},
		// The link's path is kept whole, not joined to the configured /beta: a stand-in that
		// serves Graph under another root names it in its links.
		{name: "path of its own", link: "https://proxy.example/graph/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x",
			want: "https://graph.example:8443/graph/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x", rerooted: true},
		{name: "escaped path kept as escaped", link: "https://other.example/beta/a%2Fb?$skiptoken=x",
			want: "https://graph.example:8443/beta/a%2Fb?$skiptoken=x", rerooted: true},
		// Relative links resolve against the page's @odata.context (OData's rule), else the request URL.
		{name: "absolute path", link: "/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x",
			want: coll + "?$skiptoken=x", rerooted: true},
		{name: "relative to the context URL", context: context, link: "deviceAppManagement/deviceAppManagementTasks?$skiptoken=x",
			want: coll + "?$skiptoken=x", rerooted: true},
		{name: "relative to the request URL", link: "deviceAppManagementTasks?$skiptoken=x",
			want: coll + "?$skiptoken=x", rerooted: true},
		{name: "query only, relative to the request URL", link: "?$skiptoken=x",
			want: coll + "?$skiptoken=x", rerooted: true},
		{name: "unparsable", link: "https://graph.example:8443/beta/%zz"},
		{name: "opaque", link: "mailto:someone@example.com"},
	}
	b, _ := url.Parse(base)
	r, _ := url.Parse(request)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, rerooted, err := nextPageURL(b, r, c.context, c.link)
			if c.want == "" {
				if err == nil {
					t.Fatalf("%q: got %s, want an error", c.link, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("%q: %v", c.link, err)
			}
			if got.String() != c.want || rerooted != c.rerooted {
				t.Fatalf("%q: got %s (re-rooted %v), want %s (re-rooted %v)", c.link, got, rerooted, c.want, c.rerooted)
			}
		})
	}
}

func TestGraphClockComesFromTheDateHeader(t *testing.T) {
	graphTime := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	f := newFakeGraph(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Date", graphTime.Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"value":[]}`))
	})
	c := f.client(t, ClientConfig{})
	if _, ok := c.GraphNow(); ok {
		t.Fatal("a clock before any answer")
	}
	before := time.Now()
	if _, err := c.List(t.Context(), testTasks); err != nil {
		t.Fatal(err)
	}
	now, ok := c.GraphNow()
	if !ok || now.Sub(graphTime) < 0 || now.Sub(graphTime) > 5*time.Second {
		t.Fatalf("GraphNow = %v, want about %v", now, graphTime)
	}
	if at, ok := c.GraphTimeAt(before); !ok || at.Sub(graphTime).Abs() > 5*time.Second || !at.Before(now) {
		t.Fatalf("GraphTimeAt(a moment before the answer) = %v, GraphNow = %v", at, now)
	}
}

func TestClaims(t *testing.T) {
	c := NewClaims()
	c.Claim("ABC")
	if !c.Claimed("abc") {
		t.Fatal("ids compare case-insensitively")
	}
	if _, ok := c.CreatedAt("abc"); ok {
		t.Fatal("an id read into state was not created by this process")
	}
	if free := c.Adopt([]string{"abc", "def", "ghi"}); len(free) != 2 {
		t.Fatalf("Adopt with two free candidates = %v; it must adopt none", free)
	}
	if free := c.Adopt([]string{"abc", "def"}); len(free) != 1 || !c.Claimed("def") {
		t.Fatalf("Adopt with one free candidate = %v", free)
	}
	if free := c.Adopt([]string{"def"}); len(free) != 0 {
		t.Fatal("an adopted id was adopted again")
	}
	for _, empty := range []string{"", "  "} {
		if free := c.Adopt([]string{empty}); len(free) != 0 || c.Claimed(empty) {
			t.Fatalf("Adopt(%q) = %v: an empty id names no task and is never adopted", empty, free)
		}
	}
	if free := c.Unclaimed([]string{"jkl", "abc", ""}); len(free) != 1 || free[0] != "jkl" || c.Claimed("jkl") {
		t.Fatalf("Unclaimed = %v, and it must claim nothing", free)
	}

	// WaitSettled waits for a create on the wire, not for one that starts later.
	a := &createAttempts{claims: c}
	a.send()
	done := make(chan error, 1)
	go func() { done <- c.WaitSettled(t.Context()) }()
	select {
	case err := <-done:
		t.Fatalf("WaitSettled returned (%v) while a create was on the wire", err)
	case <-time.After(100 * time.Millisecond):
	}
	later := &createAttempts{claims: c}
	later.send()
	a.idle()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("WaitSettled waited for a create that started after it was called")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := c.WaitSettled(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitSettled with a create on the wire and a short context: %v", err)
	}
}

// Write pacing never holds a read: after Graph answered a create with a 429 asking for an hour,
// which holds every write, a GET of the same client goes at once and a second create is held,
// however long the machine takes (the timeouts are far apart).
func TestReadsAreNotHeldByWritePacing(t *testing.T) {
	f := newFakeGraph(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.Header().Set("Retry-After", "3600")
			writeJSON(w, http.StatusTooManyRequests, `{"error":{"code":"TooManyRequests","message":"throttled"}}`)
			return
		}
		writeJSON(w, http.StatusOK, taskJSON)
	})
	c := f.client(t, ClientConfig{WritePacer: NewPacer(0, 0)})
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if _, _, err := c.Create(ctx, testTasks, newTaskBody()); err == nil {
		t.Fatal("the throttled create succeeded")
	}
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("%d requests for the throttled create, want 1 (the wait passes the deadline)", n)
	}
	read, cancelRead := context.WithTimeout(t.Context(), time.Minute)
	defer cancelRead()
	if _, err := c.Get(read, testTasks, "t1"); err != nil {
		t.Fatalf("a read after the 429: %v", err)
	}
	write, cancelWrite := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancelWrite()
	_, _, err := c.Create(write, testTasks, newTaskBody())
	var ge *Error
	if !errors.As(err, &ge) || !ge.NotSent || f.calls.Load() != 2 {
		t.Fatalf("second create: err=%v NotSent=%v requests=%d; want it held, never sent", err, ge != nil && ge.NotSent, f.calls.Load())
	}
}
