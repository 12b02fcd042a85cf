package provider_test

import (
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// These tests run the provider binary through the terraform CLI (acctest.Harness), not in this
// process: Go reads HTTPS_PROXY, NO_PROXY and SSL_CERT_FILE once per process, so only a process
// of its own can be given a proxy or a CA per test.
//
// Go never proxies a request to "localhost" or a loopback IP, whatever HTTPS_PROXY says
// (net/http's ProxyFromEnvironment), and the emulator listens on 127.0.0.1. So the provider is
// pointed at names that do not resolve (*.intune.test; .test is reserved and never resolves) and
// the test's proxy, which resolves names for its clients as any forward proxy does, maps them to
// the emulator. A request that bypassed the proxy could not reach the emulator at all, and the
// provider runs exactly the code users run: nothing in it knows about the test.

const (
	proxyUser     = "corp\\svc-terraform"
	proxyPassword = "Pr0xy:p@ss/w0rd~7c41"
)

// proxiedSim starts an emulator that also answers to graph.intune.test and login.intune.test
// and returns it with those two endpoints and the proxy host map that reaches them.
func proxiedSim(t *testing.T) (sim *graphsim.Server, graphURL, loginURL string, hosts map[string]string) {
	t.Helper()
	sim, _ = acctest.NewSim(t, graphsim.Options{Hostnames: []string{"graph.intune.test", "login.intune.test"}})
	addr := sim.Options().Addr
	_, port, _ := net.SplitHostPort(addr)
	hosts = map[string]string{"graph.intune.test:" + port: addr, "login.intune.test:" + port: addr}
	return sim, "https://graph.intune.test:" + port, "https://login.intune.test:" + port + "/", hosts
}

func proxiedConfig(graphURL, loginURL string) map[string]string {
	return map[string]string{"main.tf": fmt.Sprintf(`
provider "intune" {
  graph_endpoint = %q
  authority_host = %q
}

data "intune_security_configuration_tasks" "all" {}
`, graphURL, loginURL)}
}

// cliEnv is the environment of one CLI run: the emulator's tenant, app and secret from acctest.Main, no
// other credentials, and the given variables.
func cliEnv(extra ...string) []string {
	env := []string{"ARM_USE_CLI=false", "ARM_GRAPH_ENDPOINT=", "ARM_AUTHORITY_HOST=", "AZURE_AUTHORITY_HOST=",
		"HTTPS_PROXY=", "https_proxy=", "HTTP_PROXY=", "http_proxy=", "NO_PROXY=", "no_proxy=", "TF_LOG=", "TF_LOG_PATH="}
	for _, k := range authVars {
		if k != "ARM_CLIENT_ID" && k != "ARM_CLIENT_SECRET" {
			env = append(env, k+"=")
		}
	}
	return append(env, extra...)
}

// assertNoProxySecret fails if text holds the proxy password in any spelling a client could
// print it: as is, URL-encoded, or inside the Basic credentials.
func assertNoProxySecret(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range []string{proxyPassword, url.UserPassword(proxyUser, proxyPassword).String(), url.QueryEscape(proxyPassword),
		base64.StdEncoding.EncodeToString([]byte(proxyUser + ":" + proxyPassword))} {
		if strings.Contains(text, s) {
			t.Fatalf("%s holds the proxy credentials (%d bytes scanned)", what, len(text))
		}
	}
	if pw := strings.SplitN(url.UserPassword(proxyUser, proxyPassword).String(), ":", 2)[1]; strings.Contains(text, pw) {
		t.Fatalf("%s holds the encoded proxy password", what)
	}
}

func TestAccNetwork_authenticatingProxy(t *testing.T) {
	h := acctest.NewHarness(t)
	sim, graphURL, loginURL, hosts := proxiedSim(t)
	proxy := acctest.StartProxy(t, acctest.ProxyOptions{User: proxyUser, Password: proxyPassword, Hosts: hosts})
	dir := h.Dir(t, proxiedConfig(graphURL, loginURL))
	logFile := filepath.Join(t.TempDir(), "debug.log")

	out, err := h.RunEnv(t, dir, cliEnv("HTTPS_PROXY="+proxy.URLWithCredentials(proxyUser, proxyPassword), "TF_LOG=DEBUG", "TF_LOG_PATH="+logFile),
		"plan", "-no-color", "-input=false")
	if err != nil {
		t.Fatalf("plan through the proxy failed: %v\n%s", err, out)
	}
	// Both the token request and the Graph request went through the tunnel, under the names the
	// provider was given (the Host the emulator saw).
	got := strings.Join(proxy.Connects(), " ")
	for target := range hosts {
		if !strings.Contains(got, target) {
			t.Fatalf("the proxy tunnelled %q, not %s", got, target)
		}
	}
	var sawToken, sawGraph bool
	for _, r := range sim.Requests() {
		switch r.Route {
		case graphsim.RouteToken:
			sawToken = sawToken || strings.HasPrefix(r.Host, "login.intune.test:") && r.Status == 200
		case graphsim.RouteTasks:
			sawGraph = sawGraph || strings.HasPrefix(r.Host, "graph.intune.test:") && r.Status == 200
		}
	}
	if !sawToken || !sawGraph {
		t.Fatalf("the emulator did not answer a token request at login.intune.test (%t) and a list at graph.intune.test (%t)", sawToken, sawGraph)
	}
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	assertNoProxySecret(t, "the DEBUG log", log)
	assertNoProxySecret(t, "the plan output", out)
	assertDebugRequestLines(t, log, graphURL, loginURL)
	assertNoSimSecrets(t, sim, log)

	t.Run("wrong proxy password", func(t *testing.T) {
		refused := proxy.Refused()
		out, err := h.RunEnv(t, dir, cliEnv("HTTPS_PROXY="+proxy.URLWithCredentials(proxyUser, "not-"+proxyPassword)), "plan", "-no-color", "-input=false")
		if err == nil {
			t.Fatalf("plan succeeded with a wrong proxy password:\n%s", out)
		}
		if proxy.Refused() <= refused || !strings.Contains(out, "Proxy Authentication Required") {
			t.Fatalf("the proxy refused %d CONNECTs; output:\n%s", proxy.Refused()-refused, out)
		}
		if strings.Contains(out, "not-"+proxyPassword) || strings.Contains(out, url.QueryEscape("not-"+proxyPassword)) {
			t.Fatal("the error shows the proxy password")
		}
	})
	t.Run("NO_PROXY bypasses the proxy", func(t *testing.T) {
		before := len(proxy.Connects())
		out, err := h.RunEnv(t, dir, cliEnv("HTTPS_PROXY="+proxy.URLWithCredentials(proxyUser, proxyPassword), "NO_PROXY=.intune.test"),
			"plan", "-no-color", "-input=false")
		// Dialled directly, the .test names cannot be resolved: the plan fails on the first request.
		if err == nil || !strings.Contains(out, "login.intune.test") {
			t.Fatalf("plan with NO_PROXY covering the hosts: %v\n%s", err, out)
		}
		if n := len(proxy.Connects()); n != before {
			t.Fatalf("the proxy tunnelled %d connections for hosts NO_PROXY covers", n-before)
		}
		assertNoProxySecret(t, "the plan output", out)
	})
}

// assertDebugRequestLines checks the lines TF_LOG=DEBUG gives for each request: method, URL
// without its query, status, request id and duration.
func assertDebugRequestLines(t *testing.T, log, graphURL, loginURL string) {
	t.Helper()
	graphLine := regexp.MustCompile(`Graph request: .*`)
	var found, foundEntra bool
	for _, line := range strings.Split(log, "\n") {
		switch {
		case graphLine.MatchString(line) && strings.Contains(line, "url="+graphURL+"/beta/deviceAppManagement/deviceAppManagementTasks"):
			for _, w := range []string{"method=GET", "status=200", "duration_ms=", "client_request_id="} {
				if !strings.Contains(line, w) {
					t.Fatalf("the Graph request line lacks %s: %s", w, line)
				}
			}
			if !regexp.MustCompile(`request_id=[0-9a-f-]{36}`).MatchString(line) {
				t.Fatalf("the Graph request line has no request id: %s", line)
			}
			found = true
		case strings.Contains(line, "identity request:") && strings.Contains(line, "url="+loginURL) && strings.Contains(line, "/oauth2/v2.0/token"):
			for _, w := range []string{"method=POST", "status=200", "duration_ms="} {
				if !strings.Contains(line, w) {
					t.Fatalf("the identity request line lacks %s: %s", w, line)
				}
			}
			if !regexp.MustCompile(`request_id=[0-9a-f-]{36}`).MatchString(line) {
				t.Fatalf("the identity request line has no request id: %s", line)
			}
			foundEntra = true
		}
	}
	if !found || !foundEntra {
		t.Fatalf("the DEBUG log lacks a Graph request line (%t) or an Entra ID token request line (%t); it holds %d bytes", found, foundEntra, len(log))
	}
}

// assertNoSimSecrets fails if log holds the emulator's client secret or any token it issued.
func assertNoSimSecrets(t *testing.T, sim *graphsim.Server, log string) {
	t.Helper()
	if strings.Contains(log, sim.Options().ClientSecret) {
		t.Fatal("the log holds the client secret")
	}
	toks := sim.IssuedTokens()
	if len(toks) == 0 {
		t.Fatal("no tokens issued: nothing to look for")
	}
	for _, tok := range toks {
		if strings.Contains(log, tok[strings.LastIndex(tok, ".")+1:]) {
			t.Fatal("the log holds a token the emulator issued")
		}
	}
}

func TestAccNetwork_tlsInspectingProxy(t *testing.T) {
	h := acctest.NewHarness(t)
	sim, graphURL, loginURL, hosts := proxiedSim(t)
	upstream := x509.NewCertPool()
	upstream.AppendCertsFromPEM(sim.CAPEM())
	proxy := acctest.StartProxy(t, acctest.ProxyOptions{Hosts: hosts, Inspect: true, Upstream: upstream})
	dir := h.Dir(t, proxiedConfig(graphURL, loginURL))

	// The corporate CA in SSL_CERT_FILE, as the machines behind such a proxy have it: the only CA
	// the provider trusts here is the proxy's, so every request succeeds only through it.
	out, err := h.RunEnv(t, dir, cliEnv("HTTPS_PROXY="+proxy.URL(), "SSL_CERT_FILE="+proxy.CAFile), "plan", "-no-color", "-input=false")
	if err != nil {
		t.Fatalf("plan through the inspecting proxy failed: %v\n%s", err, out)
	}
	var inspected int
	for _, r := range sim.Requests() {
		if r.Header.Get("Via") != acctest.ProxyVia {
			t.Fatalf("%s %s reached the emulator without going through the inspection", r.Method, r.Path)
		}
		inspected++
	}
	if inspected == 0 || sim.Count("GET", graphsim.RouteTasks) == 0 {
		t.Fatalf("%d requests inspected, %d lists", inspected, sim.Count("GET", graphsim.RouteTasks))
	}

	t.Run("without the proxy's CA the provider refuses the forged certificate", func(t *testing.T) {
		before := len(sim.Requests())
		out, err := h.RunEnv(t, dir, cliEnv("HTTPS_PROXY="+proxy.URL(), "SSL_CERT_FILE="+sim.CAFile()), "plan", "-no-color", "-input=false")
		if err == nil || !strings.Contains(out, "certificate signed by unknown authority") {
			t.Fatalf("plan trusting only the emulator's CA: %v\n%s", err, out)
		}
		if n := len(sim.Requests()) - before; n != 0 {
			t.Fatalf("%d requests reached the emulator", n)
		}
	})
}

// nationalClouds are the environment names a user may type, with the hosts each must reach.
var nationalClouds = []struct{ environment, login, graph string }{
	{"public", "login.microsoftonline.com", "graph.microsoft.com"},
	{"gcc", "login.microsoftonline.com", "graph.microsoft.com"},
	{"usgovernment", "login.microsoftonline.us", "graph.microsoft.us"},
	{"GCC-High", "login.microsoftonline.us", "graph.microsoft.us"},
	{"dod", "login.microsoftonline.us", "dod-graph.microsoft.us"},
	{"china", "login.chinacloudapi.cn", "microsoftgraph.chinacloudapi.cn"},
}

// TestAccNetwork_nationalClouds runs a plan for each environment with the real hosts of that
// cloud, reached through a proxy that maps them all to one emulator (whose certificate names
// them, trusted through SSL_CERT_FILE). It checks what each cloud's Entra ID and Graph would
// receive: the login host, the token's scope (its audience) and the Graph host. The emulator
// refuses a Graph request whose token was issued for another host, as Graph does.
func TestAccNetwork_nationalClouds(t *testing.T) {
	h := acctest.NewHarness(t)
	var names []string
	for _, c := range nationalClouds {
		names = append(names, c.login, c.graph)
	}
	sim, _ := acctest.NewSim(t, graphsim.Options{Hostnames: names})
	hosts := map[string]string{}
	for _, n := range names {
		hosts[n+":443"] = sim.Options().Addr
	}
	proxy := acctest.StartProxy(t, acctest.ProxyOptions{Hosts: hosts})
	for _, c := range nationalClouds {
		t.Run(c.environment, func(t *testing.T) {
			dir := h.Dir(t, map[string]string{"main.tf": fmt.Sprintf(`
provider "intune" {
  environment = %q
}

data "intune_security_configuration_tasks" "all" {}
`, c.environment)})
			before := len(sim.Requests())
			out, err := h.RunEnv(t, dir, cliEnv("HTTPS_PROXY="+proxy.URL()), "plan", "-no-color", "-input=false")
			if err != nil {
				t.Fatalf("plan: %v\n%s", err, out)
			}
			var scope, graphHost string
			for _, r := range sim.Requests()[before:] {
				switch r.Route {
				case graphsim.RouteToken:
					if r.Host != c.login {
						t.Fatalf("token requested from %s, want %s", r.Host, c.login)
					}
					form, _ := url.ParseQuery(r.Body)
					scope = form.Get("scope")
				case graphsim.RouteTasks:
					if r.Status != 200 {
						t.Fatalf("Graph answered %d at %s", r.Status, r.Host)
					}
					graphHost = r.Host
				}
			}
			if want := "https://" + c.graph + "/.default"; !strings.Contains(" "+scope+" ", " "+want+" ") {
				t.Fatalf("the token was asked for scope %q, want %s", scope, want)
			}
			if graphHost != c.graph {
				t.Fatalf("the list was sent to %q, want %s", graphHost, c.graph)
			}
		})
	}
}
