package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

func noAZ(string) (string, error)  { return "", errors.New("not found") }
func hasAZ(string) (string, error) { return "/usr/bin/az", nil }

func TestChooseMethod_order(t *testing.T) {
	ids := AuthConfig{TenantID: "t", ClientID: "c", LookPath: noAZ}
	with := func(f func(*AuthConfig)) AuthConfig { c := ids; f(&c); return c }
	all := func(c *AuthConfig) {
		c.ClientCertificate, c.ClientSecret = []byte("pem"), "s"
		c.UseOIDC, c.OIDCToken, c.OIDCTokenFilePath = true, "jwt", "/f"
		c.OIDCRequestToken, c.OIDCRequestURL, c.ADOServiceConnectionID = "rt", "https://x", "conn"
		c.UseAKSWorkloadIdentity, c.UseMSI, c.UseCLI, c.LookPath = true, true, true, hasAZ
	}
	cases := []struct {
		name string
		cfg  AuthConfig
		want Method
	}{
		{"certificate beats everything", with(all), MethodClientCertificate},
		{"secret next", with(func(c *AuthConfig) { all(c); c.ClientCertificate = nil }), MethodClientSecret},
		{"OIDC token", with(func(c *AuthConfig) { all(c); c.ClientCertificate, c.ClientSecret = nil, "" }), MethodOIDCToken},
		{"OIDC token file", with(func(c *AuthConfig) { all(c); c.ClientCertificate, c.ClientSecret, c.OIDCToken = nil, "", "" }), MethodOIDCTokenFile},
		{"Azure DevOps when a service connection is named", with(func(c *AuthConfig) {
			all(c)
			c.ClientCertificate, c.ClientSecret, c.OIDCToken, c.OIDCTokenFilePath = nil, "", "", ""
		}), MethodAzureDevOpsOIDC},
		{"GitHub", with(func(c *AuthConfig) {
			all(c)
			c.ClientCertificate, c.ClientSecret, c.OIDCToken, c.OIDCTokenFilePath, c.ADOServiceConnectionID = nil, "", "", "", ""
		}), MethodGitHubOIDC},
		{"OIDC needs use_oidc", with(func(c *AuthConfig) {
			all(c)
			c.ClientCertificate, c.ClientSecret, c.UseOIDC = nil, "", false
		}), MethodAKSWorkloadIdentity},
		{"managed identity", with(func(c *AuthConfig) {
			all(c)
			c.ClientCertificate, c.ClientSecret, c.UseOIDC, c.UseAKSWorkloadIdentity = nil, "", false, false
		}), MethodManagedIdentity},
		{"Azure CLI last", AuthConfig{UseCLI: true, LookPath: hasAZ}, MethodAzureCLI},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ChooseMethod(tc.cfg)
			if err != nil || got != tc.want {
				t.Fatalf("ChooseMethod = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestChooseMethod_incompleteDoesNotFallThrough(t *testing.T) {
	_, err := ChooseMethod(AuthConfig{ClientSecret: "s", UseCLI: true, LookPath: hasAZ})
	var inc *IncompleteError
	if !errors.As(err, &inc) || inc.Method != MethodClientSecret || strings.Join(inc.Missing, ",") != "tenant_id,client_id" {
		t.Fatalf("got %v", err)
	}
	_, err = ChooseMethod(AuthConfig{TenantID: "t", ClientID: "c", UseOIDC: true, ADOServiceConnectionID: "conn"})
	if !errors.As(err, &inc) || inc.Method != MethodAzureDevOpsOIDC || strings.Join(inc.Missing, ",") != "oidc_request_token,oidc_request_url" {
		t.Fatalf("got %v", err)
	}
}

func TestChooseMethod_noneListsEveryMethod(t *testing.T) {
	_, err := ChooseMethod(AuthConfig{UseCLI: true, LookPath: noAZ})
	var none *NoMethodError
	if !errors.As(err, &none) {
		t.Fatalf("got %v", err)
	}
	msg := err.Error()
	for _, m := range []string{"client certificate", "client secret", "OIDC", "AKS workload identity", "managed identity", "Azure CLI", "use_oidc = true", "use_msi = true", "az command was not found"} {
		if !strings.Contains(msg, m) {
			t.Errorf("message lacks %q:\n%s", m, msg)
		}
	}
}

func TestAuthConfig_StringHidesSecrets(t *testing.T) {
	cfg := AuthConfig{ClientSecret: "sekrit-1", ClientCertificate: []byte("sekrit-2"), ClientCertificatePassword: "sekrit-3",
		OIDCToken: "sekrit-4", OIDCRequestToken: "sekrit-5", TenantID: "tenant",
		OIDCRequestURL: "https://user:sekrit-6@ci.example/idtoken?api-version=2.0&sig=sekrit-7", MSIEndpoint: "http://127.0.0.1:9/msi?code=sekrit-8"}
	for _, s := range []string{cfg.String(), fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg)} {
		if strings.Contains(s, "sekrit") || !strings.Contains(s, "tenant") || !strings.Contains(s, `oidc_request_url="https://<redacted>@ci.example/idtoken?<redacted>"`) {
			t.Fatalf("%s", s)
		}
	}
}

func TestNewCredential_certificateErrorsHideSecrets(t *testing.T) {
	_, err := NewCredential(AuthConfig{TenantID: "t", ClientID: "c", ClientCertificate: []byte("not-a-cert-sekrit"), ClientCertificatePassword: "pw-sekrit"})
	if err == nil || strings.Contains(err.Error(), "sekrit") {
		t.Fatalf("got %v", err)
	}
}

type countingCredential struct {
	calls int
	life  time.Duration
}

func (c *countingCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.calls++
	return azcore.AccessToken{Token: fmt.Sprint("t", c.calls), ExpiresOn: time.Now().Add(c.life)}, nil
}

func TestCachingCredential(t *testing.T) {
	inner := &countingCredential{life: time.Hour}
	c := newCachingCredential(inner)
	a := policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}}
	b := policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.us/.default"}}
	for range 3 {
		_, _ = c.GetToken(context.Background(), a)
	}
	_, _ = c.GetToken(context.Background(), b)
	if inner.calls != 2 {
		t.Fatalf("calls = %d, want one per scope", inner.calls)
	}
	c.now = func() time.Time { return time.Now().Add(56 * time.Minute) } // inside the 5-minute margin
	_, _ = c.GetToken(context.Background(), a)
	if inner.calls != 3 {
		t.Fatalf("calls = %d, want a refresh near expiry", inner.calls)
	}
}

