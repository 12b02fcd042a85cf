package graphsim

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

const graphContentType = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8"

// maxBody bounds request bodies; Graph rejects very large payloads too.
const maxBody = 4 << 20

// graphExchange adds what the Graph handlers need to an exchange.
type graphExchange struct {
	*exchange
	bodyErr *odataErr // from reading/decompressing the body
	reqID   string
	clientR string
	rel     *relatedPath // RouteRelated and RouteRelatedItem
}

func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request) {
	gx := &graphExchange{exchange: &exchange{w: &statusWriter{ResponseWriter: w}, r: r, start: time.Now()}}
	gx.route, gx.id, gx.rel = classifyGraphPath(r.URL.EscapedPath())
	gx.body, gx.bodyErr = readBody(r)
	defer s.record(gx.exchange)

	// Every Graph answer, success or error, carries these.
	gx.reqID = newGUID()
	gx.clientR = r.Header.Get("client-request-id")
	if gx.clientR == "" {
		gx.clientR = newGUID()
	}
	h := gx.w.Header()
	h.Set("request-id", gx.reqID)
	h.Set("client-request-id", gx.clientR)
	h.Set("x-ms-ags-diagnostic", `{"ServerInfo":{"DataCenter":"West Europe","Slice":"E","Ring":"5","ScaleUnit":"002","RoleInstance":"AM2PEPF0000GRAPHSIM","ADSiteName":"AMS"}}`)
	h.Set("Strict-Transport-Security", "max-age=31536000")
	h.Set("Cache-Control", "no-cache")
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))

	rule := s.firingRule(gx.exchange)
	if rule != nil && !rule.AfterCommit && s.actBefore(gx.exchange, rule) {
		return
	}
	if f := s.faultSnapshot(); f.Latency > 0 {
		s.countFault(gx.exchange, FaultLatency)
		sleepOrAbort(r, f.Latency)
	}
	if !s.checkAuth(gx) {
		return
	}
	if gx.route != RouteUnknown && s.checkThrottle(gx.exchange) {
		return
	}
	if rule != nil && rule.AfterCommit {
		s.commitThenFail(gx.exchange, rule, func() { s.handleGraph(gx) })
		return
	}
	s.handleGraph(gx)
}

// classifyGraphPath maps an escaped /beta path to a route and task id, and for
// the related routes what follows the id (related.go). Segment names are
// case-insensitive, as in Graph. For RouteUnknown the id is the first segment
// Graph would not find, for the error message.
func classifyGraphPath(escaped string) (route, id string, rel *relatedPath) {
	raw := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	if len(raw) > 1 && raw[len(raw)-1] == "" {
		raw = raw[:len(raw)-1] // ".../deviceAppManagementTasks/" is the collection: an empty id addresses it (graph-behaviour.md §10.4)
	}
	segs := make([]string, len(raw))
	for i, s := range raw {
		u, err := url.PathUnescape(s)
		if err != nil {
			u = s
		}
		segs[i] = u
	}
	// segs[0] is "beta".
	if len(segs) < 2 {
		return RouteUnknown, "", nil
	}
	if !strings.EqualFold(segs[1], "deviceAppManagement") {
		return RouteUnknown, segs[1], nil
	}
	if len(segs) < 3 {
		return RouteUnknown, segs[1], nil // the singleton itself is not emulated
	}
	coll := segs[2]
	rest := segs[3:]
	// OData key-in-parentheses form: deviceAppManagementTasks('id').
	if lower := strings.ToLower(coll); strings.HasPrefix(lower, "deviceappmanagementtasks(") && strings.HasSuffix(coll, ")") {
		key := coll[len("deviceAppManagementTasks(") : len(coll)-1]
		key = strings.TrimSuffix(strings.TrimPrefix(key, "'"), "'")
		coll = "deviceAppManagementTasks"
		rest = append([]string{key}, rest...)
	}
	if !strings.EqualFold(coll, "deviceAppManagementTasks") {
		return RouteUnknown, coll, nil
	}
	switch len(rest) {
	case 0:
		return RouteTasks, "", nil
	case 1:
		if rest[0] == "$count" {
			return RouteCount, "", nil
		}
		return RouteTask, rest[0], nil
	}
	if strings.EqualFold(rest[1], "updateStatus") || strings.EqualFold(rest[1], "microsoft.graph.updateStatus") {
		if len(rest) == 2 {
			return RouteUpdateStatus, rest[0], nil
		}
		return RouteUnknown, rest[2], nil
	}
	return classifyRelated(rest[0], rest[1:])
}

