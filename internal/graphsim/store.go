package graphsim

import (
	"encoding/json"
	"sort"
	"strings"
	"time"
)

// task is one stored entity. props holds exactly what is served (canonical
// JSON values), so SetRaw can plant values Graph's schema would not allow.
type task struct {
	seq         int64       // creation order; the paging cursor
	typ         *entityType // nil for seeded types the schema does not know
	props       map[string]any
	note        *string // last updateStatus note: recorded, never served
	hiddenReads int     // remaining item GETs that answer 404 (eventual consistency)
}

// lookup finds a task by id; ids compare case-insensitively like GUIDs do.
// Callers hold s.mu.
func (s *Server) lookup(id string) *task {
	if id == "" {
		return nil
	}
	if t, ok := s.tasks[id]; ok {
		return t
	}
	for k, t := range s.tasks {
		if strings.EqualFold(k, id) {
			return t
		}
	}
	return nil
}

// sortedTasks snapshots the store in creation order.
func (s *Server) sortedTasks() []*task {
	s.mu.Lock()
	out := make([]*task, 0, len(s.tasks))
	for _, t := range s.tasks {
		c := *t
		c.props = cloneProps(t.props)
		out = append(out, &c)
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// servedForm converts stored props to what a JSON client would decode
// (numbers as float64), which is the form tests compare against.
func servedForm(p map[string]any) map[string]any {
	var out map[string]any
	if err := json.Unmarshal(marshalEntity(p, nil), &out); err != nil {
		return map[string]any{}
	}
	return out
}

// Tasks returns every stored task in creation order, as Graph would serve it
// (without fault decorations).
func (s *Server) Tasks() []map[string]any {
	ts := s.sortedTasks()
	out := make([]map[string]any, len(ts))
	for i, t := range ts {
		out[i] = servedForm(t.props)
	}
	return out
}

// Task returns one stored task as Graph would serve it.
func (s *Server) Task(id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookup(id)
	if t == nil {
		return nil, false
	}
	return servedForm(t.props), true
}

// TaskNote returns the note recorded by the last updateStatus call (Graph has
// no property for it; only tests can see it).
func (s *Server) TaskNote(id string) (note string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookup(id)
	if t == nil || t.note == nil {
		return "", false
	}
	return *t.note, true
}

// DeleteTask removes a task behind the client's back.
func (s *Server) DeleteTask(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookup(id)
	if t == nil {
		return false
	}
	delete(s.tasks, t.props["id"].(string))
	return true
}

// Seed stores a task of any of the three types, bypassing validation, and
// returns its id. obj["@odata.type"] selects the type (with or without '#';
// default securityConfigurationTask); obj["id"] is used when it is a string.
// Unset properties get their defaults; date-time strings are normalised like
// Graph would normalise them; everything else is stored verbatim.
func (s *Server) Seed(obj map[string]any) (id string) {
	tn, _ := obj["@odata.type"].(string)
	tn = strings.TrimPrefix(tn, "#")
	if tn == "" {
		tn = sctTypeName
	}
	et := entityTypes[tn]
	id, _ = obj["id"].(string)
	if id == "" {
		id = newGUID()
	}
	var props map[string]any
	if et != nil {
		props = et.defaults(id, time.Now())
	} else {
		props = baseType.defaults(id, time.Now())
		props["@odata.type"] = "#" + tn
	}
	for k, v := range cloneProps(obj) {
		switch k {
		case "@odata.type", "id":
			continue
		}
		if str, ok := v.(string); ok && (k == "createdDateTime" || k == "dueDateTime" || strings.HasSuffix(k, "DateTime")) {
			if t, ok := parseGraphTime(str); ok {
				v = formatGraphTime(t)
			}
		}
		props[k] = v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.lookup(id); old != nil {
		delete(s.tasks, old.props["id"].(string))
	}
	s.seq++
	s.tasks[id] = &task{seq: s.seq, typ: et, props: props}
	return id
}

// SetRaw sets one stored property to any JSON-encodable value, bypassing
// validation: e.g. SetRaw(id, "status", "inReview") plants an enum value
// outside the documented list, as a newer service version might return.
// A nil value stores JSON null.
func (s *Server) SetRaw(id, key string, value any) bool {
	v := cloneProps(map[string]any{"v": value})["v"]
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookup(id)
	if t == nil {
		return false
	}
	t.props[key] = v
	return true
}
