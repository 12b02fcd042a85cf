package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// AuthConfig is everything needed to choose and build an Entra ID credential. The provider package
// resolves it from the configuration and ARM_* variables (and reads the client id, secret and
// certificate files); this package never reads the environment. Fields holding secrets are never
// logged or put in errors: String prints only which of them are set.
type AuthConfig struct {
	TenantID      string
	ClientID      string
	AuthorityHost string

	// AdditionallyAllowedTenants are the tenants besides TenantID that a token may be requested
	// for (a request naming another tenant, such as a challenge from Graph); "*" allows any. It is
	// handed to azidentity, which refuses any other tenant before sending anything.
	AdditionallyAllowedTenants []string

	// DisableInstanceDiscovery is forced on for authorities that are not Microsoft login hosts.
	DisableInstanceDiscovery bool

	ClientSecret string

	// ClientCertificate is a PKCS#12 (PFX) or PEM bundle holding the certificate and its private key.
	ClientCertificate         []byte
	ClientCertificatePassword string

	// UseOIDC enables the federated methods below: a token given inline or in a file, or one
	// requested from GitHub Actions or Azure DevOps at each token request.
	UseOIDC bool
	// OIDCToken is a federated assertion given as is; OIDCTokenFilePath is re-read at every token
	// request (it is also the AKS projected token file).
	OIDCToken         string
	OIDCTokenFilePath string
	// OIDCRequestToken and OIDCRequestURL reach the CI system's ID token endpoint: GitHub Actions,
	// or Azure DevOps when ADOServiceConnectionID is set.
	OIDCRequestToken       string
	OIDCRequestURL         string
	ADOServiceConnectionID string

	UseAKSWorkloadIdentity bool

	UseMSI bool
	// MSIEndpoint, when set, is an IMDS-shaped managed identity endpoint used instead of the one
	// azidentity detects from the host.
	MSIEndpoint string
	// MSIResourceID picks a user-assigned managed identity by its Azure resource id, the
	// alternative to picking it by ClientID; setting both is refused (ChooseMethod).
	MSIResourceID string

	UseCLI bool

	// HTTPClient sends the requests this package makes itself (CI ID tokens, custom MSI endpoint);
	// nil means a client over a clone of http.DefaultTransport.
	HTTPClient *http.Client
	// LookPath finds the az executable; nil means exec.LookPath.
	LookPath func(string) (string, error)
}

// String names the non-secret settings and only whether each secret is set, so that printing an
// AuthConfig by mistake leaks nothing.
func (c AuthConfig) String() string {
	set := func(b bool) string {
		if b {
			return "set"
		}
		return "unset"
	}
	// The URLs are shown without userinfo or query, where an ID token URL can hold a secret.
	shortURL := RedactURL
	return fmt.Sprintf("AuthConfig{tenant_id=%q client_id=%q authority_host=%q client_secret=%s client_certificate=%s client_certificate_password=%s "+
		"use_oidc=%t oidc_token=%s oidc_token_file_path=%q oidc_request_token=%s oidc_request_url=%q ado_pipeline_service_connection_id=%q "+
		"use_aks_workload_identity=%t use_msi=%t msi_endpoint=%q msi_resource_id=%q additionally_allowed_tenants=%q use_cli=%t}",
		c.TenantID, c.ClientID, c.AuthorityHost, set(c.ClientSecret != ""), set(len(c.ClientCertificate) > 0), set(c.ClientCertificatePassword != ""),
		c.UseOIDC, set(c.OIDCToken != ""), c.OIDCTokenFilePath, set(c.OIDCRequestToken != ""), shortURL(c.OIDCRequestURL), c.ADOServiceConnectionID,
		c.UseAKSWorkloadIdentity, c.UseMSI, shortURL(c.MSIEndpoint), c.MSIResourceID, c.AdditionallyAllowedTenants, c.UseCLI)
}

// GoString keeps %#v as safe as %v.
func (c AuthConfig) GoString() string { return c.String() }

// Method is one way of authenticating to Entra ID.
type Method string

