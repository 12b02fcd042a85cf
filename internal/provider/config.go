package provider

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// settings is the provider configuration after applying environment-variable fallbacks.
type settings struct {
	graphEndpoint string
	auth          graph.AuthConfig
	// partnerID is the GUID sent as pid-<GUID> in the User-Agent; empty sends none.
	partnerID string
	// writeRateLimit is the most writes per writeRateWindow the provider sends; 0 means no ceiling
	// (the learned pacing applies either way).
	writeRateLimit int
}

// writeRateWindow is the window of Intune's write throttle (100 writes per 20 s per app per tenant).
const writeRateWindow = 20 * time.Second

// envVars lists, per argument, the environment variables that also set it, first found wins.
// Some fallbacks depend on other arguments (AKS workload identity, Azure DevOps) and are added where
// they apply; they are listed here too so that messages name them.
var envVars = map[string][]string{
	"tenant_id":                          {"ARM_TENANT_ID"},
	"client_id":                          {"ARM_CLIENT_ID"},
	"client_id_file_path":                {"ARM_CLIENT_ID_FILE_PATH"},
	"client_secret":                      {"ARM_CLIENT_SECRET"},
	"client_secret_file_path":            {"ARM_CLIENT_SECRET_FILE_PATH"},
	"client_certificate":                 {"ARM_CLIENT_CERTIFICATE"},
	"client_certificate_path":            {"ARM_CLIENT_CERTIFICATE_PATH"},
	"client_certificate_password":        {"ARM_CLIENT_CERTIFICATE_PASSWORD"},
	"use_oidc":                           {"ARM_USE_OIDC"},
	"oidc_token":                         {"ARM_OIDC_TOKEN"},
	"oidc_token_file_path":               {"ARM_OIDC_TOKEN_FILE_PATH"},
	"oidc_request_token":                 {"ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"},
	"oidc_request_url":                   {"ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL"},
	"ado_pipeline_service_connection_id": {"ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID"},
	"use_aks_workload_identity":          {"ARM_USE_AKS_WORKLOAD_IDENTITY"},
	"use_msi":                            {"ARM_USE_MSI"},
	"msi_endpoint":                       {"ARM_MSI_ENDPOINT"},
	"msi_resource_id":                    {"ARM_MSI_RESOURCE_ID"},
	"additionally_allowed_tenants":       {"ARM_ADDITIONALLY_ALLOWED_TENANTS", "AZURE_ADDITIONALLY_ALLOWED_TENANTS"},
	"partner_id":                         {"ARM_PARTNER_ID"},
	"disable_terraform_partner_id":       {"ARM_DISABLE_TERRAFORM_PARTNER_ID"},
	"use_cli":                            {"ARM_USE_CLI"},
	"disable_instance_discovery":         {"ARM_DISABLE_INSTANCE_DISCOVERY"},
	"environment":                        {"ARM_ENVIRONMENT"},
	"graph_endpoint":                     {"ARM_GRAPH_ENDPOINT"},
	"authority_host":                     {"ARM_AUTHORITY_HOST", "AZURE_AUTHORITY_HOST"},
	"write_rate_limit":                   {"INTUNE_WRITE_RATE_LIMIT"},
}

// terraformPartnerID is the partner id azurerm and azuread send for Terraform unless a partner_id
// is set or disable_terraform_partner_id is true; Microsoft counts Terraform's usage by it.
const terraformPartnerID = "222c6c49-1b0a-5959-a213-6608f9eb8820"

