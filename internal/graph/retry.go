package graph

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	khttp "github.com/microsoft/kiota-http-go"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph/graphhttp"
)

// RetryPolicy is the one place that decides what is retried and how long to wait. Retries go on until
// the operation's context deadline (the resource's timeout), never for a fixed count.
type RetryPolicy struct {
	// BaseDelay is the first backoff when Graph gives no Retry-After; it doubles per attempt.
	BaseDelay time.Duration
	// MaxDelay caps one computed backoff wait. A Retry-After from Graph is honoured within its own bounds.
	MaxDelay time.Duration
	// NoDeadlineBudget bounds retrying when the context has no deadline at all.
	NoDeadlineBudget time.Duration
}

// DefaultRetryPolicy suits Intune's write throttle (100 writes per 20 s per app per tenant).
var DefaultRetryPolicy = RetryPolicy{BaseDelay: time.Second, MaxDelay: 30 * time.Second, NoDeadlineBudget: 5 * time.Minute}

// Decision is what to do after one attempt.
type Decision struct {
	Retry bool
	Wait  time.Duration
	// Reason says why, for the debug log.
	Reason string
}

// Decide looks at one attempt's outcome (resp nil when err is set) and decides whether to try again
// (graph-behaviour.md §7.2).
//
//   - GET, PUT, PATCH, DELETE are idempotent, and so is a POST its caller marked repeatable (an
//     action that sets an absolute value, withRepeatable): 429, 500, 502, 503, 504 and transport
//     errors are retried.
//   - POST creates objects, so it is retried only where Graph said it did not process the request:
//     429 (throttled before processing), 503 carrying Retry-After, and connections that were never
//     established. Any other POST failure is ambiguous and goes back to the caller, which looks for
//     the object before posting again.
//
// A Retry-After is honoured as a minimum, plus a little jitter so that writers throttled together
// do not all come back in the same instant (every request counts against Graph's limit).
func (p RetryPolicy) Decide(idempotent bool, attempt int, resp *http.Response, err error) Decision {
	if err != nil {
		// The caller stops once the operation's own context is done; a timeout of the transport
		// (no response headers in time) is an error like a reset.
		if errors.Is(err, context.Canceled) {
			return Decision{}
		}
		if idempotent || graphhttp.NeverSent(err) {
			return Decision{Retry: true, Wait: p.backoff(attempt), Reason: "transport error"}
		}
		return Decision{}
	}
	retryAfter, hasRetryAfter := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
	case http.StatusServiceUnavailable:
		if !idempotent && !hasRetryAfter {
			return Decision{}
		}
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		if !idempotent {
			return Decision{}
		}
	default:
		return Decision{}
	}
	wait := p.backoff(attempt)
	if hasRetryAfter {
		wait = retryAfter + time.Duration(rand.Int64N(int64(retryAfterJitter)))
	}
	return Decision{Retry: true, Wait: wait, Reason: "HTTP " + strconv.Itoa(resp.StatusCode)}
}

// backoff is exponential with jitter: a random wait in [d/2, d] where d = BaseDelay * 2^(attempt-1),
// capped at MaxDelay, so that parallel resources throttled together do not retry in lockstep.
func (p RetryPolicy) backoff(attempt int) time.Duration {
	d := float64(p.BaseDelay) * math.Pow(2, float64(attempt-1))
	if d > float64(p.MaxDelay) || d <= 0 {
		d = float64(p.MaxDelay)
	}
	return time.Duration(d/2 + rand.Float64()*d/2)
}

// retryAfterJitter is the most added to a Retry-After wait.
const retryAfterJitter = 500 * time.Millisecond

// Bounds of an honoured Retry-After. Below one second a retry would hammer a service that just
// asked for a pause (and "0" would make a hot loop); above an hour the value is not a wait anyone
// meant, and converting it to a Duration could overflow. A wait longer than the operation has left
// is never slept: the middleware returns Graph's answer instead.
const (
	minRetryAfter = time.Second
	maxRetryAfter = time.Hour
)

// ParseRetryAfter reads a Retry-After header given in seconds (fractions round up) or as an HTTP
// date, clamped to [minRetryAfter, maxRetryAfter]. A negative or unreadable value is ignored.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 || math.IsNaN(secs) || math.IsInf(secs, 0) {
			return 0, false
		}
		d = maxRetryAfter
		if secs < maxRetryAfter.Seconds() {
			d = time.Duration(math.Ceil(secs)) * time.Second
		}
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	return min(max(d, minRetryAfter), maxRetryAfter), true
}