// blockingCredential's first GetToken signals entered and waits for release; later calls answer at once.
type blockingCredential struct {
	entered, release chan struct{}
	calls            atomic.Int32
}

func (b *blockingCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if b.calls.Add(1) == 1 {
		close(b.entered)
		<-b.release
	}
	return azcore.AccessToken{Token: "slow-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// TestCachingCredential_waitHonoursContext: while one caller's fetch is slow (az taking its time),
// another caller whose context is cancelled, or ends while it waits, returns at once with the
// context's error; the first caller still gets its token, and a patient caller shares it.
func TestCachingCredential_waitHonoursContext(t *testing.T) {
	inner := &blockingCredential{entered: make(chan struct{}), release: make(chan struct{})}
	c := newCachingCredential(inner)
	opts := policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}}

	type result struct {
		tok azcore.AccessToken
		err error
	}
	get := func(ctx context.Context) <-chan result {
		ch := make(chan result, 1)
		go func() {
			tok, err := c.GetToken(ctx, opts)
			ch <- result{tok, err}
		}()
		return ch
	}
	first := get(t.Context())
	<-inner.entered
	patient := get(t.Context())

	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	short, cancelShort := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancelShort()
	for name, tc := range map[string]struct {
		ctx  context.Context
		want error
	}{"cancelled": {cancelled, context.Canceled}, "short deadline": {short, context.DeadlineExceeded}} {
		select {
		case r := <-get(tc.ctx):
			if !errors.Is(r.err, tc.want) {
				t.Errorf("%s: got %v, want %v", name, r.err, tc.want)
			}
		case <-time.After(2 * time.Second):
			t.Errorf("%s: the caller still waits for another caller's fetch", name)
		}
	}

	close(inner.release)
	for name, ch := range map[string]<-chan result{"first": first, "patient": patient} {
		select {
		case r := <-ch:
			if r.err != nil || r.tok.Token != "slow-token" {
				t.Errorf("%s caller: %v, %v", name, r.tok.Token, r.err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s caller got no token", name)
		}
	}
	if n := inner.calls.Load(); n != 1 {
		t.Errorf("%d fetches, want the patient caller to share the first one", n)
	}
}