// readBody reads and, for Content-Encoding gzip, decompresses the body.
// Chunked transfer encoding is handled by net/http.
func readBody(r *http.Request) ([]byte, *odataErr) {
	if r.Body == nil {
		return nil, nil
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, badRequest("The request body could not be read.")
	}
	if len(raw) > maxBody {
		return nil, &odataErr{status: http.StatusRequestEntityTooLarge, code: "RequestEntityTooLarge", msg: "The request body is too large."}
	}
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		return raw, nil
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return raw, badRequest("Unable to decompress the request body: gzip: %v.", strings.TrimPrefix(err.Error(), "gzip: "))
		}
		out, err := io.ReadAll(io.LimitReader(zr, maxBody+1))
		if err != nil {
			return raw, badRequest("Unable to decompress the request body: %v.", err)
		}
		return out, nil
	default:
		return raw, &odataErr{status: http.StatusUnsupportedMediaType, code: "UnsupportedMediaType",
			msg: fmt.Sprintf("Content-Encoding '%s' is not supported.", enc)}
	}
}

// checkAuth requires a bearer token this emulator issued and that has not
// expired. It answers 401 and returns false otherwise.
func (s *Server) checkAuth(gx *graphExchange) bool {
	authz := gx.r.Header.Get("Authorization")
	scheme, tok, _ := strings.Cut(authz, " ")
	tok = strings.TrimSpace(tok)
	msg := ""
	switch {
	case authz == "" || (strings.EqualFold(scheme, "Bearer") && tok == ""):
		msg = "Access token is empty."
	case !strings.EqualFold(scheme, "Bearer"):
		msg = "Access token validation failure. Invalid authorization scheme."
	default:
		known, expired := s.tokenState(tok)
		switch {
		case !known && strings.Count(tok, ".") != 2:
			msg = "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'."
		case !known, !s.audienceFits(gx.r, tokenAudience(tok)):
			msg = "Access token validation failure. Invalid audience."
		case expired:
			msg = "Lifetime validation failed, the token is expired."
		default:
			return true
		}
	}
	gx.w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="", authorization_uri="https://%s/%s/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`, gx.r.Host, s.opts.TenantID))
	s.writeGraphError(gx.exchange, &odataErr{status: http.StatusUnauthorized, code: "InvalidAuthenticationToken", msg: msg})
	return false
}

func (s *Server) handleGraph(gx *graphExchange) {
	m := gx.r.Method
	allow := ""
	switch gx.route {
	case RouteTasks:
		switch m {
		case http.MethodGet:
			s.listTasks(gx)
			return
		case http.MethodPost:
			s.createTask(gx)
			return
		}
		allow = "GET, POST"
	case RouteCount:
		if m == http.MethodGet {
			s.countTasks(gx)
			return
		}
		allow = "GET"
	case RouteTask:
		switch m {
		case http.MethodGet:
			s.getTask(gx)
			return
		case http.MethodPatch:
			s.patchTask(gx)
			return
		case http.MethodDelete:
			s.deleteTask(gx)
			return
		}
		allow = "GET, PATCH, DELETE"
	case RouteUpdateStatus:
		if m == http.MethodPost {
			s.updateStatus(gx)
			return
		}
		allow = "POST"
	case RouteRelated, RouteRelatedItem:
		// Read-only: Defender fills these collections (related.go).
		if m == http.MethodGet {
			if gx.route == RouteRelated {
				s.listRelated(gx)
			} else {
				s.getRelated(gx)
			}
			return
		}
		allow = "GET"
	default:
		s.writeGraphError(gx.exchange, &odataErr{status: http.StatusNotFound, code: "BadRequest",
			msg: fmt.Sprintf("Resource not found for the segment '%s'.", gx.id)})
		return
	}
	gx.w.Header().Set("Allow", allow)
	s.writeGraphError(gx.exchange, &odataErr{status: http.StatusMethodNotAllowed, code: "BadRequest",
		msg: fmt.Sprintf("The requested resource does not support http method '%s'.", m)})
}

