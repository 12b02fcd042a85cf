package provider_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
	"github.com/terraform-intune/terraform-provider-intune/internal/provider"
)

// authVars are every variable the provider reads for authentication; the auth tests blank them
// all (t.Setenv) and then set only those of the method under test.
var authVars = []string{
	"ARM_CLIENT_ID", "ARM_CLIENT_ID_FILE_PATH", "ARM_CLIENT_SECRET", "ARM_CLIENT_SECRET_FILE_PATH",
	"ARM_CLIENT_CERTIFICATE", "ARM_CLIENT_CERTIFICATE_PATH", "ARM_CLIENT_CERTIFICATE_PASSWORD",
	"ARM_USE_OIDC", "ARM_OIDC_TOKEN", "ARM_OIDC_TOKEN_FILE_PATH", "ARM_OIDC_REQUEST_TOKEN", "ARM_OIDC_REQUEST_URL",
	"ACTIONS_ID_TOKEN_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL",
	"ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID", "SYSTEM_ACCESSTOKEN", "SYSTEM_OIDCREQUESTURI",
	"ARM_USE_AKS_WORKLOAD_IDENTITY", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_ID", "AZURE_TENANT_ID",
	"ARM_USE_MSI", "ARM_MSI_ENDPOINT", "ARM_DISABLE_INSTANCE_DISCOVERY",
}

// onlyAuthEnv blanks the process's auth variables for a terraform test (the provider runs in
// this process), keeping the tenant, endpoints and TLS trust acctest.Main set, and turns the
// Azure CLI fallback off so that a broken method fails instead of falling through.
func onlyAuthEnv(t *testing.T, set map[string]string) *graphsim.Server {
	t.Helper()
	sim := acctest.RequireEmulator(t)
	for _, k := range authVars {
		t.Setenv(k, "")
	}
	t.Setenv("ARM_USE_CLI", "false")
	for k, v := range set {
		t.Setenv(k, v)
	}
	return sim
}

// simEnv is a getenv for the Go-level tests: the emulator's endpoints and tenant plus vars.
func simEnv(t *testing.T, vars map[string]string) func(string) string {
	t.Helper()
	sim := acctest.RequireEmulator(t)
	m := map[string]string{
		"ARM_TENANT_ID": sim.Options().TenantID, "ARM_GRAPH_ENDPOINT": sim.URL(), "ARM_AUTHORITY_HOST": sim.URL(),
		"ARM_USE_CLI": "false",
	}
	for k, v := range vars {
		m[k] = v
	}
	return func(k string) string { return m[k] }
}

// credentialFromEnv runs the provider's resolution and graph.NewCredential, and checks the method.
func credentialFromEnv(t *testing.T, getenv func(string) string, want graph.Method) (azcore.TokenCredential, string) {
	t.Helper()
	endpoint, auth, err := provider.ResolveFromEnv(getenv)
	if err != nil {
		t.Fatal(err)
	}
	cred, err := graph.NewCredential(auth)
	if err != nil {
		t.Fatal(err)
	}
	if m := graph.CredentialMethod(cred); m != want {
		t.Fatalf("method %q, want %q", m, want)
	}
	return cred, endpoint
}

// listTasks makes one authenticated Graph call with cred.
func listTasks(t *testing.T, cred azcore.TokenCredential, endpoint string) {
	t.Helper()
	c, err := graph.NewClient(graph.ClientConfig{GraphEndpoint: endpoint, Credential: cred, UserAgent: "auth-test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.List(acctest.Context(t), framework.AllTasks()); err != nil {
		t.Fatalf("Graph call: %v", err)
	}
}

// getToken asks cred for a token for scope. Every caller (auth_integration_test.go) checks only the error.
func getToken(cred azcore.TokenCredential, scope string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{scope}})
	return err
}

// issuerKey is a workload identity issuer the test owns (a Kubernetes cluster, HCP Terraform).
type issuerKey struct {
	iss string
	key *rsa.PrivateKey
}

func newIssuer(t *testing.T, sim *graphsim.Server, subject, clientID string) *issuerKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	iss := &issuerKey{iss: "https://issuer.test/" + t.Name(), key: k}
	sim.RegisterFederatedIssuer(iss.iss, &k.PublicKey, subject, clientID)
	return iss
}

// sign issues a federated ID token for subject, valid for ten minutes.
func (i *issuerKey) sign(t *testing.T, subject string) string {
	t.Helper()
	enc := base64.RawURLEncoding
	now := time.Now().Unix()
	h, _ := json.Marshal(map[string]any{"alg": "RS256", "typ": "JWT", "kid": "test"})
	c, _ := json.Marshal(map[string]any{"iss": i.iss, "sub": subject, "aud": "api://AzureADTokenExchange", "iat": now, "nbf": now, "exp": now + 600})
	signing := enc.EncodeToString(h) + "." + enc.EncodeToString(c)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, i.key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return signing + "." + enc.EncodeToString(sig)
}

// newClientCertificate makes a key and self-signed certificate, registers it for clientID at the
// emulator and returns a PEM file holding both.
func newClientCertificate(t *testing.T, sim *graphsim.Server, clientID string) (pemPath string, key *rsa.PrivateKey, cert *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "tf-acc-test app"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ = x509.ParseCertificate(der)
	sim.RegisterClientCertificate(clientID, cert)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	pemBytes := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	pemPath = writeFile(t, "client.pem", string(pemBytes))
	return pemPath, key, cert
}

// pfxOf bundles key and cert into a password-protected PKCS#12 file of the encoder's kind:
// pkcs12.Modern2023 is what OpenSSL 3 and current Windows export (AES-256-CBC, PBKDF2, SHA-256
// MAC), pkcs12.LegacyDES the SHA-1/3DES kind of older tooling.
func pfxOf(t *testing.T, enc *pkcs12.Encoder, key *rsa.PrivateKey, cert *x509.Certificate, password string) []byte {
	t.Helper()
	b, err := enc.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
