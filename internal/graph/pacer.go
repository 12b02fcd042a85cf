package graph

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Intune's write quota is a sliding window per tenant and app (graph-behaviour.md §7.1): so many
// writes in any so many seconds, 429s included, shared by every process that writes with the same
// app. The pacer learns that window from Graph's own answers instead of trusting a number that is
// "subject to change", and that other processes may be spending at the same time:
//
//   - The first write goes alone; once it is answered, the others go as fast as Terraform asks
//     until the first 429. (A process that finds the quota held by another one costs Graph one
//     429 for it, not one for each of Terraform's parallel writes, each counted for a window.)
//   - The first 429 tells the share: the writes this process got in before it (limit), and with its
//     Retry-After, when the window frees: window = first write to the moment Retry-After names.
//     Retry-After is whole seconds, rounded up, and Graph's windows are whole seconds: the window
//     is the whole second below that moment. Every writer holds until then. A window learned
//     otherwise (without a Retry-After) is narrowed by window probes: one write at a time, sent
//     earlier than the window, only while no other process is known to write (a neighbour's
//     free place would make a probe pass that proves nothing).
//   - From then on the pacer replays what was admitted: a write may start when fewer than limit of
//     this process's writes (429s included, as Graph counts them) started in the last window. The
//     writes admitted in one window are repeated one window later, so several processes that each
//     replay their own admitted writes together fill the quota without colliding, though none of
//     them knows the others.
//   - A write the schedule let go that Graph throttles waits for its Retry-After (the retry
//     policy). Once, it is a write that reached Graph late, or one displaced by another process's
//     429s (Graph counts them for a window too): the share stays, so that together the processes
//     keep filling the quota. Throttled again a window later, another process holds a place this
//     one took for its own: one less. Room opening within the second says this process's own
//     write had not left Graph's window yet: a process alone lengthens its window by the margin.
//   - A process whose first write was throttled learned its window from another process's
//     writes, which opened it: shorter than Graph's. Its first own early replay tells how much
//     longer (Retry-After), and the window grows to that once.
//   - A share probe is one write beyond the share, sent only while Graph must still count all of
//     this process's last limit writes and with no other write on its way. Admitted, the share
//     grows by one and the next probe follows rampSpacing later, so that a share a neighbour left
//     behind is taken within a window. A process probes once a window when it has signs of
//     another one writing with the same app (its first write was throttled; a write the schedule
//     expected to pass was throttled for longer than a second, or in two windows running; a
//     probe got in), or when its share is below Terraform's parallelism (the two split the
//     first window). Otherwise once in loneProbeEvery writes admitted after the first window
//     (alone, each refused probe is a 429, and a run may spend at most 2 in 100 writes), and
//     only right after its own writes of the window went: refused, the probe's 429 leaves
//     Graph's window before they are replayed and costs no place (sent later in the window it
//     would hold one into the next, which at the end of a run is one more window).
//   - A 429 without a usable Retry-After (none, or 0) says nothing about the window: until a write
//     is admitted again, one write at a time goes, a second apart (the retry policy's own wait),
//     and the first admitted one measures the window.
//
// write_rate_limit (the ceiling) stays a hard limit on top: at most ceiling writes start in any
// ceilingWindow, whatever was learned. Reads never pass through the pacer.
type Pacer struct {
	ceiling       int
	ceilingWindow time.Duration

	mu    sync.Mutex
	sends []sent // every write attempt still inside the longest window kept, oldest first
	seq   uint64

	limit  int           // writes per window this process may start; 0 until the first 429
	window time.Duration // the learned window, an upper bound of Graph's; 0 until measured
	lo     time.Duration // the longest spacing proven too short (a throttled window probe)
	// triedWhole: the whole-second spacing has been probed.
	triedWhole bool

	blocked time.Time // no write starts before this (a Retry-After everyone honours)
	probing bool      // a window or share probe is in flight: no second one
	// recovering: throttled without a usable Retry-After and no write admitted since; one write
	// at a time, and the first admitted one measures the window from firstSend.
	recovering  bool
	lastRefused time.Time // the last recovery write throttled
	inFlight    int
	waiting     int // writers in Wait

	nextShare time.Time // no share probe before this
	// shared: signs that another process writes with the same app (see the type's comment).
	// Until then share probes are rare (loneProbeEvery) unless the share is below width.
	shared bool
	// admittedSince counts this process's writes admitted since its last refused share probe.
	admittedSince int
	// width is the most writes this process had waiting or out at once: Terraform's
	// parallelism, as the provider sees it. A share below it is a sign that another process
	// took part of the first window (Graph's write quotas are far above Terraform's default
	// parallelism): only then does a process that has seen no other probe for more share
	// (each refused probe costs a place for a window, which at the end of a run is a window).
	width int
	// ramping: the last share probe got in; the next follows rampSpacing later.
	ramping      bool
	lastSurprise time.Time // the last write the schedule expected to pass that was throttled

	firstSend time.Time // the first write of the current run of writes
	// firstAnswered: the first write's answer came. Until then it is the only write out, so
	// that a process that finds the quota held by another one costs Graph one 429, not a 429
	// for each of Terraform's parallel operations, each counted for a window.
	firstAnswered bool
	learnedAt     time.Time // when the window was learned
	// unanchored: this process's first write was throttled, so its window was learned from
	// another process's writes.
	unanchored bool
}

