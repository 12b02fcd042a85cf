package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	jsonser "github.com/microsoft/kiota-serialization-json-go"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph/graphhttp"
)

// Collection describes one Graph collection and the entity type a caller works with in it: the
// transport (Client.send) knows nothing of entities, and everything entity-specific that the
// create, read, update, delete, list and action calls need is here.
type Collection struct {
	// Path is the collection's path under the Graph root, e.g. "/deviceAppManagement/deviceAppManagementTasks".
	Path string
	// Type is the @odata.type of the derived type created in the collection ("#microsoft.graph.x"),
	// or "" for a view of every type.
	Type string
	// Factory parses one item: the SDK's discriminator factory of the collection's base type, so
	// that each item becomes the SDK model of its own type.
	Factory serialization.ParsableFactory
	// DateTimes are the JSON names of the date-time properties, at any depth: Graph may send one
	// without a zone, which the SDK would read in the machine's zone or fail on (graph-behaviour.md §3),
	// so it is repaired to UTC before parsing.
	DateTimes []string
	// Enums maps the JSON name of each top-level enum property to the SDK's parser. A value the
	// parser does not know (a member newer than the SDK, or another case) becomes nil in the SDK
	// model without a word (graph-behaviour.md §4), so it is kept in Item.Unparsed.
	Enums map[string]func(string) (any, error)
	// Permissions are what the collection's operations need, named in a 403's hint.
	Permissions *Permissions
}

// Permissions is what a collection's operations are documented to need.
type Permissions = graphhttp.Permissions

// Owns reports whether item is of the collection's type (always true for a view of every type).
func (coll *Collection) Owns(item *Item) bool {
	return coll.Type == "" || item.OdataType == coll.Type
}

// Item is one entity as Graph returned it.
type Item struct {
	// ID is the entity's id.
	ID string
	// OdataType is the @odata.type Graph sent.
	OdataType string
	// Model is the SDK's typed view of the entity, of the SDK type for OdataType.
	Model serialization.Parsable
	// Unparsed holds the enum properties whose value the SDK could not map, keyed by JSON name,
	// as Graph sent them.
	Unparsed map[string]string
}

// ErrEmptyID is returned instead of calling Graph with an empty id (graph-behaviour.md §10.4).
var ErrEmptyID = graphhttp.ErrEmptyID

// CreateAttempt is when a create's last POST left (local monotonic clock), for a lookup that must
// place the create on Graph's clock.
type CreateAttempt struct {
	SentAt time.Time
}

func (c *Client) request(method abs.HttpMethod, coll *Collection, suffix string, params map[string]string) *abs.RequestInformation {
	p := map[string]string{"baseurl": c.baseURL}
	for k, v := range params {
		p[k] = v
	}
	info := abs.NewRequestInformationWithMethodAndUrlTemplateAndPathParameters(method, "{+baseurl}"+coll.Path+suffix, p)
	info.Headers.TryAdd("Accept", "application/json")
	return info
}

// itemRequest addresses one entity. An empty id is refused: the URL would name the collection.
func (c *Client) itemRequest(method abs.HttpMethod, coll *Collection, id, action string) (*abs.RequestInformation, error) {
	if strings.TrimSpace(id) == "" {
		return nil, ErrEmptyID
	}
	return c.request(method, coll, "/{id}"+action, map[string]string{"id": id}), nil
}

// sendTo sends a request on coll, so that a 403 names the permissions coll needs.
func (c *Client) sendTo(ctx context.Context, coll *Collection, info *abs.RequestInformation) (*response, error) {
	resp, err := c.send(ctx, info)
	var ge *Error
	if errors.As(err, &ge) && ge.Permissions == nil {
		ge.Permissions = coll.Permissions
	}
	return resp, err
}

func (c *Client) withBody(ctx context.Context, info *abs.RequestInformation, body serialization.Parsable) error {
	if err := info.SetContentFromParsable(ctx, c.adapter, "application/json", body); err != nil {
		return fmt.Errorf("serialising the request: %w", err)
	}
	return nil
}