// The methods, in the order NewCredential tries them.
const (
	MethodClientCertificate   Method = "client certificate"
	MethodClientSecret        Method = "client secret"
	MethodOIDCToken           Method = "OIDC token"
	MethodOIDCTokenFile       Method = "OIDC token file"
	MethodGitHubOIDC          Method = "GitHub Actions OIDC"
	MethodAzureDevOpsOIDC     Method = "Azure DevOps OIDC"
	MethodAKSWorkloadIdentity Method = "AKS workload identity"
	MethodManagedIdentity     Method = "managed identity"
	MethodAzureCLI            Method = "Azure CLI"
)

// Argument names used in the errors below. They are the provider's argument names: the provider
// adds the environment variables that also set each one when it reports the error.
const (
	ArgTenantID                  = "tenant_id"
	ArgClientID                  = "client_id"
	ArgClientSecret              = "client_secret"
	ArgClientCertificate         = "client_certificate"
	ArgClientCertificatePassword = "client_certificate_password"
	ArgUseOIDC                   = "use_oidc"
	ArgOIDCToken                 = "oidc_token"
	ArgOIDCTokenFilePath         = "oidc_token_file_path"
	ArgOIDCRequestToken          = "oidc_request_token"
	ArgOIDCRequestURL            = "oidc_request_url"
	ArgADOConnectionID           = "ado_pipeline_service_connection_id"
	ArgUseAKS                    = "use_aks_workload_identity"
	ArgUseMSI                    = "use_msi"
	ArgMSIResourceID             = "msi_resource_id"
	ArgUseCLI                    = "use_cli"
)

// ConflictError reports two arguments that cannot both be set for the chosen method. It never
// contains a configured value.
type ConflictError struct {
	Method Method
	Args   [2]string
	Why    string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s authentication takes %s or %s, not both: %s", e.Method, e.Args[0], e.Args[1], e.Why)
}

// IncompleteError reports a method that the configuration asks for but cannot use: it names the
// arguments still missing. It never contains a configured value.
type IncompleteError struct {
	Method  Method
	Missing []string
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("%s authentication also needs %s", e.Method, strings.Join(e.Missing, " and "))
}

// Attempt is one method that could not be chosen, and what would enable it.
type Attempt struct {
	Method Method
	// Enable lists the arguments that would make this method usable (all of them, or for
	// alternatives separated by " or ", one of them).
	Enable []string
	// Reason, when set, explains why the method is unusable although it is enabled (az not found).
	Reason string
}

// NoMethodError reports that no method could be used, listing each one tried, in order.
type NoMethodError struct{ Attempts []Attempt }

func (e *NoMethodError) Error() string {
	var b strings.Builder
	b.WriteString("no way to authenticate to Microsoft Graph was configured. Tried, in order:")
	for _, a := range e.Attempts {
		fmt.Fprintf(&b, "\n  - %s: ", a.Method)
		if a.Reason != "" {
			b.WriteString(a.Reason)
		} else {
			b.WriteString("set " + strings.Join(a.Enable, " and "))
		}
	}
	return b.String()
}

