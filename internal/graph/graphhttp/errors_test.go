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
				"The application needs the Microsoft Graph application permission DeviceManagementApps.ReadWrite.All, with admin consent: " +
				"every operation on Intune tasks, create included, is documented to accept it. For create, the rendered create page also lists " +
				"DeviceManagementConfiguration.ReadWrite.All. The tenant also needs an active Intune licence.",
		},
		{
			name: "403 on updateStatus: only one permission is documented",
			err: NewHTTPError("POST", "/beta/deviceAppManagement/deviceAppManagementTasks/x/updateStatus", 403, jsonHeader(),
				[]byte(`{"error":{"code":"Forbidden","message":"denied"}}`), "c3"),
			want: "POST /beta/deviceAppManagement/deviceAppManagementTasks/x/updateStatus returned HTTP 403 Forbidden.\n" +
				"Graph error code: Forbidden\n" +
				"Message: denied\n" +
				"request-id: (none), client-request-id: c3\n\n" +
				"The application needs the Microsoft Graph application permission DeviceManagementApps.ReadWrite.All, with admin consent: " +
				"every operation on Intune tasks, updateStatus included, is documented to accept it. " +
				"DeviceManagementConfiguration.ReadWrite.All is not documented for updateStatus. The tenant also needs an active Intune licence.",
		},
		{
			name: "an HTML 404 is not Graph saying the task is gone",
			err: NewHTTPError("GET", "/beta/x", 404, http.Header{"Content-Type": {"text/html"}},
				[]byte("<html><body><h1>404 Not Found</h1></body></html>"), "c4"),
			want: "GET /beta/x returned HTTP 404 Not Found.\n" +
				"Response body (not Graph JSON): 404 Not Found\n" +
				"request-id: (none), client-request-id: c4\n\n" +
				"This 404 did not come from Graph as an answer about the object (no Graph error JSON, or a path Graph does not serve), " +
				"so the object is not treated as deleted. Check graph_endpoint and any proxy between Terraform and Graph.",
		},
		{
			name: "a token that could not be had: nothing was sent",
			err:  &Error{Method: "GET", Path: "/beta/x", NotSent: true, Err: errors.New("ClientSecretCredential: AADSTS7000215: Invalid client secret provided.")},
			want: "GET /beta/x was not sent: getting an access token from Microsoft Entra ID failed. Nothing reached Graph.\n\n" +
				"ClientSecretCredential: AADSTS7000215: Invalid client secret provided.\n\n" +
				"Check the provider's authentication settings: tenant_id, client_id and the credential of the method in use " +
				"(a client secret or certificate that is wrong or expired, a federated token that has expired or whose subject does not match the app's federated credential, " +
				"or for the Azure CLI, run az login). Retrying does not help until the configuration is fixed.",
		},
		{
			name: "the deadline passed while waiting to send",
			err:  &Error{Method: "POST", Path: "/beta/x", NotSent: true, Err: context.DeadlineExceeded},
			want: "POST /beta/x was not sent: the operation's timeout passed while it waited to be sent (context deadline exceeded). Nothing reached Graph.\n\n" +
				"If write_rate_limit is set, the writes of this apply need more time than the timeout allows at that rate: raise the timeout in the resource's timeouts block, or raise write_rate_limit.",
		},
		{
			name: "a create answered 201 without the task",
			err:  &Error{Method: "POST", Path: "/beta/x", StatusCode: 201, Err: errors.New("the create was answered without the created task or its id")},
			want: "POST /beta/x returned HTTP 201 Created.\n" +
				"Problem: the create was answered without the created task or its id\n" +
				"request-id: (none), client-request-id: (none)",
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

func TestIsNotFoundOnlyForGraphsOwn404(t *testing.T) {
	for status, want := range map[int]bool{404: true, 400: false, 403: false, 410: false, 500: false} {
		err := fmt.Errorf("wrapped: %w", NewHTTPError("GET", "/p", status, http.Header{"Content-Type": {"application/json"}},
			[]byte(`{"error":{"code":"ResourceNotFound","message":"gone"}}`), ""))
		if got := IsNotFound(err); got != want {
			t.Errorf("IsNotFound(HTTP %d with Graph JSON) = %v", status, got)
		}
	}
	notGone := map[string]*Error{
		"HTML 404 from a proxy": NewHTTPError("GET", "/p", 404, http.Header{"Content-Type": {"text/html"}}, []byte("<h1>Not Found</h1>"), ""),
		"empty 404":             NewHTTPError("GET", "/p", 404, http.Header{}, nil, ""),
		"JSON 404 that is not Graph's error": NewHTTPError("GET", "/p", 404, http.Header{"Content-Type": {"application/json"}},
			[]byte(`{"message":"no route"}`), ""),
		"Graph's routing 404 (the path, not the object)": NewHTTPError("GET", "/p", 404, http.Header{"Content-Type": {"application/json"}},
			[]byte(`{"error":{"code":"BadRequest","message":"Resource not found for the segment 'deviceAppManagementTasks'."}}`), ""),
		"transport error": {Err: errors.New("reset")},
	}
	for name, err := range notGone {
		if IsNotFound(err) {
			t.Errorf("%s: IsNotFound = true", name)
		}
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
		"no token: never sent":        {&Error{NotSent: true, Err: errors.New("AADSTS7000215")}, false},
		"pacer wait cut by deadline":  {&Error{NotSent: true, Err: context.DeadlineExceeded}, false},
		"201 without the task":        {&Error{StatusCode: 201, Err: errors.New("no entity")}, true},
		"201 that is fine":            {&Error{StatusCode: 201}, false},
	}
	for name, c := range cases {
		if got := AmbiguousWrite(c.err); got != c.want {
			t.Errorf("%s: AmbiguousWrite = %v, want %v", name, got, c.want)
		}
	}
}
