package graph

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	p := RetryPolicy{BaseDelay: time.Second, MaxDelay: 30 * time.Second}
	resp := func(status int, retryAfter string) *http.Response {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		return &http.Response{StatusCode: status, Header: h}
	}
	reset := &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}
	dial := &net.OpError{Op: "dial", Err: errors.New("connection refused")}
	cases := []struct {
		name, method string
		resp         *http.Response
		err          error
		retry        bool
		wait         time.Duration // when > 0: at least this, plus at most retryAfterJitter
	}{
		{"GET 429 Retry-After seconds", "GET", resp(429, "3"), nil, true, 3 * time.Second},
		{"GET 429 fractional Retry-After rounds up", "GET", resp(429, "1.2"), nil, true, 2 * time.Second},
		{"PATCH 503", "PATCH", resp(503, ""), nil, true, 0},
		{"DELETE 504", "DELETE", resp(504, ""), nil, true, 0},
		{"GET 500", "GET", resp(500, ""), nil, true, 0},
		{"GET 502 (a gateway page)", "GET", resp(502, ""), nil, true, 0},
		{"DELETE 500", "DELETE", resp(500, ""), nil, true, 0},
		{"GET 429 Retry-After 0 waits the minimum", "GET", resp(429, "0"), nil, true, time.Second},
		{"GET 429 absurd Retry-After is capped", "GET", resp(429, "1e300"), nil, true, time.Hour},
		{"GET 429 negative Retry-After falls back to backoff", "GET", resp(429, "-5"), nil, true, 0},
		{"POST 500 is ambiguous", "POST", resp(500, ""), nil, false, 0},
		{"POST 502 is ambiguous", "POST", resp(502, ""), nil, false, 0},
		{"GET 404", "GET", resp(404, ""), nil, false, 0},
		{"GET reset", "GET", nil, reset, true, 0},
		{"POST 429", "POST", resp(429, "5"), nil, true, 5 * time.Second},
		{"POST 429 without Retry-After", "POST", resp(429, ""), nil, true, 0},
		{"POST 503 with Retry-After", "POST", resp(503, "2"), nil, true, 2 * time.Second},
		{"POST 503 without Retry-After is ambiguous", "POST", resp(503, ""), nil, false, 0},
		{"POST 504 is ambiguous", "POST", resp(504, ""), nil, false, 0},
		{"POST reset is ambiguous", "POST", nil, reset, false, 0},
		{"POST never connected", "POST", nil, dial, true, 0},
		{"cancelled", "GET", nil, context.Canceled, false, 0},
		{"GET timed out awaiting headers", "GET", nil, context.DeadlineExceeded, true, 0},
		{"POST timed out awaiting headers is ambiguous", "POST", nil, context.DeadlineExceeded, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := p.Decide(idempotentMethod(c.method), 1, c.resp, c.err)
			if d.Retry != c.retry {
				t.Fatalf("Retry = %v, want %v", d.Retry, c.retry)
			}
			if c.wait > 0 && (d.Wait < c.wait || d.Wait >= c.wait+retryAfterJitter) {
				t.Errorf("Wait = %v, want %v plus less than %v", d.Wait, c.wait, retryAfterJitter)
			}
			if c.retry && d.Wait <= 0 {
				t.Errorf("Wait = %v: a retry must never be immediate", d.Wait)
			}
		})
	}
}

func TestBackoffGrowsWithJitterAndCap(t *testing.T) {
	p := RetryPolicy{BaseDelay: time.Second, MaxDelay: 8 * time.Second}
	for attempt, ceiling := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 9: 8 * time.Second} {
		for range 50 {
			w := p.backoff(attempt)
			if w < ceiling/2 || w > ceiling {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempt, w, ceiling/2, ceiling)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		want time.Duration
		ok   bool
	}{
		"":                              {0, false},
		"10":                            {10 * time.Second, true},
		"0":                             {time.Second, true},
		"0.5":                           {time.Second, true},
		"1.2":                           {2 * time.Second, true},
		"-3":                            {0, false},
		"soon":                          {0, false},
		"NaN":                           {0, false},
		"99999999999999999999":          {time.Hour, true},
		"1e300":                         {time.Hour, true},
		"Sun, 29 Nov 2026 12:00:30 GMT": {30 * time.Second, true},
		"Sun, 29 Nov 2026 11:00:00 GMT": {time.Second, true},
		"Mon, 29 Nov 2027 12:00:00 GMT": {time.Hour, true},
	}
	for in, c := range cases {
		got, ok := ParseRetryAfter(in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", in, got, ok, c.want, c.ok)
		}
	}
}

func TestPacerAdmitsLimitPerWindow(t *testing.T) {
	p := NewPacer(3, 10*time.Second)
	now := time.Now()
	for i := range 3 {
		if w := p.reserve(now); w != 0 {
			t.Fatalf("write %d waited %v", i, w)
		}
	}
	if w := p.reserve(now.Add(time.Second)); w < 9*time.Second || w > 10*time.Second {
		t.Fatalf("fourth write in the window waits %v, want about 9.5s", w)
	}
	if w := p.reserve(now.Add(10*time.Second + pacerMargin + 2*time.Millisecond)); w != 0 {
		t.Fatalf("after the window a write waited %v", w)
	}
	p.Throttled(time.Hour)
	if w := p.reserve(time.Now()); w < 59*time.Minute {
		t.Fatalf("after a 429 a write waited only %v", w)
	}
}