// The patterns of the validated string arguments: shared by the schema validators (a value in the
// configuration) and the resolver (a value from an environment variable).
var (
	guidPattern   = `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`
	partnerIDRE   = regexp.MustCompile(`^(?i:pid-)?` + guidPattern + `$`)
	partnerIDHint = "a partner id is a GUID such as 00000000-0000-0000-0000-000000000000, optionally written with the pid- prefix. " +
		"It can also be set with ARM_PARTNER_ID."
	msiResourceIDRE = regexp.MustCompile(`^(?i)/subscriptions/` + guidPattern +
		`/resourceGroups/[^/]+/providers/Microsoft\.ManagedIdentity/userAssignedIdentities/[^/]+$`)
	msiResourceIDHint = "the Azure resource id of a user-assigned managed identity is " +
		"/subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>. " +
		"It can also be set with ARM_MSI_RESOURCE_ID."
	// tenantRE is what azidentity accepts as a tenant: an id or a domain name, or "*" for any.
	tenantRE    = regexp.MustCompile(`^(\*|[0-9A-Za-z][0-9A-Za-z.-]*)$`)
	tenantsHint = "It can also be set with ARM_ADDITIONALLY_ALLOWED_TENANTS or AZURE_ADDITIONALLY_ALLOWED_TENANTS, separated by ';' or ','."
)

// Fallbacks that apply only with another argument.
var (
	aksEnv = map[string]string{"tenant_id": "AZURE_TENANT_ID", "client_id": "AZURE_CLIENT_ID", "oidc_token_file_path": "AZURE_FEDERATED_TOKEN_FILE"}
	adoEnv = map[string]string{"oidc_request_token": "SYSTEM_ACCESSTOKEN", "oidc_request_url": "SYSTEM_OIDCREQUESTURI"}
)

// resolver applies the precedence rule to one configuration: a value in the configuration wins,
// then the first environment variable that is set. Errors point at the attribute and name its
// variables; they never quote a value, since most of these are secrets.
type resolver struct {
	getenv func(string) string
	diags  diag.Diagnostics
}

func (r *resolver) str(attr string, v types.String, envs ...string) (val string, fromConfig bool) {
	if v.IsUnknown() {
		r.unknown(attr, envs)
		return "", false
	}
	if !v.IsNull() {
		return strings.TrimSpace(v.ValueString()), true
	}
	for _, e := range envs {
		if s := strings.TrimSpace(r.getenv(e)); s != "" {
			return s, false
		}
	}
	return "", false
}

// secret resolves a password exactly as given: unlike str it trims nothing, since a password may
// begin or end with a space. An empty value is unset.
func (r *resolver) secret(attr string, v types.String, envs ...string) string {
	if v.IsUnknown() {
		r.unknown(attr, envs)
		return ""
	}
	if !v.IsNull() {
		return v.ValueString()
	}
	for _, e := range envs {
		if s := r.getenv(e); s != "" {
			return s
		}
	}
	return ""
}

func (r *resolver) boolean(attr string, v types.Bool, def bool, envs ...string) bool {
	if v.IsUnknown() {
		r.unknown(attr, envs)
		return def
	}
	if !v.IsNull() {
		return v.ValueBool()
	}
	for _, e := range envs {
		if s := strings.TrimSpace(r.getenv(e)); s != "" {
			b, err := strconv.ParseBool(s)
			if err != nil {
				r.diags.AddAttributeError(path.Root(attr), "Invalid "+e,
					fmt.Sprintf("%s must be true or false (it sets %s); got %q.", e, attr, s))
				return def
			}
			return b
		}
	}
	return def
}

// integer resolves a whole-number argument within [lo, hi].
func (r *resolver) integer(attr string, v types.Int64, lo, hi int64, envs ...string) int {
	if v.IsUnknown() {
		r.unknown(attr, envs)
		return 0
	}
	n, source := v.ValueInt64(), attr
	if v.IsNull() {
		for _, e := range envs {
			raw := strings.TrimSpace(r.getenv(e))
			if raw == "" {
				continue
			}
			parsed, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				r.diags.AddAttributeError(path.Root(attr), "Invalid "+attr, fmt.Sprintf("The environment variable %s must be a whole number.", e))
				return 0
			}
			n, source = parsed, "The environment variable "+e
			break
		}
	}
	if n < lo || n > hi {
		r.diags.AddAttributeError(path.Root(attr), "Invalid "+attr, fmt.Sprintf("%s must be between %d and %d, got %d.", source, lo, hi, n))
		return 0
	}
	return int(n)
}