// Create POSTs body to the collection and returns the created entity from the answer, and claims
// its id. body must be freshly built (never a model returned by a GET: graph-behaviour.md §10.5).
//
// When the answer is a success that does not carry a usable entity, the id is taken from the raw
// JSON or the Location header and the item is returned with only ID set (Model nil): the caller
// reads it. When no id can be had at all, the error is one AmbiguousWrite reports as ambiguous, so
// the caller looks for the entity instead of losing it (graph-behaviour.md §5).
func (c *Client) Create(ctx context.Context, coll *Collection, body serialization.Parsable) (*Item, CreateAttempt, error) {
	attempts := &createAttempts{claims: c.claims}
	// The create stops counting as "on the wire" only once its id is claimed (or it failed).
	defer attempts.idle()
	ctx = withCreateAttempts(ctx, attempts)
	var at CreateAttempt
	info := c.request(abs.POST, coll, "", nil)
	if err := c.withBody(ctx, info, body); err != nil {
		return nil, at, err
	}
	resp, err := c.sendTo(ctx, coll, info)
	at = CreateAttempt{SentAt: attempts.sentAt()}
	if err != nil {
		return nil, at, err
	}
	item, perr := coll.Parse(resp.body)
	if perr == nil && item.ID != "" {
		c.claims.claimCreated(item.ID)
		return item, at, nil
	}
	if id := createdID(coll, resp); id != "" {
		c.claims.claimCreated(id)
		return &Item{ID: id}, at, nil
	}
	problem := errors.New("the create was answered without the created entity or its id")
	if perr != nil {
		problem = fmt.Errorf("the create's answer could not be read and names no id: %w", perr)
	}
	return nil, at, &Error{Method: http.MethodPost, Path: c.path(coll.Path), StatusCode: resp.status,
		RequestID: resp.header.Get("request-id"), ClientRequestID: resp.header.Get("client-request-id"),
		Permissions: coll.Permissions, Err: problem}
}

// createdID finds the new entity's id in an answer the SDK could not use: a top-level "id" in
// JSON that decodes, else the last segment of the Location header ("…/{collection}/{id}" or the
// OData key form "…/{collection}('{id}')").
func createdID(coll *Collection, resp *response) string {
	var raw struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(resp.body, &raw) == nil && strings.TrimSpace(raw.ID) != "" {
		return raw.ID
	}
	loc, err := url.Parse(resp.header.Get("Location"))
	if err != nil || loc.Path == "" {
		return ""
	}
	seg := loc.Path[strings.LastIndex(loc.Path, "/")+1:]
	if i := strings.Index(seg, "('"); i >= 0 && strings.HasSuffix(seg, "')") {
		seg = seg[i+2 : len(seg)-2]
	}
	name := coll.Path[strings.LastIndex(coll.Path, "/")+1:]
	if seg, err = url.PathUnescape(seg); err != nil || strings.EqualFold(seg, name) {
		return ""
	}
	return strings.TrimSpace(seg)
}

// Get reads one entity. A missing entity is an *Error for which IsNotFound is true.
func (c *Client) Get(ctx context.Context, coll *Collection, id string) (*Item, error) {
	body, err := c.GetJSON(ctx, coll, id)
	if err != nil {
		return nil, err
	}
	return coll.Parse(body)
}

// GetJSON reads one entity and returns Graph's JSON as it came, undecoded: for checks that must
// not depend on this package's parsing.
func (c *Client) GetJSON(ctx context.Context, coll *Collection, id string) ([]byte, error) {
	info, err := c.itemRequest(abs.GET, coll, id, "")
	if err != nil {
		return nil, err
	}
	resp, err := c.sendTo(ctx, coll, info)
	if err != nil {
		return nil, err
	}
	return resp.body, nil
}

// Update PATCHes body. It returns the updated entity when Graph answers 200 with a body, and nil
// when Graph answers 204 (the caller then reads the entity again; graph-behaviour.md §5).
func (c *Client) Update(ctx context.Context, coll *Collection, id string, body serialization.Parsable) (*Item, error) {
	info, err := c.itemRequest(abs.PATCH, coll, id, "")
	if err != nil {
		return nil, err
	}
	if err := c.withBody(ctx, info, body); err != nil {
		return nil, err
	}
	resp, err := c.sendTo(ctx, coll, info)
	if err != nil {
		return nil, err
	}
	if len(resp.body) == 0 {
		return nil, nil
	}
	return coll.Parse(resp.body)
}

// Delete deletes one entity. A 404 is returned as an error; callers treat it as success.
func (c *Client) Delete(ctx context.Context, coll *Collection, id string) error {
	info, err := c.itemRequest(abs.DELETE, coll, id, "")
	if err != nil {
		return err
	}
	_, err = c.sendTo(ctx, coll, info)
	return err
}

