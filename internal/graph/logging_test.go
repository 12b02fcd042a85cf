package graph

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// TestIdentityRequestsLogged: a request this package sends itself (here to a custom managed
// identity endpoint whose query carries a key) gets one debug line with method, URL without the
// query, status and request id, and nothing of the key or the token.
func TestIdentityRequestsLogged(t *testing.T) {
	const key, token = "KEY-in-query-91c2", "tok-SECRET-5a7e.sig"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-ms-request-id", "0f0f0f0f-1111-4222-8333-444444444444")
		fmt.Fprintf(w, `{"access_token": %q, "expires_in": "3600"}`, token)
	}))
	defer srv.Close()
	cred, err := NewCredential(AuthConfig{UseMSI: true, MSIEndpoint: srv.URL + "/msi/token?key=" + key, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	if _, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}}); err != nil {
		t.Fatal(err)
	}
	lines, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	for _, l := range lines {
		if l["@message"] == identityRequest {
			got = l
		}
	}
	if got == nil {
		t.Fatalf("no %q line in %v", identityRequest, lines)
	}
	want := map[string]any{"@level": "debug", "method": "GET", "url": srv.URL + "/msi/token?<redacted>",
		"status": float64(200), "request_id": "0f0f0f0f-1111-4222-8333-444444444444"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if _, ok := got["duration_ms"]; !ok {
		t.Error("no duration_ms")
	}
	all := fmt.Sprint(lines)
	for _, s := range []string{key, token} {
		if strings.Contains(all, s) {
			t.Errorf("the log holds %q", s)
		}
	}
}
