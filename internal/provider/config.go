package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// settings is the provider configuration after applying environment-variable fallbacks.
type settings struct {
	graphEndpoint string
	auth          graph.AuthConfig
}

// resolveSettings applies the precedence rule: a value in the configuration wins, then the first
// environment variable that is set. Errors point at the attribute and name its variables.
func resolveSettings(cfg providerModel, getenv func(string) string) (settings, diag.Diagnostics) {
	var diags diag.Diagnostics
	value := func(attr string, v types.String, envs ...string) string {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(attr), "Unknown provider argument",
				fmt.Sprintf("%s depends on a value that is only known after apply. Provider configuration must be known at plan time: "+
					"set it to a literal or a variable, or set %s.", attr, strings.Join(envs, " or ")))
			return ""
		}
		if !v.IsNull() {
			return strings.TrimSpace(v.ValueString())
		}
		for _, e := range envs {
			if s := strings.TrimSpace(getenv(e)); s != "" {
				return s
			}
		}
		return ""
	}
	var s settings
	s.auth.TenantID = value("tenant_id", cfg.TenantID, "ARM_TENANT_ID")
	s.auth.ClientID = value("client_id", cfg.ClientID, "ARM_CLIENT_ID")
	s.auth.ClientSecret = value("client_secret", cfg.ClientSecret, "ARM_CLIENT_SECRET")
	envName := value("environment", cfg.Environment, "ARM_ENVIRONMENT")
	endpoint := value("graph_endpoint", cfg.GraphEndpoint, "ARM_GRAPH_ENDPOINT")
	authority := value("authority_host", cfg.AuthorityHost, "ARM_AUTHORITY_HOST", "AZURE_AUTHORITY_HOST")
	if diags.HasError() {
		return s, diags
	}

	env, err := graph.LookupEnvironment(envName)
	if err != nil {
		diags.AddAttributeError(path.Root("environment"), "Invalid environment", err.Error()+". It can also be set with ARM_ENVIRONMENT.")
		return s, diags
	}
	s.graphEndpoint = env.GraphEndpoint
	if endpoint != "" {
		ep, err := graph.NormalizeEndpoint(endpoint)
		if err != nil {
			diags.AddAttributeError(path.Root("graph_endpoint"), "Invalid graph_endpoint", err.Error()+". It can also be set with ARM_GRAPH_ENDPOINT.")
			return s, diags
		}
		s.graphEndpoint = ep
	}
	s.auth.AuthorityHost = env.AuthorityHost
	if authority != "" {
		if _, err := graph.NormalizeEndpoint(strings.TrimRight(authority, "/")); err != nil {
			diags.AddAttributeError(path.Root("authority_host"), "Invalid authority_host", err.Error()+". It can also be set with ARM_AUTHORITY_HOST or AZURE_AUTHORITY_HOST.")
			return s, diags
		}
		s.auth.AuthorityHost = strings.TrimRight(authority, "/") + "/"
	}

	missing := func(attr, env, what string) {
		diags.AddAttributeError(path.Root(attr), "Missing "+attr,
			fmt.Sprintf("The provider needs %s to authenticate to Microsoft Graph. Set %s in the provider block or the %s environment variable.", what, attr, env))
	}
	if s.auth.TenantID == "" {
		missing("tenant_id", "ARM_TENANT_ID", "the Entra ID tenant id")
	}
	if s.auth.ClientID == "" {
		missing("client_id", "ARM_CLIENT_ID", "the application (client) id")
	}
	if s.auth.ClientSecret == "" {
		missing("client_secret", "ARM_CLIENT_SECRET", "a client secret")
	}
	return s, diags
}