// Action calls a bound action (POST {collection}/{id}/{name}) with body; Graph's answer carries
// nothing.
func (c *Client) Action(ctx context.Context, coll *Collection, id, name string, body serialization.Parsable) error {
	info, err := c.itemRequest(abs.POST, coll, id, "/"+name)
	if err != nil {
		return err
	}
	if err := c.withBody(ctx, info, body); err != nil {
		return err
	}
	_, err = c.sendTo(ctx, coll, info)
	return err
}

// List returns every entity of the collection, of every type, following @odata.nextLink.
func (c *Client) List(ctx context.Context, coll *Collection) ([]*Item, error) {
	var items []*Item
	err := c.pages(ctx, coll, c.listRequest(coll, ""), func(page []*Item) bool {
		items = append(items, page...)
		return true
	})
	if err != nil {
		return nil, err
	}
	return items, nil
}

// Each reads the collection page by page and calls yield for each entity, of every type, in
// Graph's order, until yield returns false; no further page is read then. A caller that needs
// only some entities (a query with a limit) thus reads only the pages it needs and holds one page
// at a time.
func (c *Client) Each(ctx context.Context, coll *Collection, yield func(*Item) bool) error {
	return c.EachWhere(ctx, coll, "", yield)
}

// EachWhere is Each with an OData $filter expression, sent to Graph as given ("" for none): the
// caller's own, since Graph documents no $filter support for the task collection
// (graph-behaviour.md §9); Graph's 400 for one it refuses comes back as the error.
func (c *Client) EachWhere(ctx context.Context, coll *Collection, filter string, yield func(*Item) bool) error {
	return c.pages(ctx, coll, c.listRequest(coll, filter), eachOf(yield))
}

// eachOf hands a page's entities to yield one by one.
func eachOf(yield func(*Item) bool) func([]*Item) bool {
	return func(page []*Item) bool {
		for _, t := range page {
			if !yield(t) {
				return false
			}
		}
		return true
	}
}

// listRequest is the request for the first page of coll, with filter as $filter unless empty.
func (c *Client) listRequest(coll *Collection, filter string) *abs.RequestInformation {
	info := c.request(abs.GET, coll, "{?%24filter}", nil)
	if filter != "" {
		info.QueryParameters["%24filter"] = filter
	}
	return info
}

// Relationship is a collection contained in the entities of a collection (a navigation property
// such as a task's managedDevices): Nav names it, Owner is the @odata.type that declares it, and
// Items describes its items (Path is not used).
type Relationship struct {
	Nav   string
	Owner string
	Items *Collection
}

// EachRelated reads the relationship rel of entity id of coll page by page, calling yield for each
// item, like Each. The docs give no URL for these collections; OData's canonical one has a
// type-cast segment naming rel.Owner (.../{id}/microsoft.graph.x/{nav}), and services also answer
// the shorter .../{id}/{nav}. The short form is asked first; when Graph refuses it as a route (a 400
// or 404 before any page), the cast form is asked, and the client keeps using it once it has worked
// (graph-behaviour.md §14). Callers read the entity first, so a 404 here is about the URL.
func (c *Client) EachRelated(ctx context.Context, coll *Collection, id string, rel *Relationship, yield func(*Item) bool) error {
	if strings.TrimSpace(id) == "" {
		return ErrEmptyID
	}
	items := *rel.Items
	items.Permissions = coll.Permissions
	// For messages only: the requests are built from the templates below.
	items.Path = coll.Path + "/" + url.PathEscape(id) + "/" + rel.Nav
	cast := strings.TrimPrefix(rel.Owner, "#")
	request := func(withCast bool) *abs.RequestInformation {
		suffix := "/{id}/" + rel.Nav
		if withCast {
			suffix = "/{id}/" + cast + "/" + rel.Nav
		}
		return c.request(abs.GET, coll, suffix, map[string]string{"id": id})
	}
	if c.castRelated.Load() {
		return c.pages(ctx, &items, request(true), eachOf(yield))
	}
	started := false
	err := c.pages(ctx, &items, request(false), func(page []*Item) bool {
		started = true
		return eachOf(yield)(page)
	})
	if started || !routeRefused(err) {
		return err
	}
	tflog.Debug(ctx, "Graph refused the relationship's URL without a type cast; asking with one", map[string]any{"nav": rel.Nav, "cast": cast})
	started = false
	err = c.pages(ctx, &items, request(true), func(page []*Item) bool {
		started = true
		return eachOf(yield)(page)
	})
	if started {
		c.castRelated.Store(true)
	}
	return err
}

