package provider

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// envOf is a getenv over a map; PATH is empty unless given, so the Azure CLI is never found by accident.
func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func diagText(d diag.Diagnostics) string {
	var b strings.Builder
	for _, x := range d {
		b.WriteString(x.Summary() + ": " + x.Detail() + "\n")
	}
	return b.String()
}

func resolveOK(t *testing.T, cfg providerModel, env map[string]string) settings {
	t.Helper()
	s, d := resolveSettings(cfg, envOf(env))
	if d.HasError() {
		t.Fatalf("unexpected error:\n%s", diagText(d))
	}
	return s
}

// base is enough for a method to be chosen, so that a case can look at one argument alone.
func base() map[string]string {
	return map[string]string{"ARM_TENANT_ID": "env-tenant", "ARM_CLIENT_ID": "env-client", "ARM_CLIENT_SECRET": "env-secret"}
}

// precCase is one row of the precedence table: the value comes from env alone, or set wins over it.
type precCase struct {
	name, env, want string
	set             func(*providerModel)
	get             func(graph.AuthConfig) string
}

func TestUnitResolveSettings_precedence(t *testing.T) {
	var cases []precCase
	str := func(attr string, set func(*providerModel, string), get func(graph.AuthConfig) string, envs ...string) {
		for _, e := range envs {
			cases = append(cases,
				precCase{attr + " from " + e, e, "from-env", nil, get},
				precCase{attr + " config beats " + e, e, "from-config", func(m *providerModel) { set(m, "from-config") }, get})
		}
	}
	str("tenant_id", func(m *providerModel, v string) { m.TenantID = types.StringValue(v) }, func(a graph.AuthConfig) string { return a.TenantID }, "ARM_TENANT_ID")
	str("client_id", func(m *providerModel, v string) { m.ClientID = types.StringValue(v) }, func(a graph.AuthConfig) string { return a.ClientID }, "ARM_CLIENT_ID")
	str("client_secret", func(m *providerModel, v string) { m.ClientSecret = types.StringValue(v) }, func(a graph.AuthConfig) string { return a.ClientSecret }, "ARM_CLIENT_SECRET")
	str("client_certificate_password", func(m *providerModel, v string) { m.ClientCertificatePassword = types.StringValue(v) }, func(a graph.AuthConfig) string { return a.ClientCertificatePassword }, "ARM_CLIENT_CERTIFICATE_PASSWORD")
	str("oidc_token", func(m *providerModel, v string) { m.OIDCToken = types.StringValue(v) }, func(a graph.AuthConfig) string { return a.OIDCToken }, "ARM_OIDC_TOKEN")
	str("oidc_token_file_path", func(m *providerModel, v string) { m.OIDCTokenFilePath = types.StringValue(v) }, func(a graph.AuthConfig) string { return a.OIDCTokenFilePath }, "ARM_OIDC_TOKEN_FILE_PATH")
	str("oidc_request_token", func(m *providerModel, v string) { m.OIDCRequestToken = types.StringValue(v) }, func(a graph.AuthConfig) string { return a.OIDCRequestToken }, "ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN")
	str("oidc_request_url", func(m *providerModel, v string) { m.OIDCRequestURL = types.StringValue(v) }, func(a graph.AuthConfig) string { return a.OIDCRequestURL }, "ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL")
	str("ado_pipeline_service_connection_id", func(m *providerModel, v string) { m.ADOPipelineServiceConnectionID = types.StringValue(v) }, func(a graph.AuthConfig) string { return a.ADOServiceConnectionID }, "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID")
	str("msi_endpoint", func(m *providerModel, v string) { m.MSIEndpoint = types.StringValue("https://" + v) }, func(a graph.AuthConfig) string { return strings.TrimPrefix(a.MSIEndpoint, "https://") }, "ARM_MSI_ENDPOINT")

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := base()
			env[tc.env] = "from-env"
			if tc.env == "ARM_MSI_ENDPOINT" {
				env[tc.env] = "https://from-env"
			}
			var m providerModel
			if tc.set != nil {
				tc.set(&m)
			}
			if got := tc.get(resolveOK(t, m, env).auth); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}

	t.Run("first variable of a list wins", func(t *testing.T) {
		env := base()
		env["ARM_OIDC_REQUEST_TOKEN"], env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "arm", "actions"
		env["ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID"], env["ARM_OIDC_AZURE_SERVICE_CONNECTION_ID"] = "first", "second"
		a := resolveOK(t, providerModel{}, env).auth
		if a.OIDCRequestToken != "arm" || a.ADOServiceConnectionID != "first" {
			t.Fatalf("%s", a)
		}
	})
}

