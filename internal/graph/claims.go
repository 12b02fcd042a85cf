package graph

import (
	"context"
	"strings"
	"sync"
	"time"
)

// Claims is this provider process's registry of the task ids it owns: every id it created, adopted
// after an ambiguous create, or read into a resource's state. The create-recovery lookup never
// adopts a claimed id, so two resources with identical configuration can never end up holding the
// same task (graph-behaviour.md §7.4).
//
// It also tracks creates whose POST is on the wire. A task such a POST made is in Graph before its
// answer reaches us and its id is claimed, so a lookup waits for those POSTs to settle before it
// decides which tasks are unclaimed.
//
// It belongs to the provider process, not to one client: Terraform configures the provider again
// for each walk of a command (the refresh and plan of `terraform apply`, then its apply), and a
// task read into state during the refresh must stay claimed while the apply creates. What another
// process did (an earlier apply) is kept out by the lookup's time window instead.
type Claims struct {
	mu sync.Mutex
	// ids maps a lower-cased id (GUIDs compare case-insensitively) to when this process created or
	// adopted it; the zero time for ids only read into state.
	ids map[string]time.Time
	// sending is the set of creates with a POST on the wire; changed is closed and replaced
	// whenever one of them stops sending.
	sending map[*createAttempts]struct{}
	changed chan struct{}
}

// NewClaims returns an empty registry.
func NewClaims() *Claims {
	return &Claims{ids: map[string]time.Time{}, sending: map[*createAttempts]struct{}{}, changed: make(chan struct{})}
}

// Claim records an id read into a resource's state.
func (c *Claims) Claim(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := strings.ToLower(id)
	if _, ok := c.ids[k]; !ok && k != "" {
		c.ids[k] = time.Time{}
	}
}

// claimCreated records an id this process created or adopted, and when.
func (c *Claims) claimCreated(id string) {
	if id == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids[strings.ToLower(id)] = time.Now()
}

// Claimed reports whether id is claimed.
func (c *Claims) Claimed(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.ids[strings.ToLower(id)]
	return ok
}

// CreatedAt reports when this process created or adopted id (local monotonic clock), or false.
func (c *Claims) CreatedAt(id string) (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.ids[strings.ToLower(id)]
	return t, ok && !t.IsZero()
}

// Adopt claims the one id of candidates that is not claimed yet, atomically, so that two lookups
// running at once cannot both take it. It returns the unclaimed candidates; exactly one means it
// was adopted. An empty id is never a candidate: it names no task, and adopting it would put an
// id-less task in state that delete could never reach.
func (c *Claims) Adopt(candidates []string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	free := c.unclaimed(candidates)
	if len(free) == 1 {
		c.ids[strings.ToLower(free[0])] = time.Now()
	}
	return free
}

// Unclaimed returns the candidates that are not claimed, claiming none of them.
func (c *Claims) Unclaimed(candidates []string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.unclaimed(candidates)
}

func (c *Claims) unclaimed(candidates []string) []string {
	var free []string
	for _, id := range candidates {
		if _, ok := c.ids[strings.ToLower(id)]; !ok && strings.TrimSpace(id) != "" {
			free = append(free, id)
		}
	}
	return free
}

// WaitSettled waits until every create whose POST is on the wire now has had its answer (and its
// id claimed), or until ctx ends. POSTs that start later do not count: a lookup calls this after
// its list came back, and a POST sent after that cannot have put anything in the list.
func (c *Claims) WaitSettled(ctx context.Context) error {
	c.mu.Lock()
	waiting := make(map[*createAttempts]int, len(c.sending))
	for a := range c.sending {
		waiting[a] = a.attempt
	}
	c.mu.Unlock()
	for {
		c.mu.Lock()
		for a, n := range waiting {
			if _, still := c.sending[a]; !still || a.attempt != n {
				delete(waiting, a)
			}
		}
		changed := c.changed
		c.mu.Unlock()
		if len(waiting) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// createAttempts follows one Client.Create call through the retry middleware: it is "sending" while a
// POST attempt is on the wire or its answer is being read, and not while the middleware sleeps
// before retrying an attempt Graph did not process (a 429, say).
type createAttempts struct {
	claims *Claims
	// attempt counts the POSTs sent; guarded by claims.mu.
	attempt int
	// lastSent is when the latest attempt left (local monotonic clock).
	lastSent time.Time
}

func (a *createAttempts) send() {
	c := a.claims
	c.mu.Lock()
	defer c.mu.Unlock()
	a.attempt++
	a.lastSent = time.Now()
	c.sending[a] = struct{}{}
}

// idle marks the create as not on the wire (between attempts, or finished).
func (a *createAttempts) idle() {
	c := a.claims
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.sending[a]; !ok {
		return
	}
	delete(c.sending, a)
	close(c.changed)
	c.changed = make(chan struct{})
}

func (a *createAttempts) sentAt() time.Time {
	a.claims.mu.Lock()
	defer a.claims.mu.Unlock()
	return a.lastSent
}

type createAttemptsKey struct{}

func withCreateAttempts(ctx context.Context, a *createAttempts) context.Context {
	return context.WithValue(ctx, createAttemptsKey{}, a)
}

func createAttemptsFrom(ctx context.Context) *createAttempts {
	a, _ := ctx.Value(createAttemptsKey{}).(*createAttempts)
	return a
}
