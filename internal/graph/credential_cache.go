package graph

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// cachingCredential keeps tokens of a credential that keeps none itself (the Azure CLI one, the
// custom managed identity endpoint): the Graph client asks for a token before every request.
// azidentity's Entra credentials already cache in MSAL and are not wrapped.
//
// One fetch runs at a time, so that callers arriving together while the token is missing or stale
// share one fetch. Waiting for that fetch honours the caller's context: a cancelled caller (a
// Terraform operation that timed out, an interrupted apply) returns at once instead of sitting
// behind another caller's slow az run or endpoint. A cached token is returned without waiting.
type cachingCredential struct {
	inner azcore.TokenCredential
	// fetching is a one-slot semaphore held while the inner credential fetches a token. A channel,
	// not a mutex, so that waiting for it can be abandoned when the context ends.
	fetching chan struct{}
	mu       sync.Mutex // guards cache
	cache    map[string]cachedToken
	now      func() time.Time
}

type cachedToken struct {
	tok       azcore.AccessToken
	refreshAt time.Time
}

func newCachingCredential(inner azcore.TokenCredential) *cachingCredential {
	return &cachingCredential{inner: inner, fetching: make(chan struct{}, 1), cache: map[string]cachedToken{}, now: time.Now}
}

func (c *cachingCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	key := strings.Join(opts.Scopes, " ") + "|" + opts.TenantID + "|" + opts.Claims
	if tok, ok := c.cached(key); ok {
		return tok, nil
	}
	select {
	case c.fetching <- struct{}{}:
	case <-ctx.Done():
		return azcore.AccessToken{}, fmt.Errorf("waiting for a token request already under way: %w", ctx.Err())
	}
	defer func() { <-c.fetching }()
	// Another caller may have fetched it while this one waited.
	if tok, ok := c.cached(key); ok {
		return tok, nil
	}
	tok, err := c.inner.GetToken(ctx, opts)
	if err != nil {
		return tok, err
	}
	// Refresh five minutes before expiry, or halfway through a shorter life.
	now := c.now()
	margin := 5 * time.Minute
	if life := tok.ExpiresOn.Sub(now); life < 2*margin {
		margin = life / 2
	}
	c.mu.Lock()
	c.cache[key] = cachedToken{tok: tok, refreshAt: tok.ExpiresOn.Add(-margin)}
	c.mu.Unlock()
	return tok, nil
}

func (c *cachingCredential) cached(key string) (azcore.AccessToken, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ct, ok := c.cache[key]; ok && c.now().Before(ct.refreshAt) {
		return ct.tok, true
	}
	return azcore.AccessToken{}, false
}

// loggingCredential records which method produced a token, and when it expires, never the token.
type loggingCredential struct {
	method Method
	inner  azcore.TokenCredential
}

func (l *loggingCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	tok, err := l.inner.GetToken(ctx, opts)
	if err != nil {
		tflog.Debug(ctx, "getting a Microsoft Graph token failed", map[string]any{"auth_method": string(l.method)})
		return tok, err
	}
	tflog.Trace(ctx, "got a Microsoft Graph token", map[string]any{
		"auth_method": string(l.method), "scopes": strings.Join(opts.Scopes, " "), "expires_on": tok.ExpiresOn.Format(time.RFC3339),
	})
	return tok, nil
}

// CredentialMethod reports the authentication method of a credential built by NewCredential, or "".
func CredentialMethod(cred azcore.TokenCredential) Method {
	if l, ok := cred.(*loggingCredential); ok {
		return l.method
	}
	return ""
}
