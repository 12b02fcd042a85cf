package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
)

// A success answer to a list request that is not a page says nothing about what the collection
// holds: it is asked again, and reported once the operation's deadline is near, never read as an
// empty page (which would make a create lookup post a duplicate).
func TestListPageWithoutValue(t *testing.T) {
	for name, body := range map[string]string{
		"empty object":       `{}`,
		"null":               `null`,
		"error object":       `{"error":{"code":"generalException","message":"An error has occurred."}}`,
		"value null":         `{"value":null}`,
		"value not an array": `{"value":{"id":"t1"}}`,
		"truncated":          `{"value":[{"@odata.type":"#microsoft.graph.secu`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			t.Run("then a page", func(t *testing.T) {
				f := newFakeGraph(t, func(n int, w http.ResponseWriter, _ *http.Request) {
					if n <= 2 {
						writeJSON(w, http.StatusOK, body)
						return
					}
					writeJSON(w, http.StatusOK, `{"value":[`+taskJSON+`]}`)
				})
				list, err := f.client(t, ClientConfig{}).List(t.Context(), testTasks)
				if err != nil || len(list) != 1 || list[0].ID != "t1" {
					t.Fatalf("List = %v, %v; want the task once Graph answers with a page", list, err)
				}
				if n := f.calls.Load(); n != 3 {
					t.Fatalf("%d requests, want 3", n)
				}
			})
			t.Run("never a page", func(t *testing.T) {
				f := newFakeGraph(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, body) })
				// However the deadline falls (between two requests, or while one is on the wire), the
				// error says what Graph kept answering; the first answer only has to come within it.
				ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
				defer cancel()
				list, err := f.client(t, ClientConfig{}).List(ctx, testTasks)
				var ge *Error
				if !errors.As(err, &ge) || list != nil {
					t.Fatalf("List = %v, %v; want an error", list, err)
				}
				d := Describe(err)
				if !strings.Contains(d, "returned HTTP 200 OK") || !strings.Contains(d, "page 1 of the list is not a page") {
					t.Fatalf("Describe = %s", d)
				}
				if name == "error object" && !strings.Contains(d, "generalException") {
					t.Fatalf("Describe does not show Graph's error code: %s", d)
				}
				if n := f.calls.Load(); n < 2 {
					t.Fatalf("%d requests: the page was not asked again", n)
				}
			})
			t.Run("deadline while asked again", func(t *testing.T) {
				// The second request is held until the deadline passes: the error still says what
				// Graph answered, not only that the last request timed out.
				f := newFakeGraph(t, func(n int, w http.ResponseWriter, r *http.Request) {
					if n == 1 {
						writeJSON(w, http.StatusOK, body)
						return
					}
					<-r.Context().Done()
				})
				ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
				defer cancel()
				_, err := f.client(t, ClientConfig{}).List(ctx, testTasks)
				if d := Describe(err); !strings.Contains(d, "page 1 of the list is not a page") {
					t.Fatalf("Describe = %s", d)
				}
			})
		})
	}
}

// An @odata.nextLink to a page already read fails the list at once, naming the link, whether the
// link lost its query (a proxy) or names the page it came with (a paging bug).
func TestListRefusesARepeatedNextLink(t *testing.T) {
	const coll = "/beta/deviceAppManagement/deviceAppManagementTasks"
	for name, link := range map[string]func(r *http.Request, host string) string{
		"query dropped": func(_ *http.Request, host string) string { return host + coll },
		"same page": func(r *http.Request, host string) string {
			if r.URL.RawQuery == "" {
				return host + coll + "?$skiptoken=p2"
			}
			return host + r.URL.RequestURI()
		},
		"the same page spelled otherwise": func(r *http.Request, host string) string {
			if r.URL.RawQuery == "" {
				return host + coll + "?$top=2&$skiptoken=Ab1"
			}
			return host + strings.ToUpper(coll) + "?%24skiptoken=Ab1&top=2"
		},
		"two pages in turn": func(r *http.Request, host string) string {
			if r.URL.Query().Get("$skiptoken") == "p2" {
				return host + coll + "?$skiptoken=p3"
			}
			return host + coll + "?$skiptoken=p2"
		},
	} {
		t.Run(name, func(t *testing.T) {
			var f *fakeGraph
			f = newFakeGraph(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, `{"value":[`+taskJSON+`],"@odata.nextLink":"`+link(r, f.URL)+`"}`)
			})
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			_, err := f.client(t, ClientConfig{}).List(ctx, testTasks)
			d := Describe(err)
			if err == nil || !strings.Contains(d, "returned HTTP 200 OK") || !strings.Contains(d, "names a page already read") ||
				!strings.Contains(strings.ToLower(d), strings.ToLower(f.URL+coll)) {
				t.Fatalf("List error %v; Describe = %s", err, d)
			}
			if n := f.calls.Load(); n > 3 {
				t.Fatalf("%d requests before the repeat was noticed", n)
			}
		})
	}
}

