package graphsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// The task family's relationships: the contained collections the CSDL
// declares as navigation properties (ContainsTarget="true") of the derived
// task types, served under the task's own URL:
//
//	securityConfigurationTask.managedDevices  Collection(vulnerableManagedDevice)
//	appVulnerabilityTask.managedDevices       Collection(appVulnerabilityManagedDevice)
//	appVulnerabilityTask.mobileApps           Collection(appVulnerabilityMobileApp)
//
// Item types, properties and nullability come from the CSDL (csdl.go); the
// emulator knows the names above only to check, at start-up, that the CSDL
// still declares them (schema.go).
//
// They are read-only here. Microsoft Defender for Endpoint fills them; the
// docs' pages for creating, updating and deleting their items are generated
// from a template and name no URL ("Collection URI for
// microsoft.management.services.api.vulnerableManagedDevice not found"), and
// no public report shows Graph accepting a client's write to them
// (graph-behaviour.md §2.1). A write answers 405, like every method a route
// does not serve. Tests fill them with SeedRelated, Seed, the control API or
// graphsim -seed.

// relColl is one task's contained collection. Items are kept in insertion
// order, each with a sequence number that is its paging cursor, so that a
// page is found by binary search: paging costs O(page), not O(collection).
// Items are immutable once stored, so pages can be served from them without
// copying them under s.mu.
type relColl struct {
	items []*relItem
	byID  map[string]int // lower-case id -> index in items
	seq   int64
}

type relItem struct {
	seq   int64
	id    string
	props map[string]any // served form: @odata.type, id, every declared property
}

// page returns up to limit items after the cursor afterSeq, whether more
// follow, and the size of the collection.
func (c *relColl) page(afterSeq int64, limit int) (page []*relItem, more bool, total int) {
	if c == nil {
		return nil, false, 0
	}
	start := sort.Search(len(c.items), func(i int) bool { return c.items[i].seq > afterSeq })
	end := len(c.items)
	if limit >= 0 && start+limit < end {
		end, more = start+limit, true
	}
	return c.items[start:end], more, len(c.items)
}

func (c *relColl) find(id string) *relItem {
	if c == nil {
		return nil
	}
	if i, ok := c.byID[strings.ToLower(id)]; ok {
		return c.items[i]
	}
	return nil
}

// ---------------------------------------------------------------------------
// Seeding

// SeedRelated appends items to the navigation collection nav ("managedDevices",
// "mobileApps") of the task taskID, as Defender would fill it, and returns
// their ids in order. Each item is validated against the collection's item
// type from the CSDL: a property the type does not declare, a value of the
// wrong JSON type, null for a non-nullable property, an @odata.type other
// than the item type, or an id that is not a non-empty string is an error,
// and so is a nav the task's type lacks, an unknown task, or an id already in
// the collection (ids compare case-insensitively, like GUIDs). Nothing is
// stored unless every item is valid. An item without an id gets a new GUID
// (the id of a device is its Entra ID device id); properties left out hold
// their unset values (null, or "0001-01-01T00:00:00Z" for a non-nullable
// date-time); date-times (strings, or time.Time values) are normalised to
// Graph's output form. Items are served in the order they were added. One
// call with many items costs O(items).
func (s *Server) SeedRelated(taskID, nav string, items ...map[string]any) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookup(taskID)
	if t == nil {
		return nil, fmt.Errorf("graphsim: no task %q", taskID)
	}
	n, err := relatedNavOf(t.typ, storedTypeName(t), nav)
	if err != nil {
		return nil, err
	}
	prepared, err := prepareRelated(n, items, t.related[n.name])
	if err != nil {
		return nil, err
	}
	return s.storeRelated(t, n, prepared), nil
}

// relatedNavOf finds the contained collection nav (case-insensitively) of a
// task of type typ (named typeName, for messages).
func relatedNavOf(typ *structuredType, typeName, nav string) (navDef, error) {
	if typ != nil {
		if n, ok := typ.relatedNav(nav); ok {
			return n, nil
		}
	}
	return navDef{}, fmt.Errorf("graphsim: type %s has no navigation collection %q", typeName, nav)
}