// retryMiddleware applies the RetryPolicy (and write pacing) inside the kiota pipeline. It sits
// inside the telemetry handler so every attempt of one call carries the same client-request-id.
type retryMiddleware struct {
	policy RetryPolicy
	pacer  *Pacer
}

func (m retryMiddleware) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	deadline, hasDeadline := ctx.Deadline()
	if !hasDeadline {
		deadline = time.Now().Add(m.policy.NoDeadlineBudget)
	}
	write := req.Method != http.MethodGet && req.Method != http.MethodHead
	idempotent := idempotentMethod(req.Method) || repeatable(ctx)
	create := createAttemptsFrom(ctx)
	for attempt := 1; ; attempt++ {
		var paced *Write
		if write && m.pacer != nil {
			w, err := m.pacer.Wait(ctx)
			if err != nil {
				// Nothing was sent in this attempt, and any earlier attempt was one Graph did not
				// process (that is when POSTs are retried): no write can have happened.
				return nil, notSent{err}
			}
			paced = &w
		}
		try := req.Clone(ctx)
		if body != nil {
			try.Body = io.NopCloser(bytes.NewReader(body))
			try.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
			try.ContentLength = int64(len(body))
		}
		if attempt > 1 {
			try.Header.Set("Retry-Attempt", strconv.Itoa(attempt-1))
		}
		if create != nil {
			create.send()
		}
		resp, err := p.Next(try, i)
		if paced != nil {
			// Every write the pacer let go is answered, so that it learns from the 429s and
			// never waits on a probe that will not come back.
			status, retryAfter := 0, ""
			if resp != nil {
				status, retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
			}
			m.pacer.Answered(*paced, status, retryAfter)
		}
		if ctx.Err() != nil {
			return resp, err
		}
		d := m.policy.Decide(idempotent, attempt, resp, err)
		if !d.Retry {
			return resp, err
		}
		if time.Now().Add(d.Wait).After(deadline) {
			// Waiting would outlive the operation: hand back what Graph said, so the diagnostic
			// shows the throttling rather than a bare deadline error.
			tflog.Debug(ctx, "not retrying Graph request: the wait would pass the operation's deadline",
				map[string]any{"method": req.Method, "path": pathOf(req.URL), "attempt": attempt, "wait": d.Wait.String()})
			return resp, err
		}
		tflog.Debug(ctx, "retrying Graph request", map[string]any{
			"method": req.Method, "path": pathOf(req.URL), "attempt": attempt, "reason": d.Reason, "wait": d.Wait.String(),
		})
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
		}
		if create != nil {
			// This attempt was not processed (the policy retries a POST only then): while it
			// sleeps, this create cannot be adding a task to Graph.
			create.idle()
		}
		if err := Sleep(ctx, d.Wait); err != nil {
			if !idempotent {
				return nil, notSent{err}
			}
			return nil, err
		}
	}
}

func idempotentMethod(method string) bool { return method != http.MethodPost }

type repeatableKey struct{}

// withRepeatable marks the POSTs made with ctx as safe to repeat: an action that sets an absolute
// value leaves the object the same however often it runs, so its transient failures are retried
// like a PATCH's instead of being handed back as ambiguous.
func withRepeatable(ctx context.Context) context.Context {
	return context.WithValue(ctx, repeatableKey{}, true)
}

func repeatable(ctx context.Context) bool {
	r, _ := ctx.Value(repeatableKey{}).(bool)
	return r
}

// notSent marks an error from before a request left (or after an attempt Graph did not process),
// so that Client.send reports it as such and a create is never treated as ambiguous for it.
type notSent struct{ err error }

func (e notSent) Error() string { return e.err.Error() }
func (e notSent) Unwrap() error { return e.err }

// Sleep waits d, or returns ctx's error if ctx ends first. It is the one wait of the provider:
// retries, the write pacer, and the resources' consistency polling all use it.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// loggingMiddleware writes one debug line per attempt: method, URL (RedactURL: no userinfo, no
// query), path, status, request-id and duration. It never logs headers or bodies, so no token or
// secret can reach the log; a transport error is logged without the URL it wraps.
type loggingMiddleware struct{}

func (loggingMiddleware) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := p.Next(req, i)
	fields := map[string]any{
		"method": req.Method, "url": RedactURL(req.URL.String()), "path": pathOf(req.URL),
		"duration_ms": time.Since(start).Milliseconds(), "client_request_id": req.Header.Get("client-request-id"),
	}
	if err != nil {
		fields["error"] = redactURLError(err).Error()
	} else {
		fields["status"] = resp.StatusCode
		fields["request_id"] = resp.Header.Get("request-id")
	}
	tflog.Debug(req.Context(), "Graph request", fields)
	return resp, err
}
