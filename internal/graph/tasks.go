package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	dam "github.com/microsoftgraph/msgraph-beta-sdk-go/deviceappmanagement"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph/graphhttp"
)

// SecurityConfigurationTaskType is the @odata.type of the one task type this provider manages.
const SecurityConfigurationTaskType = "#microsoft.graph.securityConfigurationTask"

// TasksPath is the collection's path under the Graph beta root.
const TasksPath = "/deviceAppManagement/deviceAppManagementTasks"

// Task is one task as Graph returned it.
type Task struct {
	// ID is the task's id.
	ID string
	// Model is the SDK's typed view. For a security configuration task it is a
	// models.SecurityConfigurationTaskable.
	Model models.DeviceAppManagementTaskable
	// OdataType is the @odata.type Graph sent.
	OdataType string
	// Unparsed holds enum properties whose value the SDK could not map (a member newer than the
	// SDK, or a different case): the SDK silently turns those into nil (graph-behaviour.md §4), so the raw
	// string is kept here, keyed by the JSON property name.
	Unparsed map[string]string
}

// Security returns the task as a security configuration task, or false for other task types.
func (t *Task) Security() (models.SecurityConfigurationTaskable, bool) {
	s, ok := t.Model.(models.SecurityConfigurationTaskable)
	return s, ok && t.OdataType == SecurityConfigurationTaskType
}

// enumProperties are the task's enum-typed JSON properties.
var enumProperties = []string{"category", "priority", "status", "endpointSecurityPolicy", "applicablePlatform", "endpointSecurityPolicyProfile"}

// ErrEmptyID is returned instead of calling Graph with an empty id (graph-behaviour.md §10.4).
var ErrEmptyID = graphhttp.ErrEmptyID

func (c *Client) item(id string) (*dam.DeviceAppManagementTasksDeviceAppManagementTaskItemRequestBuilder, error) {
	if strings.TrimSpace(id) == "" {
		return nil, ErrEmptyID
	}
	return c.tasks().ByDeviceAppManagementTaskId(id), nil
}

// CreateAttempt is when a create's last POST left (local monotonic clock), for a lookup that must
// place the create on Graph's clock.
type CreateAttempt struct {
	SentAt time.Time
}

// CreateTask POSTs body and returns the created task from the 201 answer, and claims its id.
// body must be freshly built (never a model returned by a GET: graph-behaviour.md §10.5).
//
// When the answer is a success that does not carry a usable entity, the id is taken from the raw
// JSON or the Location header and the task is returned with only ID set (Model nil): the caller
// reads it. When no id can be had at all, the error is one AmbiguousWrite reports as ambiguous, so
// the caller looks for the task instead of losing it (graph-behaviour.md §5).
func (c *Client) CreateTask(ctx context.Context, body models.DeviceAppManagementTaskable) (*Task, CreateAttempt, error) {
	attempts := &createAttempts{claims: c.claims}
	// The create stops counting as "on the wire" only once its id is claimed (or it failed).
	defer attempts.idle()
	ctx = withCreateAttempts(ctx, attempts)
	var at CreateAttempt
	info, err := c.tasks().ToPostRequestInformation(ctx, body, nil)
	if err != nil {
		return nil, at, fmt.Errorf("serialising the task: %w", err)
	}
	resp, err := c.send(ctx, info)
	at = CreateAttempt{SentAt: attempts.sentAt()}
	if err != nil {
		return nil, at, err
	}
	task, perr := ParseTask(resp.body)
	if perr == nil && task.ID != "" {
		c.claims.claimCreated(task.ID)
		return task, at, nil
	}
	if id := createdID(resp); id != "" {
		c.claims.claimCreated(id)
		return &Task{ID: id}, at, nil
	}
	problem := errors.New("the create was answered without the created task or its id")
	if perr != nil {
		problem = fmt.Errorf("the create's answer could not be read and names no id: %w", perr)
	}
	return nil, at, &Error{Method: http.MethodPost, Path: c.path(TasksPath), StatusCode: resp.status,
		RequestID:       resp.header.Get("request-id"),
		ClientRequestID: resp.header.Get("client-request-id"), Err: problem}
}