// sent is one write attempt as the pacer keeps it.
type sent struct {
	at    time.Time
	seq   uint64
	state sentState
}

type sentState int8

const (
	sentPending sentState = iota
	sentAdmitted
	sentThrottled
)

// Write is one write attempt the pacer let start; the caller reports its answer with Answered.
type Write struct {
	at   time.Time
	seq  uint64
	kind writeKind
	ref  time.Time // the earlier write whose leaving the window let this one start (if known)
}

type writeKind int

const (
	writeNormal writeKind = iota
	writeWindowProbe
	writeShareProbe
	writeRecovery
)

const (
	// replayMargin is added to the learned window: Graph counts a write when it arrives, the pacer
	// when it leaves, and the two delays differ from write to write.
	replayMargin = 300 * time.Millisecond
	// windowPrecision is where window probes stop: closer than this, a probe costs more than it
	// can win.
	windowPrecision = 60 * time.Millisecond
	// maxWindow bounds what the pacer learns and keeps: Graph's write windows are 20 s.
	maxWindow = 2 * time.Minute
	// rampSpacing separates share probes after one got in: room that lasts (a neighbour that
	// finished) is taken at this pace, while room that a neighbour's schedule is about to
	// take again (its writes replay a little after Graph let the old ones go) is left to it.
	rampSpacing = 150 * time.Millisecond
	// loneProbeEvery is the writes admitted between the share probes of a process with no sign
	// of another writer: a refused one is a 429, and a run alone may have at most 2 per 100 writes.
	loneProbeEvery = 60
	// probeSlack is added to a whole-second window probe: the write's way to Graph differs from
	// the one it is spaced from by a few milliseconds.
	probeSlack = 20 * time.Millisecond
	// pollWait is how long a writer waits for a probe's answer before asking again.
	pollWait = 10 * time.Millisecond
	// unanchoredRetryAfter is the longest Retry-After to a scheduled write that a process whose
	// window was learned from another process's writes takes for its own write not having left
	// the window yet (longer looks the same as a place a neighbour took).
	unanchoredRetryAfter = 2 * time.Second
	// firstAnswerWait bounds how long the other writes wait for the first one's answer.
	firstAnswerWait = 5 * time.Second
	// pacerMargin widens the ceiling's window the same way (write_rate_limit is a promise).
	pacerMargin = 500 * time.Millisecond
)

// NewPacer returns a pacer that learns Graph's write window; ceiling > 0 also admits at most ceiling
// writes per ceilingWindow.
func NewPacer(ceiling int, ceilingWindow time.Duration) *Pacer {
	return &Pacer{ceiling: ceiling, ceilingWindow: ceilingWindow}
}

// Wait blocks until one more write may start, or ctx ends.
func (p *Pacer) Wait(ctx context.Context) (Write, error) {
	p.arrive()
	defer p.depart()
	for {
		w, wait := p.reserve(time.Now())
		if wait <= 0 {
			return w, nil
		}
		if err := Sleep(ctx, wait); err != nil {
			return Write{}, err
		}
	}
}

// arrive and depart bracket a writer's wait: the writers waiting and out together are how many
// writes Terraform runs at once (width).
func (p *Pacer) arrive() {
	p.mu.Lock()
	p.waiting++
	p.width = max(p.width, p.waiting+p.inFlight)
	p.mu.Unlock()
}

func (p *Pacer) depart() {
	p.mu.Lock()
	p.waiting--
	p.mu.Unlock()
}

