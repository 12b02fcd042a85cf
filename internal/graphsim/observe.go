package graphsim

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Route names used by Count, the request log and fault Rules.
const (
	RouteTasks        = "tasks"        // the collection (GET list, POST create)
	RouteTask         = "task"         // one item (GET, PATCH, DELETE)
	RouteUpdateStatus = "updateStatus" // POST item/updateStatus
	RouteCount        = "count"        // GET collection/$count
	RouteRelated      = "related"      // GET item/{nav}, item/{cast}/{nav}: a task's managedDevices or mobileApps
	RouteRelatedItem  = "relatedItem"  // GET item/{nav}/{itemId} (and with the cast): one of them
	RouteToken        = "token"        // POST {tenant}/oauth2/v2.0/token
	RouteDiscovery    = "discovery"    // GET {tenant}/v2.0/.well-known/openid-configuration
	RouteKeys         = "keys"         // GET {tenant}/discovery/v2.0/keys
	RouteUnknown      = "unknown"      // anything else the emulator answered 404/405 for
)

// LoggedRequest is one entry of the request log. Secrets never appear in it:
// Authorization is replaced by "Bearer <redacted>" and client_secret /
// client_assertion form values by "<redacted>".
type LoggedRequest struct {
	Time     time.Time   `json:"time"`
	Method   string      `json:"method"`
	Host     string      `json:"host"` // the Host the client sent (the name it reached the emulator by)
	Path     string      `json:"path"`
	RawQuery string      `json:"rawQuery"`
	Route    string      `json:"route"`
	Header   http.Header `json:"header"`
	Body     string      `json:"body"`   // after gunzip
	Status   int         `json:"status"` // 0 when the connection was reset or the exchange aborted
	Fault    string      `json:"fault,omitempty"`
	// RetryAfter is the Retry-After header of the response, so a test can
	// check that a client waited at least that long before its retry (which
	// carries the same client-request-id header).
	RetryAfter string `json:"retryAfter,omitempty"`
}

// exchange carries per-request state through the handlers.
type exchange struct {
	w     *statusWriter
	r     *http.Request
	route string
	id    string // task id from the path, if any
	body  []byte // decoded request body
	fault string // which fault fired, for the log
	start time.Time
}

// statusWriter remembers the status code written. Unwrap lets
// http.ResponseController reach the real writer for Hijack and Flush.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// record appends the exchange to the log and bumps the per-route counter.
func (s *Server) record(ex *exchange) {
	h := ex.r.Header.Clone()
	if h.Get("Authorization") != "" {
		h.Set("Authorization", "Bearer <redacted>")
	}
	body := string(ex.body)
	if ex.route == RouteToken {
		body = redactForm(body)
	}
	entry := LoggedRequest{
		Time:     ex.start,
		Method:   ex.r.Method,
		Host:     ex.r.Host,
		Path:     ex.r.URL.Path,
		RawQuery: ex.r.URL.RawQuery,
		Route:    ex.route,
		Header:   h,
		Body:     body,
		Status:   ex.w.status,
		Fault:    ex.fault,
		// The header map outlives the write (and a hijack), so it can be read here.
		RetryAfter: ex.w.Header().Get("Retry-After"),
	}
	s.mu.Lock()
	s.reqLog = append(s.reqLog, entry)
	s.counts[ex.r.Method+" "+ex.route]++
	s.mu.Unlock()
}

// redactForm hides credentials in a form-encoded token request body.
func redactForm(body string) string {
	v, err := url.ParseQuery(body)
	if err != nil {
		return "<unparsable form>"
	}
	for _, k := range []string{"client_secret", "client_assertion", "assertion", "refresh_token", "password"} {
		if v.Has(k) {
			v.Set(k, "<redacted>")
		}
	}
	return v.Encode()
}

// Requests returns a copy of the request log (oldest first).
func (s *Server) Requests() []LoggedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]LoggedRequest, len(s.reqLog))
	for i, e := range s.reqLog {
		e.Header = e.Header.Clone()
		out[i] = e
	}
	return out
}

// ResetLog clears the request log and the per-route counters.
func (s *Server) ResetLog() {
	s.mu.Lock()
	s.reqLog = nil
	s.counts = map[string]int{}
	s.mu.Unlock()
}

// Count returns how many requests with this method (e.g. "GET") hit route
// (RouteTasks, RouteTask, RouteUpdateStatus, RouteRelated, RouteToken, ...). Method "" sums
// all methods.
func (s *Server) Count(method, route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if method != "" {
		return s.counts[strings.ToUpper(method)+" "+route]
	}
	n := 0
	for k, v := range s.counts {
		if strings.HasSuffix(k, " "+route) {
			n += v
		}
	}
	return n
}

// Counts returns a copy of all counters keyed "METHOD route".
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}