// list resolves a list of strings; the environment variables hold it separated by ";" or ","
// (azidentity's AZURE_ADDITIONALLY_ALLOWED_TENANTS uses ";").
func (r *resolver) list(attr string, v types.List, envs ...string) (vals []string, source string) {
	if v.IsUnknown() {
		r.unknown(attr, envs)
		return nil, attr
	}
	if !v.IsNull() {
		for _, e := range v.Elements() {
			s, ok := e.(types.String)
			if !ok || s.IsUnknown() {
				r.unknown(attr, envs)
				return nil, attr
			}
			if !s.IsNull() && strings.TrimSpace(s.ValueString()) != "" {
				vals = append(vals, strings.TrimSpace(s.ValueString()))
			}
		}
		return vals, attr
	}
	for _, e := range envs {
		raw := strings.TrimSpace(r.getenv(e))
		if raw == "" {
			continue
		}
		for _, part := range strings.FieldsFunc(raw, func(c rune) bool { return c == ';' || c == ',' }) {
			if p := strings.TrimSpace(part); p != "" {
				vals = append(vals, p)
			}
		}
		return vals, "The environment variable " + e
	}
	return nil, attr
}

func (r *resolver) unknown(attr string, envs []string) {
	r.diags.AddAttributeError(path.Root(attr), "Unknown provider argument",
		fmt.Sprintf("%s depends on a value that is only known after apply. Provider configuration must be known at plan time: "+
			"set it to a literal or a variable, or set %s.", attr, strings.Join(envs, " or ")))
}

// pair resolves a value that can be given inline or as a file (client_id / client_id_file_path,
// ...). The configuration is one layer and the environment another: if either argument is in the
// configuration, the environment is not consulted for the pair. Within the layer, a value given
// both ways must agree. The file is read once, here; it holds a value, not a token that rotates.
func (r *resolver) pair(attr string, v types.String, fileAttr string, fv types.String, decode func([]byte) ([]byte, error)) []byte {
	inline, inCfg := r.str(attr, v, envVars[attr]...)
	file, fileCfg := r.str(fileAttr, fv, envVars[fileAttr]...)
	inlineName, fileName := attr, fileAttr
	if !inCfg && !fileCfg {
		inline, _ = r.str(attr, types.StringNull(), envVars[attr]...)
		file, _ = r.str(fileAttr, types.StringNull(), envVars[fileAttr]...)
		inlineName, fileName = firstSet(r.getenv, envVars[attr]), firstSet(r.getenv, envVars[fileAttr])
	} else if !inCfg {
		inline = ""
	} else if !fileCfg {
		file = ""
	}
	var fromInline, fromFile []byte
	if inline != "" {
		fromInline = []byte(inline)
		if decode != nil {
			b, err := decode(fromInline)
			if err != nil {
				r.diags.AddAttributeError(path.Root(attr), "Invalid "+inlineName, fmt.Sprintf("%s %v.", inlineName, err))
				return nil
			}
			fromInline = b
		}
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			r.diags.AddAttributeError(path.Root(fileAttr), "Cannot read "+fileName, fmt.Sprintf("Reading the file named by %s: %v.", fileName, err))
			return nil
		}
		if decode == nil {
			b = bytes.TrimSpace(b)
		}
		fromFile = b
	}
	if fromInline != nil && fromFile != nil && !bytes.Equal(fromInline, fromFile) {
		r.diags.AddAttributeError(path.Root(attr), "Conflicting "+inlineName+" and "+fileName,
			fmt.Sprintf("%s and %s are both set but do not hold the same value. Set only one of them, or make them agree.", inlineName, fileName))
		return nil
	}
	if fromInline != nil {
		return fromInline
	}
	return fromFile
}

