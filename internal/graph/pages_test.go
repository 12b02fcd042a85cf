package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
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
				ctx, cancel := context.WithTimeout(t.Context(), time.Second)
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
			if err == nil || !strings.Contains(d, "names a page already read") || !strings.Contains(d, f.URL+coll) {
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
