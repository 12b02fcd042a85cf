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
	seq         int64           // creation order; the paging cursor
	typ         *structuredType // nil for seeded types the CSDL does not know
	stored      time.Time       // when the emulator stored it
	props       map[string]any
	note        *string // last updateStatus note: recorded, never served
	hiddenReads int     // remaining item GETs that answer 404 (eventual consistency)
	// staleReads item GETs remain that answer staleProps, the entity as it was
	// before the last write (Faults.StaleReadsAfterWrite).
	staleReads int
	staleProps map[string]any
	// ghostReads item GETs remain that still answer a deleted task, kept in
	// s.ghosts (Faults.VisibleAfterDelete).
	ghostReads int
	// related holds the task's contained collections by navigation property
	// name (related.go); nil until one is seeded.
	related map[string]*relColl
}

// lookup finds a live task by id. Callers hold s.mu.
func (s *Server) lookup(id string) *task { return lookupIn(s.tasks, id) }

// lookupIn finds a task by id; ids compare case-insensitively like GUIDs do.
func lookupIn(m map[string]*task, id string) *task {
	if id == "" {
		return nil
	}
	if t, ok := m[id]; ok {
		return t
	}
	for k, t := range m {
		if strings.EqualFold(k, id) {
			return t
		}
	}
	return nil
}

// storedTypeName is the qualified name of a stored task's type, without '#': the CSDL's for a
// known type, otherwise what it was seeded with.
func storedTypeName(t *task) string {
	if t.typ != nil {
		return t.typ.name
	}
	name, _ := t.props["@odata.type"].(string)
	return strings.TrimPrefix(name, "#")
}

// sortedTasks snapshots the live tasks in creation order.
func (s *Server) sortedTasks() []*task {
	s.mu.Lock()
	out := make([]*task, 0, len(s.tasks))
	for _, t := range s.tasks {
		out = append(out, snapshot(t))
	}
	s.mu.Unlock()
	sortBySeq(out)
	return out
}

// snapshot copies a task so that it can be used without s.mu.
func snapshot(t *task) *task {
	c := *t
	c.props = cloneProps(t.props)
	c.staleProps = nil
	c.related = nil
	return &c
}

func sortBySeq(ts []*task) {
	sort.Slice(ts, func(i, j int) bool { return ts[i].seq < ts[j].seq })
}

// listedTasks is one page of what a collection list shows, in creation order: the live tasks at
// least lag old, then deleted tasks that still have visible reads left. The page is the first limit
// tasks after afterSeq, copied; total counts every task the list shows (for $count), more says
// whether any follow the page, hidden counts the tasks lag left out and ghosts the deleted tasks
// shown. Only the page is copied: a list of thousands of tasks stays cheap per page.
func (s *Server) listedTasks(lag time.Duration, afterSeq int64, limit int, filter *filterExpr) (page []*task, total int, more bool, hidden, ghosts int) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	shown := make([]*task, 0, len(s.tasks))
	for _, t := range s.tasks {
		if lag > 0 && now.Sub(t.stored) < lag {
			hidden++
			continue
		}
		if filter.matches(t) {
			shown = append(shown, t)
		}
	}
	for _, t := range s.ghosts {
		if t.ghostReads > 0 && filter.matches(t) {
			ghosts++
			shown = append(shown, t)
		}
	}
	sortBySeq(shown)
	for _, t := range shown {
		if t.seq <= afterSeq {
			continue
		}
		if len(page) == limit {
			more = true
			break
		}
		page = append(page, snapshot(t))
	}
	return page, len(shown), more, hidden, ghosts
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

