package graph

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
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

func TestNextLinkToAnotherHostIsRefused(t *testing.T) {
	other := newFakeGraph(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, `{"value":[]}`) })
	f := newFakeGraph(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, `{"value":[`+taskJSON+`],"@odata.nextLink":"`+other.URL+`/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x"}`)
	})
	_, err := f.client(t, ClientConfig{}).List(t.Context(), testTasks)
	if err == nil || !strings.Contains(err.Error(), "refusing to follow an @odata.nextLink") {
		t.Fatalf("err = %v", err)
	}
	if other.calls.Load() != 0 {
		t.Fatal("the other host was called: the bearer token left the configured endpoint")
	}

	// The same host, spelled in upper case, is followed.
	same := newFakeGraph(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			writeJSON(w, http.StatusOK, `{"value":[],"@odata.nextLink":"https://`+strings.ToUpper(r.Host)+`/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=x"}`)
			return
		}
		writeJSON(w, http.StatusOK, `{"value":[`+taskJSON+`]}`)
	})
	list, err := same.client(t, ClientConfig{}).List(t.Context(), testTasks)
	if err != nil || len(list) != 1 {
		t.Fatalf("list = %+v, %v", list, err)
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
