package graph

import (
	"testing"
	"time"
)

var pacerT0 = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

// learnAlone runs a lone process's first window on p: the first write alone, then n more at
// once, the first limit of all admitted and the rest throttled with Retry-After: 10.
func learnAlone(t *testing.T, p *Pacer, n, limit int) {
	t.Helper()
	first, wait := p.reserve(pacerT0)
	if wait != 0 {
		t.Fatalf("the first write waited %v", wait)
	}
	p.answered(first, pacerT0.Add(time.Millisecond), 201, "")
	ws := []Write{first}
	for i := range n {
		w, wait := p.reserve(pacerT0.Add(time.Millisecond + time.Duration(i)*time.Millisecond))
		if wait != 0 {
			t.Fatalf("write %d waited %v before any 429", i+1, wait)
		}
		ws = append(ws, w)
	}
	at := pacerT0.Add(time.Duration(n+5) * time.Millisecond)
	for i, w := range ws[1:] {
		if i+1 < limit {
			p.answered(w, at, 201, "")
		} else {
			p.answered(w, at, 429, "10")
		}
	}
}

// admitThenThrottle runs two writes on p: the first, sent at pacerT0, admitted; the second, sent
// once it was answered, throttled with Retry-After ra. It returns the second.
func admitThenThrottle(p *Pacer, ra string) Write {
	a, _ := p.reserve(pacerT0)
	p.answered(a, pacerT0.Add(time.Millisecond), 201, "")
	b, _ := p.reserve(pacerT0.Add(time.Millisecond))
	p.answered(b, pacerT0.Add(time.Millisecond), 429, ra)
	return b
}

// The first write goes alone: a process that finds the quota held by another one costs Graph one
// 429 for it, not one for each of Terraform's parallel writes (each counted for a window).
func TestPacerFirstWriteGoesAlone(t *testing.T) {
	p := NewPacer(0, 0)
	first, _ := p.reserve(pacerT0)
	if _, wait := p.reserve(pacerT0.Add(time.Millisecond)); wait == 0 {
		t.Fatal("a second write went while the first one was out")
	}
	p.answered(first, pacerT0.Add(2*time.Millisecond), 201, "")
	if _, wait := p.reserve(pacerT0.Add(3 * time.Millisecond)); wait != 0 {
		t.Fatalf("after the first write's answer the next waited %v", wait)
	}

	// An answer that never comes holds the others no longer than firstAnswerWait.
	p = NewPacer(0, 0)
	_, _ = p.reserve(pacerT0)
	if _, wait := p.reserve(pacerT0.Add(firstAnswerWait + time.Millisecond)); wait != 0 {
		t.Fatalf("%v after an unanswered first write the next one still waits %v", firstAnswerWait, wait)
	}
}

// Graph's windows are whole seconds and Retry-After rounds up: the first 429 names a moment up to
// a second after the window frees, so the window is the whole second below that, taken at once
// (a window probe that found it would cost a place for a window when refused).
func TestPacerTakesTheWholeSecond(t *testing.T) {
	p := NewPacer(0, 0)
	// The first 429 is answered 25 ms after the first write: "10" names 10.025 s after it.
	learnAlone(t, p, 29, 20)
	if want := 10*time.Second + probeSlack; p.window != want {
		t.Fatalf("learned a window of %v, want %v", p.window, want)
	}
	if p.window-p.lo > windowPrecision {
		t.Fatalf("the window is still searched between %v and %v", p.lo, p.window)
	}
}

// After the first window, a write the schedule let go that Graph throttles is, once, one that
// lost its place to another process's write (or 429, which Graph counts for a window too): it
// waits for its Retry-After and the share stays. Throttled again a window later, a place of the
// share is another process's: one less.
func TestPacerDisplacedWriteKeepsTheShare(t *testing.T) {
	p := NewPacer(0, 0)
	learnAlone(t, p, 29, 20)
	share := p.limit
	at := pacerT0.Add(p.window + replayMargin + 40*time.Millisecond)
	w, wait := p.reserve(at)
	if wait != 0 {
		t.Fatalf("no replay at %v: wait %v", at.Sub(pacerT0), wait)
	}
	p.answered(w, at.Add(time.Millisecond), 429, "10")
	if p.limit != share {
		t.Fatalf("one displaced write cut the share from %d to %d", share, p.limit)
	}
	at = at.Add(p.window + replayMargin)
	w, wait = p.reserve(at)
	if wait != 0 {
		t.Fatalf("no replay at %v: wait %v", at.Sub(pacerT0), wait)
	}
	p.answered(w, at.Add(time.Millisecond), 429, "10")
	if p.limit != share-1 {
		t.Fatalf("throttled in two windows running, the share is %d, want %d", p.limit, share-1)
	}
}