// matching resolves a string argument that must match re, from the configuration (where its
// schema validator has already checked it) or its environment variables (checked here).
func (r *resolver) matching(attr string, v types.String, re *regexp.Regexp, hint string) string {
	val, fromCfg := r.str(attr, v, envVars[attr]...)
	if val == "" || re.MatchString(val) {
		return val
	}
	source := attr
	if !fromCfg {
		source = "The environment variable " + firstSet(r.getenv, envVars[attr])
	}
	r.diags.AddAttributeError(path.Root(attr), "Invalid "+attr, fmt.Sprintf("%s is %q: %s", source, val, hint))
	return ""
}

func firstSet(getenv func(string) string, envs []string) string {
	for _, e := range envs {
		if strings.TrimSpace(getenv(e)) != "" {
			return e
		}
	}
	return strings.Join(envs, "/")
}

// resolveSettings applies the precedence rule to every argument and resolves them into the Graph
// endpoint and a graph.AuthConfig; it then checks that an authentication method can be chosen, so
// that a missing piece is reported against its attribute with the variables that would set it.
func resolveSettings(cfg providerModel, getenv func(string) string) (settings, diag.Diagnostics) {
	r := &resolver{getenv: getenv}
	var s settings
	a := &s.auth
	env := func(attr string) []string { return envVars[attr] }

	a.UseAKSWorkloadIdentity = r.boolean("use_aks_workload_identity", cfg.UseAKSWorkloadIdentity, false, env("use_aks_workload_identity")...)
	a.UseOIDC = r.boolean("use_oidc", cfg.UseOIDC, false, env("use_oidc")...)
	a.UseMSI = r.boolean("use_msi", cfg.UseMSI, false, env("use_msi")...)
	a.UseCLI = r.boolean("use_cli", cfg.UseCLI, true, env("use_cli")...)
	a.DisableInstanceDiscovery = r.boolean("disable_instance_discovery", cfg.DisableInstanceDiscovery, false, env("disable_instance_discovery")...)
	s.writeRateLimit = r.integer("write_rate_limit", cfg.WriteRateLimit, 0, 1000, env("write_rate_limit")...)

	withAKS := func(attr string) []string {
		if a.UseAKSWorkloadIdentity {
			return append(append([]string(nil), envVars[attr]...), aksEnv[attr])
		}
		return envVars[attr]
	}
	a.TenantID, _ = r.str("tenant_id", cfg.TenantID, withAKS("tenant_id")...)
	a.ClientID = string(r.pair("client_id", cfg.ClientID, "client_id_file_path", cfg.ClientIDFilePath, nil))
	if a.ClientID == "" && a.UseAKSWorkloadIdentity {
		a.ClientID = strings.TrimSpace(getenv(aksEnv["client_id"]))
	}
	a.ClientSecret = string(r.pair("client_secret", cfg.ClientSecret, "client_secret_file_path", cfg.ClientSecretFilePath, nil))
	a.ClientCertificate = r.pair("client_certificate", cfg.ClientCertificate, "client_certificate_path", cfg.ClientCertificatePath, decodeBase64)
	a.ClientCertificatePassword = r.secret("client_certificate_password", cfg.ClientCertificatePassword, env("client_certificate_password")...)

	// The OIDC token is compared with its file here, but the file is handed on by path: it is read
	// again at every token request.
	a.OIDCToken, _ = r.str("oidc_token", cfg.OIDCToken, env("oidc_token")...)
	a.OIDCTokenFilePath, _ = r.str("oidc_token_file_path", cfg.OIDCTokenFilePath, withAKS("oidc_token_file_path")...)
	if a.OIDCToken != "" && a.OIDCTokenFilePath != "" {
		tok := r.pair("oidc_token", cfg.OIDCToken, "oidc_token_file_path", cfg.OIDCTokenFilePath, nil)
		if tok == nil {
			a.OIDCToken, a.OIDCTokenFilePath = "", ""
		}
	}
	a.ADOServiceConnectionID, _ = r.str("ado_pipeline_service_connection_id", cfg.ADOPipelineServiceConnectionID, env("ado_pipeline_service_connection_id")...)
	reqEnv := func(attr string) []string {
		if a.ADOServiceConnectionID != "" {
			return []string{envVars[attr][0], adoEnv[attr]}
		}
		return envVars[attr]
	}
	a.OIDCRequestToken, _ = r.str("oidc_request_token", cfg.OIDCRequestToken, reqEnv("oidc_request_token")...)
	a.OIDCRequestURL, _ = r.str("oidc_request_url", cfg.OIDCRequestURL, reqEnv("oidc_request_url")...)
	a.MSIEndpoint, _ = r.str("msi_endpoint", cfg.MSIEndpoint, env("msi_endpoint")...)
	a.MSIResourceID = r.matching("msi_resource_id", cfg.MSIResourceID, msiResourceIDRE, msiResourceIDHint)
	var tenantsFrom string
	a.AdditionallyAllowedTenants, tenantsFrom = r.list("additionally_allowed_tenants", cfg.AdditionallyAllowedTenants, env("additionally_allowed_tenants")...)
	for _, t := range a.AdditionallyAllowedTenants {
		if !tenantRE.MatchString(t) {
			r.diags.AddAttributeError(path.Root("additionally_allowed_tenants"), "Invalid additionally_allowed_tenants",
				fmt.Sprintf("%s holds %q, which is not a tenant id, a tenant domain name or \"*\". %s", tenantsFrom, t, tenantsHint))
			a.AdditionallyAllowedTenants = nil
			break
		}
	}
	s.partnerID = r.matching("partner_id", cfg.PartnerID, partnerIDRE, partnerIDHint)
	s.partnerID = strings.ToLower(strings.TrimPrefix(strings.ToLower(s.partnerID), "pid-"))
	disablePID := r.boolean("disable_terraform_partner_id", cfg.DisableTerraformPartnerID, false, env("disable_terraform_partner_id")...)
	if s.partnerID == "" && !disablePID {
		s.partnerID = terraformPartnerID
	}

	envName, _ := r.str("environment", cfg.Environment, env("environment")...)
	endpoint, _ := r.str("graph_endpoint", cfg.GraphEndpoint, env("graph_endpoint")...)
	authority, _ := r.str("authority_host", cfg.AuthorityHost, env("authority_host")...)
	if r.diags.HasError() {
		return s, r.diags
	}

	cloud, err := graph.LookupEnvironment(envName)
	if err != nil {
		r.diags.AddAttributeError(path.Root("environment"), "Invalid environment", err.Error()+". It can also be set with ARM_ENVIRONMENT.")
		return s, r.diags
	}
	s.graphEndpoint = cloud.GraphEndpoint
	if endpoint != "" {
		ep, err := graph.NormalizeEndpoint(endpoint)
		if err != nil {
			r.diags.AddAttributeError(path.Root("graph_endpoint"), "Invalid graph_endpoint", err.Error()+". It can also be set with ARM_GRAPH_ENDPOINT.")
			return s, r.diags
		}
		s.graphEndpoint = ep
	}
	a.AuthorityHost = cloud.AuthorityHost
	if authority != "" {
		if _, err := graph.NormalizeEndpoint(strings.TrimRight(authority, "/")); err != nil {
			r.diags.AddAttributeError(path.Root("authority_host"), "Invalid authority_host", err.Error()+". It can also be set with ARM_AUTHORITY_HOST or AZURE_AUTHORITY_HOST.")
			return s, r.diags
		}
		a.AuthorityHost = strings.TrimRight(authority, "/") + "/"
	}
	if a.MSIEndpoint != "" {
		// IMDS itself is plain http on a link-local address, so http is allowed here.
		if u, err := url.Parse(a.MSIEndpoint); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			r.diags.AddAttributeError(path.Root("msi_endpoint"), "Invalid msi_endpoint",
				fmt.Sprintf("%q is not an http(s) URL such as http://169.254.169.254/metadata/identity/oauth2/token. It can also be set with ARM_MSI_ENDPOINT.", graph.RedactURL(a.MSIEndpoint)))
			return s, r.diags
		}
	}
	// az is looked up on the PATH of the same environment as everything else.
	a.LookPath = func(name string) (string, error) { return lookPath(getenv("PATH"), name) }

	if _, err := graph.ChooseMethod(s.auth); err != nil {
		addMethodError(&r.diags, err, a.UseAKSWorkloadIdentity)
	}
	return s, r.diags
}

