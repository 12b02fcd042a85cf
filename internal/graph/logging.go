package graph

import (
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// identityRequest is the message of the debug line of every request that is not to Graph: to
// Entra ID (token, tenant discovery), a managed identity endpoint or a CI system's ID token
// endpoint.
const identityRequest = "identity request"

// tokenLoggingPolicy writes one debug line per request azidentity sends (Entra ID token and
// tenant discovery, managed identity): method, URL without query or userinfo, status, Entra's
// request id and duration. It never logs a header or a body: the form carries the client secret
// or assertion and the answer the token. The context is the Terraform operation's, so the line
// lands in the provider's log with the request that needed the token.
type tokenLoggingPolicy struct{}

func (tokenLoggingPolicy) Do(req *policy.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := req.Next()
	logIdentityRequest(req.Raw(), start, resp, err)
	return resp, err
}

// loggingTransport writes the same line for the requests this package sends itself (CI ID
// tokens, a custom msi_endpoint). Their Authorization header holds the CI's request token and
// their query may hold a key: neither is logged.
type loggingTransport struct{ inner http.RoundTripper }

func (l loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := l.inner.RoundTrip(req)
	logIdentityRequest(req, start, resp, err)
	return resp, err
}

// logIdentityRequest writes the debug line of one identity request, sent at start.
func logIdentityRequest(req *http.Request, start time.Time, resp *http.Response, err error) {
	fields := map[string]any{
		"method": req.Method, "url": RedactURL(req.URL.String()), "duration_ms": time.Since(start).Milliseconds(),
	}
	if err != nil {
		// Transport errors name the URL with its query, which may carry an msi_res_id or a key:
		// only the kind of failure is logged.
		fields["error"] = redactURLError(err).Error()
	} else {
		fields["status"] = resp.StatusCode
		fields["request_id"] = resp.Header.Get("x-ms-request-id")
	}
	tflog.Debug(req.Context(), identityRequest, fields)
}

// withLogging is hc with every request logged by loggingTransport.
func withLogging(hc *http.Client) *http.Client {
	inner := hc.Transport
	if inner == nil {
		inner = http.DefaultTransport
	}
	c := *hc
	c.Transport = loggingTransport{inner: inner}
	return &c
}