func TestUnitResolveSettings_booleans(t *testing.T) {
	type get = func(graph.AuthConfig) bool
	cases := []struct {
		attr, env string
		def       bool
		set       func(*providerModel, bool)
		get       get
	}{
		{"use_oidc", "ARM_USE_OIDC", false, func(m *providerModel, v bool) { m.UseOIDC = types.BoolValue(v) }, func(a graph.AuthConfig) bool { return a.UseOIDC }},
		{"use_aks_workload_identity", "ARM_USE_AKS_WORKLOAD_IDENTITY", false, func(m *providerModel, v bool) { m.UseAKSWorkloadIdentity = types.BoolValue(v) }, func(a graph.AuthConfig) bool { return a.UseAKSWorkloadIdentity }},
		{"use_msi", "ARM_USE_MSI", false, func(m *providerModel, v bool) { m.UseMSI = types.BoolValue(v) }, func(a graph.AuthConfig) bool { return a.UseMSI }},
		{"use_cli", "ARM_USE_CLI", true, func(m *providerModel, v bool) { m.UseCLI = types.BoolValue(v) }, func(a graph.AuthConfig) bool { return a.UseCLI }},
		{"disable_instance_discovery", "ARM_DISABLE_INSTANCE_DISCOVERY", false, func(m *providerModel, v bool) { m.DisableInstanceDiscovery = types.BoolValue(v) }, func(a graph.AuthConfig) bool { return a.DisableInstanceDiscovery }},
	}
	for _, tc := range cases {
		t.Run(tc.attr, func(t *testing.T) {
			env := base()
			env["AZURE_FEDERATED_TOKEN_FILE"] = "/token" // lets use_aks_workload_identity be chosen
			if got := tc.get(resolveOK(t, providerModel{}, env).auth); got != tc.def {
				t.Fatalf("default %v", got)
			}
			env[tc.env] = strings.ToUpper(boolStr(!tc.def))
			if got := tc.get(resolveOK(t, providerModel{}, env).auth); got != !tc.def {
				t.Fatalf("%s ignored", tc.env)
			}
			var m providerModel
			tc.set(&m, tc.def)
			if got := tc.get(resolveOK(t, m, env).auth); got != tc.def {
				t.Fatalf("configuration did not beat %s", tc.env)
			}
			env[tc.env] = "yes please"
			_, d := resolveSettings(providerModel{}, envOf(env))
			if !d.HasError() || !strings.Contains(diagText(d), tc.env) {
				t.Fatalf("bad boolean not reported against %s:\n%s", tc.env, diagText(d))
			}
		})
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestUnitResolveSettings_pipelineFallbacks(t *testing.T) {
	t.Run("GitHub Actions variables", func(t *testing.T) {
		a := resolveOK(t, providerModel{}, map[string]string{"ARM_TENANT_ID": "t", "ARM_CLIENT_ID": "c", "ARM_USE_OIDC": "true",
			"ACTIONS_ID_TOKEN_REQUEST_TOKEN": "gh-token", "ACTIONS_ID_TOKEN_REQUEST_URL": "https://gh/x?api-version=2.0",
			"SYSTEM_ACCESSTOKEN": "ado-token", "SYSTEM_OIDCREQUESTURI": "https://ado/x"}).auth
		if a.OIDCRequestToken != "gh-token" || a.OIDCRequestURL != "https://gh/x?api-version=2.0" {
			t.Fatalf("%s", a)
		}
	})
	t.Run("Azure DevOps variables once a service connection is named", func(t *testing.T) {
		a := resolveOK(t, providerModel{}, map[string]string{"ARM_TENANT_ID": "t", "ARM_CLIENT_ID": "c", "ARM_USE_OIDC": "true",
			"ARM_OIDC_AZURE_SERVICE_CONNECTION_ID": "conn",
			"ACTIONS_ID_TOKEN_REQUEST_TOKEN":       "gh-token", "ACTIONS_ID_TOKEN_REQUEST_URL": "https://gh/x",
			"SYSTEM_ACCESSTOKEN": "ado-token", "SYSTEM_OIDCREQUESTURI": "https://ado/x"}).auth
		if a.OIDCRequestToken != "ado-token" || a.OIDCRequestURL != "https://ado/x" || a.ADOServiceConnectionID != "conn" {
			t.Fatalf("%s", a)
		}
		if m, _ := graph.ChooseMethod(a); m != graph.MethodAzureDevOpsOIDC {
			t.Fatalf("method %q", m)
		}
	})
	t.Run("AKS variables only with use_aks_workload_identity", func(t *testing.T) {
		env := map[string]string{"AZURE_TENANT_ID": "aks-t", "AZURE_CLIENT_ID": "aks-c", "AZURE_FEDERATED_TOKEN_FILE": "/var/run/token", "ARM_USE_CLI": "false"}
		if _, d := resolveSettings(providerModel{}, envOf(env)); !d.HasError() {
			t.Fatal("AZURE_* used without use_aks_workload_identity")
		}
		env["ARM_USE_AKS_WORKLOAD_IDENTITY"] = "true"
		a := resolveOK(t, providerModel{}, env).auth
		if a.TenantID != "aks-t" || a.ClientID != "aks-c" || a.OIDCTokenFilePath != "/var/run/token" {
			t.Fatalf("%s", a)
		}
		env["ARM_CLIENT_ID"], env["ARM_TENANT_ID"] = "arm-c", "arm-t"
		if a := resolveOK(t, providerModel{}, env).auth; a.ClientID != "arm-c" || a.TenantID != "arm-t" {
			t.Fatalf("ARM_* must beat AZURE_*: %s", a)
		}
	})
	t.Run("HCP Terraform alias: client_id_file_path in the block beats ARM_CLIENT_ID", func(t *testing.T) {
		dir := t.TempDir()
		idFile := filepath.Join(dir, "client-id")
		if err := os.WriteFile(idFile, []byte("alias-client\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		var m providerModel
		m.ClientIDFilePath = types.StringValue(idFile)
		env := base()
		env["ARM_CLIENT_ID"] = "default-client"
		if a := resolveOK(t, m, env).auth; a.ClientID != "alias-client" {
			t.Fatalf("client id %q", a.ClientID)
		}
		delete(env, "ARM_CLIENT_ID")
		env["ARM_CLIENT_ID_FILE_PATH"] = idFile
		if a := resolveOK(t, providerModel{}, env).auth; a.ClientID != "alias-client" {
			t.Fatalf("ARM_CLIENT_ID_FILE_PATH: %q", a.ClientID)
		}
	})
}

func TestUnitResolveSettings_inlineAndFileMustAgree(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cert := []byte("-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----\n")
	certFile := write("cert.pem", string(cert))
	cases := []struct {
		name    string
		cfg     func(*providerModel)
		env     map[string]string
		wantErr []string // substrings of the error; nil means it must resolve
	}{
		{"client_id agrees", func(m *providerModel) {
			m.ClientID, m.ClientIDFilePath = types.StringValue("c-1"), types.StringValue(write("id", "c-1\n"))
		}, nil, nil},
		{"client_id disagrees", func(m *providerModel) {
			m.ClientID, m.ClientIDFilePath = types.StringValue("c-1"), types.StringValue(write("id2", "c-2"))
		}, nil, []string{"client_id and client_id_file_path"}},
		{"ARM_CLIENT_SECRET disagrees with ARM_CLIENT_SECRET_FILE_PATH", nil,
			map[string]string{"ARM_CLIENT_SECRET": "secret-AAA", "ARM_CLIENT_SECRET_FILE_PATH": write("sec", "secret-BBB")},
			[]string{"ARM_CLIENT_SECRET and ARM_CLIENT_SECRET_FILE_PATH"}},
		{"client_secret disagrees with client_secret_file_path", func(m *providerModel) {
			m.ClientSecret, m.ClientSecretFilePath = types.StringValue("secret-AAA"), types.StringValue(write("sec2", "secret-BBB"))
		}, nil, []string{"client_secret and client_secret_file_path"}},
		{"certificate agrees", func(m *providerModel) {
			m.ClientCertificate, m.ClientCertificatePath = types.StringValue(base64.StdEncoding.EncodeToString(cert)), types.StringValue(certFile)
		}, nil, nil},
		{"certificate disagrees", func(m *providerModel) {
			m.ClientCertificate, m.ClientCertificatePath = types.StringValue(base64.StdEncoding.EncodeToString([]byte("other"))), types.StringValue(certFile)
		}, nil, []string{"client_certificate and client_certificate_path"}},
		{"certificate is not base64", func(m *providerModel) { m.ClientCertificate = types.StringValue("secret-AAA!!") }, nil, []string{"not valid base64"}},
		{"OIDC token disagrees with its file", func(m *providerModel) {
			m.OIDCToken, m.OIDCTokenFilePath = types.StringValue("secret-AAA"), types.StringValue(write("jwt", "secret-BBB"))
		}, nil, []string{"oidc_token and oidc_token_file_path"}},
		{"unreadable secret file", func(m *providerModel) { m.ClientSecretFilePath = types.StringValue(filepath.Join(dir, "missing")) }, nil, []string{"client_secret_file_path"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"ARM_TENANT_ID": "t", "ARM_CLIENT_ID": "c", "ARM_USE_OIDC": "true", "ARM_CLIENT_SECRET": "secret-ENV"}
			for k, v := range tc.env {
				env[k] = v
			}
			var m providerModel
			if tc.cfg != nil {
				tc.cfg(&m)
			}
			_, d := resolveSettings(m, envOf(env))
			text := diagText(d)
			if tc.wantErr == nil {
				if d.HasError() {
					t.Fatalf("unexpected error:\n%s", text)
				}
				return
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(text, w) {
					t.Fatalf("error lacks %q:\n%s", w, text)
				}
			}
			if strings.Contains(text, "secret-") {
				t.Fatalf("error quotes a secret:\n%s", text)
			}
		})
	}
}

func TestUnitResolveSettings_methodErrors(t *testing.T) {
	t.Run("nothing configured lists every method and its variables", func(t *testing.T) {
		_, d := resolveSettings(providerModel{}, envOf(map[string]string{"PATH": t.TempDir()}))
		text := diagText(d)
		for _, w := range []string{"client certificate", "ARM_CLIENT_CERTIFICATE", "client secret", "ARM_CLIENT_SECRET",
			"use_oidc = true (ARM_USE_OIDC=true)", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID",
			"use_aks_workload_identity = true (ARM_USE_AKS_WORKLOAD_IDENTITY=true)", "use_msi = true (ARM_USE_MSI=true)", "az command was not found"} {
			if !strings.Contains(text, w) {
				t.Errorf("lacks %q:\n%s", w, text)
			}
		}
	})
	t.Run("a fake az on PATH makes the CLI the method", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "az"), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		a := resolveOK(t, providerModel{}, map[string]string{"PATH": dir}).auth
		if m, _ := graph.ChooseMethod(a); m != graph.MethodAzureCLI {
			t.Fatalf("method %q", m)
		}
	})
	t.Run("a chosen method missing the tenant points at tenant_id", func(t *testing.T) {
		var m providerModel
		m.ClientSecret = types.StringValue("secret-AAA")
		_, d := resolveSettings(m, envOf(map[string]string{"ARM_CLIENT_ID": "c"}))
		if len(d) != 1 || !strings.Contains(diagText(d), "ARM_TENANT_ID") || strings.Contains(diagText(d), "secret-AAA") {
			t.Fatalf("%s", diagText(d))
		}
	})
	t.Run("unknown environment lists the valid ones", func(t *testing.T) {
		var m providerModel
		m.Environment = types.StringValue("mars")
		_, d := resolveSettings(m, envOf(base()))
		for _, w := range []string{"mars", "public", "usgovernment", "dod", "china", "global", "usgovernmentl4", "usgovernmentl5", "ARM_ENVIRONMENT"} {
			if !strings.Contains(diagText(d), w) {
				t.Fatalf("lacks %q: %s", w, diagText(d))
			}
		}
	})
	t.Run("unknown values at plan time", func(t *testing.T) {
		var m providerModel
		m.ClientSecret, m.UseOIDC = types.StringUnknown(), types.BoolUnknown()
		_, d := resolveSettings(m, envOf(base()))
		if !strings.Contains(diagText(d), "ARM_CLIENT_SECRET") || !strings.Contains(diagText(d), "ARM_USE_OIDC") {
			t.Fatalf("%s", diagText(d))
		}
	})
}

func TestUnitResolveSettings_nationalClouds(t *testing.T) {
	cases := []struct{ env, graphEndpoint, authority string }{
		{"", "https://graph.microsoft.com", "https://login.microsoftonline.com/"},
		{"public", "https://graph.microsoft.com", "https://login.microsoftonline.com/"},
		{"Global", "https://graph.microsoft.com", "https://login.microsoftonline.com/"},
		{"usgovernment", "https://graph.microsoft.us", "https://login.microsoftonline.us/"},
		{"usgovernmentl4", "https://graph.microsoft.us", "https://login.microsoftonline.us/"},
		{"dod", "https://dod-graph.microsoft.us", "https://login.microsoftonline.us/"},
		{"USGovernmentL5", "https://dod-graph.microsoft.us", "https://login.microsoftonline.us/"},
		{"china", "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn/"},
		// The Microsoft 365 government names: GCC is the public cloud, GCC High the US Government one.
		{"gcc", "https://graph.microsoft.com", "https://login.microsoftonline.com/"},
		{"GCC", "https://graph.microsoft.com", "https://login.microsoftonline.com/"},
		{"gcchigh", "https://graph.microsoft.us", "https://login.microsoftonline.us/"},
		{"GCC-High", "https://graph.microsoft.us", "https://login.microsoftonline.us/"},
		{"gcc_high", "https://graph.microsoft.us", "https://login.microsoftonline.us/"},
		{"AzureUSGovernment", "https://graph.microsoft.us", "https://login.microsoftonline.us/"},
		{"gccdod", "https://dod-graph.microsoft.us", "https://login.microsoftonline.us/"},
		{"AzureChinaCloud", "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn/"},
	}
	for _, tc := range cases {
		t.Run("environment="+tc.env, func(t *testing.T) {
			env := base()
			env["ARM_ENVIRONMENT"] = tc.env
			s := resolveOK(t, providerModel{}, env)
			if s.graphEndpoint != tc.graphEndpoint || s.auth.AuthorityHost != tc.authority {
				t.Fatalf("got %s %s", s.graphEndpoint, s.auth.AuthorityHost)
			}
			// Microsoft's own login hosts keep instance discovery on.
			if !graph.IsMicrosoftLoginHost(s.auth.AuthorityHost) {
				t.Fatalf("%s is not treated as a Microsoft login host", s.auth.AuthorityHost)
			}
			// The Graph client built for this endpoint asks Entra for <graph_endpoint>/.default.
			if got := requestedScopes(t, s.graphEndpoint); got != tc.graphEndpoint+"/.default" {
				t.Fatalf("the client asked for a token for %q, want %q", got, tc.graphEndpoint+"/.default")
			}
		})
	}
	t.Run("graph_endpoint and authority_host override environment", func(t *testing.T) {
		var m providerModel
		m.Environment = types.StringValue("china")
		m.GraphEndpoint, m.AuthorityHost = types.StringValue("https://graph.example.test/"), types.StringValue("https://login.example.test")
		s := resolveOK(t, m, base())
		if s.graphEndpoint != "https://graph.example.test" || s.auth.AuthorityHost != "https://login.example.test/" || graph.IsMicrosoftLoginHost(s.auth.AuthorityHost) {
			t.Fatalf("%s %s", s.graphEndpoint, s.auth.AuthorityHost)
		}
	})
}

// scopeRecorder is a credential that records the scopes asked for and refuses to give a token, so
// nothing is ever sent.
type scopeRecorder struct{ scopes []string }

func (r *scopeRecorder) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	r.scopes = o.Scopes
	return azcore.AccessToken{}, errors.New("no token in this test")
}