// ---------------------------------------------------------------------------
// Query options

// systemOptions are the OData system query options Graph knows. On /beta the
// '$' prefix is optional, so "top" means "$top".
var systemOptions = map[string]bool{
	"$select": true, "$expand": true, "$filter": true, "$orderby": true, "$top": true, "$skip": true,
	"$skiptoken": true, "$count": true, "$search": true, "$format": true, "$apply": true, "$compute": true,
	"$deltatoken": true, "$levels": true, "$index": true, "$schemaversion": true,
}

type queryOpts struct {
	top       int // -1 when absent
	afterSeq  int64
	selected  []selItem // nil when absent
	count     bool
	rawSel    string
	filter    *filterExpr // nil when absent (filter.go)
	rawFilter string
}

// parseQuery validates system query options for a route. Unknown non-$
// parameters are ignored like Graph does; unknown $ options are rejected. For
// the related routes, rel is the relationship: $select names properties of
// its item type.
func parseQuery(r *http.Request, route string, rel ...navDef) (*queryOpts, *odataErr) {
	var items *structuredType
	collName := "deviceAppManagementTasks"
	if len(rel) > 0 {
		items, collName = rel[0].target, rel[0].name
	}
	q := &queryOpts{top: -1}
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, badRequest("The query specified in the URI is not valid. %s", err)
	}
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	sort.Strings(names)
	seen := map[string]bool{}
	for _, k := range names {
		name := strings.ToLower(k)
		if !strings.HasPrefix(name, "$") {
			if !systemOptions["$"+name] {
				continue // custom query options are ignored
			}
			name = "$" + name
		}
		v := vals[k]
		if !systemOptions[name] {
			return nil, badRequest("The query parameter '%s' is not supported.", k)
		}
		if len(v) > 1 || seen[name] {
			return nil, badRequest("Query option '%s' was specified more than once, but it must be specified at most once.", name)
		}
		seen[name] = true
		val := v[0]
		switch {
		case name == "$select":
			var sel []selItem
			var err *odataErr
			if items != nil {
				sel, err = parseItemSelect(val, items)
			} else {
				sel, err = parseSelect(val)
			}
			if err != nil {
				return nil, err
			}
			q.selected, q.rawSel = sel, val
		case name == "$filter" && (route == RouteTasks || route == RouteCount):
			// Graph documents no $filter support for this collection; the
			// emulator evaluates a subset of OData's (filter.go,
			// graph-behaviour.md §9).
			fe, err := parseFilter(val)
			if err != nil {
				return nil, err
			}
			q.filter, q.rawFilter = fe, val
		case name == "$filter":
			// Filtering a single entity, or a relationship: refused.
			return nil, badRequest("Invalid filter clause: filtering is not supported on '%s'. Filter: '%s'.", collName, val)
		case route == RouteTask || route == RouteCount || route == RouteRelatedItem:
			return nil, badRequest("Query option '%s' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.", optionTitle(name))
		case name == "$top":
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				return nil, badRequest("Invalid value '%s' for $top query option found. The $top query option requires a non-negative integer value.", val)
			}
			q.top = n
		case name == "$skiptoken":
			seq, ok := decodeSkipToken(val)
			if !ok {
				return nil, badRequest("The skip token '%s' is invalid or has expired.", val)
			}
			q.afterSeq = seq
		case name == "$count":
			switch val {
			case "true":
				q.count = true
			case "false":
			default:
				return nil, badRequest("'%s' is not a valid count option.", val)
			}
		default:
			return nil, badRequest("The query specified in the URI is not valid. Query option '%s' is not supported by this resource.", optionTitle(name))
		}
	}
	return q, nil
}

