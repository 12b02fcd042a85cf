package graphsim

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// signRS signs claims with key (RS256, or PS256 when pss), with extra header fields.
func signRS(t *testing.T, key *rsa.PrivateKey, pss bool, hdr, claims map[string]any) string {
	t.Helper()
	alg := "RS256"
	if pss {
		alg = "PS256"
	}
	h := map[string]any{"typ": "JWT", "alg": alg}
	for k, v := range hdr {
		h[k] = v
	}
	hb, _ := json.Marshal(h)
	cb, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString(hb) + "." + enc.EncodeToString(cb)
	sum := sha256.Sum256([]byte(signing))
	var sig []byte
	var err error
	if pss {
		sig, err = rsa.SignPSS(rand.Reader, key, crypto.SHA256, sum[:], nil)
	} else {
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	return signing + "." + enc.EncodeToString(sig)
}

func rsaKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func selfSigned(t *testing.T, key *rsa.PrivateKey) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: randomSerial(), Subject: pkix.Name{CommonName: "app"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c
}

// assertionToken asks for a token with a client assertion and returns the status and Entra's AADSTS code (0 on success).
func (e *env) assertionToken(clientID, assertion string) (int, []int) {
	e.t.Helper()
	resp, body := e.postForm("/"+e.srv.Options().TenantID+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {clientID}, "scope": {e.srv.URL() + "/.default"},
		"client_assertion_type": {jwtBearer}, "client_assertion": {assertion},
	})
	var out struct {
		ErrorCodes []int `json:"error_codes"`
	}
	_ = json.Unmarshal(body, &out)
	return resp.StatusCode, out.ErrorCodes
}

func TestCertificateAssertion(t *testing.T) {
	e := newEnv(t, Options{})
	key, other := rsaKey(t), rsaKey(t)
	cert, otherCert := selfSigned(t, key), selfSigned(t, other)
	const app = "cccccccc-0000-4000-8000-000000000001"
	e.srv.RegisterClientCertificate(app, cert)
	aud := e.srv.URL() + "/" + DefaultTenantID + "/oauth2/v2.0/token"
	now := time.Now().Unix()
	claims := func(mod func(map[string]any)) map[string]any {
		c := map[string]any{"aud": aud, "iss": app, "sub": app, "jti": newGUID(), "nbf": now, "exp": now + 600}
		if mod != nil {
			mod(c)
		}
		return c
	}
	s256 := func(c *x509.Certificate) map[string]any {
		h := sha256.Sum256(c.Raw)
		return map[string]any{"x5t#S256": base64.StdEncoding.EncodeToString(h[:])}
	}
	cases := []struct {
		name   string
		jwt    string
		status int
		code   int
	}{
		{"PS256 x5t#S256 as MSAL signs", signRS(t, key, true, s256(cert), claims(nil)), 200, 0},
		{"RS256", signRS(t, key, false, s256(cert), claims(nil)), 200, 0},
		{"unregistered certificate", signRS(t, other, true, s256(otherCert), claims(nil)), 401, 700027},
		{"signed by another key", signRS(t, other, true, s256(cert), claims(nil)), 401, 700027},
		{"wrong audience", signRS(t, key, true, s256(cert), claims(func(c map[string]any) { c["aud"] = "https://login.microsoftonline.com/x/oauth2/v2.0/token" })), 401, 700212},
		{"iss is not the client", signRS(t, key, true, s256(cert), claims(func(c map[string]any) { c["iss"] = "someone" })), 401, 700021},
		{"expired", signRS(t, key, true, s256(cert), claims(func(c map[string]any) { c["exp"] = now - 3600 })), 400, 700024},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, codes := e.assertionToken(app, tc.jwt)
			if status != tc.status || (tc.code != 0 && (len(codes) == 0 || codes[0] != tc.code)) {
				t.Fatalf("got %d %v, want %d %d", status, codes, tc.status, tc.code)
			}
		})
	}
}

func TestFederatedAssertion(t *testing.T) {
	e := newEnv(t, Options{})
	key, other := rsaKey(t), rsaKey(t)
	const iss, sub, app = "https://issuer.test", "system:serviceaccount:ns:sa", "dddddddd-0000-4000-8000-000000000001"
	e.srv.RegisterFederatedIssuer(iss, &key.PublicKey, sub, app)
	now := time.Now().Unix()
	claims := func(mod func(map[string]any)) map[string]any {
		c := map[string]any{"iss": iss, "sub": sub, "aud": []string{exchangeAudience}, "nbf": now, "exp": now + 600}
		if mod != nil {
			mod(c)
		}
		return c
	}
	cases := []struct {
		name   string
		jwt    string
		status int
		code   int
	}{
		{"accepted", signRS(t, key, false, nil, claims(nil)), 200, 0},
		{"bad signature", signRS(t, other, false, nil, claims(nil)), 401, 700027},
		{"unknown issuer", signRS(t, key, false, nil, claims(func(c map[string]any) { c["iss"] = "https://elsewhere" })), 400, 700211},
		{"unknown subject", signRS(t, key, false, nil, claims(func(c map[string]any) { c["sub"] = "other" })), 400, 70021},
		{"wrong audience", signRS(t, key, false, nil, claims(func(c map[string]any) { c["aud"] = "api://other" })), 400, 700212},
		{"expired", signRS(t, key, false, nil, claims(func(c map[string]any) { c["exp"] = now - 3600 })), 400, 700024},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, codes := e.assertionToken(app, tc.jwt)
			if status != tc.status || (tc.code != 0 && (len(codes) == 0 || codes[0] != tc.code)) {
				t.Fatalf("got %d %v, want %d %d", status, codes, tc.status, tc.code)
			}
		})
	}
}

