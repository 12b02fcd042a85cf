package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	abs "github.com/microsoft/kiota-abstractions-go"
	kazure "github.com/microsoft/kiota-authentication-azure-go"
	khttp "github.com/microsoft/kiota-http-go"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	core "github.com/microsoftgraph/msgraph-sdk-go-core"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph/graphhttp"
)

// sdkVersion is the msgraph-beta-sdk-go version in go.mod; it is reported in the SdkVersion header.
const sdkVersion = "0.165.0"

// ClientConfig configures a Client.
type ClientConfig struct {
	// GraphEndpoint is scheme + host, e.g. https://graph.microsoft.com. The client talks to /beta under it.
	GraphEndpoint string
	Credential    azcore.TokenCredential
	// UserAgent is sent verbatim on every Graph request.
	UserAgent string
	// Transport is the innermost round tripper; nil means http.DefaultTransport, which trusts the
	// system store (and SSL_CERT_FILE). An *http.Transport is cloned and given the health limits
	// below.
	Transport http.RoundTripper
	// Retry decides what is retried and how long to wait; the zero value is DefaultRetryPolicy.
	Retry RetryPolicy
	// WritePacer spaces out writes client-side; nil means no pacing.
	WritePacer *Pacer
	// ResponseHeaderTimeout bounds the wait for an answer's headers once a request is sent; zero
	// means DefaultResponseHeaderTimeout.
	ResponseHeaderTimeout time.Duration
	// Claims is the process's registry of owned task ids; nil means a registry of the client's own.
	Claims *Claims
}

// Transport health limits, so that a connection that silently died (a NAT or proxy dropping it
// without a reset) fails an attempt, which is then retried or looked up, instead of hanging an
// apply until its timeout (graph-behaviour.md §10.3). Graph answers in seconds; its own gateway
// gives up on a backend after about 100 s.
const (
	DefaultResponseHeaderTimeout = 2 * time.Minute
	// http2PingAfter is how long an HTTP/2 connection may be silent before it is pinged, and
	// http2PingTimeout how long the ping may go unanswered before the connection is closed.
	http2PingAfter   = 30 * time.Second
	http2PingTimeout = 15 * time.Second
)

// Client talks to Microsoft Graph beta. It is safe for concurrent use: Terraform calls it from
// many goroutines during one apply.
type Client struct {
	adapter *khttp.NetHttpRequestAdapter
	http    *http.Client
	baseURL string
	pacer   *Pacer
	claims  *Claims
	// retry is the policy, for the retries made above the HTTP layer (a page that is not a page).
	retry RetryPolicy
	// maxPages bounds a list (maxListPages; smaller in tests).
	maxPages int
	// castRelated is set once Graph has answered that a relationship's short URL does not exist:
	// relationships are then asked for with a type-cast segment (EachRelated).
	castRelated atomic.Bool

	// clock is the latest estimate of Graph's clock: the Date header of an answer, against the
	// local monotonic clock at the moment it arrived.
	clockMu   sync.Mutex
	graphDate time.Time
	localAt   time.Time
}