func optionTitle(name string) string {
	n := strings.TrimPrefix(name, "$")
	if n == "" {
		return n
	}
	return strings.ToUpper(n[:1]) + n[1:]
}

// selItem is one $select entry; typeName is set for a cast-qualified
// property, which applies only to items of that type.
type selItem struct{ typeName, prop, raw string }

// parseSelect accepts "*", properties of the collection's base type, and
// properties of a task type qualified with that type
// ("microsoft.graph.securityConfigurationTask/insights"), which is what OData
// requires on a collection typed as the base type. A navigation property may
// be selected; it is never served inline, so it adds nothing to the entity.
func parseSelect(v string) ([]selItem, *odataErr) {
	var out []selItem
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "*" {
			return nil, nil
		}
		typ, tn, prop := baseType, "", item
		if cast, p, ok := strings.Cut(item, "/"); ok {
			t, known := taskTypes[cast]
			if cast == baseTypeName {
				t, known = baseType, true
			}
			if !known {
				return nil, badRequest("The query specified in the URI is not valid. Could not find a type named '%s'.", cast)
			}
			typ, tn, prop = t, cast, p
		}
		_, isProp := typ.prop(prop)
		_, isNav := typ.nav(prop)
		if !isProp && !isNav {
			return nil, badRequest("Could not find a property named '%s' on type '%s'.", prop, typ.name)
		}
		out = append(out, selItem{tn, prop, item})
	}
	return out, nil
}

// parseItemSelect accepts "*" and properties of a relationship's item type.
func parseItemSelect(v string, typ *structuredType) ([]selItem, *odataErr) {
	var out []selItem
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "*" {
			return nil, nil
		}
		if _, ok := typ.prop(item); !ok {
			return nil, badRequest("Could not find a property named '%s' on type '%s'.", item, typ.name)
		}
		out = append(out, selItem{prop: item, raw: item})
	}
	return out, nil
}

// selectedFor lists the properties $select keeps for one entity (nil = all).
func selectedFor(sel []selItem, props map[string]any) []string {
	if sel == nil {
		return nil
	}
	tn, _ := props["@odata.type"].(string)
	t := edm.types[strings.TrimPrefix(tn, "#")]
	out := []string{}
	for _, it := range sel {
		if it.typeName == "" || (t != nil && t.isA(it.typeName)) {
			out = append(out, it.prop)
		}
	}
	return out
}

func encodeSkipToken(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("graphsim-page:" + strconv.FormatInt(seq, 10)))
}

func decodeSkipToken(tok string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	n, ok := strings.CutPrefix(string(b), "graphsim-page:")
	if !ok {
		return 0, false
	}
	seq, err := strconv.ParseInt(n, 10, 64)
	return seq, err == nil && seq >= 0
}

// ---------------------------------------------------------------------------
// Handlers

// collectionURL is the collection's absolute URL on host.
func collectionURL(host string) string {
	return "https://" + host + "/beta/deviceAppManagement/deviceAppManagementTasks"
}

func (s *Server) contextURL(gx *graphExchange, q *queryOpts, entity bool) string {
	c := "https://" + gx.r.Host + "/beta/$metadata#deviceAppManagement/deviceAppManagementTasks" + selectSuffix(q)
	if entity {
		c += "/$entity"
	}
	return c
}

// selectSuffix is the "(a,b)" a $select adds to an @odata.context.
func selectSuffix(q *queryOpts) string {
	if q == nil || q.selected == nil {
		return ""
	}
	raws := make([]string, len(q.selected))
	for i, it := range q.selected {
		raws[i] = it.raw
	}
	return "(" + strings.Join(raws, ",") + ")"
}

