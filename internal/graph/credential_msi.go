package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// msiEndpointCredential gets managed identity tokens from a configured endpoint (msi_endpoint).
//
// azidentity.ManagedIdentityCredential cannot be pointed at an endpoint: MSAL picks one from the
// process environment (IDENTITY_ENDPOINT/IDENTITY_HEADER for App Service, MSI_ENDPOINT for Cloud
// Shell, ...) and otherwise uses IMDS at 169.254.169.254. Setting those variables from a provider
// would change them for the whole process (and every other provider configuration in it). So
// without msi_endpoint the provider uses azidentity, and with it this small credential sends the
// IMDS request to the given URL: GET <endpoint>?api-version=2018-02-01&resource=<graph>[&client_id=]
// with "Metadata: true" (&msi_res_id= for an identity picked by resource id). That is the shape
// azurerm's msi_endpoint has always meant, and what IMDS-compatible proxies (and the emulator) serve.
type msiEndpointCredential struct {
	endpoint string
	clientID string // user-assigned identity by client id; empty for system-assigned
	// resourceID is a user-assigned identity by Azure resource id, sent as IMDS's msi_res_id.
	resourceID string
	http       *http.Client
}

func (c *msiEndpointCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if len(opts.Scopes) != 1 {
		return azcore.AccessToken{}, errors.New("managed identity: exactly one scope is needed")
	}
	u, err := url.Parse(c.endpoint)
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("msi_endpoint is not a URL: %w", redactURLError(err))
	}
	secrets := querySecrets(u)
	q := u.Query()
	q.Set("api-version", "2018-02-01")
	q.Set("resource", strings.TrimSuffix(opts.Scopes[0], "/.default"))
	if c.clientID != "" {
		q.Set("client_id", c.clientID)
	}
	if c.resourceID != "" {
		q.Set("msi_res_id", c.resourceID)
	}
	u.RawQuery = q.Encode()
	secrets = append(secrets, u.RawQuery)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("building the managed identity request: %w", redactURLError(err))
	}
	req.Header.Set("Metadata", "true")
	resp, err := c.http.Do(req)
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("managed identity endpoint %s: %w", RedactURL(u.String()), redactURLError(err, secrets...))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("reading the managed identity response: %w", redactURLError(err, secrets...))
	}
	if resp.StatusCode != http.StatusOK {
		// The endpoint is printed without its query: a configured msi_endpoint may carry a key there.
		return azcore.AccessToken{}, fmt.Errorf("managed identity endpoint %s answered %s: %s", RedactURL(u.String()), resp.Status, errorBody(body, secrets...))
	}
	// IMDS sends the numbers as strings; App Service-style endpoints as numbers.
	var r struct {
		AccessToken string          `json:"access_token"`
		ExpiresOn   json.RawMessage `json:"expires_on"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &r); err != nil || r.AccessToken == "" {
		return azcore.AccessToken{}, errors.New("the managed identity endpoint's answer has no access_token")
	}
	exp := time.Now().Add(5 * time.Minute)
	if n, ok := jsonNumber(r.ExpiresOn); ok {
		exp = time.Unix(n, 0)
	} else if n, ok := jsonNumber(r.ExpiresIn); ok {
		exp = time.Now().Add(time.Duration(n) * time.Second)
	}
	return azcore.AccessToken{Token: r.AccessToken, ExpiresOn: exp.UTC()}, nil
}

func jsonNumber(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}