// addMethodError turns graph's method selection errors into diagnostics naming each argument's
// environment variables.
func addMethodError(diags *diag.Diagnostics, err error, aks bool) {
	var inc *graph.IncompleteError
	var none *graph.NoMethodError
	var conflict *graph.ConflictError
	switch {
	case errors.As(err, &conflict):
		names := make([]string, 0, 2)
		for _, arg := range conflict.Args {
			envs := envVars[arg]
			if aks && aksEnv[arg] != "" {
				envs = append(append([]string(nil), envs...), aksEnv[arg])
			}
			names = append(names, fmt.Sprintf("%s (%s)", arg, strings.Join(envs, " or ")))
		}
		diags.AddAttributeError(path.Root(conflict.Args[1]), "Conflicting "+conflict.Args[0]+" and "+conflict.Args[1],
			fmt.Sprintf("%s authentication takes %s or %s, not both: %s.", conflict.Method, names[0], names[1], conflict.Why))
	case errors.As(err, &inc):
		for _, arg := range inc.Missing {
			envs := envVars[arg]
			if aks && aksEnv[arg] != "" {
				envs = append(append([]string(nil), envs...), aksEnv[arg])
			}
			diags.AddAttributeError(path.Root(arg), "Missing "+arg,
				fmt.Sprintf("%s authentication needs %s. Set %s in the provider block or %s.", inc.Method, arg, arg, strings.Join(envs, " or ")))
		}
	case errors.As(err, &none):
		var b strings.Builder
		b.WriteString("No authentication method could be used. Tried, in order:")
		for _, at := range none.Attempts {
			fmt.Fprintf(&b, "\n  - %s: ", at.Method)
			if at.Reason != "" {
				b.WriteString(at.Reason)
				continue
			}
			parts := make([]string, len(at.Enable))
			for i, e := range at.Enable {
				parts[i] = withEnv(e)
			}
			b.WriteString("set " + strings.Join(parts, " and "))
		}
		diags.AddError("No Microsoft Graph authentication configured", b.String())
	default:
		diags.AddError("No Microsoft Graph authentication configured", err.Error())
	}
}

// withEnv appends the environment variables to each argument named in s ("use_oidc = true" becomes
// "use_oidc = true (ARM_USE_OIDC=true)").
func withEnv(s string) string {
	if name, ok := strings.CutSuffix(s, " = true"); ok && len(envVars[name]) > 0 {
		return name + " = true (" + envVars[name][0] + "=true)"
	}
	words := strings.Fields(s)
	for i, w := range words {
		if envs, ok := envVars[w]; ok {
			words[i] = w + " (" + strings.Join(envs, ", ") + ")"
		}
	}
	return strings.Join(words, " ")
}

func decodeBase64(b []byte) ([]byte, error) {
	s := strings.Join(strings.Fields(string(b)), "")
	out, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if out, err2 := base64.RawStdEncoding.DecodeString(s); err2 == nil {
			return out, nil
		}
		return nil, errors.New("is not valid base64")
	}
	return out, nil
}

// lookPath is exec.LookPath over a given PATH value.
func lookPath(pathEnv, name string) (string, error) {
	for _, dir := range filepath.SplitList(pathEnv) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found on PATH", name)
}