// A list that never ends (a new link on every page) stops at the page cap.
func TestListStopsAtThePageCap(t *testing.T) {
	var f *fakeGraph
	f = newFakeGraph(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"value":[],"@odata.nextLink":"%s/beta/deviceAppManagement/deviceAppManagementTasks?$skiptoken=%d"}`, f.URL, n))
	})
	c := f.client(t, ClientConfig{})
	c.maxPages = 5
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	err := c.Each(ctx, testTasks, func(*Item) bool { return true })
	if d := Describe(err); err == nil || !strings.Contains(d, "had not ended after 5 pages") {
		t.Fatalf("Each error %v; Describe = %s", err, d)
	}
	if n := f.calls.Load(); n != 5 {
		t.Fatalf("%d pages read, want the 5 of the cap", n)
	}
}

var testDevices = &Relationship{Nav: "managedDevices", Owner: "#microsoft.graph.securityConfigurationTask",
	Items: &Collection{Factory: models.CreateVulnerableManagedDeviceFromDiscriminatorValue, DateTimes: []string{"lastSyncDateTime"}}}

const devicePage = `{"value":[{"@odata.type":"#microsoft.graph.vulnerableManagedDevice","id":"d%d","displayName":"PC","lastSyncDateTime":"2026-11-30T02:53:59"}]%s}`

// A relationship is read page by page at the short URL when Graph serves it; when Graph refuses
// that URL as a route, it is read with the type-cast segment, and the client keeps that form.
func TestEachRelated(t *testing.T) {
	const tasks = "/beta/deviceAppManagement/deviceAppManagementTasks"
	t.Run("short URL, two pages", func(t *testing.T) {
		var f *fakeGraph
		f = newFakeGraph(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != tasks+"/t%2F1/managedDevices" && r.URL.EscapedPath() != tasks+"/t%2F1/managedDevices" {
				writeJSON(w, http.StatusBadRequest, `{"error":{"code":"BadRequest","message":"wrong path `+r.URL.EscapedPath()+`"}}`)
				return
			}
			next := ""
			if n == 1 {
				next = `,"@odata.nextLink":"` + f.URL + tasks + `/t%2F1/managedDevices?$skiptoken=2"`
			}
			writeJSON(w, http.StatusOK, fmt.Sprintf(devicePage, n, next))
		})
		var got []string
		err := f.client(t, ClientConfig{}).EachRelated(t.Context(), testTasks, "t/1", testDevices, func(it *Item) bool {
			m := it.Model.(models.VulnerableManagedDeviceable)
			got = append(got, it.ID+" "+m.GetLastSyncDateTime().UTC().Format(time.RFC3339))
			return true
		})
		if err != nil || strings.Join(got, ",") != "d1 2026-11-30T02:53:59Z,d2 2026-11-30T02:53:59Z" {
			t.Fatalf("EachRelated = %v, %v", got, err)
		}
	})
	t.Run("the short URL refused: the cast form, kept", func(t *testing.T) {
		var paths []string
		f := newFakeGraph(t, func(_ int, w http.ResponseWriter, r *http.Request) {
			paths = append(paths, r.URL.Path)
			if !strings.Contains(r.URL.Path, "/microsoft.graph.securityConfigurationTask/") {
				writeJSON(w, http.StatusBadRequest, `{"error":{"code":"BadRequest","message":"Resource not found for the segment 'managedDevices'."}}`)
				return
			}
			writeJSON(w, http.StatusOK, fmt.Sprintf(devicePage, 1, ""))
		})
		c := f.client(t, ClientConfig{})
		for range 2 {
			n := 0
			if err := c.EachRelated(t.Context(), testTasks, "t1", testDevices, func(*Item) bool { n++; return true }); err != nil || n != 1 {
				t.Fatalf("EachRelated: %d items, %v", n, err)
			}
		}
		want := []string{tasks + "/t1/managedDevices", tasks + "/t1/microsoft.graph.securityConfigurationTask/managedDevices",
			tasks + "/t1/microsoft.graph.securityConfigurationTask/managedDevices"}
		if strings.Join(paths, " ") != strings.Join(want, " ") {
			t.Fatalf("requests %v, want %v", paths, want)
		}
	})
	t.Run("both refused: the error", func(t *testing.T) {
		f := newFakeGraph(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusNotFound, `{"error":{"code":"ResourceNotFound","message":"An error has occurred"}}`)
		})
		err := f.client(t, ClientConfig{}).EachRelated(t.Context(), testTasks, "t1", testDevices, func(*Item) bool { return true })
		if d := Describe(err); !strings.Contains(d, "returned HTTP 404") || f.calls.Load() != 2 {
			t.Fatalf("%d requests; Describe = %s", f.calls.Load(), d)
		}
	})
}

// EachWhere sends the filter as $filter, as given, and keeps following the links.
func TestEachWhereSendsTheFilter(t *testing.T) {
	var got []string
	f := newFakeGraph(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Query().Get("$filter"))
		writeJSON(w, http.StatusOK, `{"value":[]}`)
	})
	const filter = "status eq 'pending' and startswith(displayName,'O''Neil & co')"
	if err := f.client(t, ClientConfig{}).EachWhere(t.Context(), testTasks, filter, func(*Item) bool { return true }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != filter {
		t.Fatalf("$filter sent: %q", got)
	}
}