func TestPipelineEndpoints(t *testing.T) {
	e := newEnv(t, Options{})
	const app = "eeeeeeee-0000-4000-8000-000000000001"
	ghURL := e.srv.EnableGitHubOIDC("gh-request-token", "repo:o/r:ref:refs/heads/main", app)
	get := func(u, method, bearer string) (*http.Response, []byte) {
		req, _ := http.NewRequestWithContext(t.Context(), method, u, nil)
		req.Header.Set("Authorization", "Bearer "+bearer)
		return e.send(req)
	}
	if resp, _ := get(ghURL+"&audience="+exchangeAudience, "GET", "wrong"); resp.StatusCode != 401 {
		t.Fatalf("GitHub with a bad request token: %d", resp.StatusCode)
	}
	resp, body := get(ghURL+"&audience="+exchangeAudience, "GET", "gh-request-token")
	var gh struct{ Value string }
	mustJSON(t, body, &gh)
	if resp.StatusCode != 200 || gh.Value == "" {
		t.Fatalf("GitHub: %d %s", resp.StatusCode, body)
	}
	if status, codes := e.assertionToken(app, gh.Value); status != 200 {
		t.Fatalf("GitHub ID token refused: %d %v", status, codes)
	}

	adoURL := e.srv.EnableAzureDevOpsOIDC("system-access-token", "conn-1", app)
	if resp, _ := get(adoURL+"?api-version=7.1&serviceConnectionId=conn-1", "POST", "wrong"); resp.StatusCode != 401 {
		t.Fatalf("ADO with a bad token: %d", resp.StatusCode)
	}
	resp, body = get(adoURL+"?api-version=7.1&serviceConnectionId=conn-1", "POST", "system-access-token")
	var ado struct{ OIDCToken string }
	mustJSON(t, body, &ado)
	if resp.StatusCode != 200 || ado.OIDCToken == "" {
		t.Fatalf("ADO: %d %s", resp.StatusCode, body)
	}
	if status, codes := e.assertionToken(app, ado.OIDCToken); status != 200 {
		t.Fatalf("ADO ID token refused: %d %v", status, codes)
	}
	if n := len(e.srv.IssuedIDTokens()); n != 2 {
		t.Fatalf("IssuedIDTokens: %d", n)
	}
	if e.srv.Count("GET", RouteOIDCGitHub) != 2 || e.srv.Count("POST", RouteOIDCAzureDevOps) != 2 {
		t.Fatalf("counts: %v", e.srv.Counts())
	}
	for _, r := range e.srv.Requests() {
		if strings.Contains(r.Header.Get("Authorization"), "token") && !strings.Contains(r.Header.Get("Authorization"), "redacted") {
			t.Fatalf("request log holds a bearer token: %v", r.Header)
		}
	}
}

func TestManagedIdentityEndpointAndMintToken(t *testing.T) {
	e := newEnv(t, Options{})
	const app = "ffffffff-0000-4000-8000-000000000001"
	ep := e.srv.EnableManagedIdentity(app)
	q := "?api-version=2018-02-01&resource=" + url.QueryEscape(e.srv.URL())
	req, _ := http.NewRequestWithContext(t.Context(), "GET", ep+q, nil)
	if resp, _ := e.send(req); resp.StatusCode != 400 {
		t.Fatalf("without Metadata: %d", resp.StatusCode)
	}
	req, _ = http.NewRequestWithContext(t.Context(), "GET", ep+q, nil)
	req.Header.Set("Metadata", "true")
	resp, body := e.send(req)
	var mi struct {
		AccessToken string `json:"access_token"`
		ExpiresOn   string `json:"expires_on"`
	}
	mustJSON(t, body, &mi)
	if resp.StatusCode != 200 || mi.AccessToken == "" || mi.ExpiresOn == "" {
		t.Fatalf("MSI: %d %s", resp.StatusCode, body)
	}
	minted, _ := e.srv.MintToken(app)
	for _, tok := range []string{mi.AccessToken, minted} {
		e.token = tok
		if resp, body := e.do("GET", tasksPath, nil); resp.StatusCode != 200 {
			t.Fatalf("Graph refused the token: %d %s", resp.StatusCode, body)
		}
	}
}
