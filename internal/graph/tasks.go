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
	// Model is the SDK's typed view. For a security configuration task it is a
	// models.SecurityConfigurationTaskable.
	Model models.DeviceAppManagementTaskable
	// OdataType is the @odata.type Graph sent.
	OdataType string
	// Unparsed holds enum properties whose value the SDK could not map (a member newer than the
	// SDK, or a different case): the SDK silently turns those into nil (CONTRACT.md G11), so the raw
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

// ErrEmptyID is returned instead of calling Graph with an empty id (CONTRACT.md G13).
var ErrEmptyID = graphhttp.ErrEmptyID

func (c *Client) item(id string) (*dam.DeviceAppManagementTasksDeviceAppManagementTaskItemRequestBuilder, error) {
	if strings.TrimSpace(id) == "" {
		return nil, ErrEmptyID
	}
	return c.tasks().ByDeviceAppManagementTaskId(id), nil
}

// CreateTask POSTs body and returns the created task from the 201 answer. body must be freshly
// built (never a model returned by a GET: CONTRACT.md 2.6).
func (c *Client) CreateTask(ctx context.Context, body models.SecurityConfigurationTaskable) (*Task, error) {
	info, err := c.tasks().ToPostRequestInformation(ctx, body, nil)
	if err != nil {
		return nil, fmt.Errorf("serialising the task: %w", err)
	}
	resp, err := c.send(ctx, info)
	if err != nil {
		return nil, err
	}
	if len(resp.body) == 0 {
		return nil, &Error{Method: http.MethodPost, Path: c.path(TasksPath), StatusCode: resp.status, Err: errors.New("the create was answered without the created task")}
	}
	return ParseTask(resp.body)
}

// GetTask reads one task. A missing task is an *Error for which IsNotFound is true.
func (c *Client) GetTask(ctx context.Context, id string) (*Task, error) {
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
	return ParseTask(resp.body)
}

// UpdateTask PATCHes body. It returns the updated task when Graph answers 200 with a body, and
// nil when Graph answers 204 (the caller then reads the task again; CONTRACT.md G4).
func (c *Client) UpdateTask(ctx context.Context, id string, body models.SecurityConfigurationTaskable) (*Task, error) {
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

// UpdateTaskStatus calls the updateStatus action, which records a note with the status change.
func (c *Client) UpdateTaskStatus(ctx context.Context, id string, status models.DeviceAppManagementTaskStatus, note string) error {
	b, err := c.item(id)
	if err != nil {
		return err
	}
	body := dam.NewDeviceAppManagementTasksItemUpdateStatusPostRequestBody()
	body.SetStatus(&status)
	body.SetNote(&note)
	info, err := b.UpdateStatus().ToPostRequestInformation(ctx, body, nil)
	if err != nil {
		return err
	}
	_, err = c.send(ctx, info)
	return err
}

// ListTasks returns every task in the polymorphic collection, following @odata.nextLink.
func (c *Client) ListTasks(ctx context.Context) ([]*Task, error) {
	info, err := c.tasks().ToGetRequestInformation(ctx, nil)
	if err != nil {
		return nil, err
	}
	var all []*Task
	for page := 1; ; page++ {
		resp, err := c.send(ctx, info)
		if err != nil {
			return nil, err
		}
		var envelope struct {
			Value    []json.RawMessage `json:"value"`
			NextLink string            `json:"@odata.nextLink"`
		}
		if err := json.Unmarshal(resp.body, &envelope); err != nil {
			return nil, &Error{Method: http.MethodGet, Path: c.path(TasksPath), StatusCode: resp.status, Err: fmt.Errorf("decoding page %d of the task list: %w", page, err)}
		}
		for _, raw := range envelope.Value {
			t, err := ParseTask(raw)
			if err != nil {
				return nil, err
			}
			all = append(all, t)
		}
		if envelope.NextLink == "" {
			return all, nil
		}
		next, err := c.nextPage(envelope.NextLink)
		if err != nil {
			return nil, err
		}
		info = next
	}
}

// nextPage builds the request for an @odata.nextLink, refusing links to another host: the bearer
// token must never be sent anywhere but the configured Graph endpoint.
func (c *Client) nextPage(link string) (*abs.RequestInformation, error) {
	u, err := url.Parse(link)
	if err != nil || !strings.EqualFold(u.Host, c.host) {
		return nil, fmt.Errorf("refusing an @odata.nextLink outside the configured Graph endpoint: %q", link)
	}
	info := abs.NewRequestInformation()
	info.Method = abs.GET
	info.SetUri(*u)
	info.Headers.TryAdd("Accept", "application/json")
	return info, nil
}

func (c *Client) path(p string) string {
	u, _ := url.Parse(c.baseURL + p)
	return pathOf(u)
}

// zonelessDateTime matches an ISO date-time without a zone designator. Graph means UTC by it, but
// the SDK would read it in the machine's local zone, or fail the whole response when it has
// fractional seconds (CONTRACT.md G10).
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