// ChooseMethod applies the selection order: client certificate, client secret, OIDC (token, token
// file, GitHub Actions, Azure DevOps), AKS workload identity, managed identity, Azure CLI. The first
// method whose enabling input is present is chosen; if it lacks something else (a tenant id, say),
// that is an *IncompleteError rather than a silent fall-through to a later method. When nothing is
// enabled the result is a *NoMethodError.
func ChooseMethod(cfg AuthConfig) (Method, error) {
	var tried []Attempt
	needIDs := func(m Method, tenant bool) error {
		var missing []string
		if tenant && cfg.TenantID == "" {
			missing = append(missing, ArgTenantID)
		}
		if cfg.ClientID == "" {
			missing = append(missing, ArgClientID)
		}
		if len(missing) > 0 {
			return &IncompleteError{Method: m, Missing: missing}
		}
		return nil
	}
	idArgs := func() []string {
		var a []string
		if cfg.TenantID == "" {
			a = append(a, ArgTenantID)
		}
		if cfg.ClientID == "" {
			a = append(a, ArgClientID)
		}
		return a
	}

	if len(cfg.ClientCertificate) > 0 {
		return MethodClientCertificate, needIDs(MethodClientCertificate, true)
	}
	tried = append(tried, Attempt{Method: MethodClientCertificate, Enable: append([]string{ArgClientCertificate}, idArgs()...)})

	if cfg.ClientSecret != "" {
		return MethodClientSecret, needIDs(MethodClientSecret, true)
	}
	tried = append(tried, Attempt{Method: MethodClientSecret, Enable: append([]string{ArgClientSecret}, idArgs()...)})

	oidcSources := ArgOIDCToken + " or " + ArgOIDCTokenFilePath + " or " + ArgOIDCRequestToken + " with " + ArgOIDCRequestURL +
		" (GitHub Actions; with " + ArgADOConnectionID + " for Azure DevOps)"
	if cfg.UseOIDC {
		var m Method
		switch {
		case cfg.OIDCToken != "":
			m = MethodOIDCToken
		case cfg.OIDCTokenFilePath != "":
			m = MethodOIDCTokenFile
		case cfg.ADOServiceConnectionID != "":
			m = MethodAzureDevOpsOIDC
		case cfg.OIDCRequestToken != "" && cfg.OIDCRequestURL != "":
			m = MethodGitHubOIDC
		}
		if m == MethodAzureDevOpsOIDC {
			var missing []string
			if cfg.OIDCRequestToken == "" {
				missing = append(missing, ArgOIDCRequestToken)
			}
			if cfg.OIDCRequestURL == "" {
				missing = append(missing, ArgOIDCRequestURL)
			}
			if len(missing) > 0 {
				return m, &IncompleteError{Method: m, Missing: missing}
			}
		}
		if m != "" {
			return m, needIDs(m, true)
		}
		tried = append(tried, Attempt{Method: "OIDC", Enable: append([]string{oidcSources}, idArgs()...)})
	} else {
		tried = append(tried, Attempt{Method: "OIDC", Enable: append([]string{ArgUseOIDC + " = true", oidcSources}, idArgs()...)})
	}

	if cfg.UseAKSWorkloadIdentity {
		if err := needIDs(MethodAKSWorkloadIdentity, true); err != nil {
			return MethodAKSWorkloadIdentity, err
		}
		if cfg.OIDCTokenFilePath == "" {
			return MethodAKSWorkloadIdentity, &IncompleteError{Method: MethodAKSWorkloadIdentity, Missing: []string{ArgOIDCTokenFilePath}}
		}
		return MethodAKSWorkloadIdentity, nil
	}
	tried = append(tried, Attempt{Method: MethodAKSWorkloadIdentity, Enable: []string{ArgUseAKS + " = true"}})

	if cfg.UseMSI {
		if cfg.ClientID != "" && cfg.MSIResourceID != "" {
			return MethodManagedIdentity, &ConflictError{Method: MethodManagedIdentity, Args: [2]string{ArgClientID, ArgMSIResourceID},
				Why: "each picks a user-assigned identity, so set the one you mean (neither for the system-assigned identity)"}
		}
		return MethodManagedIdentity, nil
	}
	tried = append(tried, Attempt{Method: MethodManagedIdentity, Enable: []string{ArgUseMSI + " = true"}})

	if cfg.UseCLI {
		lookPath := cfg.LookPath
		if lookPath == nil {
			lookPath = exec.LookPath
		}
		if _, err := lookPath("az"); err == nil {
			return MethodAzureCLI, nil
		}
		tried = append(tried, Attempt{Method: MethodAzureCLI, Reason: "the az command was not found on PATH; install the Azure CLI and run az login"})
	} else {
		tried = append(tried, Attempt{Method: MethodAzureCLI, Enable: []string{ArgUseCLI + " = true"}})
	}
	return "", &NoMethodError{Attempts: tried}
}

// NewCredential chooses the method (see ChooseMethod) and builds its credential. Every credential
// goes through azidentity except the custom managed identity endpoint (see credential_msi.go).
func NewCredential(cfg AuthConfig) (azcore.TokenCredential, error) {
	m, err := ChooseMethod(cfg)
	if err != nil {
		return nil, err
	}
	cred, err := build(m, cfg)
	if err != nil {
		return nil, fmt.Errorf("building the %s credential: %w", m, err)
	}
	return &loggingCredential{method: m, inner: cred}, nil
}