// A process with no sign of another writer asks for more than its share only once in
// loneProbeEvery admitted writes (each refused probe is a 429 of a run that may be alone), and
// only right after its own writes of the window. A share below Terraform's parallelism is a sign
// that another process took part of the first window: then it asks a window after its first 429,
// and a probe that gets in marks the quota as shared.
func TestPacerProbesWhenTheShareIsBelowParallelism(t *testing.T) {
	probeAt := func(p *Pacer, from, to time.Time) (Write, bool) {
		for at := from; at.Before(to); at = at.Add(50 * time.Millisecond) {
			w, wait := p.reserve(at)
			if wait == 0 {
				if w.kind == writeShareProbe {
					return w, true
				}
				p.answered(w, at.Add(time.Millisecond), 201, "")
			}
		}
		return Write{}, false
	}
	waitingWriters := func(p *Pacer, n int) {
		for range n {
			p.arrive()
		}
	}

	// Alone with 20 of 20: no probe before 60 writes were admitted, then one right after the
	// window's own writes; refused, none before 60 more.
	p := NewPacer(0, 0)
	waitingWriters(p, 10)
	learnAlone(t, p, 29, 20)
	// window sends the window's 20 writes at once and asks for one more after.
	window := func(start time.Time, after time.Duration) (Write, bool) {
		for i := range 20 {
			w, wait := p.reserve(start)
			if wait != 0 || w.kind != writeNormal {
				t.Fatalf("write %d of the window at %v: wait %v kind %d", i, start.Sub(pacerT0), wait, w.kind)
			}
			p.answered(w, start.Add(time.Millisecond), 201, "")
		}
		w, wait := p.reserve(start.Add(after))
		return w, wait == 0 && w.kind == writeShareProbe
	}
	start := pacerT0.Add(p.window + replayMargin + 30*time.Millisecond)
	for k, c := range []struct {
		after time.Duration
		probe bool
	}{
		{2 * time.Millisecond, false}, // 20 admitted since the first 429
		{2 * time.Millisecond, false}, // 40
		{time.Second, false},          // 60, but a second after the window's writes: refused, it would hold a place into the next window
		{2 * time.Millisecond, true},  // 80, right after them
		{2 * time.Millisecond, false}, // refused: 20 since
		{2 * time.Millisecond, false}, // 40
		{2 * time.Millisecond, true},  // 60
	} {
		w, probed := window(start, c.after)
		if probed != c.probe {
			t.Fatalf("window %d after the first, asked %v after its writes: probed %v, want %v", k+1, c.after, probed, c.probe)
		}
		if probed {
			p.answered(w, w.at.Add(time.Millisecond), 429, "10")
		}
		start = start.Add(p.window + replayMargin + 5*time.Millisecond)
	}

	// 7 of 20 with 10 writers: a probe in the second window; admitted, more follow.
	p = NewPacer(0, 0)
	waitingWriters(p, 10)
	learnAlone(t, p, 9, 7)
	w, ok := probeAt(p, pacerT0.Add(10*time.Second), pacerT0.Add(22*time.Second))
	if !ok {
		t.Fatal("a process holding 7 with 10 writers never probed for more")
	}
	p.answered(w, w.at.Add(time.Millisecond), 201, "")
	if p.limit != 8 || !p.shared {
		t.Fatalf("after an admitted probe: share %d, shared %v; want 8 and true", p.limit, p.shared)
	}
	if _, ok := probeAt(p, w.at.Add(rampSpacing), w.at.Add(rampSpacing+time.Second)); !ok {
		t.Fatal("no second probe after one got in")
	}
}
