package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Federated assertions are fetched by the getAssertion callbacks below, which azidentity's
// ClientAssertionCredential calls each time it goes to Entra for a token, never once at configure
// time: a GitHub Actions ID token lives for minutes, longer applies outlive it, and a projected
// token file is rotated under our feet.

// exchangeAudience is the audience Entra requires in a federated assertion.
const exchangeAudience = "api://AzureADTokenExchange"

func defaultHTTPClient() *http.Client {
	return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone(), Timeout: time.Minute}
}

// fileAssertion re-reads path at every token request.
func fileAssertion(path string) func(context.Context) (string, error) {
	return func(context.Context) (string, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("reading the OIDC token file: %w", err)
		}
		tok := strings.TrimSpace(string(b))
		if tok == "" {
			return "", fmt.Errorf("the OIDC token file %s is empty", path)
		}
		return tok, nil
	}
}

// gitHubAssertion asks the GitHub Actions ID token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) for a
// token with Entra's audience: GET <url>&audience=api://AzureADTokenExchange, answered
// {"value": "<jwt>"}.
func gitHubAssertion(hc *http.Client, requestURL, requestToken string) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		u, err := url.Parse(requestURL)
		if err != nil {
			return "", fmt.Errorf("%s is not a URL: %w", ArgOIDCRequestURL, redactURLError(err))
		}
		secrets := querySecrets(u)
		q := u.Query()
		q.Set("audience", exchangeAudience)
		u.RawQuery = q.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return "", fmt.Errorf("building the GitHub Actions ID token request: %w", redactURLError(err))
		}
		req.Header.Set("Authorization", "Bearer "+requestToken)
		req.Header.Set("Accept", "application/json")
		var out struct {
			Value string `json:"value"`
		}
		if err := fetchIDToken(hc, req, "GitHub Actions", &out, secrets); err != nil {
			return "", err
		}
		if out.Value == "" {
			return "", errors.New("the GitHub Actions ID token endpoint answered without a token")
		}
		return out.Value, nil
	}
}

// azureDevOpsAssertion asks an Azure Pipelines job's OIDC endpoint (SYSTEM_OIDCREQUESTURI) for a
// token of the service connection: POST <url>?api-version=7.1&serviceConnectionId=<id>, answered
// {"oidcToken": "<jwt>"}.
//
// This is the request azidentity.AzurePipelinesCredential makes, made here because that
// credential reads SYSTEM_OIDCREQUESTURI from the process environment and takes no URL: it could
// honour neither oidc_request_url nor this package's rule of not reading the environment.
func azureDevOpsAssertion(hc *http.Client, requestURL, requestToken, connectionID string) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		u, err := url.Parse(requestURL)
		if err != nil {
			return "", fmt.Errorf("%s is not a URL: %w", ArgOIDCRequestURL, redactURLError(err))
		}
		secrets := querySecrets(u)
		q := u.Query()
		q.Set("api-version", "7.1")
		q.Set("serviceConnectionId", connectionID)
		u.RawQuery = q.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), nil)
		if err != nil {
			return "", fmt.Errorf("building the Azure DevOps ID token request: %w", redactURLError(err))
		}
		req.Header.Set("Authorization", "Bearer "+requestToken)
		req.Header.Set("Content-Type", "application/json")
		// Azure DevOps answers 302 to a sign-in page for a bad token unless told not to.
		req.Header.Set("X-TFS-FedAuthRedirect", "Suppress")
		var out struct {
			OIDCToken string `json:"oidcToken"`
		}
		if err := fetchIDToken(hc, req, "Azure DevOps", &out, secrets); err != nil {
			return "", err
		}
		if out.OIDCToken == "" {
			return "", errors.New("the Azure DevOps OIDC endpoint answered without a token")
		}
		return out.OIDCToken, nil
	}
}

// fetchIDToken sends req and decodes a 200 answer into out. Errors give the request as
// scheme://host/path, the status and the start of an error body, which carries the service's
// explanation. They never quote the URL's query string (an ID token URL can carry a secret there,
// and url.URL.Redacted hides only userinfo), the request's bearer token, or a successful body (a
// token): graph-behaviour.md §12. secrets are the configured URL's (querySecrets), hidden
// wherever an error would echo them.
func fetchIDToken(hc *http.Client, req *http.Request, who string, out any, secrets []string) error {
	secrets = append(secrets, req.URL.RawQuery, strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer "))
	where := req.Method + " " + RedactURL(req.URL.String())
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("requesting an ID token from %s (%s): %w", who, where, redactURLError(err, secrets...))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("reading the %s ID token response (%s): %w", who, where, redactURLError(err, secrets...))
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s to the ID token request (%s): %s", who, resp.Status, where, errorBody(body, secrets...))
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("the %s ID token response is not the expected JSON", who)
	}
	return nil
}

// querySecrets is what of a configured URL's query must not appear in a message: the whole query
// string, and each value long enough to be a key or a signature, as sent and decoded (a
// redirect's Location can echo them apart from the rest). Only the configured URL's: the values
// this package adds (an audience, a resource) are not secret and help explain an error.
func querySecrets(u *url.URL) []string {
	out := []string{u.RawQuery}
	for _, vs := range u.Query() {
		for _, v := range vs {
			if len(v) >= 8 {
				out = append(out, v, url.QueryEscape(v))
			}
		}
	}
	return out
}

// errorBody is the start of an error answer for a message, with any of secrets it echoes hidden.
func errorBody(body []byte, secrets ...string) string {
	msg := scrub(strings.TrimSpace(string(body)), secrets)
	if len(msg) > 300 {
		msg = strings.ToValidUTF8(msg[:300], "") + "…"
	}
	return msg
}

// redactURLError drops the URL from a transport error (*url.Error quotes the whole URL, query
// included), and hides any of secrets that the remaining text still holds (a redirect's Location,
// say). Scrubbing a secret replaces the error by its text.
func redactURLError(err error, secrets ...string) error {
	var ue *url.Error
	for errors.As(err, &ue) {
		err = ue.Err
	}
	if err == nil {
		return errors.New("no detail")
	}
	if msg := err.Error(); scrub(msg, secrets) != msg {
		return errors.New(scrub(msg, secrets))
	}
	return err
}

func scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "<redacted>")
		}
	}
	return s
}