func (s *Server) listTasks(gx *graphExchange) {
	q, qerr := parseQuery(gx.r, RouteTasks)
	if qerr != nil {
		s.writeGraphError(gx.exchange, qerr)
		return
	}
	f := s.faultSnapshot()
	pageSize := s.opts.PageSize
	if q.top >= 0 && q.top < pageSize {
		pageSize = q.top
	}
	tasks, total, more := s.listed(gx.exchange, f, q.afterSeq, pageSize, q.filter)
	p := listPage{
		context:  s.contextURL(gx, q, false),
		linkPath: "/beta/deviceAppManagement/deviceAppManagementTasks",
		items:    make([]map[string]any, len(tasks)),
		selected: func(props map[string]any) []string { return selectedFor(q.selected, props) },
		more:     more,
		total:    total,
		decorate: true,
	}
	for i, t := range tasks {
		p.items[i] = t.props
		p.lastSeq = t.seq
	}
	s.writeListPage(gx, f, q, pageSize, p)
}

// listPage is one page of a collection, to be written by writeListPage.
type listPage struct {
	context  string           // @odata.context
	linkPath string           // the collection's path from /beta on, for @odata.nextLink
	items    []map[string]any // stored form, in order
	selected func(map[string]any) []string
	lastSeq  int64 // the cursor of the last item
	more     bool  // items follow the page
	total    int   // for $count
	decorate bool  // Faults.ExtraProperties applies (tasks)
}

// writeListPage writes a page the way Graph does, under the list faults: the
// @odata.nextLink carries $top, $select and $filter and an opaque $skiptoken.
func (s *Server) writeListPage(gx *graphExchange, f Faults, q *queryOpts, pageSize int, p listPage) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, `{"@odata.context":%s`, jsonBytes(p.context))
	if q.count {
		fmt.Fprintf(&buf, `,"@odata.count":%d`, p.total)
	}
	if p.more && pageSize > 0 {
		next := url.Values{}
		if q.top >= 0 {
			next.Set("$top", strconv.Itoa(q.top))
		}
		if q.selected != nil {
			next.Set("$select", q.rawSel)
		}
		if q.filter != nil {
			next.Set("$filter", q.rawFilter)
		}
		next.Set("$skiptoken", encodeSkipToken(p.lastSeq))
		if f.NextLinkToSamePage && q.afterSeq > 0 {
			// The link names the page just served instead of the one after it.
			s.countFault(gx.exchange, FaultNextLinkRepeat)
			next.Set("$skiptoken", encodeSkipToken(q.afterSeq))
		}
		host := gx.r.Host
		if f.NextLinkHost != "" {
			s.countFault(gx.exchange, FaultNextLinkHost)
			host = f.NextLinkHost
		}
		link := "https://" + host + p.linkPath + "?" + encodeQuery(next)
		if f.NextLinkWithoutQuery {
			s.countFault(gx.exchange, FaultNextLinkRepeat)
			link = "https://" + host + p.linkPath
		}
		fmt.Fprintf(&buf, `,"@odata.nextLink":%s`, jsonBytes(link))
	}
	if f.ListItemsWithoutID && len(p.items) > 0 {
		s.countFault(gx.exchange, FaultListItemsWithoutID)
	}
	buf.WriteString(`,"value":[`)
	for i, props := range p.items {
		if i > 0 {
			buf.WriteByte(',')
		}
		served := props
		if p.decorate {
			served = s.decorate(gx.exchange, props, f.ExtraProperties)
		}
		if f.ListItemsWithoutID {
			served = cloneProps(served)
			delete(served, "id")
		}
		buf.Write(marshalEntity(served, p.selected(props)))
	}
	buf.WriteString("]}")
	writeRaw(gx.w, http.StatusOK, graphContentType, buf.Bytes())
}

// encodeQuery is url.Values.Encode without escaping '$', like Graph's links.
func encodeQuery(v url.Values) string {
	return strings.ReplaceAll(v.Encode(), "%24", "$")
}

func (s *Server) countTasks(gx *graphExchange) {
	q, qerr := parseQuery(gx.r, RouteCount)
	if qerr != nil {
		s.writeGraphError(gx.exchange, qerr)
		return
	}
	_, n, _ := s.listed(gx.exchange, s.faultSnapshot(), 0, 0, q.filter)
	writeRaw(gx.w, http.StatusOK, "text/plain; charset=utf-8", []byte(strconv.Itoa(n)))
}