// routeRefused reports whether Graph refused a URL as a route: a 400 or 404 before any page was
// read, which is what an unknown segment draws (with Graph's "Resource not found for the segment"
// or a stand-in's bare 404).
func routeRefused(err error) bool {
	var ge *Error
	return errors.As(err, &ge) && (ge.StatusCode == http.StatusNotFound || ge.StatusCode == http.StatusBadRequest)
}

// maxListPages bounds how many pages one list follows. Graph pages this collection by 100 or more,
// so it is over a million tasks, far more than a tenant holds; a service that never stops writing
// new links (a paging bug) then fails the list instead of growing memory until the deadline.
const maxListPages = 10000

// pages reads a collection from the request for its first page, following @odata.nextLink, and
// hands each page of coll's items to onPage until it returns false (graph-behaviour.md §9). A link
// to a page already read (a proxy that drops the query string, a service that links a page to
// itself) fails the list, naming the link, instead of looping; so does a list that has not ended
// after maxListPages pages.
func (c *Client) pages(ctx context.Context, coll *Collection, info *abs.RequestInformation, onPage func([]*Item) bool) error {
	followed := map[string]bool{}
	if u, err := info.GetUri(); err == nil {
		followed[pageKey(u)] = true
	}
	for page := 1; ; page++ {
		env, err := c.readPage(ctx, coll, info, page)
		if err != nil {
			return err
		}
		items := make([]*Item, 0, len(env.Value))
		for _, raw := range env.Value {
			t, err := coll.Parse(raw)
			if err != nil {
				return err
			}
			items = append(items, t)
		}
		if !onPage(items) || env.NextLink == "" {
			return nil
		}
		if page >= c.maxPages {
			return &Error{Method: http.MethodGet, Path: c.path(coll.Path), StatusCode: env.status, RequestID: env.requestID,
				Err: fmt.Errorf("the list had not ended after %d pages: Graph kept answering with a new @odata.nextLink (the last: %s)", page, withoutUserinfo(env.NextLink))}
		}
		next, err := c.nextPage(ctx, coll, info, env.Context, env.NextLink)
		if err != nil {
			return err
		}
		u, _ := next.GetUri()
		if u == nil || followed[pageKey(u)] {
			return &Error{Method: http.MethodGet, Path: c.path(coll.Path), StatusCode: env.status, RequestID: env.requestID,
				Err: fmt.Errorf("the @odata.nextLink of page %d names a page already read (%s): following it would read the same pages forever. "+
					"A proxy that drops the query string of URLs, or a paging fault of the service, does this", page, withoutUserinfo(env.NextLink))}
		}
		followed[pageKey(u)] = true
		info = next
	}
}

// pageKey is what identifies the page a URL asks for, whatever its spelling: Graph's path segments
// and its ids (GUIDs) compare without case, the query's parameter names too, with or without their
// "$" and escaped or not, in any order; the values (a skiptoken is case-sensitive) as written.
func pageKey(u *url.URL) string {
	q, _ := url.ParseQuery(u.RawQuery)
	params := make([]string, 0, len(q))
	for k, vs := range q {
		name := strings.TrimPrefix(strings.ToLower(k), "$")
		for _, v := range vs {
			params = append(params, name+"="+v)
		}
	}
	slices.Sort(params)
	return strings.ToLower(u.Host) + strings.ToLower(u.Path) + "?" + strings.Join(params, "&")
}

// maxPageRetryWait caps the wait before a page that was not a page is asked for again.
const maxPageRetryWait = 5 * time.Second

// listPage is one page of a collection as Graph serves it.
type listPage struct {
	Context  string            `json:"@odata.context"`
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
	// status and requestID are the answer's, for an error about the page.
	status    int
	requestID string
}

