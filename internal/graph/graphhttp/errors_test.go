package graphhttp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"testing"
)

func TestDescribe(t *testing.T) {
	jsonHeader := func(extra ...string) http.Header {
		h := http.Header{"Content-Type": {"application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8"}}
		for i := 0; i+1 < len(extra); i += 2 {
			h.Set(extra[i], extra[i+1])
		}
		return h
	}
	intune := `{"error":{"code":"ResourceNotFound","message":"{\r\n  \"_version\": 3,\r\n  \"Message\": \"An error has occurred - Operation ID (for customer support): 11111111-2222-3333-4444-555555555555 - Activity ID: 66666666-7777-8888-9999-000000000000 - Url: https://fef.msua06.manage.microsoft.com/x\",\r\n  \"CustomApiErrorPhrase\": \"\",\r\n  \"RetryAfter\": null,\r\n  \"ErrorSourceService\": \"\",\r\n  \"HttpHeaders\": \"{}\"\r\n}","innerError":{"date":"2026-11-29T16:33:23","request-id":"inner-rid","client-request-id":"inner-crid"}}}`
	cases := []struct {
		name string
		err  error
		want string
	}{
		{
			name: "Intune message unwrapped, IDs shown",
			err: NewHTTPError("GET", "/beta/deviceAppManagement/deviceAppManagementTasks/x", 404,
				jsonHeader("request-id", "rid-1", "client-request-id", "crid-1"), []byte(intune), ""),
			want: "GET /beta/deviceAppManagement/deviceAppManagementTasks/x returned HTTP 404 Not Found.\n" +
				"Graph error code: ResourceNotFound\n" +
				"Message: An error has occurred\n" +
				"Intune Activity ID: 66666666-7777-8888-9999-000000000000, Operation ID: 11111111-2222-3333-4444-555555555555\n" +
				"request-id: rid-1, client-request-id: crid-1",
		},
		{
			name: "OData error, ids from innerError, 403 names the permission",
			err: NewHTTPError("POST", "/beta/deviceAppManagement/deviceAppManagementTasks", 403, jsonHeader(),
				[]byte(`{"error":{"code":"Forbidden","message":"Application is not authorized to perform this operation.","innerError":{"request-id":"r2","client-request-id":"c2"}}}`), ""),
			want: "POST /beta/deviceAppManagement/deviceAppManagementTasks returned HTTP 403 Forbidden.\n" +
				"Graph error code: Forbidden\n" +
				"Message: Application is not authorized to perform this operation.\n" +
				"request-id: r2, client-request-id: c2\n\n" +
				"The application needs the Microsoft Graph application permission DeviceManagementApps.ReadWrite.All, with admin consent, and the tenant needs an active Intune licence.",
		},
		{
			name: "HTML gateway page keeps the status",
			err: NewHTTPError("GET", "/beta/x", 502, http.Header{"Content-Type": {"text/html"}},
				[]byte("<html><head><title>502 Bad Gateway</title></head><body><h1>Bad   Gateway</h1></body></html>"), "sent-crid"),
			want: "GET /beta/x returned HTTP 502 Bad Gateway.\n" +
				"Response body (not Graph JSON): 502 Bad Gateway Bad Gateway\n" +
				"request-id: (none), client-request-id: sent-crid",
		},
		{
			name: "JSON without an error object (the SDK's ODataError.Error() panics on it)",
			err:  NewHTTPError("PATCH", "/beta/x", 500, jsonHeader(), []byte(`{}`), ""),
			want: "PATCH /beta/x returned HTTP 500 Internal Server Error.\n" +
				"Response body (not Graph JSON): {}\n" +
				"request-id: (none), client-request-id: (none)",
		},
		{
			name: "throttling that outlived the timeout",
			err: NewHTTPError("POST", "/beta/x", 429, jsonHeader("Retry-After", "7"),
				[]byte(`{"error":{"code":"TooManyRequests","message":"Too many requests."}}`), "c"),
			want: "POST /beta/x returned HTTP 429 Too Many Requests.\n" +
				"Graph error code: TooManyRequests\n" +
				"Message: Too many requests.\n" +
				"request-id: (none), client-request-id: c\n\n" +
				"Graph kept throttling until the operation's timeout. Raise the timeout, or lower terraform's -parallelism. Graph last asked to wait 7 seconds.",
		},
		{
			name: "deadline",
			err:  &Error{Method: "GET", Path: "/beta/x", Err: fmt.Errorf("Get: %w", context.DeadlineExceeded)},
			want: "GET /beta/x failed before Graph answered: Get: context deadline exceeded\n\n" +
				"The operation's timeout passed. Raise it in the resource's timeouts block if Graph is slow or throttling.",
		},
		{
			name: "not a graph error",
			err:  errors.New("plain"),
			want: "plain",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Describe(c.err); got != c.want {
				t.Errorf("Describe() =\n%s\n\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestIsNotFoundOnlyFor404(t *testing.T) {
	for status, want := range map[int]bool{404: true, 400: false, 403: false, 410: false, 500: false} {
		err := fmt.Errorf("wrapped: %w", &Error{Method: "GET", Path: "/p", StatusCode: status})
		if got := IsNotFound(err); got != want {
			t.Errorf("IsNotFound(HTTP %d) = %v", status, got)
		}
	}
	if IsNotFound(&Error{Err: errors.New("reset")}) {
		t.Error("a transport error is not a 404")
	}
}

func TestAmbiguousWrite(t *testing.T) {
	dial := &net.OpError{Op: "dial", Err: errors.New("connection refused")}
	read := &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}
	cases := map[string]struct {
		err  error
		want bool
	}{
		"500 after the body was sent": {&Error{StatusCode: 500}, true},
		"502 gateway":                 {&Error{StatusCode: 502}, true},
		"400 validation":              {&Error{StatusCode: 400}, false},
		"429 throttled":               {&Error{StatusCode: 429}, false},
		"connection reset":            {&Error{Err: read}, true},
		"deadline mid-request":        {&Error{Err: context.DeadlineExceeded}, true},
		"never connected":             {&Error{Err: dial}, false},
		"empty id":                    {ErrEmptyID, false},
	}
	for name, c := range cases {
		if got := AmbiguousWrite(c.err); got != c.want {
			t.Errorf("%s: AmbiguousWrite = %v, want %v", name, got, c.want)
		}
	}
}