// Answered tells the pacer how Graph answered w: status 429 with the raw Retry-After header, any
// other status, or 0 when no answer came.
func (p *Pacer) Answered(w Write, status int, retryAfter string) {
	p.answered(w, time.Now(), status, retryAfter)
}

// reserve records a write starting at now and returns it, or returns how long to wait before
// asking again.
func (p *Pacer) reserve(now time.Time) (Write, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Before(p.blocked) {
		return Write{}, p.blocked.Sub(now)
	}
	p.prune(now)
	if p.ceiling > 0 {
		if in := p.since(now.Add(-p.ceilingWindow - pacerMargin)); len(in) >= p.ceiling {
			return Write{}, in[len(in)-p.ceiling].at.Add(p.ceilingWindow+pacerMargin).Sub(now) + time.Millisecond
		}
	}
	if len(p.sends) > 0 && !p.firstAnswered && now.Sub(p.firstSend) < firstAnswerWait {
		return Write{}, pollWait
	}
	w := Write{at: now, kind: writeNormal}
	switch {
	case p.recovering:
		if p.inFlight > 0 {
			return Write{}, pollWait
		}
		w.kind = writeRecovery
	case p.limit > 0 && p.window > 0:
		in := p.since(now.Add(-p.window - replayMargin))
		if len(in) < p.limit {
			// The write that last left the window made room for this one.
			if i := len(p.sends) - len(in); len(in) == p.limit-1 && i > 0 {
				w.ref = p.sends[i-1].at
			}
			break
		}
		ref := in[len(in)-p.limit].at // the write that must leave the window for one more to start
		free := ref.Add(p.window+replayMargin).Sub(now) + time.Millisecond
		if p.probing {
			return Write{}, min(free, pollWait)
		}
		// A share probe goes only with no other write on its way (one sent before it could
		// arrive after it). A process with no sign of another writer asks only once in
		// loneProbeEvery admitted writes (refused, each is a 429 of a run that may be alone) and
		// only right after its own writes of the window went: refused, its 429 has left Graph's
		// window before they are replayed, and costs no place.
		lone := p.admittedSince >= loneProbeEvery && now.Sub(ref) < replayMargin
		shareProbe := !now.Before(p.nextShare) && p.lo > 0 && now.Sub(ref) < p.lo && p.inFlight == 0 &&
			(p.eager() || lone)
		if p.window-p.lo > windowPrecision && !p.shared {
			// A window probe tests the middle of what is not known yet, and only there: later
			// than the learned window it would tell nothing.
			mid := p.probeSpacing()
			if at := ref.Add(mid); now.Before(at) {
				return Write{}, min(free, at.Sub(now))
			} else if now.Sub(ref) < p.window {
				w.kind, w.ref = writeWindowProbe, ref
				break
			}
			return Write{}, free
		}
		// A share probe is one write more than the share. It proves room only while Graph still
		// counts all of this process's last limit writes, that is while they are younger than the
		// shortest the window can be (lo): in the gap between lo and the learned window, Graph may
		// already have let some go and admit a write that the next window has no room for.
		if shareProbe {
			w.kind = writeShareProbe
			break
		}
		if p.lo > 0 {
			// Come back for the next share probe rather than sleep through it.
			back := p.nextShare
			if !p.eager() && !lone {
				back = ref.Add(p.lo) // none in this window
			}
			if p.inFlight > 0 {
				back = maxTime(back, now.Add(pollWait))
			}
			if back.Before(ref.Add(p.lo)) {
				return Write{}, min(free, max(back.Sub(now), 0)+time.Millisecond)
			}
		}
		return Write{}, free
	}
	if w.kind == writeWindowProbe || w.kind == writeShareProbe {
		p.probing = true
	}
	if len(p.sends) == 0 {
		p.firstSend = now
	}
	p.seq++
	w.seq = p.seq
	p.sends = append(p.sends, sent{at: now, seq: p.seq})
	p.inFlight++
	return w, 0
}