// readPage GETs one page. A success answer that is not a page (no "value" array: "{}", "null", a
// Graph error object with status 200, a truncated body) says nothing about what the collection
// holds, so it is never read as an empty page: it is asked again, with backoff, like any transient
// read failure, until the operation's deadline, and then reported.
func (c *Client) readPage(ctx context.Context, coll *Collection, info *abs.RequestInformation, page int) (*listPage, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(c.retry.NoDeadlineBudget)
	}
	var notAPage *Error // the last answer that was not a page
	for attempt := 1; ; attempt++ {
		resp, err := c.sendTo(ctx, coll, info)
		if err != nil {
			if notAPage != nil && ctx.Err() != nil {
				// The deadline passed while the page was asked again: what Graph kept answering says
				// more than the timeout of the last request.
				return nil, notAPage
			}
			return nil, err
		}
		p, bad := decodePage(resp.body)
		if bad == nil {
			p.status, p.requestID = resp.status, resp.header.Get("request-id")
			return p, nil
		}
		path := c.path(coll.Path)
		if u, err := info.GetUri(); err == nil {
			path = pathOf(u)
		}
		e := graphhttp.NewHTTPError(http.MethodGet, path, resp.status, resp.header, resp.body, "")
		e.Err = fmt.Errorf("page %d of the list is not a page: %w (asked %d times)", page, bad, attempt)
		notAPage = e
		// Not a throttle: asking again soon costs one read, so the wait stays short.
		wait := min(c.retry.backoff(attempt), maxPageRetryWait)
		if time.Now().Add(wait).After(deadline) {
			return nil, e
		}
		tflog.Debug(ctx, "Graph answered a list request without a page; asking again",
			map[string]any{"path": path, "page": page, "attempt": attempt, "problem": bad.Error(), "wait": wait.String()})
		if Sleep(ctx, wait) != nil {
			return nil, e
		}
	}
}

// decodePage reads a page, refusing a body without a "value" array.
func decodePage(body []byte) (*listPage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, fmt.Errorf("the body is not a JSON object (%w)", err)
	}
	if fields == nil {
		return nil, errors.New("the body is null")
	}
	v := bytes.TrimSpace(fields["value"])
	switch {
	case fields["error"] != nil:
		return nil, errors.New(`it carries a Graph error object instead of "value"`)
	case len(v) == 0:
		return nil, errors.New(`it has no "value"`)
	case v[0] != '[':
		return nil, fmt.Errorf(`its "value" is %s, not an array`, snippetOf(v))
	}
	var p listPage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("decoding it: %w", err)
	}
	return &p, nil
}

// snippetOf is the start of a JSON value, for a message.
func snippetOf(v []byte) string {
	if len(v) > 40 {
		return string(v[:40]) + "..."
	}
	return string(v)
}

// nextPage builds the request for the page after the one prev was answered with: its
// @odata.nextLink, followed on the configured Graph endpoint (nextPageURL).
func (c *Client) nextPage(ctx context.Context, coll *Collection, prev *abs.RequestInformation, contextURL, link string) (*abs.RequestInformation, error) {
	base, _ := url.Parse(c.baseURL)
	reqURL, err := prev.GetUri()
	if err != nil {
		reqURL = base
	}
	u, rerooted, err := nextPageURL(base, reqURL, contextURL, link)
	if err != nil {
		return nil, &Error{Method: http.MethodGet, Path: c.path(coll.Path),
			Err: fmt.Errorf("cannot follow the @odata.nextLink %q: %w", link, err)}
	}
	if rerooted {
		// Only hosts and the path: a link's query is Graph's paging state, and its userinfo is
		// never used.
		linkHost := "(relative link)"
		if l, _ := url.Parse(link); l != nil && l.Host != "" {
			linkHost = l.Scheme + "://" + l.Host
		}
		tflog.Debug(ctx, "following an @odata.nextLink on the configured Graph endpoint instead of where it points", map[string]any{
			"link_host": linkHost, "graph_endpoint": base.Scheme + "://" + base.Host, "path": u.EscapedPath(),
		})
	}
	info := abs.NewRequestInformation()
	info.Method = abs.GET
	info.SetUri(*u)
	info.Headers.TryAdd("Accept", "application/json")
	return info, nil
}

// nextPageURL is the URL an @odata.nextLink is followed at: the link's path and query on base's
// scheme and host, so that nothing, the bearer token least of all, is ever sent anywhere but the
// configured Graph endpoint (graph-behaviour.md §9). A Graph stand-in or a proxy may write links
// with another host (Graph's own, or "localhost" for "127.0.0.1") while serving them itself.
//
// A relative link resolves as OData resolves a URL in a payload: against the page's
// @odata.context (itself resolved against the request URL), else against reqURL, the URL of the
// request the page answered. The link's path is kept whole, not joined to base's path: the
// configured endpoint is a scheme and host only, and the /beta root is part of every link Graph
// writes. Its userinfo and fragment are dropped: neither belongs in the request. rerooted reports
// whether the link pointed anywhere but base (or was relative), for the debug log.
func nextPageURL(base, reqURL *url.URL, contextURL, link string) (next *url.URL, rerooted bool, err error) {
	u, err := url.Parse(link)
	if err != nil {
		return nil, false, err
	}
	if u.Opaque != "" {
		return nil, false, errors.New("not a URL with a path")
	}
	if !u.IsAbs() {
		rerooted = true
		from := reqURL
		if contextURL != "" {
			if cu, err := reqURL.Parse(contextURL); err == nil {
				from = cu
			}
		}
		u = from.ResolveReference(u)
	}
	if !strings.EqualFold(u.Scheme, base.Scheme) || hostPort(u) != hostPort(base) || u.User != nil {
		rerooted = true
	}
	return &url.URL{Scheme: base.Scheme, Host: base.Host, Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery}, rerooted, nil
}

