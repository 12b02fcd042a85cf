package graphsim

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Faults is the set of misbehaviours the emulator injects. Replace it at any
// time with SetFaults; the zero value means "behave". Each kind is counted
// under the Fault* constant named below (FaultCounts, the request log).
//
// To add a new kind of fault: add a field here (and to faultsWire for the
// control API), act on it where the request pipeline in graph.go or entra.go
// reaches the relevant point, and count it with s.countFault.
type Faults struct {
	// Latency is added to every Graph request (not to Entra). FaultLatency.
	Latency time.Duration
	// WriteThrottle limits POST/PATCH/DELETE (updateStatus included) with a
	// sliding window, like Intune's 100 writes per 20 s per app. Every write
	// counts against the window, throttled ones included
	// (graph-behaviour.md §7.1). FaultThrottle.
	WriteThrottle *Throttle
	// Rules are evaluated in order; every matching rule counts the call, the
	// first one that fires acts. FaultStatus, FaultDelay, FaultReset.
	Rules []Rule
	// NotFoundReadsAfterCreate makes the first N item GETs of each object
	// created while it is set answer 404 (eventual consistency,
	// graph-behaviour.md §8). FaultNotFoundAfterCreate.
	NotFoundReadsAfterCreate int
	// ListLag keeps a task out of collection lists (and $count) until it is
	// this old, as a lagging replica would (graph-behaviour.md §7.4, §8). Item
	// GETs are unaffected. Counted once per list or $count that left a task
	// out. FaultListLag.
	ListLag time.Duration
	// VisibleAfterDelete makes a task deleted while it is set (a DELETE that
	// answered 204) still answer the next N item GETs of its id with 200 and
	// the entity as it was, and stay in lists while any of those are left;
	// then it is 404 (graph-behaviour.md §8). Counted per GET and per list
	// that showed it. FaultVisibleAfterDelete.
	VisibleAfterDelete int
	// BareNotFoundAfterDelete makes the item GETs of a task deleted while it
	// is set (a DELETE that answered 204) answer 404 with an empty body
	// rather than Graph's error JSON, while it stays set: a stand-in or a
	// front end that answers a gone id with a bare status. Only a client
	// that just deleted that very URL can tell this 404 means gone rather
	// than a wrong URL (graph-behaviour.md §6, §8). A DELETE, PATCH or
	// action on the id still gets Graph's 404. Counted per GET.
	// FaultBareNotFoundAfterDelete.
	BareNotFoundAfterDelete bool
	// StaleReadsAfterWrite makes the next N item GETs of a task after a
	// successful PATCH or updateStatus answer with the entity as it was before
	// that write (graph-behaviour.md §8). FaultStaleRead.
	StaleReadsAfterWrite int
	// NextLinkHost, when set, is the host[:port] of every @odata.nextLink the
	// emulator writes (task lists and relationship pages alike), instead of the request's Host, as a Graph stand-in or
	// a proxy may write Graph's own host: the emulator still serves the pages
	// itself, and a client must follow the links there, never sending its
	// token to the host they name (graph-behaviour.md §9). Counted once per
	// page that carried such a link. FaultNextLinkHost.
	NextLinkHost string
	// EditBeforeWrite sets these properties on a task just before each PATCH
	// or updateStatus of it is applied, bypassing validation: someone changed
	// the task in the portal between a client's plan and its write (a
	// status moved by an Intune admin). FaultEditBeforeWrite.
	EditBeforeWrite map[string]any
	// PatchNoContent makes PATCH answer 204 with no body
	// (graph-behaviour.md §5). FaultPatchNoContent.
	PatchNoContent bool
	// ExtraProperties adds properties unknown to the schema to every task in a
	// response (not to the items of a relationship). FaultExtraProperties.
	ExtraProperties bool
	// ListItemsWithoutID serves the items of collection lists (task lists and
	// relationship pages) without their "id", as a broken stand-in or a proxy rewriting bodies might: a client
	// can see that a task exists but not which one it is. Item GETs are
	// unaffected. Counted once per page. FaultListItemsWithoutID.
	ListItemsWithoutID bool
	// NextLinkWithoutQuery writes every @odata.nextLink (task lists and
	// relationship pages) without its query string, as a proxy that drops queries from URLs in bodies would: the
	// link names the collection itself, so a client that follows it reads the
	// first page again, forever. Counted per page. FaultNextLinkRepeat.
	NextLinkWithoutQuery bool
	// NextLinkToSamePage writes, on every page after the first (of a task list
	// or a relationship), an @odata.nextLink to the page just served (a paging bug in the service):
	// following links never reaches the end. Counted per page.
	// FaultNextLinkRepeat.
	NextLinkToSamePage bool
}

