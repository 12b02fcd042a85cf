package graph

import (
	"errors"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// AuthConfig is everything needed to choose and build an Entra ID credential. The provider package
// resolves it from the configuration and ARM_* variables; this package never reads the environment.
type AuthConfig struct {
	TenantID      string
	ClientID      string
	ClientSecret  string
	AuthorityHost string

	// DisableInstanceDiscovery is forced on for authorities that are not Microsoft login hosts.
	DisableInstanceDiscovery bool
}

// NewCredential builds the azidentity credential for cfg.
func NewCredential(cfg AuthConfig) (azcore.TokenCredential, error) {
	if cfg.TenantID == "" || cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("a client secret credential needs tenant_id, client_id and client_secret")
	}
	opts := &azidentity.ClientSecretCredentialOptions{
		ClientOptions:            clientOptions(cfg.AuthorityHost),
		DisableInstanceDiscovery: cfg.DisableInstanceDiscovery || !IsMicrosoftLoginHost(cfg.AuthorityHost),
	}
	return azidentity.NewClientSecretCredential(cfg.TenantID, cfg.ClientID, cfg.ClientSecret, opts)
}

func clientOptions(authorityHost string) azcore.ClientOptions {
	return azcore.ClientOptions{
		Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: authorityHost},
		// azcore's own logging can print token request bodies at the most verbose levels; keep
		// what it logs to headers it already redacts.
		Logging: policy.LogOptions{IncludeBody: false},
	}
}
