package graph

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// An ID token URL can carry a secret in its query (a signature, a key). These tests give one
// that holds a marker and check that no error text quotes it, nor the request token, in every
// error path: status errors (whose bodies may echo the request), transport errors, redirects
// and URLs that do not parse.
const (
	queryMarker  = "MARKER-query-secret-4f1d"
	requestToken = "request-token-Sekr1t-77"
)

func checkHidden(t *testing.T, err error, wantPath string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, s := range []string{queryMarker, requestToken} {
		if strings.Contains(msg, s) {
			t.Errorf("the error quotes %q: %s", s, msg)
		}
	}
	if wantPath != "" && !strings.Contains(msg, wantPath) {
		t.Errorf("the error lacks %q: %s", wantPath, msg)
	}
	t.Logf("%s", msg)
}

func TestIDTokenErrorsHideTheQuery(t *testing.T) {
	// echo answers 401 with a body that quotes the request back, as a misbehaving proxy might.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"message": "Bad credentials for ` + r.URL.String() + ` with ` + r.Header.Get("Authorization") + `"}`))
	}))
	defer echo.Close()
	// badRedirect sends the client to a Location that does not parse and that carries the marker.
	badRedirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "http://bad host/next?sig="+queryMarker)
		w.WriteHeader(http.StatusFound)
	}))
	defer badRedirect.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	withQuery := func(base string) string { return base + "/idtoken?api-version=2.0&sig=" + queryMarker }
	hc := &http.Client{}
	cases := []struct {
		name, url, wantPath string
	}{
		{"status error", withQuery(echo.URL), echo.URL + "/idtoken"},
		{"transport error", withQuery(closedURL), closedURL + "/idtoken"},
		{"redirect to an unparsable Location", withQuery(badRedirect.URL), badRedirect.URL + "/idtoken"},
		{"a URL that does not parse", "http://127.0.0.1:1/\x7f?sig=" + queryMarker, "oidc_request_url is not a URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Run("GitHub Actions", func(t *testing.T) {
				_, err := gitHubAssertion(hc, tc.url, requestToken)(t.Context())
				checkHidden(t, err, tc.wantPath)
			})
			t.Run("Azure DevOps", func(t *testing.T) {
				_, err := azureDevOpsAssertion(hc, tc.url, requestToken, "connection-id")(t.Context())
				checkHidden(t, err, tc.wantPath)
			})
			t.Run("managed identity endpoint", func(t *testing.T) {
				c := &msiEndpointCredential{endpoint: tc.url, http: hc}
				_, err := c.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}})
				checkHidden(t, err, strings.Replace(tc.wantPath, "oidc_request_url", "msi_endpoint", 1))
			})
		})
	}
}