// Throttle is a sliding-window limit.
type Throttle struct {
	Limit          int
	Window         time.Duration
	OmitRetryAfter bool // some services send 429 without Retry-After
}

// Rule injects a failure on matching calls.
type Rule struct {
	// Name names the rule for RuleFirings, so a test can check that this very
	// rule acted (the package-wide FaultStatus count cannot tell rules apart).
	Name string
	// Method matches the HTTP method ("" = any).
	Method string
	// Route matches a route name: RouteTasks, RouteTask, RouteUpdateStatus,
	// RouteRelated, RouteRelatedItem, RouteToken, RouteDiscovery, RouteCount
	// ("" = any).
	Route string
	// EveryNth fires on calls N, 2N, 3N... of the matching calls. Otherwise
	// Times fires on the first Times matching calls. With both zero the rule
	// fires on every matching call.
	EveryNth int
	Times    int
	// PerTask counts EveryNth and Times for each task id apart (the id in the
	// path; the collection routes count as one): "the first two GETs of each
	// task" rather than of all tasks together, so parallel clients cannot
	// share out the failures unevenly.
	PerTask bool
	// OnFire, when set, is called each time the rule fires, as the request
	// arrives and before the rule acts (Go API only; the control API cannot
	// set it). A test uses it to change what Graph holds, or the faults
	// themselves (UpdateFaults), at the very moment a request reaches Graph,
	// however long the client took to send it. A rule with OnFire and no
	// action is a pure hook: the request is then served normally. It must
	// not call SetFaults, which would reset the rule counters mid-request.
	OnFire func()

	// Actions. ResetConnection wins over Status; Delay combines with either
	// (sleep first) or alone (sleep, then answer normally). When the client
	// goes away during Delay the exchange is aborted: it gets no answer.
	Status     int
	RetryAfter string // Retry-After header value for Status
	// Body is the raw body for Status. Default: a Graph error JSON, or for a
	// 2xx Status an empty JSON object (a success without a usable entity).
	// It need not be valid JSON: a truncated entity is a fair test.
	Body        string
	ContentType string // for Body; default JSON if Body looks like JSON, else text/html
	// EmptyBody sends no body at all (Content-Length 0) with Status.
	EmptyBody       bool
	Delay           time.Duration
	ResetConnection bool
	// AfterCommit performs the operation for real first, then answers as
	// above: the client cannot tell whether its write happened. With a 2xx
	// Status (e.g. 201 for a POST) the answer keeps the Location header the
	// real operation produced, unless OmitLocation is set.
	AfterCommit  bool
	OmitLocation bool
}

// Fault kinds, as counted by FaultCounts.
const (
	FaultLatency                 = "latency"
	FaultThrottle                = "throttle" // 429s sent by WriteThrottle
	FaultStatus                  = "status"
	FaultDelay                   = "delay"
	FaultReset                   = "reset"
	FaultNotFoundAfterCreate     = "notFoundAfterCreate"
	FaultListLag                 = "listLag"
	FaultVisibleAfterDelete      = "visibleAfterDelete"
	FaultStaleRead               = "staleRead"
	FaultBareNotFoundAfterDelete = "bareNotFoundAfterDelete"
	FaultNextLinkHost            = "nextLinkHost"
	FaultEditBeforeWrite         = "editBeforeWrite"
	FaultPatchNoContent          = "patchNoContent"
	FaultExtraProperties         = "extraProperties"
	FaultListItemsWithoutID      = "listItemsWithoutID"
	FaultNextLinkRepeat          = "nextLinkRepeat"
)

