package graph

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
)

// testTasks is the task collection for security configuration tasks, as an entity package
// describes it.
var testTasks = TaskCollection("#microsoft.graph.securityConfigurationTask", []string{"createdDateTime", "dueDateTime", "lastSeenDateTime"},
	map[string]func(string) (any, error){
		"category": models.ParseDeviceAppManagementTaskCategory, "priority": models.ParseDeviceAppManagementTaskPriority,
		"status": models.ParseDeviceAppManagementTaskStatus, "applicablePlatform": models.ParseEndpointSecurityConfigurationApplicablePlatform,
	})

func security(t *testing.T, item *Item) models.SecurityConfigurationTaskable {
	t.Helper()
	m, ok := item.Model.(models.SecurityConfigurationTaskable)
	if !ok || !testTasks.Owns(item) {
		t.Fatalf("not a security configuration task: %s", item.OdataType)
	}
	return m
}

func TestParse(t *testing.T) {
	t.Run("full entity with extra properties", func(t *testing.T) {
		task, err := testTasks.Parse([]byte(`{"@odata.context":"x","@odata.type":"#microsoft.graph.securityConfigurationTask","id":"i1",
			"displayName":"n","createdDateTime":"2026-11-29T16:41:29.3792597Z","dueDateTime":"2017-01-01T08:02:18.1994089Z",
			"status":"pending","applicablePlatform":"macOS","managedDeviceCount":3,"intendedSettings":[],
			"riskScore":3,"roleScopeTagIds":["0"],"nested":{"a":1}}`))
		if err != nil {
			t.Fatal(err)
		}
		m := security(t, task)
		if got := m.GetDueDateTime().UTC().Format(time.RFC3339Nano); got != "2017-01-01T08:02:18.1994089Z" {
			t.Errorf("due = %s", got)
		}
		if len(task.Unparsed) != 0 {
			t.Errorf("Unparsed = %v", task.Unparsed)
		}
	})
	t.Run("enum value the SDK does not know is kept raw", func(t *testing.T) {
		task, err := testTasks.Parse([]byte(`{"@odata.type":"#microsoft.graph.securityConfigurationTask","id":"i1","status":"inReview","priority":"High","category":"unknown"}`))
		if err != nil {
			t.Fatal(err)
		}
		if security(t, task).GetStatus() != nil {
			t.Fatal("the SDK parsed inReview?")
		}
		if task.Unparsed["status"] != "inReview" || task.Unparsed["priority"] != "High" || len(task.Unparsed) != 2 {
			t.Errorf("Unparsed = %v", task.Unparsed)
		}
	})
	t.Run("zone-less date-times are UTC, with or without fractions", func(t *testing.T) {
		t.Setenv("TZ", "America/Los_Angeles")
		task, err := testTasks.Parse([]byte(`{"@odata.type":"#microsoft.graph.securityConfigurationTask","id":"i1",
			"createdDateTime":"2026-11-29T16:41:29.123","dueDateTime":"2027-01-01T00:00:00"}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := security(t, task).GetCreatedDateTime().UTC().Format(time.RFC3339Nano); got != "2026-11-29T16:41:29.123Z" {
			t.Errorf("created = %s", got)
		}
		if got := security(t, task).GetDueDateTime().UTC().Format(time.RFC3339Nano); got != "2027-01-01T00:00:00Z" {
			t.Errorf("due = %s", got)
		}
	})
	t.Run("other task types are recognised", func(t *testing.T) {
		task, err := testTasks.Parse([]byte(`{"@odata.type":"#microsoft.graph.appVulnerabilityTask","id":"i2","displayName":"x"}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := task.Model.(models.AppVulnerabilityTaskable); !ok || testTasks.Owns(task) {
			t.Fatal("an appVulnerabilityTask passed as a security configuration task")
		}
	})
	t.Run("nested zone-less date-times are UTC", func(t *testing.T) {
		t.Setenv("TZ", "America/Los_Angeles")
		task, err := testTasks.Parse([]byte(`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","id":"i3",
			"unmanagedDevices":[{"deviceName":"d","lastSeenDateTime":"2026-11-29T16:41:29"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		u, ok := task.Model.(models.UnmanagedDeviceDiscoveryTaskable)
		if !ok || len(u.GetUnmanagedDevices()) != 1 {
			t.Fatalf("parsed %T", task.Model)
		}
		if got := u.GetUnmanagedDevices()[0].GetLastSeenDateTime().UTC().Format(time.RFC3339Nano); got != "2026-11-29T16:41:29Z" {
			t.Errorf("lastSeen = %s", got)
		}
	})
	t.Run("not JSON", func(t *testing.T) {
		if _, err := testTasks.Parse([]byte(`<html>`)); err == nil {
			t.Fatal("no error")
		}
	})
}

type noCredential struct{}

func (noCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, errors.New("no token in this test")
}

// An empty id would address the collection itself (graph-behaviour.md §10.4): the client refuses before
// sending anything.
func TestEmptyIDNeverReachesGraph(t *testing.T) {
	c, err := NewClient(ClientConfig{GraphEndpoint: "https://graph.invalid", Credential: noCredential{}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"delete": func() error { return c.Delete(ctx, testTasks, "") },
		"get":    func() error { _, err := c.Get(ctx, testTasks, " "); return err },
		"patch":  func() error { _, err := c.Update(ctx, testTasks, "", nil); return err },
		"status": func() error { return c.UpdateTaskStatus(ctx, testTasks, "", 0, nil) },
	} {
		if err := call(); !errors.Is(err, ErrEmptyID) {
			t.Errorf("%s with an empty id: %v, want ErrEmptyID", name, err)
		}
	}
}

// The id is a URL template variable: whatever it holds, it stays one path segment under the
// collection, and an action goes below it.
func TestItemPathsEscapeTheID(t *testing.T) {
	var paths []string
	f := newFakeGraph(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.Method+" "+r.URL.EscapedPath())
		w.WriteHeader(http.StatusNoContent)
	})
	c := f.client(t, ClientConfig{})
	ctx := t.Context()
	if _, err := c.GetJSON(ctx, testTasks, "a/b c?d"); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, testTasks, "../x"); err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateTaskStatus(ctx, testTasks, "id#1", models.ACTIVE_DEVICEAPPMANAGEMENTTASKSTATUS, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"GET /beta/deviceAppManagement/deviceAppManagementTasks/a%2Fb%20c%3Fd",
		"DELETE /beta/deviceAppManagement/deviceAppManagementTasks/..%2Fx",
		"POST /beta/deviceAppManagement/deviceAppManagementTasks/id%231/updateStatus",
	}
	if !slices.Equal(paths, want) {
		t.Fatalf("paths = %q, want %q", paths, want)
	}
}