// NewClient builds the request adapter and its middleware pipeline.
//
// The pipeline is explicit and fixed, outermost first: telemetry (SdkVersion, one client-request-id
// shared by all retries of a call), user agent, retry (our policy), logging (one line per attempt),
// redirect, query-name decoding. The SDK's default list is avoided on purpose: its order is random
// per client and its compression handler corrupts retried bodies, and its retry handler gives up
// after 3 tries or 180 s regardless of the operation's timeout (graph-behaviour.md §10, §7.2).
func NewClient(cfg ClientConfig) (*Client, error) {
	endpoint, err := NormalizeEndpoint(cfg.GraphEndpoint)
	if err != nil {
		return nil, err
	}
	if cfg.Credential == nil {
		return nil, errors.New("no credential configured")
	}
	u, _ := url.Parse(endpoint)

	// Continuous access evaluation is switched off (the last argument): with it on, Entra issues
	// CAE-capable tokens and Graph may answer 401 with a claims challenge that only the adapter's
	// Send answers, while send below uses the middleware directly and would surface the challenge
	// as a failure. Ordinary tokens never draw one (graph-behaviour.md §12).
	auth, err := kazure.NewAzureIdentityAuthenticationProviderWithScopesAndValidHostsAndObservabilityOptionsAndIsCaeEnabled(
		cfg.Credential, []string{endpoint + "/.default"}, []string{u.Hostname()}, kazure.ObservabilityOptions{}, false)
	if err != nil {
		return nil, fmt.Errorf("building the Graph authentication provider: %w", err)
	}

	transport := cfg.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	if t, ok := transport.(*http.Transport); ok {
		t = t.Clone()
		t.ResponseHeaderTimeout = cfg.ResponseHeaderTimeout
		if t.ResponseHeaderTimeout <= 0 {
			t.ResponseHeaderTimeout = DefaultResponseHeaderTimeout
		}
		t.HTTP2 = &http.HTTP2Config{SendPingTimeout: http2PingAfter, PingTimeout: http2PingTimeout}
		transport = t
	}
	policy := cfg.Retry
	if policy == (RetryPolicy{}) {
		policy = DefaultRetryPolicy
	}
	opts := core.GraphClientOptions{GraphServiceVersion: "beta", GraphServiceLibraryVersion: sdkVersion}
	hc := &http.Client{
		Transport: khttp.NewCustomTransportWithParentTransport(transport,
			core.NewGraphTelemetryHandler(&opts),
			userAgentMiddleware{userAgent: cfg.UserAgent},
			retryMiddleware{policy: policy, pacer: cfg.WritePacer},
			loggingMiddleware{},
			khttp.NewRedirectHandler(),
			khttp.NewParametersNameDecodingHandler(),
		),
		// Deadlines come from each operation's context (the resource timeouts); a client-wide
		// timeout would cut retries short (graph-behaviour.md §10.3).
		Timeout: 0,
		// net/http must not follow redirects itself: the redirect middleware does, dropping the
		// Authorization header when the host changes.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	adapter, err := khttp.NewNetHttpRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		auth, jsonser.NewJsonParseNodeFactory(), jsonser.NewJsonSerializationWriterFactory(), hc)
	if err != nil {
		return nil, fmt.Errorf("building the Graph request adapter: %w", err)
	}
	base := endpoint + "/beta"
	adapter.SetBaseUrl(base)
	claims := cfg.Claims
	if claims == nil {
		claims = NewClaims()
	}
	return &Client{adapter: adapter, http: hc, baseURL: base, pacer: cfg.WritePacer, claims: claims, retry: policy, maxPages: maxListPages}, nil
}

// BaseURL is the Graph beta root the client talks to.
func (c *Client) BaseURL() string { return c.baseURL }

// Claims is the registry of task ids this provider process owns.
func (c *Client) Claims() *Claims { return c.claims }

// observeClock records Graph's clock from an answer's Date header.
func (c *Client) observeClock(h http.Header) {
	d := graphhttp.ParseDate(h)
	if d.IsZero() {
		return
	}
	c.clockMu.Lock()
	c.graphDate, c.localAt = d, time.Now()
	c.clockMu.Unlock()
}

// GraphTimeAt places a moment of the local monotonic clock on Graph's clock (to about a second),
// using the latest answer's Date header, error answers included; false before any answer carried
// one. Task ages and the create lookup's window are measured on Graph's clock because Graph stamps
// createdDateTime with it; the machine running Terraform may be minutes off.
func (c *Client) GraphTimeAt(local time.Time) (time.Time, bool) {
	c.clockMu.Lock()
	defer c.clockMu.Unlock()
	if c.graphDate.IsZero() {
		return time.Time{}, false
	}
	return c.graphDate.Add(local.Sub(c.localAt)), true
}

// GraphNow is Graph's clock now (GraphTimeAt).
func (c *Client) GraphNow() (time.Time, bool) { return c.GraphTimeAt(time.Now()) }

// response is what came back from Graph for one call, after retries.
type response struct {
	status int
	header http.Header
	body   []byte
}

// send authenticates and sends one request built by the SDK and returns the raw response. Every
// failure, transport or HTTP, is returned as *Error so that one function can describe it.
//
// Raw responses are read here instead of through the adapter's Send: the adapter loses the status
// code for non-JSON error bodies and its ODataError can panic (graph-behaviour.md §6), and reading
// the bytes ourselves lets a value the SDK cannot parse (an unknown enum member, a zone-less date)
// be reported rather than silently dropped (§3, §4).
func (c *Client) send(ctx context.Context, info *abs.RequestInformation) (*response, error) {
	method := info.Method.String()
	path := ""
	if uri, err := info.GetUri(); err == nil {
		path = uri.Path
	}
	// Converting the request authenticates it: the token is fetched here, before anything is
	// sent, so a failure is never an ambiguous write (graph-behaviour.md §7.3).
	native, err := c.adapter.ConvertToNativeRequest(ctx, info)
	if err != nil {
		if ctx.Err() != nil {
			// azidentity reports a deadline as text, not as the context's error: without this, a
			// slow Entra ID would read as a wrong credential ("retrying does not help").
			// azidentity's error is quoted, not wrapped: wrapped, it would still classify as a
			// credential to fix.
			err = fmt.Errorf("%w (%w): %v", graphhttp.ErrTokenTimeout, ctx.Err(), err) //nolint:errorlint // see above
		}
		return nil, &Error{Method: method, Path: path, NotSent: true, Err: err}
	}
	req := native.(*http.Request)
	resp, err := c.http.Do(req)
	if err != nil {
		var ns notSent
		if errors.As(err, &ns) {
			return nil, &Error{Method: method, Path: path, NotSent: true, Err: ns.err}
		}
		return nil, &Error{Method: method, Path: path, Err: err}
	}
	defer resp.Body.Close()
	c.observeClock(resp.Header)
	body, err := graphhttp.ReadBody(resp)
	if err != nil {
		return nil, &Error{Method: method, Path: path, StatusCode: resp.StatusCode, Err: fmt.Errorf("reading the response: %w", err)}
	}
	if resp.StatusCode >= 400 {
		return nil, graphhttp.NewHTTPError(method, path, resp.StatusCode, resp.Header, body, req.Header.Get("client-request-id"))
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

type userAgentMiddleware struct{ userAgent string }

func (m userAgentMiddleware) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	if m.userAgent != "" {
		req.Header.Set("User-Agent", m.userAgent)
	}
	return p.Next(req, i)
}

// pathOf is the path of a URL for messages: no host (it is the configured endpoint) and no query.
func pathOf(u *url.URL) string {
	if u == nil {
		return ""
	}
	return strings.TrimSuffix(u.EscapedPath(), "/")
}