// SetFaults replaces the active faults and resets rule counters and the
// throttle window.
func (s *Server) SetFaults(f Faults) {
	f.Rules = append([]Rule(nil), f.Rules...)
	if f.EditBeforeWrite != nil {
		f.EditBeforeWrite = cloneProps(f.EditBeforeWrite)
	}
	if f.WriteThrottle != nil {
		t := *f.WriteThrottle
		f.WriteThrottle = &t
	}
	s.fmu.Lock()
	s.faults = f
	s.ruleHits = make([]int, len(f.Rules))
	s.ruleTaskHits = make([]map[string]int, len(f.Rules))
	s.writeTimes = nil
	s.fmu.Unlock()
}

// UpdateFaults edits the active faults in place, keeping the rule counters
// and the throttle window, so that a Rule's OnFire can change the faults
// (lift a ListLag, say) without restarting the rules it is part of. edit must
// not add, remove or reorder Rules.
func (s *Server) UpdateFaults(edit func(*Faults)) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	n := len(s.faults.Rules)
	edit(&s.faults)
	if len(s.faults.Rules) != n {
		panic("graphsim: UpdateFaults must not add or remove rules")
	}
}

// RuleFirings returns how many times the rules named name have acted since
// the emulator started (or was Reset), across SetFaults calls.
func (s *Server) RuleFirings(name string) int {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.ruleFirings[name]
}

// CurrentFaults returns a copy of the active faults.
func (s *Server) CurrentFaults() Faults {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	f := s.faults
	f.Rules = append([]Rule(nil), f.Rules...)
	if f.WriteThrottle != nil {
		t := *f.WriteThrottle
		f.WriteThrottle = &t
	}
	return f
}

// FaultCounts returns how many times each fault kind fired.
func (s *Server) FaultCounts() map[string]int {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	out := make(map[string]int, len(s.faultCounts))
	for k, v := range s.faultCounts {
		out[k] = v
	}
	return out
}

// Throttled returns how many 429 responses the write throttle sent.
func (s *Server) Throttled() int { return s.FaultCounts()[FaultThrottle] }

func (s *Server) countFault(ex *exchange, kind string) {
	s.fmu.Lock()
	s.faultCounts[kind]++
	s.fmu.Unlock()
	if ex != nil {
		if ex.fault != "" {
			ex.fault += ","
		}
		ex.fault += kind
	}
}

func (s *Server) faultSnapshot() Faults {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.faults
}

// firingRule counts this call against every matching rule and returns the
// first rule that fires, if any, after calling its OnFire.
func (s *Server) firingRule(ex *exchange) *Rule {
	fired := s.matchRules(ex)
	if fired != nil && fired.OnFire != nil {
		fired.OnFire()
	}
	return fired
}

func (s *Server) matchRules(ex *exchange) *Rule {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	var fired *Rule
	for i := range s.faults.Rules {
		r := &s.faults.Rules[i]
		if r.Method != "" && !strings.EqualFold(r.Method, ex.r.Method) {
			continue
		}
		if r.Route != "" && r.Route != ex.route {
			continue
		}
		s.ruleHits[i]++
		n := s.ruleHits[i]
		if r.PerTask {
			if s.ruleTaskHits[i] == nil {
				s.ruleTaskHits[i] = map[string]int{}
			}
			k := strings.ToLower(ex.id)
			s.ruleTaskHits[i][k]++
			n = s.ruleTaskHits[i][k]
		}
		fires := false
		switch {
		case r.EveryNth > 0:
			fires = n%r.EveryNth == 0
		case r.Times > 0:
			fires = n <= r.Times
		default:
			fires = true
		}
		if fires && fired == nil {
			rc := *r
			fired = &rc
			if r.Name != "" {
				s.ruleFirings[r.Name]++
			}
		}
	}
	return fired
}

// actBefore performs a rule's action instead of the operation. It returns
// false for a pure delay, after which the request proceeds normally.
func (s *Server) actBefore(ex *exchange, rule *Rule) bool {
	if rule.Delay > 0 {
		s.countFault(ex, FaultDelay)
		sleepOrAbort(ex.r, rule.Delay)
	}
	switch {
	case rule.ResetConnection:
		s.countFault(ex, FaultReset)
		resetConnection(ex)
		return true
	case rule.Status != 0:
		s.countFault(ex, FaultStatus)
		s.writeRuleStatus(ex, rule)
		return true
	}
	return false
}