// prepareRelated validates items for the collection n (existing already holds
// some, maybe) and returns their stored form.
func prepareRelated(n navDef, items []map[string]any, existing *relColl) ([]*relItem, error) {
	out := make([]*relItem, 0, len(items))
	seen := make(map[string]bool, len(items))
	for i, obj := range items {
		props, err := relatedItem(n.target, obj)
		if err != nil {
			return nil, fmt.Errorf("graphsim: %s[%d]: %w", n.name, i, err)
		}
		id := props["id"].(string)
		key := strings.ToLower(id)
		if seen[key] || existing.find(id) != nil {
			return nil, fmt.Errorf("graphsim: %s[%d]: id %q is already in the collection", n.name, i, id)
		}
		seen[key] = true
		out = append(out, &relItem{id: id, props: props})
	}
	return out, nil
}

// relatedItem validates one item against its entity type and returns its
// served form. Values are checked as ODataLib reads them from a payload
// (decodeValue), so the messages are ODataLib's.
func relatedItem(typ *structuredType, obj map[string]any) (map[string]any, error) {
	props := unsetObject(typ)
	props["@odata.type"] = "#" + typ.name
	id := ""
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the first error is the same on every run
	for _, k := range keys {
		v := obj[k]
		switch k {
		case "@odata.type":
			tn, ok := v.(string)
			if !ok || strings.TrimPrefix(tn, "#") != typ.name {
				return nil, fmt.Errorf("@odata.type %s is not %s", jsonBytes(v), typ.name)
			}
			continue
		case "id":
			str, ok := v.(string)
			if !ok || str == "" {
				return nil, fmt.Errorf("id must be a non-empty string, not %s", jsonBytes(v))
			}
			id = str
			continue
		}
		p, ok := typ.prop(k)
		if !ok {
			return nil, errors.New(doesNotExist(k, typ).msg)
		}
		if tv, ok := v.(time.Time); ok {
			v = formatGraphTime(tv)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		val, verr := decodeValue(p, raw)
		if verr != nil {
			return nil, fmt.Errorf("%s: %s", k, verr.msg)
		}
		props[p.name] = val
	}
	if id == "" {
		id = newGUID()
	}
	props["id"] = id
	return props, nil
}

// storeRelated appends prepared items to t's collection n and returns their
// ids. Callers hold s.mu.
func (s *Server) storeRelated(t *task, n navDef, items []*relItem) []string {
	if t.related == nil {
		t.related = map[string]*relColl{}
	}
	c := t.related[n.name]
	if c == nil {
		c = &relColl{byID: make(map[string]int, len(items))}
		t.related[n.name] = c
	}
	ids := make([]string, len(items))
	for i, it := range items {
		c.seq++
		it.seq = c.seq
		c.byID[strings.ToLower(it.id)] = len(c.items)
		c.items = append(c.items, it)
		ids[i] = it.id
	}
	return ids
}

// Related returns the items of the navigation collection nav of the task
// taskID, in order, as Graph would serve them; false when there is no such
// task or its type has no such collection. A collection nobody filled is
// empty.
func (s *Server) Related(taskID, nav string) ([]map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookup(taskID)
	if t == nil {
		return nil, false
	}
	n, err := relatedNavOf(t.typ, storedTypeName(t), nav)
	if err != nil {
		return nil, false
	}
	c := t.related[n.name]
	out := []map[string]any{}
	if c != nil {
		for _, it := range c.items {
			out = append(out, servedForm(it.props))
		}
	}
	return out, true
}

// relatedArrays takes the navigation collections out of a task object being
// seeded: the members named like a relationship some task type declares
// (managedDevices, mobileApps). They must be arrays of objects, and the
// task's type must declare them.
func relatedArrays(obj map[string]any, typ *structuredType, typeName string) (map[string][]map[string]any, error) {
	var out map[string][]map[string]any
	for k, v := range obj {
		if relatedNavNames[strings.ToLower(k)] != k {
			continue
		}
		if _, err := relatedNavOf(typ, typeName, k); err != nil {
			return nil, err
		}
		var items []map[string]any
		switch arr := v.(type) {
		case []map[string]any:
			items = arr
		case []any:
			items = make([]map[string]any, len(arr))
			for i, it := range arr {
				m, ok := it.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("graphsim: %s[%d] is %s, not an object", k, i, jsonBytes(it))
				}
				items[i] = m
			}
		default:
			return nil, fmt.Errorf("graphsim: %s must be an array of objects, not %s", k, jsonBytes(v))
		}
		if out == nil {
			out = map[string][]map[string]any{}
		}
		out[k] = items
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// Routing

// relatedPath is what the router found after a task id: the type-cast
// segment and the navigation property (CSDL spellings, and as written, for
// messages) and, for RouteRelatedItem, the item id.
type relatedPath struct {
	cast, castRaw string
	nav, navRaw   string
	item          string
}

// classifyRelated routes the segments after a task id (tail, at least one):
//
//	{nav}                     RouteRelated
//	{nav}/{itemId}            RouteRelatedItem
//	{nav}('{itemId}')         RouteRelatedItem
//	{cast}/{nav}[...]         the same, with a type-cast segment
//
// What the router can tell from the CSDL alone it answers here, like Graph's
// OData layer: a segment that is no relationship of any task type, a cast to
// a type that is not a task type, a cast to a type without that relationship
// are each RouteUnknown naming the segment. Whether the task is of a type
// that has the relationship is for the handler, which has the task.
func classifyRelated(id string, tail []string) (route string, seg string, rp *relatedPath) {
	rp = &relatedPath{}
	var castType *structuredType
	if strings.Contains(tail[0], ".") {
		castType = typeFold(tail[0])
		if castType == nil || !castType.isA(baseTypeName) || len(tail) == 1 {
			return RouteUnknown, tail[0], nil
		}
		rp.cast, rp.castRaw = castType.name, tail[0]
		tail = tail[1:]
	}
	name, key, hasKey := splitKeySegment(tail[0])
	canonical, ok := relatedNavNames[strings.ToLower(name)]
	if !ok {
		return RouteUnknown, name, nil
	}
	if castType != nil {
		if _, ok := castType.relatedNav(canonical); !ok {
			return RouteUnknown, name, nil
		}
	}
	rp.nav, rp.navRaw = canonical, name
	rest := tail[1:]
	switch {
	case len(rest) == 0 && hasKey:
		rp.item = key
		return RouteRelatedItem, id, rp
	case len(rest) == 0:
		return RouteRelated, id, rp
	case !hasKey && len(rest) == 1 && !strings.HasPrefix(rest[0], "$"):
		rp.item = rest[0]
		return RouteRelatedItem, id, rp
	case hasKey || strings.HasPrefix(rest[0], "$"):
		return RouteUnknown, rest[0], nil
	default:
		return RouteUnknown, rest[1], nil
	}
}

// typeFold finds a type of the model by qualified name, case-insensitively.
func typeFold(name string) *structuredType {
	if t, ok := edm.types[name]; ok {
		return t
	}
	for n, t := range edm.types {
		if strings.EqualFold(n, name) {
			return t
		}
	}
	return nil
}

// splitKeySegment splits "managedDevices('id')" into the name and the key
// (quotes removed, ” unescaped).
func splitKeySegment(seg string) (name, key string, ok bool) {
	i := strings.IndexByte(seg, '(')
	if i < 0 || !strings.HasSuffix(seg, ")") {
		return seg, "", false
	}
	key = seg[i+1 : len(seg)-1]
	if len(key) >= 2 && key[0] == '\'' && key[len(key)-1] == '\'' {
		key = strings.ReplaceAll(key[1:len(key)-1], "''", "'")
	}
	return seg[:i], key, true
}

// segmentNotFound is Graph's routing 404 for a URL segment it cannot resolve.
func (s *Server) segmentNotFound(gx *graphExchange, seg string) {
	s.writeGraphError(gx.exchange, &odataErr{status: http.StatusNotFound, code: "BadRequest",
		msg: fmt.Sprintf("Resource not found for the segment '%s'.", seg)})
}

// ---------------------------------------------------------------------------
// Handlers

// relatedTarget resolves a related route against the stored task: the task
// must exist (else Intune's 404, as for an item GET of that id), be of the
// cast's type when there is one, and be of a type with the relationship (else
// the routing 404 naming the segment). It returns the task's id, the
// relationship and the collection, or false once it has answered.
func (s *Server) relatedTarget(gx *graphExchange) (taskID string, n navDef, c *relColl, ok bool) {
	rp := gx.rel
	s.mu.Lock()
	t := s.lookup(gx.id)
	if t == nil {
		s.mu.Unlock()
		s.writeNotFound(gx)
		return "", navDef{}, nil, false
	}
	typ := t.typ
	if rp.cast != "" && (typ == nil || !typ.isA(rp.cast)) {
		s.mu.Unlock()
		s.segmentNotFound(gx, rp.castRaw)
		return "", navDef{}, nil, false
	}
	n, err := relatedNavOf(typ, storedTypeName(t), rp.nav)
	if err != nil {
		s.mu.Unlock()
		s.segmentNotFound(gx, rp.navRaw)
		return "", navDef{}, nil, false
	}
	taskID, c = t.props["id"].(string), t.related[n.name]
	s.mu.Unlock()
	return taskID, n, c, true
}

// relatedPathOf is the canonical path of a related collection, from /beta on,
// and its @odata.context fragment.
func relatedPathOf(taskID, cast string, n navDef) (path, context string) {
	path = "/beta/deviceAppManagement/deviceAppManagementTasks/" + url.PathEscape(taskID)
	context = "deviceAppManagement/deviceAppManagementTasks('" + url.PathEscape(strings.ReplaceAll(taskID, "'", "''")) + "')"
	if cast != "" {
		path += "/" + cast
		context += "/" + cast
	}
	return path + "/" + n.name, context + "/" + n.name
}

func (s *Server) listRelated(gx *graphExchange) {
	taskID, n, c, ok := s.relatedTarget(gx)
	if !ok {
		return
	}
	q, qerr := parseQuery(gx.r, RouteRelated, n)
	if qerr != nil {
		s.writeGraphError(gx.exchange, qerr)
		return
	}
	f := s.faultSnapshot()
	pageSize := s.opts.PageSize
	if q.top >= 0 && q.top < pageSize {
		pageSize = q.top
	}
	s.mu.Lock()
	items, more, total := c.page(q.afterSeq, pageSize)
	s.mu.Unlock()
	path, ctx := relatedPathOf(taskID, gx.rel.cast, n)
	p := listPage{
		context:  "https://" + gx.r.Host + "/beta/$metadata#" + ctx + selectSuffix(q),
		linkPath: path,
		items:    make([]map[string]any, len(items)),
		more:     more,
		total:    total,
	}
	for i, it := range items {
		p.items[i] = it.props
		p.lastSeq = it.seq
	}
	p.selected = func(map[string]any) []string { return selectedProps(q.selected) }
	s.writeListPage(gx, f, q, pageSize, p)
}

func (s *Server) getRelated(gx *graphExchange) {
	taskID, n, c, ok := s.relatedTarget(gx)
	if !ok {
		return
	}
	q, qerr := parseQuery(gx.r, RouteRelatedItem, n)
	if qerr != nil {
		s.writeGraphError(gx.exchange, qerr)
		return
	}
	s.mu.Lock()
	it := c.find(gx.rel.item)
	s.mu.Unlock()
	if it == nil {
		s.writeNotFound(gx)
		return
	}
	_, ctx := relatedPathOf(taskID, gx.rel.cast, n)
	ent := marshalEntity(it.props, selectedProps(q.selected))
	s.writeEntityBody(gx, http.StatusOK, "https://"+gx.r.Host+"/beta/$metadata#"+ctx+selectSuffix(q)+"/$entity", ent)
}

// selectedProps lists the properties a $select of an item type keeps (nil =
// all).
func selectedProps(sel []selItem) []string {
	if sel == nil {
		return nil
	}
	out := make([]string, len(sel))
	for i, it := range sel {
		out[i] = it.prop
	}
	return out
}
