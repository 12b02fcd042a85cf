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

func TestPacerCeilingAdmitsLimitPerWindow(t *testing.T) {
	p := NewPacer(3, 10*time.Second)
	now := time.Now()
	var ws []Write
	for i := range 3 {
		w, wait := p.reserve(now)
		if wait != 0 {
			t.Fatalf("write %d waited %v", i, wait)
		}
		ws = append(ws, w)
		if i == 0 {
			p.answered(w, now, 201, "") // the first write goes alone (TestPacerFirstWriteGoesAlone)
		}
	}
	if _, wait := p.reserve(now.Add(time.Second)); wait < 9*time.Second || wait > 10*time.Second {
		t.Fatalf("fourth write in the window waits %v, want about 9.5s", wait)
	}
	for _, w := range ws[1:] {
		p.answered(w, now, 201, "")
	}
	if _, wait := p.reserve(now.Add(10*time.Second + pacerMargin + 2*time.Millisecond)); wait != 0 {
		t.Fatalf("after the window a write waited %v", wait)
	}
}

// The first 429 teaches the share and the window: the writes admitted before it, and the time from
// the first write to the moment Retry-After names. Every writer holds until then, and from then on
// no more than the share starts in any learned window.
func TestPacerLearnsFromTheFirst429(t *testing.T) {
	p := NewPacer(0, 0)
	t0 := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	var ws []Write
	for i := range 8 {
		w, wait := p.reserve(t0.Add(time.Duration(i) * time.Millisecond))
		if wait != 0 {
			t.Fatalf("write %d waited %v before any 429", i, wait)
		}
		ws = append(ws, w)
		if i == 0 {
			p.answered(w, t0.Add(time.Millisecond/2), 201, "")
		}
	}
	for _, w := range ws[1:5] {
		p.answered(w, t0.Add(10*time.Millisecond), 201, "")
	}
	p.answered(ws[5], t0.Add(10*time.Millisecond), 429, "10")
	for _, w := range ws[6:] {
		p.answered(w, t0.Add(11*time.Millisecond), 429, "10")
	}
	if p.limit != 5 {
		t.Fatalf("learned a share of %d writes, want the 5 admitted", p.limit)
	}
	if want := 10*time.Second + 10*time.Millisecond; p.window != want {
		t.Fatalf("learned a window of %v, want %v", p.window, want)
	}
	if _, wait := p.reserve(t0.Add(5 * time.Second)); wait < 5*time.Second {
		t.Fatalf("a write waited %v after a 429 asking for 10s", wait)
	}
	// After the hold, the 8 writes of the first window (429s count at Graph too) leave it one by
	// one. Only a window probe may go before the fourth of them has left the learned window,
	// and only one at a time.
	at := t0.Add(10*time.Second + 11*time.Millisecond)
	if w, wait := p.reserve(at); wait == 0 && w.kind != writeWindowProbe {
		t.Fatalf("a write (kind %d) started at %v with 8 writes of this process in the learned window", w.kind, at.Sub(t0))
	}
	_, wait := p.reserve(at)
	if free := t0.Add(3*time.Millisecond + p.window + replayMargin); wait == 0 || at.Add(wait).After(free.Add(2*time.Millisecond)) {
		t.Fatalf("the next write waits %v, want until the fourth write leaves the window at %v", wait, free.Sub(t0))
	}
}

// A 429 without a usable Retry-After ("0", or none) says nothing about the window: one write at a
// time goes until one is admitted, which measures the window; nothing is sent while it is out.
func TestPacerWithoutRetryAfterSendsOneAtATime(t *testing.T) {
	p := NewPacer(0, 0)
	t0 := pacerT0
	admitThenThrottle(p, "0")
	if _, wait := p.reserve(t0.Add(500 * time.Millisecond)); wait == 0 {
		t.Fatal("a write went within a second of a 429 with Retry-After: 0")
	}
	probe, wait := p.reserve(t0.Add(time.Second + time.Millisecond))
	if wait != 0 || probe.kind != writeRecovery {
		t.Fatalf("no recovery write after a second: wait %v kind %v", wait, probe.kind)
	}
	if _, wait := p.reserve(t0.Add(time.Second + 2*time.Millisecond)); wait == 0 {
		t.Fatal("a second write went while the recovery write was out")
	}
	p.answered(probe, t0.Add(time.Second+3*time.Millisecond), 201, "")
	if p.window != time.Second+time.Millisecond || p.limit != 1 {
		t.Fatalf("learned window %v, share %d; want 1.001s and 1", p.window, p.limit)
	}
}

// A Retry-After longer than any window the pacer learns (2 minutes) still holds every writer for
// as long as Graph asked.
func TestPacerHoldsForALongRetryAfter(t *testing.T) {
	p := NewPacer(0, 0)
	t0 := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	a, _ := p.reserve(t0)
	p.answered(a, t0.Add(time.Millisecond), 429, "3600")
	if _, wait := p.reserve(t0.Add(30 * time.Minute)); wait < 29*time.Minute {
		t.Fatalf("half an hour into a 429's hour, a write waits only %v", wait)
	}
	if _, wait := p.reserve(t0.Add(time.Hour + time.Second)); wait != 0 {
		t.Fatalf("after the hour a write waits %v", wait)
	}
}

// A write the schedule let go that Graph throttles with "Retry-After: 1" arrived before the write
// it replaces left Graph's window: the window grows past that spacing. Once is a late write on a
// busy machine, not another process writing with the same app.
func TestPacerEarlyWriteLengthensTheWindow(t *testing.T) {
	p := NewPacer(0, 0)
	t0 := pacerT0
	b := admitThenThrottle(p, "10")
	at := t0.Add(p.window + replayMargin + 10*time.Millisecond)
	c, wait := p.reserve(at)
	if wait != 0 || c.kind != writeNormal || !c.ref.Equal(b.at) {
		t.Fatalf("the replay did not go at %v: wait %v kind %d", at.Sub(t0), wait, c.kind)
	}
	p.answered(c, at.Add(time.Millisecond), 429, "1")
	if p.window <= at.Sub(b.at) {
		t.Fatalf("after a replay %v after the write it replaced was throttled, the window is %v", at.Sub(b.at), p.window)
	}
	if p.shared {
		t.Fatal("one early write was taken for another process")
	}
}
