package provider_test

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
	"github.com/terraform-intune/terraform-provider-intune/internal/provider"
)

// Go-level tests: the provider's resolution of an environment (as a pipeline sets it), then
// graph.NewCredential, GetToken and a Graph call against the emulator. Those that do not touch the
// process environment run in parallel.

func TestAuth_gitHubFetchesAnIDTokenPerTokenRequest(t *testing.T) {
	t.Parallel()
	const appID = "c0000000-0000-4000-8000-000000006171"
	acctest.RequireEmulator(t)
	sim := acctest.Sim
	url := sim.EnableGitHubOIDC("gh-request-token-lazy", "repo:org/infra:ref:refs/heads/main", appID)
	getenv := simEnv(t, map[string]string{"ARM_USE_OIDC": "true", "ARM_CLIENT_ID": appID,
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN": "gh-request-token-lazy", "ACTIONS_ID_TOKEN_REQUEST_URL": url})
	idTokens := func() int {
		n := 0
		for _, r := range sim.Requests() {
			if r.Route == graphsim.RouteOIDCGitHub && strings.Contains(r.RawQuery, "AzureADTokenExchange") && r.Status == 200 {
				n++
			}
		}
		return n
	}
	start := idTokens()
	cred, endpoint := credentialFromEnv(t, getenv, graph.MethodGitHubOIDC)
	if n := idTokens() - start; n != 0 {
		t.Fatalf("configuring fetched %d ID tokens; they must be fetched at token requests", n)
	}
	// Two Entra token requests (two scopes: the emulator answers under both of its names) must
	// fetch two ID tokens: a GitHub token is good for minutes and is never kept.
	if err := getToken(cred, sim.URL()+"/.default"); err != nil {
		t.Fatal(err)
	}
	local := strings.Replace(sim.URL(), "127.0.0.1", "localhost", 1)
	if err := getToken(cred, local+"/.default"); err != nil {
		t.Fatal(err)
	}
	if n := idTokens() - start; n != 2 {
		t.Fatalf("%d ID token requests for 2 Entra token requests", n)
	}
	// The Graph client asks for an ordinary token (continuous access evaluation is off), the one
	// MSAL already holds for this scope: Graph calls fetch no ID token.
	listTasks(t, cred, endpoint)
	listTasks(t, cred, endpoint)
	if n := idTokens() - start; n != 2 {
		t.Fatalf("%d ID token requests for Graph calls with a cached access token", n-2)
	}
}

// TestAuth_graphClientDoesNotAskForCAE checks the Entra token requests a Graph call makes: they
// must not declare the CP1 client capability, which azidentity adds (as a claims form value) when
// asked for a continuous access evaluation token. The provider sends Graph requests itself and
// cannot answer the claims challenges such tokens draw (graph-behaviour.md §12).
func TestAuth_graphClientDoesNotAskForCAE(t *testing.T) {
	t.Parallel()
	const appID = "c0000000-0000-4000-8000-0000000000ca"
	sim := acctest.RequireEmulator(t)
	iss := newIssuer(t, sim, "cae", appID)
	cred, endpoint := credentialFromEnv(t, simEnv(t, map[string]string{"ARM_USE_OIDC": "true", "ARM_CLIENT_ID": appID,
		"ARM_OIDC_TOKEN": iss.sign(t, "cae")}), graph.MethodOIDCToken)
	listTasks(t, cred, endpoint)
	n := 0
	for _, r := range sim.Requests() {
		form, err := url.ParseQuery(r.Body)
		if r.Route != graphsim.RouteToken || err != nil || form.Get("client_id") != appID {
			continue
		}
		n++
		if c := form.Get("claims"); strings.Contains(c, "xms_cc") || strings.Contains(c, "CP1") {
			t.Errorf("a token request asks for a CAE token: claims=%s", c)
		}
	}
	if n == 0 {
		t.Fatal("the emulator logged no token request for the app")
	}
}

// TestAuth_clientCertificatePFX authenticates with both kinds of PKCS#12 file: what OpenSSL 3 and
// current Windows export (AES-256-CBC, PBKDF2, SHA-256 MAC), inline in base64 as pipelines pass
// it, and the legacy SHA-1/3DES kind, from a file.
func TestAuth_clientCertificatePFX(t *testing.T) {
	t.Parallel()
	sim := acctest.RequireEmulator(t)
	const password = "pfx-password"
	cases := []struct {
		name, appID string
		enc         *pkcs12.Encoder
		inline      bool
	}{
		{"AES-256 with a SHA-256 MAC, inline", "c0000000-0000-4000-8000-0000000ce256", pkcs12.Modern2023, true},
		{"SHA-1/3DES, from a file", "c0000000-0000-4000-8000-0000000ce3de", pkcs12.LegacyDES, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, key, cert := newClientCertificate(t, sim, tc.appID)
			pfx := pfxOf(t, tc.enc, key, cert, password)
			vars := map[string]string{"ARM_CLIENT_ID": tc.appID, "ARM_CLIENT_CERTIFICATE_PASSWORD": password}
			if tc.inline {
				vars["ARM_CLIENT_CERTIFICATE"] = base64.StdEncoding.EncodeToString(pfx)
			} else {
				vars["ARM_CLIENT_CERTIFICATE_PATH"] = writeFile(t, "client.pfx", string(pfx))
			}
			cred, endpoint := credentialFromEnv(t, simEnv(t, vars), graph.MethodClientCertificate)
			listTasks(t, cred, endpoint)
		})
	}
}

// TestAuth_clientCertificateWrongPassword: a PFX with the wrong client_certificate_password is an
// error that names the argument and says the password does not open the file, without quoting it.
func TestAuth_clientCertificateWrongPassword(t *testing.T) {
	t.Parallel()
	const appID = "c0000000-0000-4000-8000-0000000ce0ff"
	sim := acctest.RequireEmulator(t)
	_, key, cert := newClientCertificate(t, sim, appID)
	pfx := pfxOf(t, pkcs12.Modern2023, key, cert, "the-right-password")
	const wrong = "Sekr1t~the-wrong-password"
	_, auth, err := provider.ResolveFromEnv(simEnv(t, map[string]string{"ARM_CLIENT_ID": appID,
		"ARM_CLIENT_CERTIFICATE": base64.StdEncoding.EncodeToString(pfx), "ARM_CLIENT_CERTIFICATE_PASSWORD": wrong}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = graph.NewCredential(auth)
	if err == nil {
		t.Fatal("no error")
	}
	if msg := err.Error(); !strings.Contains(msg, "client_certificate_password does not open the PKCS#12 (PFX) file") || strings.Contains(msg, wrong) {
		t.Fatalf("got %q", msg)
	}
}

func TestAuth_oidcTokenFileIsReadAtEachTokenRequest(t *testing.T) {
	t.Parallel()
	const appID = "c0000000-0000-4000-8000-00000000f11f"
	sim := acctest.RequireEmulator(t)
	iss := newIssuer(t, sim, "subject-1", appID)
	tokenFile := writeFile(t, "token", iss.sign(t, "subject-1"))
	cred, endpoint := credentialFromEnv(t, simEnv(t, map[string]string{"ARM_USE_OIDC": "true", "ARM_CLIENT_ID": appID,
		"ARM_OIDC_TOKEN_FILE_PATH": tokenFile}), graph.MethodOIDCTokenFile)
	listTasks(t, cred, endpoint)
	// Rotate the file to a token the emulator refuses: the next token request must read it.
	if err := os.WriteFile(tokenFile, []byte(iss.sign(t, "subject-unknown")), 0o600); err != nil {
		t.Fatal(err)
	}
	local := strings.Replace(sim.URL(), "127.0.0.1", "localhost", 1)
	if err := getToken(cred, local+"/.default"); err == nil || !strings.Contains(err.Error(), "AADSTS70021") {
		t.Fatalf("the rotated file was not read: %v", err)
	}
}

func TestAuth_oidcTokenInline(t *testing.T) {
	t.Parallel()
	const appID = "c0000000-0000-4000-8000-00000000f120"
	sim := acctest.RequireEmulator(t)
	iss := newIssuer(t, sim, "inline", appID)
	cred, endpoint := credentialFromEnv(t, simEnv(t, map[string]string{"ARM_USE_OIDC": "true", "ARM_CLIENT_ID": appID,
		"ARM_OIDC_TOKEN": iss.sign(t, "inline")}), graph.MethodOIDCToken)
	listTasks(t, cred, endpoint)
}

func TestAuth_azureDevOpsServiceConnection(t *testing.T) {
	t.Parallel()
	const appID = "c0000000-0000-4000-8000-0000000000de"
	sim := acctest.RequireEmulator(t)
	uri := sim.EnableAzureDevOpsOIDC("system-access-token-ado", "5f2c6a3e-ado-connection", appID)
	before := sim.Count("POST", graphsim.RouteOIDCAzureDevOps)
	// What an AzureCLI@2/TerraformTask job exposes with a workload identity service connection.
	cred, endpoint := credentialFromEnv(t, simEnv(t, map[string]string{"ARM_USE_OIDC": "true", "ARM_CLIENT_ID": appID,
		"ARM_OIDC_AZURE_SERVICE_CONNECTION_ID": "5f2c6a3e-ado-connection",
		"SYSTEM_ACCESSTOKEN":                   "system-access-token-ado", "SYSTEM_OIDCREQUESTURI": uri}), graph.MethodAzureDevOpsOIDC)
	listTasks(t, cred, endpoint)
	if sim.Count("POST", graphsim.RouteOIDCAzureDevOps) == before {
		t.Fatal("the pipeline OIDC endpoint was not called")
	}
}

func TestAuth_aksWorkloadIdentity(t *testing.T) {
	t.Parallel()
	const appID = "c0000000-0000-4000-8000-0000000000a5"
	sim := acctest.RequireEmulator(t)
	iss := newIssuer(t, sim, "system:serviceaccount:intune:terraform", appID)
	tokenFile := writeFile(t, "azure-identity-token", iss.sign(t, "system:serviceaccount:intune:terraform"))
	// Only what the AKS webhook injects, plus the switch; no ARM_TENANT_ID/ARM_CLIENT_ID.
	env := simEnv(t, map[string]string{"ARM_USE_AKS_WORKLOAD_IDENTITY": "true", "ARM_TENANT_ID": "",
		"AZURE_TENANT_ID": sim.Options().TenantID, "AZURE_CLIENT_ID": appID, "AZURE_FEDERATED_TOKEN_FILE": tokenFile})
	cred, endpoint := credentialFromEnv(t, env, graph.MethodAKSWorkloadIdentity)
	listTasks(t, cred, endpoint)
}

func TestAuth_managedIdentityEndpoint(t *testing.T) {
	t.Parallel()
	const appID = "c0000000-0000-4000-8000-0000000000b1"
	sim := acctest.RequireEmulator(t)
	ep := sim.EnableManagedIdentity(appID)
	before := sim.Count("GET", graphsim.RouteManagedIdentity)
	cred, endpoint := credentialFromEnv(t, simEnv(t, map[string]string{"ARM_USE_MSI": "true", "ARM_MSI_ENDPOINT": ep,
		"ARM_CLIENT_ID": appID}), graph.MethodManagedIdentity)
	listTasks(t, cred, endpoint)
	listTasks(t, cred, endpoint)
	if n := sim.Count("GET", graphsim.RouteManagedIdentity) - before; n != 1 {
		t.Fatalf("%d managed identity requests for two Graph calls; the token must be kept", n)
	}
}

// TestAuth_azureCLI puts a fake az on PATH that answers `az account get-access-token` with a token
// the emulator minted, as a signed-in CLI would. azidentity runs az through /bin/sh with the
// process's PATH, hence t.Setenv (and no t.Parallel).
func TestAuth_azureCLI(t *testing.T) {
	sim := acctest.RequireEmulator(t)
	tok, exp := sim.MintToken("04b07795-8ddb-461a-bbee-02f9e1bf7b46") // the Azure CLI's own app id
	dir := t.TempDir()
	argsFile := filepath.Join(dir, "args")
	script := fmt.Sprintf("#!/bin/sh\necho \"$@\" >> %q\ncat <<'EOF'\n{\"accessToken\": %q, \"expiresOn\": %q, \"expires_on\": %d, \"subscription\": \"s\", \"tenant\": %q, \"tokenType\": \"Bearer\"}\nEOF\n",
		argsFile, tok, exp.Local().Format("2006-01-02 15:04:05.000000"), exp.Unix(), sim.Options().TenantID)
	if err := os.WriteFile(filepath.Join(dir, "az"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	getenv := simEnv(t, map[string]string{"ARM_USE_CLI": "true", "PATH": os.Getenv("PATH")})
	cred, endpoint := credentialFromEnv(t, getenv, graph.MethodAzureCLI)
	listTasks(t, cred, endpoint)
	listTasks(t, cred, endpoint)
	b, _ := os.ReadFile(argsFile)
	calls := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(calls) != 1 {
		t.Fatalf("az ran %d times for two Graph calls; the token must be kept: %q", len(calls), calls)
	}
	want := "account get-access-token -o json --resource " + sim.URL() + " --tenant " + sim.Options().TenantID
	if calls[0] != want {
		t.Fatalf("az was run with %q, want %q", calls[0], want)
	}
}

// TestAuth_secretsNeverInErrors makes each secret-bearing method fail and checks that the error
// the provider would show quotes none of the secrets.
func TestAuth_secretsNeverInErrors(t *testing.T) {
	t.Parallel()
	sim := acctest.RequireEmulator(t)
	ghURL := sim.EnableGitHubOIDC("gh-good-request-token", "repo:x/y:ref:refs/heads/main", "c0000000-0000-4000-8000-000000000e01")
	adoURI := sim.EnableAzureDevOpsOIDC("ado-good-token", "conn-e01", "c0000000-0000-4000-8000-000000000e01")
	const secret = "Sekr1t~wrong-client-secret-value"
	cases := map[string]map[string]string{
		"wrong client secret": {"ARM_CLIENT_ID": graphsim.DefaultClientID, "ARM_CLIENT_SECRET": secret},
		"unknown OIDC token":  {"ARM_USE_OIDC": "true", "ARM_CLIENT_ID": "c", "ARM_OIDC_TOKEN": "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0." + secret},
		"wrong GitHub request token": {"ARM_USE_OIDC": "true", "ARM_CLIENT_ID": "c",
			"ACTIONS_ID_TOKEN_REQUEST_TOKEN": secret, "ACTIONS_ID_TOKEN_REQUEST_URL": ghURL},
		"wrong Azure DevOps token": {"ARM_USE_OIDC": "true", "ARM_CLIENT_ID": "c", "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID": "conn-e01",
			"SYSTEM_ACCESSTOKEN": secret, "SYSTEM_OIDCREQUESTURI": adoURI},
		"bad certificate password": {"ARM_CLIENT_ID": "c", "ARM_CLIENT_CERTIFICATE": "TUlJQ" + "not-a-pfx", "ARM_CLIENT_CERTIFICATE_PASSWORD": secret},
	}
	for name, vars := range cases {
		t.Run(name, func(t *testing.T) {
			endpoint, auth, err := provider.ResolveFromEnv(simEnv(t, vars))
			if err == nil {
				cred, cerr := graph.NewCredential(auth)
				err = cerr
				if cerr == nil {
					err = getToken(cred, endpoint+"/.default")
				}
			}
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "Sekr1t") {
				t.Fatalf("the error quotes the secret: %v", err)
			}
		})
	}
}
