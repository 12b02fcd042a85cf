package graphsim

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// serveControl is the test-only control API under /_graphsim/, for non-Go
// callers (make demo, shell scripts). It needs no token but answers only
// loopback clients. It is not logged or counted.
//
//	GET    /_graphsim/tasks            stored tasks (as served)
//	POST   /_graphsim/tasks            seed one task (JSON object), answers {"id":...}
//	GET    /_graphsim/tasks/{id}       one stored task
//	PATCH  /_graphsim/tasks/{id}       set raw properties, bypassing validation
//	DELETE /_graphsim/tasks/{id}       delete behind the client's back
//	GET    /_graphsim/tasks/{id}/{nav} a task's managedDevices or mobileApps, {"value":[...]}
//	POST   /_graphsim/tasks/{id}/{nav} append items (JSON array of objects, SeedRelated), answers {"ids":[...]}
//	GET    /_graphsim/requests         request log
//	DELETE /_graphsim/requests         clear request log and counters
//	GET    /_graphsim/counts           {"counts":{"METHOD route":n},"faults":{kind:n},"throttled":n}
//	GET    /_graphsim/faults           active faults
//	PUT    /_graphsim/faults           replace faults (durations: "250ms" or milliseconds)
//	POST   /_graphsim/reset            Reset()
//	GET    /_graphsim/info             URL, CA file, tenant and client ids
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		http.Error(w, "control API is loopback-only", http.StatusForbidden)
		return
	}
	path := strings.Trim(strings.TrimPrefix(r.URL.Path, "/_graphsim"), "/")
	seg, rest, _ := strings.Cut(path, "/")
	ctl := func(v any) { writeJSON(w, http.StatusOK, v) }
	if id, nav, ok := controlRelatedPath(r.URL.EscapedPath()); ok {
		s.controlRelated(w, r, id, nav)
		return
	}
	switch {
	case seg == "tasks" && rest == "" && r.Method == http.MethodGet:
		ctl(map[string]any{"value": s.Tasks()})
	case seg == "tasks" && rest == "" && r.Method == http.MethodPost:
		var obj map[string]any
		if !decodeControl(w, r, &obj) {
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"id": s.Seed(obj)})
	case seg == "tasks" && rest != "" && r.Method == http.MethodGet:
		t, ok := s.Task(rest)
		if !ok {
			http.Error(w, "no such task", http.StatusNotFound)
			return
		}
		ctl(t)
	case seg == "tasks" && rest != "" && r.Method == http.MethodPatch:
		var obj map[string]any
		if !decodeControl(w, r, &obj) {
			return
		}
		if _, ok := s.Task(rest); !ok {
			http.Error(w, "no such task", http.StatusNotFound)
			return
		}
		for k, v := range obj {
			s.SetRaw(rest, k, v)
		}
		t, _ := s.Task(rest)
		ctl(t)
	case seg == "tasks" && rest != "" && r.Method == http.MethodDelete:
		if !s.DeleteTask(rest) {
			http.Error(w, "no such task", http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case seg == "requests" && r.Method == http.MethodGet:
		ctl(map[string]any{"value": s.Requests()})
	case seg == "requests" && r.Method == http.MethodDelete:
		s.ResetLog()
		w.WriteHeader(http.StatusNoContent)
	case seg == "counts" && r.Method == http.MethodGet:
		ctl(map[string]any{"counts": s.Counts(), "faults": s.FaultCounts(), "throttled": s.Throttled()})
	case seg == "faults" && r.Method == http.MethodGet:
		ctl(wireFaults(s.CurrentFaults()))
	case seg == "faults" && r.Method == http.MethodPut:
		var fw faultsWire
		if !decodeControl(w, r, &fw) {
			return
		}
		s.SetFaults(fw.faults())
		ctl(wireFaults(s.CurrentFaults()))
	case seg == "reset" && r.Method == http.MethodPost:
		s.Reset()
		w.WriteHeader(http.StatusNoContent)
	case seg == "info" && r.Method == http.MethodGet:
		ctl(map[string]any{"url": s.URL(), "caFile": s.CAFile(), "tenantId": s.opts.TenantID,
			"clientId": s.opts.ClientID, "pageSize": s.opts.PageSize})
	default:
		http.Error(w, "unknown control route or method", http.StatusNotFound)
	}
}

func decodeControl(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		http.Error(w, "bad JSON: "+err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

// controlRelatedPath recognises /_graphsim/tasks/{id}/{nav} (the id
// percent-encoded where it holds a '/').
func controlRelatedPath(escaped string) (id, nav string, ok bool) {
	segs := strings.Split(strings.Trim(strings.TrimPrefix(escaped, "/_graphsim"), "/"), "/")
	if len(segs) != 3 || segs[0] != "tasks" {
		return "", "", false
	}
	id, err1 := url.PathUnescape(segs[1])
	nav, err2 := url.PathUnescape(segs[2])
	return id, nav, err1 == nil && err2 == nil && id != "" && nav != ""
}

func (s *Server) controlRelated(w http.ResponseWriter, r *http.Request, id, nav string) {
	if _, ok := s.Task(id); !ok {
		http.Error(w, "no such task", http.StatusNotFound)
		return
	}
	switch r.Method {
	case http.MethodGet:
		items, ok := s.Related(id, nav)
		if !ok {
			http.Error(w, "the task's type has no navigation collection "+nav, http.StatusNotFound)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"value": items})
	case http.MethodPost:
		var items []map[string]any
		if !decodeControl(w, r, &items) {
			return
		}
		ids, err := s.SeedRelated(id, nav, items...)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"ids": ids})
	default:
		http.Error(w, "unknown control route or method", http.StatusNotFound)
	}
}