func (p *Pacer) answered(w Write, now time.Time, status int, retryAfter string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inFlight--
	p.firstAnswered = true
	if w.kind == writeWindowProbe || w.kind == writeShareProbe {
		p.probing = false
	}
	if status == 0 {
		return // no answer: nothing learned
	}
	rec := p.find(w.seq)
	if status != 429 {
		if rec != nil {
			rec.state = sentAdmitted
		}
		if w.kind == writeNormal {
			p.admittedSince++
		}
		switch w.kind {
		case writeRecovery:
			// The first write admitted after a 429 that named no wait: the window is at most
			// the time since the first write, and longer than when the last probe was refused.
			p.recovering = false
			if p.window == 0 {
				p.window = min(max(w.at.Sub(p.firstSend), time.Second), maxWindow)
				if !p.lastRefused.IsZero() {
					p.lo = min(p.lastRefused.Sub(p.firstSend), p.window)
				}
			}
		case writeWindowProbe:
			if !p.triedWhole && w.at.Sub(w.ref) < p.window {
				// Graph's window is the whole seconds it was set to: nothing more to look for.
				p.lo = max(p.lo, w.at.Sub(w.ref)-windowPrecision)
			}
			p.triedWhole = true
			p.window = max(min(w.at.Sub(w.ref), p.window), p.lo)
		case writeShareProbe:
			// Room for one more: keep it, and ask again rampSpacing later, so that a share a
			// neighbour left behind is taken within a window. Room this process did not hold
			// means another one wrote, and may again.
			p.limit++
			p.ramping, p.shared = true, true
			p.nextShare = now.Add(rampSpacing)
		}
		return
	}
	if rec != nil {
		rec.state = sentThrottled
	}
	if w.kind == writeRecovery {
		p.lastRefused = w.at
	}
	secs, informative := retryAfterSeconds(retryAfter)
	switch w.kind {
	case writeWindowProbe:
		p.triedWhole = true
		if informative && secs > minRetryAfter {
			// Alone, this process's own write that the probe tests leaves Graph's window
			// within the second. Graph full for longer means others write: the probe says
			// nothing of the window.
			p.shared = true
			return
		}
		// Expected now and then, and nobody else is held for it: only this write waits for its
		// Retry-After (the retry policy), the others keep to the schedule.
		p.lo = min(max(p.lo, w.at.Sub(w.ref)), p.window)
		return
	case writeShareProbe:
		// No room: a process that knows others write tries again a window later (each
		// refused probe costs Graph a place for a window, and it must notice soon that a
		// neighbour finished); one that does not, only loneProbeEvery admitted writes later.
		p.ramping = false
		p.nextShare = now.Add(p.window)
		p.admittedSince = 0
		return
	}
	if p.window == 0 || w.at.Before(p.learnedAt) {
		// Part of the first burst, before the window was known: the share is what this
		// process holds of it, its writes admitted or still unanswered, not the throttled ones.
		if p.limit == 0 && !w.at.After(p.firstSend) {
			// The very first write throttled: another process holds the quota, and the window
			// Retry-After tells opened with that process's writes, not this one's.
			p.shared, p.unanchored = true, true
		}
		if held := p.held(w.at, now); p.limit == 0 || held < p.limit {
			p.limit = max(held, 1)
		}
	} else {
		// Throttled where the schedule expected room. Once, it is a write that reached Graph
		// late or one displaced by another process's throttled writes, which Graph counts
		// for a window too: it waits for its Retry-After and the share stays. Again in the
		// next window, another process holds a place this one took for its own: one less.
		if !informative {
			// Without a Retry-After nothing tells a displaced write from a lost place.
			if held := p.held(w.at, now); held < p.limit {
				p.limit = max(held, 1)
			}
			p.shared = true
		} else if since := now.Sub(p.lastSurprise); since > p.window/2 && since < p.window+p.window/2+replayMargin {
			p.limit = max(p.limit-1, 1)
			p.shared = true
		}
		if informative && secs > minRetryAfter {
			p.shared = true
		}
		p.lastSurprise = now
	}
	if !informative {
		if p.window == 0 {
			p.recovering = true
		}
		p.blocked = maxTime(p.blocked, now.Add(minRetryAfter))
		p.nextShare = maxTime(p.nextShare, now.Add(p.window))
		return
	}
	free := now.Add(secs)
	switch {
	case p.window == 0:
		// The first 429: the window opened with this run's first write, and Retry-After is
		// rounded up to whole seconds, so the window is at most a second shorter. If another
		// process wrote first (this one's first write was throttled: unanchored), the window
		// opened with its writes and is shorter than Graph's: this process's own early
		// replays correct it (below). The schedule then holds every writer until then.
		p.window = min(max(free.Sub(p.firstSend), time.Second), maxWindow)
		p.learnedAt = now
		p.admittedSince = 0 // the writes after the first window are the ones a 429 must not exceed 2 in 100 of
		p.lo = max(p.window-time.Second, 0)
		if whole := p.window.Truncate(time.Second); whole > 0 && whole > p.lo && !p.unanchored {
			// Graph's windows are whole seconds (Intune's are 20 s), and Retry-After is rounded
			// up to one: the window is the whole second in (lo, window], plus the few
			// milliseconds by which this process's writes reach Graph apart. Taken at once: a
			// window probe that found it would cost, refused, a place for a window.
			p.window = min(p.window, whole+probeSlack)
			p.lo = max(p.window-windowPrecision, 0)
			p.triedWhole = true
		}
		p.recovering = false
	case !w.ref.IsZero() && free.Sub(w.ref) > p.window && (secs <= minRetryAfter && !p.shared || p.unanchored && secs <= unanchoredRetryAfter):
		// Room opens within the second: the write that made room for this one had not left
		// Graph's window yet, which is longer than learned: by a little, most likely (the
		// Retry-After, in whole seconds, bounds it from above).
		p.lo = max(p.lo, w.at.Sub(w.ref))
		if p.unanchored {
			// The window was learned from another process's writes and may be seconds short:
			// this process's own write had not left it yet. Retry-After bounds it from above.
			// Once: after that, a 429 like it is more likely another process's write.
			p.window = min(max(w.at.Sub(w.ref)+secs-time.Second/2, p.window), maxWindow)
			p.unanchored = false
		} else {
			p.window = min(max(p.window, p.lo)+replayMargin, free.Sub(w.ref), maxWindow)
		}
		p.lo = min(p.lo, p.window)
	}
	if secs > minRetryAfter {
		// Graph is full for longer than the schedule can tell (or for longer than any window
		// the pacer learns): everyone holds.
		p.blocked = maxTime(p.blocked, free)
	}
	p.nextShare = maxTime(p.nextShare, now.Add(p.window))
}