// listed is what a list or $count shows under the faults f, counting the
// faults that shaped it; filter (nil = none) selects the tasks shown.
func (s *Server) listed(ex *exchange, f Faults, afterSeq int64, limit int, filter *filterExpr) (page []*task, total int, more bool) {
	page, total, more, hidden, ghosts := s.listedTasks(f.ListLag, afterSeq, limit, filter)
	if hidden > 0 {
		s.countFault(ex, FaultListLag)
	}
	if ghosts > 0 {
		s.countFault(ex, FaultVisibleAfterDelete)
	}
	return page, total, more
}

func (s *Server) getTask(gx *graphExchange) {
	q, qerr := parseQuery(gx.r, RouteTask)
	if qerr != nil {
		s.writeGraphError(gx.exchange, qerr)
		return
	}
	// What a lagging replica answers comes first (graph-behaviour.md §8): a
	// new task not yet there, the old version of a task just written, a task
	// just deleted still there.
	var props map[string]any
	fault := ""
	bare := false
	f := s.faultSnapshot()
	s.mu.Lock()
	if t := s.lookup(gx.id); t != nil {
		switch {
		case t.hiddenReads > 0:
			t.hiddenReads--
			fault = FaultNotFoundAfterCreate
		case t.staleReads > 0:
			t.staleReads--
			props, fault = cloneProps(t.staleProps), FaultStaleRead
			if t.staleReads == 0 {
				t.staleProps = nil
			}
		default:
			props = cloneProps(t.props)
		}
	} else if g := lookupIn(s.ghosts, gx.id); g != nil {
		g.ghostReads--
		props, fault = cloneProps(g.props), FaultVisibleAfterDelete
		if g.ghostReads <= 0 {
			delete(s.ghosts, g.props["id"].(string))
		}
	} else if f.BareNotFoundAfterDelete && s.bareGone[strings.ToLower(gx.id)] {
		bare, fault = true, FaultBareNotFoundAfterDelete
	}
	s.mu.Unlock()
	if fault != "" {
		s.countFault(gx.exchange, fault)
	}
	if bare {
		gx.w.Header().Set("Content-Length", "0")
		gx.w.WriteHeader(http.StatusNotFound)
		return
	}
	if props == nil {
		s.writeNotFound(gx)
		return
	}
	s.writeEntity(gx, http.StatusOK, props, q)
}

func (s *Server) createTask(gx *graphExchange) {
	if !s.checkJSONBody(gx) {
		return
	}
	typ, changes, verr := decodeEntity(gx.body, true)
	if verr != nil {
		s.writeGraphError(gx.exchange, verr)
		return
	}
	now := time.Now()
	id := newGUID()
	t := &task{typ: typ, props: newEntity(typ, id, now), stored: now}
	for k, v := range changes {
		t.props[k] = v
	}
	t.hiddenReads = s.faultSnapshot().NotFoundReadsAfterCreate
	s.mu.Lock()
	s.seq++
	t.seq = s.seq
	s.tasks[id] = t
	props := cloneProps(t.props)
	s.mu.Unlock()
	gx.w.Header().Set("Location", collectionURL(gx.r.Host)+"/"+id)
	s.writeEntity(gx, http.StatusCreated, props, nil)
}

func (s *Server) patchTask(gx *graphExchange) {
	if !s.checkJSONBody(gx) {
		return
	}
	typ, changes, verr := decodeEntity(gx.body, false)
	if verr != nil {
		s.writeGraphError(gx.exchange, verr)
		return
	}
	f := s.faultSnapshot()
	s.mu.Lock()
	t := s.lookup(gx.id)
	if t == nil {
		s.mu.Unlock()
		s.writeNotFound(gx)
		return
	}
	// A payload typed as another task type than the stored one is refused, whatever the stored
	// type: one seeded with a type this CSDL excerpt lacks (a newer service's) matches none of the
	// derived types a client can name. The base type (or no type) addresses base properties only.
	if stored := storedTypeName(t); typ != baseType && typ.name != stored {
		s.mu.Unlock()
		s.writeGraphError(gx.exchange, intuneBadRequest("The @odata.type '%s' does not match the type of the existing object '%s'.", typ.name, stored))
		return
	}
	edited := editBeforeWrite(t, f)
	s.rememberForStaleReads(t, f)
	for k, v := range changes {
		t.props[k] = v
	}
	props := cloneProps(t.props)
	s.mu.Unlock()
	if edited {
		s.countFault(gx.exchange, FaultEditBeforeWrite)
	}
	if f.PatchNoContent {
		s.countFault(gx.exchange, FaultPatchNoContent)
		gx.w.WriteHeader(http.StatusNoContent)
		return
	}
	s.writeEntity(gx, http.StatusOK, props, nil)
}

