package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
		OIDCToken: "sekrit-4", OIDCRequestToken: "sekrit-5", TenantID: "tenant"}
	for _, s := range []string{cfg.String(), fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg)} {
		if strings.Contains(s, "sekrit") || !strings.Contains(s, "tenant") {
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