// createdID finds the new task's id in an answer the SDK could not use: a top-level "id" in JSON
// that decodes, else the last segment of the Location header ("…/deviceAppManagementTasks/{id}"
// or the OData key form "…/deviceAppManagementTasks('{id}')").
func createdID(resp *response) string {
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
	if seg, err = url.PathUnescape(seg); err != nil || strings.EqualFold(seg, "deviceAppManagementTasks") {
		return ""
	}
	return strings.TrimSpace(seg)
}

// GetTask reads one task. A missing task is an *Error for which IsNotFound is true.
func (c *Client) GetTask(ctx context.Context, id string) (*Task, error) {
	body, err := c.GetTaskJSON(ctx, id)
	if err != nil {
		return nil, err
	}
	return ParseTask(body)
}

// GetTaskJSON reads one task and returns Graph's JSON as it came, undecoded: for checks that must
// not depend on this package's parsing.
func (c *Client) GetTaskJSON(ctx context.Context, id string) ([]byte, error) {
	b, err := c.item(id)
	if err != nil {
		return nil, err
	}
	info, err := b.ToGetRequestInformation(ctx, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, info)
	if err != nil {
		return nil, err
	}
	return resp.body, nil
}

// UpdateTask PATCHes body. It returns the updated task when Graph answers 200 with a body, and
// nil when Graph answers 204 (the caller then reads the task again; graph-behaviour.md §5).
func (c *Client) UpdateTask(ctx context.Context, id string, body models.DeviceAppManagementTaskable) (*Task, error) {
	b, err := c.item(id)
	if err != nil {
		return nil, err
	}
	info, err := b.ToPatchRequestInformation(ctx, body, nil)
	if err != nil {
		return nil, fmt.Errorf("serialising the task: %w", err)
	}
	resp, err := c.send(ctx, info)
	if err != nil {
		return nil, err
	}
	if len(resp.body) == 0 {
		return nil, nil
	}
	return ParseTask(resp.body)
}

// DeleteTask deletes one task. A 404 is returned as an error; callers treat it as success.
func (c *Client) DeleteTask(ctx context.Context, id string) error {
	b, err := c.item(id)
	if err != nil {
		return err
	}
	info, err := b.ToDeleteRequestInformation(ctx, nil)
	if err != nil {
		return err
	}
	_, err = c.send(ctx, info)
	return err
}

// UpdateTaskStatus calls the updateStatus action, bound to the base type so that it works on a
// task of any type, which records a note with the status change; a nil note sends none
// (graph-behaviour.md §13).
func (c *Client) UpdateTaskStatus(ctx context.Context, id string, status models.DeviceAppManagementTaskStatus, note *string) error {
	b, err := c.item(id)
	if err != nil {
		return err
	}
	body := dam.NewDeviceAppManagementTasksItemUpdateStatusPostRequestBody()
	body.SetStatus(&status)
	body.SetNote(note)
	info, err := b.UpdateStatus().ToPostRequestInformation(ctx, body, nil)
	if err != nil {
		return err
	}
	_, err = c.send(ctx, info)
	return err
}

// TaskList is every task of the collection.
type TaskList struct {
	Tasks []*Task
}