func (s *Server) deleteTask(gx *graphExchange) {
	f := s.faultSnapshot()
	s.mu.Lock()
	t := s.lookup(gx.id)
	if t != nil {
		key := t.props["id"].(string)
		delete(s.tasks, key)
		t.related = nil // a deleted task's relationships go with it
		if f.VisibleAfterDelete > 0 {
			t.ghostReads = f.VisibleAfterDelete
			s.ghosts[key] = t
		}
		if f.BareNotFoundAfterDelete {
			s.bareGone[strings.ToLower(key)] = true
		}
	}
	s.mu.Unlock()
	if t == nil {
		s.writeNotFound(gx)
		return
	}
	gx.w.WriteHeader(http.StatusNoContent)
}

// editBeforeWrite applies Faults.EditBeforeWrite to t, as a person's change
// that lands just before a client's write. Callers hold s.mu.
func editBeforeWrite(t *task, f Faults) bool {
	if len(f.EditBeforeWrite) == 0 {
		return false
	}
	for k, v := range cloneProps(f.EditBeforeWrite) {
		t.props[k] = v
	}
	return true
}

// rememberForStaleReads keeps the entity as it is before a write, for the
// item GETs that Faults.StaleReadsAfterWrite makes answer it. Callers hold
// s.mu and call it only for a write that will succeed.
func (s *Server) rememberForStaleReads(t *task, f Faults) {
	if f.StaleReadsAfterWrite > 0 {
		t.staleProps = cloneProps(t.props)
		t.staleReads = f.StaleReadsAfterWrite
	}
}

// updateStatus implements the bound action (graph-behaviour.md §13). Its body
// is the action's parameter payload, validated against the CSDL's parameters.
func (s *Server) updateStatus(gx *graphExchange) {
	if !s.checkJSONBody(gx) {
		return
	}
	params, perr := decodeActionParams(updateStatusAction, gx.body)
	if perr != nil {
		s.writeGraphError(gx.exchange, perr)
		return
	}
	var note *string
	if str, ok := params["note"].(string); ok {
		note = &str
	}
	f := s.faultSnapshot()
	s.mu.Lock()
	t := s.lookup(gx.id)
	edited := false
	if t != nil {
		edited = editBeforeWrite(t, f)
		s.rememberForStaleReads(t, f)
		t.props["status"] = params["status"]
		t.note = note
	}
	s.mu.Unlock()
	if t == nil {
		s.writeNotFound(gx)
		return
	}
	if edited {
		s.countFault(gx.exchange, FaultEditBeforeWrite)
	}
	gx.w.WriteHeader(http.StatusNoContent)
}

// checkJSONBody reports body read errors and requires a JSON Content-Type.
func (s *Server) checkJSONBody(gx *graphExchange) bool {
	if gx.bodyErr != nil {
		s.writeGraphError(gx.exchange, gx.bodyErr)
		return false
	}
	ct := gx.r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		s.writeGraphError(gx.exchange, &odataErr{status: http.StatusUnsupportedMediaType, code: "UnsupportedMediaType",
			msg: fmt.Sprintf("The content type '%s' is not supported. Use 'application/json'.", ct)})
		return false
	}
	return true
}

// decorate adds the ExtraProperties fault's unknown properties.
func (s *Server) decorate(ex *exchange, props map[string]any, extra bool) map[string]any {
	if !extra {
		return props
	}
	s.countFault(ex, FaultExtraProperties)
	out := cloneProps(props)
	out["riskScore"] = 3
	out["roleScopeTagIds"] = []any{}
	out["supportsScopeTags"] = true
	out["remediationDetails"] = map[string]any{
		"@odata.type": "microsoft.graph.remediationDetails",
		"source":      "graphsim",
		"steps":       []any{map[string]any{"order": 1, "text": "Apply the baseline"}},
	}
	return out
}