// commitThenFail runs op into a buffer, then answers with the rule's failure
// (or, for a delay-only rule, with the buffered real answer after the delay).
func (s *Server) commitThenFail(ex *exchange, rule *Rule, op func()) {
	orig := ex.w.ResponseWriter
	// Start from the headers already set (request-id etc.) so the operation
	// sees and keeps them.
	buf := &bufferWriter{h: orig.Header().Clone()}
	ex.w.ResponseWriter = buf
	op()
	ex.w.ResponseWriter = orig
	ex.w.status = 0
	if loc := buf.h.Get("Location"); loc != "" && is2xx(rule.Status) && !rule.OmitLocation {
		// A success that lost its entity still names the new item.
		ex.w.Header().Set("Location", loc)
	}
	if s.actBefore(ex, rule) {
		return
	}
	// Delay only: deliver what the operation produced.
	for k, v := range buf.h {
		orig.Header()[k] = v
	}
	if buf.code == 0 {
		buf.code = http.StatusOK
	}
	ex.w.WriteHeader(buf.code)
	// A write error means the client has gone; there is no one left to tell.
	_, _ = ex.w.Write(buf.body.Bytes())
}

func is2xx(status int) bool { return status >= 200 && status < 300 }

// bodyAllowed reports whether HTTP lets a response with this status carry a
// body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

func (s *Server) writeRuleStatus(ex *exchange, rule *Rule) {
	h := ex.w.Header()
	if rule.RetryAfter != "" {
		h.Set("Retry-After", rule.RetryAfter)
	}
	if rule.EmptyBody || !bodyAllowed(rule.Status) {
		if bodyAllowed(rule.Status) {
			h.Set("Content-Length", "0")
		}
		ex.w.WriteHeader(rule.Status)
		return
	}
	body := rule.Body
	if body == "" && is2xx(rule.Status) {
		body = "{}" // a success without a usable entity
	}
	if body != "" {
		ct := rule.ContentType
		if ct == "" {
			ct = "text/html; charset=utf-8"
			if t := strings.TrimSpace(body); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
				ct = jsonContentType
				if is2xx(rule.Status) {
					ct = graphContentType
				}
			}
		}
		writeRaw(ex.w, rule.Status, ct, []byte(body))
		return
	}
	if ex.route == RouteToken || ex.route == RouteDiscovery {
		s.writeEntraError(ex, &entraError{rule.Status, "temporarily_unavailable", 90033,
			"A transient error has occurred. Please try again."})
		return
	}
	code := strings.ReplaceAll(http.StatusText(rule.Status), " ", "")
	msg := http.StatusText(rule.Status)
	intune := false
	switch rule.Status {
	case http.StatusTooManyRequests:
		code, msg = "TooManyRequests", "Too many requests."
	case http.StatusInternalServerError:
		code, msg, intune = "InternalServerError", "An internal server error has occurred.", true
	case http.StatusServiceUnavailable:
		code, msg = "ServiceUnavailable", "The service is temporarily unavailable. Please retry later."
	case http.StatusGatewayTimeout:
		code, msg = "GatewayTimeout", "The gateway did not receive a timely response from the upstream service."
	}
	if code == "" {
		code = "UnknownError"
	}
	s.writeGraphError(ex, &odataErr{status: rule.Status, code: code, msg: msg, intune: intune})
}