// ListTasks returns every task in the polymorphic collection, following @odata.nextLink.
func (c *Client) ListTasks(ctx context.Context) (*TaskList, error) {
	list := &TaskList{}
	err := c.pages(ctx, func(tasks []*Task) bool {
		list.Tasks = append(list.Tasks, tasks...)
		return true
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// EachTask reads the collection page by page and calls yield for each task, in Graph's order, until
// yield returns false; no further page is read then. A caller that needs only some tasks (a query
// with a limit) thus reads only the pages it needs and holds one page at a time.
func (c *Client) EachTask(ctx context.Context, yield func(*Task) bool) error {
	return c.pages(ctx, func(tasks []*Task) bool {
		for _, t := range tasks {
			if !yield(t) {
				return false
			}
		}
		return true
	})
}

// pages reads the collection, following @odata.nextLink, and hands each page to onPage until it
// returns false.
func (c *Client) pages(ctx context.Context, onPage func(tasks []*Task) bool) error {
	info, err := c.tasks().ToGetRequestInformation(ctx, nil)
	if err != nil {
		return err
	}
	for page := 1; ; page++ {
		resp, err := c.send(ctx, info)
		if err != nil {
			return err
		}
		var envelope struct {
			Value    []json.RawMessage `json:"value"`
			NextLink string            `json:"@odata.nextLink"`
		}
		if err := json.Unmarshal(resp.body, &envelope); err != nil {
			return &Error{Method: http.MethodGet, Path: c.path(TasksPath), StatusCode: resp.status, Err: fmt.Errorf("decoding page %d of the task list: %w", page, err)}
		}
		tasks := make([]*Task, 0, len(envelope.Value))
		for _, raw := range envelope.Value {
			t, err := ParseTask(raw)
			if err != nil {
				return err
			}
			tasks = append(tasks, t)
		}
		if !onPage(tasks) || envelope.NextLink == "" {
			return nil
		}
		next, err := c.nextPage(envelope.NextLink)
		if err != nil {
			return err
		}
		info = next
	}
}

// nextPage builds the request for an @odata.nextLink, refusing links to another scheme, host or
// port: the bearer token must never be sent anywhere but the configured Graph endpoint
// (graph-behaviour.md §9).
func (c *Client) nextPage(link string) (*abs.RequestInformation, error) {
	u, err := url.Parse(link)
	base, _ := url.Parse(c.baseURL)
	if err != nil || !u.IsAbs() || !strings.EqualFold(u.Scheme, base.Scheme) || hostPort(u) != hostPort(base) {
		return nil, &Error{Method: http.MethodGet, Path: c.path(TasksPath),
			Err: fmt.Errorf("refusing to follow an @odata.nextLink outside the configured Graph endpoint %s: %q", c.baseURL, link)}
	}
	info := abs.NewRequestInformation()
	info.Method = abs.GET
	info.SetUri(*u)
	info.Headers.TryAdd("Accept", "application/json")
	return info, nil
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

var dateTimeProperties = []string{"createdDateTime", "dueDateTime"}

// ParseTask decodes one task entity as Graph serves it.
func ParseTask(body []byte) (*Task, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("decoding the task Graph returned: %w", err)
	}
	changed := false
	for _, k := range dateTimeProperties {
		var s string
		if v, ok := raw[k]; ok && json.Unmarshal(v, &s) == nil && zonelessDateTime.MatchString(s) {
			raw[k], _ = json.Marshal(s + "Z")
			changed = true
		}
	}
	if changed {
		body, _ = json.Marshal(raw)
	}
	node, err := jsonser.NewJsonParseNode(body)
	if err != nil {
		return nil, fmt.Errorf("decoding the task Graph returned: %w", err)
	}
	v, err := node.GetObjectValue(models.CreateDeviceAppManagementTaskFromDiscriminatorValue)
	if err != nil {
		return nil, fmt.Errorf("decoding the task Graph returned: %w", err)
	}
	m, ok := v.(models.DeviceAppManagementTaskable)
	if !ok || m == nil {
		return nil, errors.New("decoding the task Graph returned: not a task")
	}
	t := &Task{Model: m}
	if p := m.GetId(); p != nil {
		t.ID = *p
	}
	if p := m.GetOdataType(); p != nil {
		t.OdataType = *p
	}
	for _, k := range enumProperties {
		var s string
		if v, ok := raw[k]; ok && json.Unmarshal(v, &s) == nil && s != "" && !enumParsed(m, k) {
			if t.Unparsed == nil {
				t.Unparsed = map[string]string{}
			}
			t.Unparsed[k] = s
		}
	}
	return t, nil
}

// enumParsed reports whether the SDK produced a value for the enum property k.
func enumParsed(m models.DeviceAppManagementTaskable, k string) bool {
	switch k {
	case "category":
		return m.GetCategory() != nil
	case "priority":
		return m.GetPriority() != nil
	case "status":
		return m.GetStatus() != nil
	}
	s, ok := m.(models.SecurityConfigurationTaskable)
	if !ok {
		return true
	}
	switch k {
	case "endpointSecurityPolicy":
		return s.GetEndpointSecurityPolicy() != nil
	case "applicablePlatform":
		return s.GetApplicablePlatform() != nil
	case "endpointSecurityPolicyProfile":
		return s.GetEndpointSecurityPolicyProfile() != nil
	}
	return true
}