// Seed stores a task the way Defender would make it, bypassing validation,
// and returns its id. obj["@odata.type"] selects the type (with or without
// '#'; default securityConfigurationTask): a name the CSDL does not know (a
// task type newer than the excerpt, "#microsoft.graph.someFutureTask") gives a
// task of that name with the base type's properties, served as Graph would
// serve a type it knows and this emulator does not. obj["id"] is used when it
// is a string. Unset properties hold the same unset values a create of that type
// gives them (graph-behaviour.md §2.2), inside complex values too; date-time
// strings are normalised like Graph would normalise them; everything else is
// stored verbatim.
//
// The task's relationships may come with it: obj["managedDevices"] and
// obj["mobileApps"], arrays of objects, are seeded as SeedRelated seeds them,
// validated against the CSDL; they are relationships, never stored as
// properties. Seed panics on an invalid one (a test's mistake); SeedTask
// returns the error instead.
func (s *Server) Seed(obj map[string]any) (id string) {
	id, err := s.SeedTask(obj)
	if err != nil {
		panic(err)
	}
	return id
}

// SeedTask is Seed returning an error, not panicking, for invalid
// relationships in obj. On an error nothing is stored.
func (s *Server) SeedTask(obj map[string]any) (id string, err error) {
	tn, _ := obj["@odata.type"].(string)
	tn = strings.TrimPrefix(tn, "#")
	if tn == "" {
		tn = sctTypeName
	}
	et := edm.types[tn]
	if et != nil && !et.isA(baseTypeName) {
		et = nil // not a task type: served as the base type would be
	}
	id, _ = obj["id"].(string)
	if id == "" {
		id = newGUID()
	}
	now := time.Now()
	shape := et
	if shape == nil {
		shape = baseType
	}
	obj = cloneProps(obj)
	arrays, err := relatedArrays(obj, et, tn)
	if err != nil {
		return "", err
	}
	prepared := map[string][]*relItem{}
	navs := map[string]navDef{}
	for k, items := range arrays {
		n, _ := et.relatedNav(k)
		if prepared[n.name], err = prepareRelated(n, items, nil); err != nil {
			return "", err
		}
		navs[n.name] = n
	}
	props := newEntity(shape, id, now)
	props["@odata.type"] = "#" + tn
	for k, v := range obj {
		if _, isRelated := arrays[k]; isRelated {
			continue
		}
		switch k {
		case "@odata.type", "id":
			continue
		}
		if p, ok := shape.prop(k); ok {
			v = normaliseSeeded(p, v)
		} else {
			v = normaliseDateTime(k, v)
		}
		props[k] = v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.lookup(id); old != nil {
		delete(s.tasks, old.props["id"].(string))
	}
	if old := lookupIn(s.ghosts, id); old != nil {
		delete(s.ghosts, old.props["id"].(string))
	}
	delete(s.bareGone, strings.ToLower(id))
	s.seq++
	t := &task{seq: s.seq, typ: et, props: props, stored: now}
	s.tasks[id] = t
	for name, items := range prepared {
		s.storeRelated(t, navs[name], items)
	}
	return id, nil
}

// normaliseSeeded brings a seeded value of a known property to its stored
// form where that is possible, and leaves anything else as it is: seeding
// exists to plant what validation would refuse.
func normaliseSeeded(p propDef, v any) any {
	switch p.kind {
	case kDateTime:
		return normaliseDateTime(p.name, v)
	case kComplexCollection:
		items, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(items))
		for i, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				out[i] = it
				continue
			}
			obj := unsetObject(p.complex)
			for k, iv := range m {
				if k == "@odata.type" {
					continue // written from the type on the way out
				}
				if ip, ok := p.complex.prop(k); ok {
					iv = normaliseSeeded(ip, iv)
				}
				obj[k] = iv
			}
			out[i] = obj
		}
		return out
	}
	return v
}

// normaliseDateTime rewrites a date-time string of a property named
// "...DateTime" in Graph's output form; anything else is returned unchanged.
func normaliseDateTime(key string, v any) any {
	if str, ok := v.(string); ok && strings.HasSuffix(key, "DateTime") {
		if t, ok := parseGraphTime(str); ok {
			return formatGraphTime(t)
		}
	}
	return v
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