// hostPort is a URL's host in lower case with its port, the scheme's default spelled out.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[strings.ToLower(u.Scheme)]
	}
	return strings.ToLower(u.Hostname()) + ":" + port
}

func (c *Client) path(p string) string {
	u, _ := url.Parse(c.baseURL + p)
	return pathOf(u)
}

// zonelessDateTime matches an ISO date-time without a zone designator. Graph means UTC by it, but
// the SDK would read it in the machine's local zone, or fail the whole response when it has
// fractional seconds (graph-behaviour.md §3).
var zonelessDateTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$`)

// Parse decodes one entity as Graph serves it: zone-less date-times are read as UTC, and enum
// values the SDK does not know are kept in Unparsed.
func (coll *Collection) Parse(body []byte) (*Item, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		if err == nil {
			err = errors.New("not a JSON object")
		}
		return nil, fmt.Errorf("decoding the entity Graph returned: %w", err)
	}
	if coll.repairDates(raw) {
		body, _ = json.Marshal(raw)
	}
	node, err := jsonser.NewJsonParseNode(body)
	if err != nil {
		return nil, fmt.Errorf("decoding the entity Graph returned: %w", err)
	}
	v, err := node.GetObjectValue(coll.Factory)
	if err != nil {
		return nil, fmt.Errorf("decoding the entity Graph returned: %w", err)
	}
	if v == nil {
		return nil, errors.New("decoding the entity Graph returned: no entity")
	}
	item := &Item{Model: v}
	_ = json.Unmarshal(raw["id"], &item.ID)
	_ = json.Unmarshal(raw["@odata.type"], &item.OdataType)
	for k, parse := range coll.Enums {
		var s string
		if json.Unmarshal(raw[k], &s) != nil || s == "" {
			continue
		}
		if p, err := parse(s); err != nil || isNil(p) {
			if item.Unparsed == nil {
				item.Unparsed = map[string]string{}
			}
			item.Unparsed[k] = s
		}
	}
	return item, nil
}

// repairDates appends Z to every zone-less date-time among coll.DateTimes in raw, at the top level
// and inside complex values, and reports whether it changed anything. Only a nested value that
// names one of the date-time properties is decoded.
func (coll *Collection) repairDates(raw map[string]json.RawMessage) bool {
	changed := false
	for k, v := range raw {
		switch {
		case len(v) == 0:
		case v[0] == '"':
			var s string
			if coll.isDateTime(k) && json.Unmarshal(v, &s) == nil && zonelessDateTime.MatchString(s) {
				raw[k], _ = json.Marshal(s + "Z")
				changed = true
			}
		case (v[0] == '[' || v[0] == '{') && coll.namesDateTime(v):
			dec := json.NewDecoder(bytes.NewReader(v))
			dec.UseNumber()
			var nested any
			if dec.Decode(&nested) == nil && coll.repairNested(nested) {
				raw[k], _ = json.Marshal(nested)
				changed = true
			}
		}
	}
	return changed
}

func (coll *Collection) repairNested(v any) bool {
	changed := false
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if s, ok := e.(string); ok {
				if coll.isDateTime(k) && zonelessDateTime.MatchString(s) {
					v[k] = s + "Z"
					changed = true
				}
				continue
			}
			changed = coll.repairNested(e) || changed
		}
	case []any:
		for _, e := range v {
			changed = coll.repairNested(e) || changed
		}
	}
	return changed
}

// namesDateTime reports whether JSON text v mentions one of coll's date-time property names.
func (coll *Collection) namesDateTime(v []byte) bool {
	for _, d := range coll.DateTimes {
		if bytes.Contains(v, []byte(`"`+d+`"`)) {
			return true
		}
	}
	return false
}

func (coll *Collection) isDateTime(k string) bool {
	return slices.Contains(coll.DateTimes, k)
}

// isNil reports whether an SDK enum parser's result is no value (nil, or a nil pointer).
func isNil(p any) bool {
	if p == nil {
		return true
	}
	v := reflect.ValueOf(p)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