// checkThrottle enforces WriteThrottle; it answers 429 and returns true when
// the write is over the limit. Graph counts every request against the limit,
// throttled ones included (graph-behaviour.md §7.1), so a client that retries
// without waiting keeps itself throttled, and Retry-After is the time until
// the window, with those rejections in it, really has room again.
func (s *Server) checkThrottle(ex *exchange) bool {
	switch ex.r.Method {
	case http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodPut:
	default:
		return false
	}
	s.fmu.Lock()
	t := s.faults.WriteThrottle
	if t == nil || t.Limit <= 0 || t.Window <= 0 {
		s.fmu.Unlock()
		return false
	}
	now := time.Now()
	keep := s.writeTimes[:0]
	for _, at := range s.writeTimes {
		if now.Sub(at) < t.Window {
			keep = append(keep, at)
		}
	}
	admitted := len(keep) < t.Limit
	s.writeTimes = append(keep, now) // counted whether admitted or not
	if admitted {
		s.fmu.Unlock()
		return false
	}
	// Room for one more write opens when so many of the counted requests
	// (oldest first) have left the window that fewer than Limit remain.
	n := len(s.writeTimes)
	wait := s.writeTimes[n-t.Limit].Add(t.Window).Sub(now)
	omit := t.OmitRetryAfter
	s.fmu.Unlock()

	s.countFault(ex, FaultThrottle)
	if !omit {
		secs := int(math.Ceil(wait.Seconds()))
		if secs < 1 {
			secs = 1
		}
		ex.w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	s.writeGraphError(ex, &odataErr{status: http.StatusTooManyRequests, code: "TooManyRequests",
		msg: "Too many requests. The request has been throttled; retry after the interval given in the Retry-After header."})
	return true
}

// resetConnection drops the connection without an answer. On HTTP/1.1 the
// TCP connection is hijacked and closed with SO_LINGER 0 (a real RST); on
// HTTP/2 aborting the handler resets the stream.
func resetConnection(ex *exchange) {
	ex.w.status = 0
	conn, _, err := http.NewResponseController(ex.w).Hijack()
	if err == nil {
		nc := conn
		if tc, ok := conn.(*tls.Conn); ok {
			nc = tc.NetConn()
		}
		if tcp, ok := nc.(*net.TCPConn); ok {
			// Best effort: without SO_LINGER 0 the close below is a FIN rather
			// than a RST, which still drops the exchange unanswered.
			_ = tcp.SetLinger(0)
		}
		nc.Close()
		return
	}
	panic(http.ErrAbortHandler)
}

// sleepOrAbort sleeps for d. If the client goes away first it aborts the
// handler: returning without writing would let net/http send an implicit 200,
// which a client still listening could take for an answer.
func sleepOrAbort(r *http.Request, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
		panic(http.ErrAbortHandler)
	}
}

type bufferWriter struct {
	h    http.Header
	code int
	body bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.h }
func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.code == 0 {
		b.code = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferWriter) WriteHeader(code int) {
	if b.code == 0 {
		b.code = code
	}
}

// ---------------------------------------------------------------------------
// JSON form of Faults for the control API: durations are Go duration strings
// ("250ms") or integers (milliseconds).

type jsonDuration time.Duration

func (d *jsonDuration) UnmarshalJSON(b []byte) error {
	if jsonKind(b) == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		*d = jsonDuration(v)
		return nil
	}
	var ms float64
	if err := json.Unmarshal(b, &ms); err != nil {
		return fmt.Errorf("duration must be a string like \"250ms\" or a number of milliseconds")
	}
	*d = jsonDuration(time.Duration(ms * float64(time.Millisecond)))
	return nil
}