func build(m Method, cfg AuthConfig) (azcore.TokenCredential, error) {
	co := clientOptions(cfg.AuthorityHost)
	allowed := cfg.AdditionallyAllowedTenants
	disco := cfg.DisableInstanceDiscovery || !IsMicrosoftLoginHost(cfg.AuthorityHost)
	assertion := func(get func(context.Context) (string, error)) (azcore.TokenCredential, error) {
		return azidentity.NewClientAssertionCredential(cfg.TenantID, cfg.ClientID, get, &azidentity.ClientAssertionCredentialOptions{
			ClientOptions: co, DisableInstanceDiscovery: disco, AdditionallyAllowedTenants: allowed,
		})
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient()
	}
	hc = withLogging(hc)
	switch m {
	case MethodClientCertificate:
		certs, key, err := parseClientCertificate(cfg.ClientCertificate, cfg.ClientCertificatePassword)
		if err != nil {
			return nil, err
		}
		return azidentity.NewClientCertificateCredential(cfg.TenantID, cfg.ClientID, certs, key, &azidentity.ClientCertificateCredentialOptions{
			ClientOptions: co, DisableInstanceDiscovery: disco, AdditionallyAllowedTenants: allowed,
		})
	case MethodClientSecret:
		return azidentity.NewClientSecretCredential(cfg.TenantID, cfg.ClientID, cfg.ClientSecret, &azidentity.ClientSecretCredentialOptions{
			ClientOptions: co, DisableInstanceDiscovery: disco, AdditionallyAllowedTenants: allowed,
		})
	case MethodOIDCToken:
		tok := cfg.OIDCToken
		return assertion(func(context.Context) (string, error) { return tok, nil })
	case MethodOIDCTokenFile, MethodAKSWorkloadIdentity:
		// azidentity's WorkloadIdentityCredential would do for AKS, but it keeps the file's contents
		// for ten minutes and falls back to AZURE_* variables by itself; reading the file at every
		// token request follows a rotated token at once and keeps the environment out of here.
		return assertion(fileAssertion(cfg.OIDCTokenFilePath))
	case MethodGitHubOIDC:
		return assertion(gitHubAssertion(hc, cfg.OIDCRequestURL, cfg.OIDCRequestToken))
	case MethodAzureDevOpsOIDC:
		return assertion(azureDevOpsAssertion(hc, cfg.OIDCRequestURL, cfg.OIDCRequestToken, cfg.ADOServiceConnectionID))
	case MethodManagedIdentity:
		if cfg.MSIEndpoint != "" {
			return newCachingCredential(&msiEndpointCredential{endpoint: cfg.MSIEndpoint, clientID: cfg.ClientID, resourceID: cfg.MSIResourceID, http: hc}), nil
		}
		var id azidentity.ManagedIDKind
		switch {
		case cfg.ClientID != "":
			id = azidentity.ClientID(cfg.ClientID)
		case cfg.MSIResourceID != "":
			id = azidentity.ResourceID(cfg.MSIResourceID)
		}
		return azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{ClientOptions: co, ID: id})
	case MethodAzureCLI:
		// The CLI credential runs `az account get-access-token --resource <graph>` for every call
		// and keeps nothing, while the Graph client asks for a token before every request.
		cli, err := azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: cfg.TenantID, AdditionallyAllowedTenants: allowed})
		if err != nil {
			return nil, err
		}
		return newCachingCredential(cli), nil
	}
	return nil, errors.New("unknown authentication method " + string(m))
}

func clientOptions(authorityHost string) azcore.ClientOptions {
	return azcore.ClientOptions{
		Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: authorityHost},
		// azcore's own logging can print token request bodies at the most verbose levels; keep
		// what it logs to headers it already redacts.
		Logging: policy.LogOptions{IncludeBody: false},
		// One debug line per identity request (Entra ID token and discovery, managed identity), like the Graph
		// requests' (retry.go): no header or body, since those carry the secret and the token.
		PerRetryPolicies: []policy.Policy{tokenLoggingPolicy{}},
	}
}
