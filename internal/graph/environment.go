package graph

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Environment is a Microsoft cloud: where Graph lives and where Entra ID issues its tokens.
type Environment struct {
	Name          string
	GraphEndpoint string
	AuthorityHost string
}

// environments holds the national clouds Graph is deployed to, keyed by the name users write.
var environments = map[string]Environment{
	"public":       {Name: "public", GraphEndpoint: "https://graph.microsoft.com", AuthorityHost: "https://login.microsoftonline.com/"},
	"usgovernment": {Name: "usgovernment", GraphEndpoint: "https://graph.microsoft.us", AuthorityHost: "https://login.microsoftonline.us/"},
	"dod":          {Name: "dod", GraphEndpoint: "https://dod-graph.microsoft.us", AuthorityHost: "https://login.microsoftonline.us/"},
	"china":        {Name: "china", GraphEndpoint: "https://microsoftgraph.chinacloudapi.cn", AuthorityHost: "https://login.chinacloudapi.cn/"},
}

// environmentAliases are the other names users type for the same clouds: azurerm/azuread's
// (global, usgovernmentl4/l5), the Azure SDKs' cloud names, and the names of the Microsoft 365
// government offerings. A GCC tenant lives in the public cloud (its Graph is graph.microsoft.com);
// GCC High in the US Government cloud; DoD in its own Graph deployment with the US Government
// login host. Names are compared without case, spaces, '-' or '_', so "GCC-High" is gcchigh.
var environmentAliases = map[string]string{
	"global":                 "public",
	"azurecloud":             "public",
	"azurepubliccloud":       "public",
	"gcc":                    "public",
	"usgovernmentl4":         "usgovernment",
	"gcchigh":                "usgovernment",
	"azureusgovernment":      "usgovernment",
	"azureusgovernmentcloud": "usgovernment",
	"usgovernmentl5":         "dod",
	"usgovernmentdod":        "dod",
	"gccdod":                 "dod",
	"azurechinacloud":        "china",
}

// canonicalEnvironment folds a name as users write it ("GCC-High", "AzureUSGovernment") to a
// key of the tables above.
func canonicalEnvironment(name string) string {
	return strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(name)))
}

// EnvironmentAliases returns the aliases of the canonical environment name, sorted.
func EnvironmentAliases(canonical string) []string {
	var out []string
	for a, n := range environmentAliases {
		if n == canonical {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

// EnvironmentNames lists every accepted value of the provider's environment argument, aliases included.
func EnvironmentNames() []string {
	names := make([]string, 0, len(environments)+len(environmentAliases))
	for n := range environments {
		names = append(names, n)
	}
	for n := range environmentAliases {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LookupEnvironment resolves a cloud name (case-insensitive, aliases allowed).
func LookupEnvironment(name string) (Environment, error) {
	n := canonicalEnvironment(name)
	if n == "" {
		n = "public"
	}
	if alias, ok := environmentAliases[n]; ok {
		n = alias
	}
	env, ok := environments[n]
	if !ok {
		return Environment{}, fmt.Errorf("unknown environment %q: valid values are %s", name, strings.Join(EnvironmentNames(), ", "))
	}
	return env, nil
}

// microsoftLoginHosts are the Entra hosts whose instance discovery endpoint exists. Any other authority
// (a private cloud, an emulator) must run with instance discovery off, or MSAL calls
// login.microsoftonline.com to "discover" it.
var microsoftLoginHosts = map[string]bool{
	"login.microsoftonline.com":        true,
	"login.microsoftonline.us":         true,
	"login.chinacloudapi.cn":           true,
	"login.microsoft.com":              true,
	"login.windows.net":                true,
	"login.partner.microsoftonline.cn": true,
}

// IsMicrosoftLoginHost reports whether authorityHost is one of Entra's public login hosts.
func IsMicrosoftLoginHost(authorityHost string) bool {
	u, err := url.Parse(authorityHost)
	if err != nil {
		return false
	}
	return microsoftLoginHosts[strings.ToLower(u.Hostname())]
}

// NormalizeEndpoint validates a Graph or authority base URL and strips a trailing slash and path.
// Graph endpoints must be scheme + host only: the provider appends /beta itself.
//
// Messages quote the value with RedactURL: a value refused for carrying credentials or a query is
// exactly one that may hold a secret.
func NormalizeEndpoint(raw string) (string, error) {
	shown := RedactURL(raw)
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute URL such as https://graph.microsoft.com", shown)
	}
	if u.Scheme != "https" {
		return "", fmt.Errorf("%q must use https", shown)
	}
	if u.User != nil {
		return "", fmt.Errorf("%q must not carry credentials (user:password@): the provider authenticates with the configured credential", shown)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", fmt.Errorf("%q must be a scheme and host only, without a query or fragment", shown)
	}
	if p := strings.Trim(u.Path, "/"); p != "" {
		return "", fmt.Errorf("%q must be a scheme and host only, without a path such as /%s", shown, p)
	}
	return u.Scheme + "://" + u.Host, nil
}
