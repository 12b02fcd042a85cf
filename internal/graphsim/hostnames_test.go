package graphsim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// nameClient reaches srv under any name: it dials srv's address whatever the URL's host (as a
// proxy mapping names to the emulator would), and verifies the certificate for the URL's host.
func nameClient(t *testing.T, srv *Server) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(srv.CAPEM())
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, srv.Options().Addr)
		},
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 15 * time.Second}
}

func fetch(t *testing.T, hc *http.Client, method, u, token string, form url.Values) (int, []byte) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequestWithContext(t.Context(), method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if strings.Contains(u, "/metadata/identity/") {
		req.Header.Set("Metadata", "true")
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func accessToken(t *testing.T, b []byte) string {
	t.Helper()
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(b, &tr); err != nil || tr.AccessToken == "" {
		t.Fatalf("no token in %s", b)
	}
	return tr.AccessToken
}

// TestHostnamesAndAudience: the emulator answers to its Hostnames with a certificate naming them,
// issues tokens whose audience is the resource asked for, and (like Graph) refuses a token at a
// host other than its audience.
func TestHostnamesAndAudience(t *testing.T) {
	srv, err := Start(Options{Hostnames: []string{"graph.cloud-a.test", "graph.cloud-b.test", "login.cloud.test"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	hc := nameClient(t, srv)
	_, port, _ := net.SplitHostPort(srv.Options().Addr)
	tokenFor := func(resource string) string {
		st, b := fetch(t, hc, "POST", "https://login.cloud.test:"+port+"/"+DefaultTenantID+"/oauth2/v2.0/token", "", url.Values{
			"grant_type": {"client_credentials"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}, "scope": {resource + "/.default"},
		})
		if st != 200 {
			t.Fatalf("token for %s: %d %s", resource, st, b)
		}
		return accessToken(t, b)
	}
	a := "https://graph.cloud-a.test:" + port
	tok := tokenFor(a)
	if aud := tokenAudience(tok); aud != a {
		t.Fatalf("aud %q, want %q", aud, a)
	}
	if st, b := fetch(t, hc, "GET", a+tasksPath, tok, nil); st != 200 {
		t.Fatalf("at its audience: %d %s", st, b)
	}
	st, b := fetch(t, hc, "GET", "https://graph.cloud-b.test:"+port+tasksPath, tok, nil)
	if st != 401 || !strings.Contains(string(b), "Invalid audience") {
		t.Fatalf("at another host: %d %s", st, b)
	}
	// A host of the list without the port is a resource too (port 443 behind a proxy).
	if aud := tokenAudience(tokenFor("https://graph.cloud-b.test")); aud != "https://graph.cloud-b.test" {
		t.Fatalf("aud %q", aud)
	}
	// A name not in the list is no resource of this emulator.
	st, b = fetch(t, hc, "POST", "https://login.cloud.test:"+port+"/"+DefaultTenantID+"/oauth2/v2.0/token", "", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}, "scope": {"https://graph.other.test/.default"},
	})
	if st != 400 || !strings.Contains(string(b), "invalid_resource") {
		t.Fatalf("a foreign resource: %d %s", st, b)
	}
	hosts := map[string]bool{}
	for _, r := range srv.Requests() {
		hosts[r.Host] = true
	}
	for _, h := range []string{"login.cloud.test:" + port, "graph.cloud-a.test:" + port, "graph.cloud-b.test:" + port} {
		if !hosts[h] {
			t.Fatalf("the request log lacks Host %s: %v", h, hosts)
		}
	}
}

func TestUserAssignedIdentityByResourceID(t *testing.T) {
	srv, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	const resID = "/subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id"
	ep := srv.EnableUserAssignedIdentity("uai-client", resID)
	hc := nameClient(t, srv)
	q := func(extra string) (int, []byte) {
		return fetch(t, hc, "GET", ep+"?api-version=2018-02-01&resource="+url.QueryEscape(srv.URL())+extra, "", nil)
	}
	st, b := q("&msi_res_id=" + url.QueryEscape(strings.ToUpper(resID)))
	if st != 200 || !strings.Contains(string(b), `"client_id":"uai-client"`) {
		t.Fatalf("by resource id: %d %s", st, b)
	}
	if st, b := q("&client_id=uai-client"); st != 200 {
		t.Fatalf("by client id: %d %s", st, b)
	}
	if st, b := q("&msi_res_id=" + url.QueryEscape(resID+"-other")); st != 400 || !strings.Contains(string(b), "Identity not found") {
		t.Fatalf("another resource id: %d %s", st, b)
	}
	if st, b := q("&client_id=uai-client&msi_res_id=" + url.QueryEscape(resID)); st != 400 {
		t.Fatalf("both: %d %s", st, b)
	}
	if st, b := q(""); st != 400 {
		t.Fatalf("no system-assigned identity was enabled, yet: %d %s", st, b)
	}
}

func TestGuestTenant(t *testing.T) {
	const guest = "99999999-8888-4777-8666-555555555555"
	e := newEnv(t, Options{GuestTenantIDs: []string{guest}})
	resp, body := e.send(mustReq(t, "GET", e.srv.URL()+"/"+guest+"/v2.0/.well-known/openid-configuration"))
	if resp.StatusCode != 200 || !strings.Contains(string(body), "/"+guest+"/oauth2/v2.0/token") {
		t.Fatalf("guest discovery: %d %s", resp.StatusCode, body)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}, "scope": {e.srv.URL() + "/.default"}}
	if resp, body := e.postForm("/"+guest+"/oauth2/v2.0/token", form); resp.StatusCode != 200 {
		t.Fatalf("guest token: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.postForm("/00000000-1111-4222-8333-444444444444/oauth2/v2.0/token", form); resp.StatusCode != 400 {
		t.Fatalf("unknown tenant: %d %s", resp.StatusCode, body)
	}
}

func mustReq(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