// requestedScopes builds the Graph client for endpoint and returns the scopes it asks a token for.
func requestedScopes(t *testing.T, endpoint string) string {
	t.Helper()
	rec := &scopeRecorder{}
	c, err := graph.NewClient(graph.ClientConfig{GraphEndpoint: endpoint, Credential: rec})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(t.Context(), framework.AllTasks(), "any"); err == nil {
		t.Fatal("a request without a token succeeded")
	}
	return strings.Join(rec.scopes, " ")
}

// A refused URL argument is quoted without its userinfo or query, where a password or a key may
// be: msi_endpoint (whose query may carry a key), graph_endpoint and authority_host. An endpoint
// that carries credentials is refused outright, so they never reach a log line either.
func TestUnitResolveSettings_secretsNotEchoed(t *testing.T) {
	const secret = "Sup3rS3cret"
	cases := []struct {
		name string
		set  func(*providerModel)
		env  map[string]string
		attr string
	}{
		{"msi_endpoint that is not a URL, key in the query", func(m *providerModel) {
			m.UseMSI, m.MSIEndpoint = types.BoolValue(true), types.StringValue("http://[169.254.169.254/token?api-key="+secret)
		}, nil, "msi_endpoint"},
		{"msi_endpoint without a host, credentials in it", func(m *providerModel) {
			m.UseMSI, m.MSIEndpoint = types.BoolValue(true), types.StringValue("ftp://id:"+secret+"@/token")
		}, nil, "msi_endpoint"},
		{"ARM_MSI_ENDPOINT, key in the query", func(m *providerModel) { m.UseMSI = types.BoolValue(true) },
			map[string]string{"ARM_MSI_ENDPOINT": "169.254.169.254/token?sig=" + secret}, "msi_endpoint"},
		{"graph_endpoint with credentials", func(m *providerModel) {
			m.GraphEndpoint = types.StringValue("https://me:" + secret + "@graph.microsoft.com")
		}, nil, "graph_endpoint"},
		{"graph_endpoint that is not https, key in the query", func(m *providerModel) {
			m.GraphEndpoint = types.StringValue("http://graph.example?code=" + secret)
		}, nil, "graph_endpoint"},
		{"graph_endpoint with a query", func(m *providerModel) {
			m.GraphEndpoint = types.StringValue("https://graph.example/?code=" + secret)
		}, nil, "graph_endpoint"},
		{"ARM_AUTHORITY_HOST with credentials", nil, map[string]string{"ARM_AUTHORITY_HOST": "https://me:" + secret + "@login.example/"}, "authority_host"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var m providerModel
			if tc.set != nil {
				tc.set(&m)
			}
			env := base()
			for k, v := range tc.env {
				env[k] = v
			}
			_, d := resolveSettings(m, envOf(env))
			text := diagText(d)
			if !d.HasError() || !strings.Contains(text, "Invalid "+tc.attr) {
				t.Fatalf("want an Invalid %s error, got:\n%s", tc.attr, text)
			}
			if strings.Contains(text, secret) {
				t.Fatalf("the diagnostic echoes the secret:\n%s", text)
			}
		})
	}
}

