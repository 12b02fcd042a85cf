package graphsim

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

var guidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

const tasksPath = "/beta/deviceAppManagement/deviceAppManagementTasks"

// env is a running emulator plus a client that trusts its CA.
type env struct {
	t     *testing.T
	srv   *Server
	hc    *http.Client
	token string
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	srv, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	e := &env{t: t, srv: srv, hc: trustingClient(t, srv, false)}
	e.token = e.getToken()
	return e
}

// trustingClient verifies the server certificate against the emulator CA,
// read from the CA file like SSL_CERT_FILE users would.
func trustingClient(t *testing.T, srv *Server, h2 bool) *http.Client {
	t.Helper()
	pemBytes, err := readFile(srv.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("CA file holds no certificate")
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: h2}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 15 * time.Second}
}

func (e *env) getToken() string {
	e.t.Helper()
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {e.srv.Options().ClientID},
		"client_secret": {e.srv.Options().ClientSecret},
		"scope":         {e.srv.URL() + "/.default"},
	}
	resp, body := e.postForm("/"+e.srv.Options().TenantID+"/oauth2/v2.0/token", form)
	if resp.StatusCode != 200 {
		e.t.Fatalf("token: %d %s", resp.StatusCode, body)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	mustJSON(e.t, body, &tr)
	return tr.AccessToken
}

func (e *env) postForm(path string, form url.Values) (*http.Response, []byte) {
	e.t.Helper()
	req, _ := http.NewRequestWithContext(e.t.Context(), "POST", e.srv.URL()+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	return e.send(req)
}

func (e *env) send(req *http.Request) (*http.Response, []byte) {
	e.t.Helper()
	resp, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, b
}

// newReq builds an authenticated Graph request; body may be nil, a string or
// any JSON-encodable value.
func (e *env) newReq(ctx context.Context, method, path string, body any) *http.Request {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	u := path
	if !strings.HasPrefix(u, "https://") {
		u = e.srv.URL() + path
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Accept", "application/json")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

func (e *env) do(method, path string, body any) (*http.Response, []byte) {
	e.t.Helper()
	return e.send(e.newReq(context.Background(), method, path, body))
}

// create POSTs a valid minimal task and returns the served entity.
func (e *env) create(extra map[string]any) map[string]any {
	e.t.Helper()
	body := map[string]any{"@odata.type": "#microsoft.graph.securityConfigurationTask", "displayName": "t"}
	for k, v := range extra {
		body[k] = v
	}
	resp, b := e.do("POST", tasksPath, body)
	if resp.StatusCode != 201 {
		e.t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	var m map[string]any
	mustJSON(e.t, b, &m)
	return m
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("bad JSON %q: %v", b, err)
	}
}

type graphErrBody struct {
	Error struct {
		Code       string            `json:"code"`
		Message    string            `json:"message"`
		InnerError map[string]string `json:"innerError"`
	} `json:"error"`
}

func graphErr(t *testing.T, b []byte) graphErrBody {
	t.Helper()
	var ge graphErrBody
	mustJSON(t, b, &ge)
	if ge.Error.Code == "" || ge.Error.InnerError["request-id"] == "" {
		t.Fatalf("not a Graph error: %s", b)
	}
	if _, err := time.Parse("2006-01-02T15:04:05", ge.Error.InnerError["date"]); err != nil {
		t.Fatalf("innerError.date %q: %v", ge.Error.InnerError["date"], err)
	}
	return ge
}

func readFile(p string) ([]byte, error) { return os.ReadFile(p) }

// noRouteMessage is what Graph answered to a POST typed as the base type
// (graph-behaviour.md §1).
const noRouteMessage = "No OData route exists that match template ~/singleton/navigation with http verb POST for request /PartnerIntegrations/TicketingFEService/deviceAppManagement/deviceAppManagementTasks."
