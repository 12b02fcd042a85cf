package graphsim

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestCAFileAndTLS(t *testing.T) {
	e := newEnv(t, Options{})
	pemBytes, err := os.ReadFile(e.srv.CAFile())
	if err != nil || !strings.Contains(string(pemBytes), "BEGIN CERTIFICATE") {
		t.Fatalf("CA file: %v %q", err, pemBytes)
	}
	if string(e.srv.CAPEM()) != string(pemBytes) {
		t.Fatal("CAPEM differs from file")
	}
	// A client that does not trust the CA must fail verification.
	if _, err := http.DefaultClient.Do(mustGet(t, e.srv.URL()+"/"+DefaultTenantID+"/v2.0/.well-known/openid-configuration")); err == nil {
		t.Fatal("untrusting client connected")
	}
	// localhost is in the certificate too.
	u := strings.Replace(e.srv.URL(), "127.0.0.1", "localhost", 1)
	resp, err := e.hc.Do(mustGet(t, u+"/"+DefaultTenantID+"/v2.0/.well-known/openid-configuration"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	o := e.srv.Options()
	if o.TenantID != DefaultTenantID || o.ClientID != DefaultClientID || o.ClientSecret != DefaultClientSecret || o.PageSize != 100 {
		t.Fatalf("defaults not resolved: %+v", o)
	}
	path := e.srv.CAFile()
	e.srv.Close()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("temp CA file not removed: %v", err)
	}
}

func TestDiscovery(t *testing.T) {
	e := newEnv(t, Options{})
	resp, b := e.send(mustGet(t, e.srv.URL()+"/"+DefaultTenantID+"/v2.0/.well-known/openid-configuration"))
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var doc map[string]any
	mustJSON(t, b, &doc)
	base := e.srv.URL() + "/" + DefaultTenantID
	for k, want := range map[string]string{
		"issuer":                        base + "/v2.0",
		"token_endpoint":                base + "/oauth2/v2.0/token",
		"authorization_endpoint":        base + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint": base + "/oauth2/v2.0/devicecode",
		"jwks_uri":                      base + "/discovery/v2.0/keys",
	} {
		if doc[k] != want {
			t.Errorf("%s = %v, want %s", k, doc[k], want)
		}
	}
	if doc["tenant_region_scope"] == nil {
		t.Error("tenant_region_scope missing")
	}

	resp, b = e.send(mustGet(t, e.srv.URL()+"/nope/v2.0/.well-known/openid-configuration"))
	if resp.StatusCode != 400 || !strings.Contains(string(b), "AADSTS90002: Tenant 'nope' not found") {
		t.Fatalf("unknown tenant: %d %s", resp.StatusCode, b)
	}
}

// mustGet builds a GET request for u, bound to the test's context.
func mustGet(t *testing.T, u string) *http.Request {
	t.Helper()
	r, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestToken(t *testing.T) {
	e := newEnv(t, Options{})
	good := func() url.Values {
		return url.Values{
			"grant_type":    {"client_credentials"},
			"client_id":     {DefaultClientID},
			"client_secret": {DefaultClientSecret},
			"scope":         {e.srv.URL() + "/.default openid offline_access profile"}, // what MSAL sends
		}
	}
	tenantPath := "/" + DefaultTenantID + "/oauth2/v2.0/token"
	cases := []struct {
		name   string
		path   string
		mutate func(url.Values)
		status int
		err    string
		code   int
	}{
		{"ok", tenantPath, func(url.Values) {}, 200, "", 0},
		{"ok plain scope", tenantPath, func(v url.Values) { v.Set("scope", e.srv.URL()+"/.default") }, 200, "", 0},
		{"wrong tenant", "/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token", func(url.Values) {}, 400, "invalid_request", 90002},
		{"unknown client", tenantPath, func(v url.Values) { v.Set("client_id", "bbbbbbbb-0000-0000-0000-000000000000") }, 400, "unauthorized_client", 700016},
		{"wrong secret", tenantPath, func(v url.Values) { v.Set("client_secret", "nope") }, 401, "invalid_client", 7000215},
		{"no secret", tenantPath, func(v url.Values) { v.Del("client_secret") }, 401, "invalid_client", 7000218},
		{"scope without .default", tenantPath, func(v url.Values) { v.Set("scope", e.srv.URL()+"/DeviceManagementApps.ReadWrite.All") }, 400, "invalid_scope", 1002012},
		{"scope of another resource", tenantPath, func(v url.Values) { v.Set("scope", "https://graph.microsoft.com/.default") }, 400, "invalid_resource", 500011},
		{"missing scope", tenantPath, func(v url.Values) { v.Del("scope") }, 400, "invalid_request", 900144},
		{"bad grant", tenantPath, func(v url.Values) { v.Set("grant_type", "password") }, 400, "unsupported_grant_type", 70003},
		{"unknown assertion type", tenantPath, func(v url.Values) { v.Set("client_assertion_type", "urn:x") }, 400, "invalid_request", 50027},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			form := good()
			c.mutate(form)
			resp, b := e.postForm(c.path, form)
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.status, b)
			}
			if c.status == 200 {
				var tr map[string]any
				mustJSON(t, b, &tr)
				if tr["token_type"] != "Bearer" || tr["expires_in"] != float64(3599) || tr["ext_expires_in"] != float64(3599) {
					t.Fatalf("bad token response %s", b)
				}
				checkJWTShape(t, tr["access_token"].(string), e.srv)
				return
			}
			var er struct {
				Error         string `json:"error"`
				Description   string `json:"error_description"`
				Codes         []int  `json:"error_codes"`
				TraceID       string `json:"trace_id"`
				CorrelationID string `json:"correlation_id"`
				Timestamp     string `json:"timestamp"`
			}
			mustJSON(t, b, &er)
			if er.Error != c.err || len(er.Codes) != 1 || er.Codes[0] != c.code {
				t.Fatalf("got %s %v, want %s %d", er.Error, er.Codes, c.err, c.code)
			}
			if !strings.HasPrefix(er.Description, "AADSTS") || !strings.Contains(er.Description, "\r\nTrace ID: "+er.TraceID+"\r\nCorrelation ID: "+er.CorrelationID+"\r\nTimestamp: ") || er.Timestamp == "" {
				t.Fatalf("bad description %q", er.Description)
			}
		})
	}

	// client_secret_basic works too.
	form := good()
	form.Del("client_secret")
	form.Del("client_id")
	req, _ := http.NewRequestWithContext(t.Context(), "POST", e.srv.URL()+tenantPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(DefaultClientID, DefaultClientSecret)
	if resp, b := e.send(req); resp.StatusCode != 200 {
		t.Fatalf("basic auth: %d %s", resp.StatusCode, b)
	}
	if n := e.srv.Count("POST", RouteToken); n < len(cases)+1 {
		t.Fatalf("token count %d", n)
	}
}

func checkJWTShape(t *testing.T, tok string, srv *Server) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not JWT-shaped", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatal(err)
	}
	if claims["aud"] != srv.URL() || claims["tid"] != srv.Options().TenantID || claims["appid"] != srv.Options().ClientID || claims["exp"] == nil {
		t.Fatalf("claims %v", claims)
	}
	found := false
	for _, it := range srv.IssuedTokens() {
		found = found || it == tok
	}
	if !found {
		t.Fatal("token not remembered")
	}
}