// eager says whether share probes go once a window: when this process knows others write with
// the same app, when its share is below Terraform's parallelism (see width), or while its probes
// get in. Otherwise once in loneProbeEvery admitted writes.
func (p *Pacer) eager() bool {
	return p.shared || p.limit < p.width || p.ramping
}

// probeSpacing is the spacing the next window probe tests: Graph's windows are whole seconds, so
// first the whole second below the learned window (a little after it, for the write's way to
// Graph), then the middle of what is not known.
func (p *Pacer) probeSpacing() time.Duration {
	if whole := p.window.Truncate(time.Second) + probeSlack; whole > p.lo && whole < p.window && !p.triedWhole {
		return whole
	}
	return p.lo + (p.window-p.lo)/2
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// retryAfterSeconds reads a Retry-After of whole or fractional seconds or an HTTP date as a wait;
// 0, a negative or an unreadable value tells nothing.
func retryAfterSeconds(v string) (time.Duration, bool) {
	d, ok := ParseRetryAfter(v, time.Now())
	if !ok {
		return 0, false
	}
	if raw, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && raw <= 0 {
		return 0, false
	}
	return d, true
}

// held is how many writes of this process Graph holds in the window around a throttled write
// sent at at and answered at now: those admitted or unanswered that started in the window before
// now (before the window is known: since the first write). Writes still out may yet be throttled,
// so each 429 that follows counts again and the share only comes down.
func (p *Pacer) held(at, now time.Time) int {
	from := p.firstSend
	if p.window > 0 {
		from = at.Add(-p.window)
	}
	n := 0
	for _, s := range p.sends {
		if !s.at.Before(from) && !s.at.After(now) && s.state != sentThrottled {
			n++
		}
	}
	return n
}

func (p *Pacer) find(seq uint64) *sent {
	i := sort.Search(len(p.sends), func(i int) bool { return p.sends[i].seq >= seq })
	if i < len(p.sends) && p.sends[i].seq == seq {
		return &p.sends[i]
	}
	return nil
}

// since returns the writes that started after t (the slice aliases p.sends).
func (p *Pacer) since(t time.Time) []sent {
	i := len(p.sends)
	for i > 0 && p.sends[i-1].at.After(t) {
		i--
	}
	return p.sends[i:]
}

// prune forgets writes older than any window the pacer uses.
func (p *Pacer) prune(now time.Time) {
	keep := max(maxWindow, p.ceilingWindow+pacerMargin)
	i := 0
	for i < len(p.sends) && now.Sub(p.sends[i].at) > keep {
		i++
	}
	if i > 0 {
		p.sends = append(p.sends[:0], p.sends[i:]...)
	}
}