func (d jsonDuration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

type throttleWire struct {
	Limit          int          `json:"limit"`
	Window         jsonDuration `json:"window"`
	OmitRetryAfter bool         `json:"omitRetryAfter,omitempty"`
}

type ruleWire struct {
	Name            string       `json:"name,omitempty"`
	Method          string       `json:"method,omitempty"`
	Route           string       `json:"route,omitempty"`
	EveryNth        int          `json:"everyNth,omitempty"`
	Times           int          `json:"times,omitempty"`
	PerTask         bool         `json:"perTask,omitempty"`
	Status          int          `json:"status,omitempty"`
	RetryAfter      string       `json:"retryAfter,omitempty"`
	Body            string       `json:"body,omitempty"`
	ContentType     string       `json:"contentType,omitempty"`
	EmptyBody       bool         `json:"emptyBody,omitempty"`
	Delay           jsonDuration `json:"delay,omitempty"`
	ResetConnection bool         `json:"resetConnection,omitempty"`
	AfterCommit     bool         `json:"afterCommit,omitempty"`
	OmitLocation    bool         `json:"omitLocation,omitempty"`
}

type faultsWire struct {
	Latency                  jsonDuration   `json:"latency,omitempty"`
	WriteThrottle            *throttleWire  `json:"writeThrottle,omitempty"`
	Rules                    []ruleWire     `json:"rules,omitempty"`
	NotFoundReadsAfterCreate int            `json:"notFoundReadsAfterCreate,omitempty"`
	ListLag                  jsonDuration   `json:"listLag,omitempty"`
	VisibleAfterDelete       int            `json:"visibleAfterDelete,omitempty"`
	StaleReadsAfterWrite     int            `json:"staleReadsAfterWrite,omitempty"`
	BareNotFoundAfterDelete  bool           `json:"bareNotFoundAfterDelete,omitempty"`
	NextLinkHost             string         `json:"nextLinkHost,omitempty"`
	EditBeforeWrite          map[string]any `json:"editBeforeWrite,omitempty"`
	PatchNoContent           bool           `json:"patchNoContent,omitempty"`
	ExtraProperties          bool           `json:"extraProperties,omitempty"`
	ListItemsWithoutID       bool           `json:"listItemsWithoutID,omitempty"`
	NextLinkWithoutQuery     bool           `json:"nextLinkWithoutQuery,omitempty"`
	NextLinkToSamePage       bool           `json:"nextLinkToSamePage,omitempty"`
}

func (w faultsWire) faults() Faults {
	f := Faults{
		Latency:                  time.Duration(w.Latency),
		NotFoundReadsAfterCreate: w.NotFoundReadsAfterCreate,
		ListLag:                  time.Duration(w.ListLag),
		VisibleAfterDelete:       w.VisibleAfterDelete,
		StaleReadsAfterWrite:     w.StaleReadsAfterWrite,
		BareNotFoundAfterDelete:  w.BareNotFoundAfterDelete,
		NextLinkHost:             w.NextLinkHost,
		EditBeforeWrite:          w.EditBeforeWrite,
		PatchNoContent:           w.PatchNoContent,
		ExtraProperties:          w.ExtraProperties,
		ListItemsWithoutID:       w.ListItemsWithoutID,
		NextLinkWithoutQuery:     w.NextLinkWithoutQuery,
		NextLinkToSamePage:       w.NextLinkToSamePage,
	}
	if w.WriteThrottle != nil {
		f.WriteThrottle = &Throttle{Limit: w.WriteThrottle.Limit, Window: time.Duration(w.WriteThrottle.Window), OmitRetryAfter: w.WriteThrottle.OmitRetryAfter}
	}
	for _, r := range w.Rules {
		f.Rules = append(f.Rules, Rule{Name: r.Name, Method: r.Method, Route: r.Route, EveryNth: r.EveryNth, Times: r.Times, PerTask: r.PerTask,
			Status: r.Status, RetryAfter: r.RetryAfter, Body: r.Body, ContentType: r.ContentType, EmptyBody: r.EmptyBody,
			Delay: time.Duration(r.Delay), ResetConnection: r.ResetConnection, AfterCommit: r.AfterCommit, OmitLocation: r.OmitLocation})
	}
	return f
}

func wireFaults(f Faults) faultsWire {
	w := faultsWire{
		Latency:                  jsonDuration(f.Latency),
		NotFoundReadsAfterCreate: f.NotFoundReadsAfterCreate,
		ListLag:                  jsonDuration(f.ListLag),
		VisibleAfterDelete:       f.VisibleAfterDelete,
		StaleReadsAfterWrite:     f.StaleReadsAfterWrite,
		BareNotFoundAfterDelete:  f.BareNotFoundAfterDelete,
		NextLinkHost:             f.NextLinkHost,
		EditBeforeWrite:          f.EditBeforeWrite,
		PatchNoContent:           f.PatchNoContent,
		ExtraProperties:          f.ExtraProperties,
		ListItemsWithoutID:       f.ListItemsWithoutID,
		NextLinkWithoutQuery:     f.NextLinkWithoutQuery,
		NextLinkToSamePage:       f.NextLinkToSamePage,
	}
	if f.WriteThrottle != nil {
		w.WriteThrottle = &throttleWire{Limit: f.WriteThrottle.Limit, Window: jsonDuration(f.WriteThrottle.Window), OmitRetryAfter: f.WriteThrottle.OmitRetryAfter}
	}
	for _, r := range f.Rules {
		w.Rules = append(w.Rules, ruleWire{Name: r.Name, Method: r.Method, Route: r.Route, EveryNth: r.EveryNth, Times: r.Times, PerTask: r.PerTask,
			Status: r.Status, RetryAfter: r.RetryAfter, Body: r.Body, ContentType: r.ContentType, EmptyBody: r.EmptyBody,
			Delay: jsonDuration(r.Delay), ResetConnection: r.ResetConnection, AfterCommit: r.AfterCommit, OmitLocation: r.OmitLocation})
	}
	return w
}