func (s *Server) writeEntity(gx *graphExchange, status int, props map[string]any, q *queryOpts) {
	var selected []string
	if q != nil {
		selected = selectedFor(q.selected, props)
	}
	ent := marshalEntity(s.decorate(gx.exchange, props, s.faultSnapshot().ExtraProperties), selected)
	s.writeEntityBody(gx, status, s.contextURL(gx, q, true), ent)
}

// writeEntityBody writes a marshalled entity with its @odata.context first.
func (s *Server) writeEntityBody(gx *graphExchange, status int, context string, ent []byte) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, `{"@odata.context":%s`, jsonBytes(context))
	if len(ent) > 2 {
		buf.WriteByte(',')
	}
	buf.Write(ent[1:])
	writeRaw(gx.w, status, graphContentType, buf.Bytes())
}

func (s *Server) writeNotFound(gx *graphExchange) {
	s.writeGraphError(gx.exchange, &odataErr{status: http.StatusNotFound, code: "ResourceNotFound",
		msg: "An error has occurred", intune: true})
}

// writeGraphError writes Graph's error envelope. Intune-originated errors get
// Intune's escaped-JSON diagnostic blob as the message.
func (s *Server) writeGraphError(ex *exchange, e *odataErr) {
	h := ex.w.Header()
	reqID, clientID := h.Get("request-id"), h.Get("client-request-id")
	msg := e.msg
	if e.intune {
		msg = intuneMessage(e.msg, reqID, ex.r.URL.Path)
	}
	type innerError struct {
		Date            string `json:"date"`
		RequestID       string `json:"request-id"`
		ClientRequestID string `json:"client-request-id"`
	}
	type mainError struct {
		Code       string     `json:"code"`
		Message    string     `json:"message"`
		InnerError innerError `json:"innerError"`
	}
	body := struct {
		Error mainError `json:"error"`
	}{mainError{e.code, msg, innerError{
		// Zone-less and without fractions, exactly like Graph
		// (graph-behaviour.md §6); the SDK's parser fails on a zone-less
		// value with a fraction (graph-behaviour.md §3).
		Date:            time.Now().UTC().Format("2006-01-02T15:04:05"),
		RequestID:       reqID,
		ClientRequestID: clientID,
	}}}
	writeRaw(ex.w, e.status, graphContentType, jsonBytes(body))
}

// intuneMessage renders Intune's diagnostic JSON, which Graph then embeds as
// a string in error.message.
func intuneMessage(text, activityID, path string) string {
	fefURL := "https://fef.msua06.manage.microsoft.com/DeviceAppManagementFE/StatelessDeviceAppManagementFEService" +
		strings.TrimPrefix(path, "/beta") + "?api-version=5024-11-15"
	inner := fmt.Sprintf("%s - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: %s - Url: %s",
		text, activityID, fefURL)
	return "{\r\n  \"_version\": 3,\r\n  \"Message\": " + string(jsonBytes(inner)) +
		",\r\n  \"CustomApiErrorPhrase\": \"\",\r\n  \"RetryAfter\": null,\r\n  \"ErrorSourceService\": \"\",\r\n  \"HttpHeaders\": \"{}\"\r\n}"
}

func writeRaw(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	// A write error means the client has gone; there is no one left to tell.
	_, _ = w.Write(body)
}

// jsonContentType is the Content-Type of Entra's and the control API's JSON
// answers.
const jsonContentType = "application/json; charset=utf-8"

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeRaw(w, status, jsonContentType, jsonBytes(v))
}

// cloneProps deep-copies a stored entity through JSON so callers can never
// alias the store.
func cloneProps(p map[string]any) map[string]any {
	b, err := json.Marshal(p)
	if err != nil {
		return map[string]any{}
	}
	var out map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		return map[string]any{}
	}
	return out
}
