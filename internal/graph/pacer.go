package graph

import (
	"context"
	"sync"
	"time"
)

// pacerMargin widens the pacer's window a little: Graph counts a write when it arrives, the pacer
// when it leaves, and a write admitted exactly as the window frees would otherwise arrive a moment
// too early and be throttled (and a 429's whole-second Retry-After then stalls every writer).
const pacerMargin = 500 * time.Millisecond

// Pacer spaces out writes so a large apply stays under Intune's write throttle (100 writes per 20 s
// per app per tenant) instead of bouncing off it. It admits at most Limit writes in any Window
// (a sliding window of start times), and after a 429 holds every writer until the Retry-After has
// passed, so parallel resources do not all hammer a throttled tenant.
type Pacer struct {
	Limit  int
	Window time.Duration

	mu      sync.Mutex
	starts  []time.Time
	blocked time.Time
}

// NewPacer returns a pacer admitting limit writes per window.
func NewPacer(limit int, window time.Duration) *Pacer {
	return &Pacer{Limit: limit, Window: window}
}

// Wait blocks until one more write may start, or ctx ends.
func (p *Pacer) Wait(ctx context.Context) error {
	for {
		wait := p.reserve(time.Now())
		if wait <= 0 {
			return nil
		}
		if err := Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// reserve records a start at now and returns 0, or returns how long to wait before asking again.
func (p *Pacer) reserve(now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Before(p.blocked) {
		return p.blocked.Sub(now)
	}
	cutoff := now.Add(-p.Window - pacerMargin)
	keep := p.starts[:0]
	for _, s := range p.starts {
		if s.After(cutoff) {
			keep = append(keep, s)
		}
	}
	p.starts = keep
	if p.Limit > 0 && len(p.starts) >= p.Limit {
		return p.starts[0].Add(p.Window+pacerMargin).Sub(now) + time.Millisecond
	}
	p.starts = append(p.starts, now)
	return 0
}

// Throttled tells the pacer Graph answered 429 and asked for wait.
func (p *Pacer) Throttled(wait time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if until := time.Now().Add(wait); until.After(p.blocked) {
		p.blocked = until
	}
}