// A certificate password is used exactly as given, in the configuration or the environment: a
// password may begin or end with a space.
func TestUnitResolveSettings_certificatePasswordNotTrimmed(t *testing.T) {
	const password = "  spaced pass\t"
	var m providerModel
	m.ClientCertificatePassword = types.StringValue(password)
	if got := resolveOK(t, m, base()).auth.ClientCertificatePassword; got != password {
		t.Fatalf("from the configuration: %q, want %q", got, password)
	}
	env := base()
	env["ARM_CLIENT_CERTIFICATE_PASSWORD"] = password
	if got := resolveOK(t, providerModel{}, env).auth.ClientCertificatePassword; got != password {
		t.Fatalf("from ARM_CLIENT_CERTIFICATE_PASSWORD: %q, want %q", got, password)
	}
}

// Every argument that can hold a secret is sensitive, so Terraform never shows or logs it; the
// endpoint arguments that may carry one in their query are among them.
func TestProviderSchemaSensitiveArguments(t *testing.T) {
	var resp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &resp)
	for _, name := range []string{"client_secret", "client_certificate", "client_certificate_password", "oidc_token", "oidc_request_token", "msi_endpoint"} {
		a, ok := resp.Schema.Attributes[name]
		if !ok || !a.IsSensitive() {
			t.Errorf("%s is not a sensitive argument", name)
		}
	}
}
