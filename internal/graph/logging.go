package graph

import (
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tokenLoggingPolicy writes one debug line per request azidentity sends to Entra ID (token,
// tenant discovery, managed identity): method, URL without query or userinfo, status, Entra's
// request id and duration. It never logs a header or a body: the form carries the client secret
// or assertion and the answer the token. The context is the Terraform operation's, so the line
// lands in the provider's log with the request that needed the token.
type tokenLoggingPolicy struct{}

func (tokenLoggingPolicy) Do(req *policy.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := req.Next()
	raw := req.Raw()
	fields := map[string]any{
		"method": raw.Method, "url": RedactURL(raw.URL.String()), "duration_ms": time.Since(start).Milliseconds(),
	}
	if err != nil {
		// azcore's transport errors name the URL with its query, which may carry an msi_res_id
		// or a key: only the kind of failure is logged.
		fields["error"] = redactURLError(err).Error()
	} else {
		fields["status"] = resp.StatusCode
		fields["request_id"] = resp.Header.Get("x-ms-request-id")
	}
	tflog.Debug(raw.Context(), "Entra ID request", fields)
	return resp, err
}
