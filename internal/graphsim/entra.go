package graphsim

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// entraError is an Entra ID (AAD STS) error: an OAuth error code, an HTTP
// status, an AADSTS number and its text.
type entraError struct {
	status int
	code   string // OAuth "error", e.g. invalid_client
	aadsts int
	text   string
}

func (s *Server) serveEntra(w http.ResponseWriter, r *http.Request) {
	ex := &exchange{w: &statusWriter{ResponseWriter: w}, r: r, start: time.Now(), route: RouteUnknown}
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	var tenant string
	switch {
	case len(segs) == 4 && segs[1] == "v2.0" && segs[2] == ".well-known" && segs[3] == "openid-configuration":
		tenant, ex.route = segs[0], RouteDiscovery
	case len(segs) == 4 && segs[1] == "oauth2" && segs[2] == "v2.0" && segs[3] == "token":
		tenant, ex.route = segs[0], RouteToken
	case len(segs) == 4 && segs[1] == "discovery" && segs[2] == "v2.0" && segs[3] == "keys":
		tenant, ex.route = segs[0], RouteKeys
	}
	if ex.route == RouteToken && r.Body != nil {
		ex.body, _ = io.ReadAll(io.LimitReader(r.Body, 1<<20))
	}
	defer s.record(ex)

	if ex.route == RouteUnknown {
		// Entra answers unknown paths with an HTML 404; plain text is enough.
		http.Error(ex.w, "404 page not found", http.StatusNotFound)
		return
	}
	rule := s.firingRule(ex)
	if rule != nil && rule.AfterCommit {
		s.commitThenFail(ex, rule, func() { s.handleEntra(ex, tenant) })
		return
	}
	if rule != nil && s.actBefore(ex, rule) {
		return
	}
	s.handleEntra(ex, tenant)
}

func (s *Server) handleEntra(ex *exchange, tenant string) {
	r := ex.r
	// Entra stamps every answer with a request id; an error's is its Trace ID (writeEntraError).
	ex.w.Header().Set("x-ms-request-id", newGUID())
	if !s.knownTenant(tenant) {
		code := "invalid_tenant"
		if ex.route == RouteToken {
			code = "invalid_request"
		}
		s.writeEntraError(ex, &entraError{http.StatusBadRequest, code, 90002, fmt.Sprintf(
			"Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", tenant)})
		return
	}
	switch ex.route {
	case RouteDiscovery:
		if r.Method != http.MethodGet {
			http.Error(ex.w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		s.writeDiscovery(ex, tenant)
	case RouteKeys:
		writeJSON(ex.w, http.StatusOK, map[string]any{"keys": []any{}})
	case RouteToken:
		if r.Method != http.MethodPost {
			s.writeEntraError(ex, &entraError{http.StatusMethodNotAllowed, "invalid_request", 900561,
				"The endpoint only accepts POST, OPTIONS requests. Received a " + r.Method + " request."})
			return
		}
		s.issueToken(ex)
	}
}

func (s *Server) writeDiscovery(ex *exchange, tenant string) {
	base := "https://" + ex.r.Host + "/" + tenant
	doc := map[string]any{
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"issuer":                                base + "/v2.0",
		"request_uri_parameter_supported":       false,
		"userinfo_endpoint":                     "https://" + ex.r.Host + "/oidc/userinfo",
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         base + "/oauth2/v2.0/devicecode",
		"http_logout_supported":                 true,
		"frontchannel_logout_supported":         true,
		"end_session_endpoint":                  base + "/oauth2/v2.0/logout",
		"claims_supported":                      []string{"sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"},
		"kerberos_endpoint":                     base + "/kerberos",
		"tenant_region_scope":                   "EU",
		"cloud_instance_name":                   "microsoftonline.com",
		"cloud_graph_host_name":                 "graph.windows.net",
		"msgraph_host":                          ex.r.Host,
		"rbac_url":                              "https://pas.windows.net",
	}
	writeJSON(ex.w, http.StatusOK, doc)
}

// issueToken implements the client credentials grant.
func (s *Server) issueToken(ex *exchange) {
	form, err := url.ParseQuery(string(ex.body))
	if err != nil || !strings.HasPrefix(ex.r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		s.writeEntraError(ex, &entraError{http.StatusBadRequest, "invalid_request", 900144,
			"The request body must contain the following parameter: 'grant_type'."})
		return
	}
	gt := form.Get("grant_type")
	switch gt {
	case "":
		s.writeEntraError(ex, missingParam("grant_type"))
		return
	case "client_credentials":
	default:
		s.writeEntraError(ex, &entraError{http.StatusBadRequest, "unsupported_grant_type", 70003,
			fmt.Sprintf("The app requested an unsupported grant type '%s'.", gt)})
		return
	}
	clientID, eerr := s.authenticateClient(ex.r, form)
	if eerr != nil {
		s.writeEntraError(ex, eerr)
		return
	}
	resource, eerr := s.checkScope(ex.r, form.Get("scope"))
	if eerr != nil {
		s.writeEntraError(ex, eerr)
		return
	}

	now := time.Now()
	exp := now.Add(s.opts.TokenLifetime)
	// The audience is the resource asked for, as Entra sets it: a token for one cloud's Graph is
	// refused by another's (checkAuth).
	tok := s.mintToken(resource, clientID, now, exp)
	s.mu.Lock()
	s.tokens[tok] = exp
	s.tokenList = append(s.tokenList, tok)
	s.mu.Unlock()

	secs := int(s.opts.TokenLifetime/time.Second) - 1 // Entra answers 3599 for an hour
	if secs < 1 {
		secs = 1
	}
	ex.w.Header().Set("Cache-Control", "no-store, no-cache")
	ex.w.Header().Set("Pragma", "no-cache")
	writeJSON(ex.w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"expires_in":     secs,
		"ext_expires_in": secs,
		"access_token":   tok,
	})
}

// clientAuthenticator verifies one kind of client authentication and returns
// the authenticated client id.
type clientAuthenticator func(s *Server, r *http.Request, form url.Values) (string, *entraError)

// assertionAuthenticators maps client_assertion_type values to verifiers.
// It is empty for now: later work adds certificate assertions, federated
// (workload identity) JWT assertions etc. from a separate file, registering
// in an init function, without touching the dispatch below.
var assertionAuthenticators = map[string]clientAuthenticator{}

// authenticateClient dispatches on client_assertion_type: no assertion means
// a shared secret (client_secret_post or client_secret_basic).
func (s *Server) authenticateClient(r *http.Request, form url.Values) (clientID string, err *entraError) {
	if at := form.Get("client_assertion_type"); at != "" {
		auth, ok := assertionAuthenticators[at]
		if !ok {
			return "", &entraError{http.StatusBadRequest, "invalid_request", 50027,
				fmt.Sprintf("Invalid client_assertion_type '%s'. The value must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.", at)}
		}
		return auth(s, r, form)
	}
	return s.authenticateSecret(r, form)
}

func (s *Server) authenticateSecret(r *http.Request, form url.Values) (string, *entraError) {
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok { // client_secret_basic
		u, _ = url.QueryUnescape(u)
		p, _ = url.QueryUnescape(p)
		if clientID == "" {
			clientID = u
		}
		if secret == "" {
			secret = p
		}
	}
	if clientID == "" {
		return "", missingParam("client_id")
	}
	if !strings.EqualFold(clientID, s.opts.ClientID) {
		return "", &entraError{http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf(
			"Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
			clientID, s.opts.TenantID)}
	}
	if secret == "" {
		return "", &entraError{http.StatusUnauthorized, "invalid_client", 7000218,
			"The request body must contain the following parameter: 'client_assertion' or 'client_secret'."}
	}
	if secret != s.opts.ClientSecret {
		return "", &entraError{http.StatusUnauthorized, "invalid_client", 7000215, fmt.Sprintf(
			"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.",
			s.opts.ClientID)}
	}
	return s.opts.ClientID, nil
}

// checkScope requires exactly one resource scope, "<graph root>/.default".
// MSAL always appends openid, offline_access and profile; Entra ignores those
// for the client credentials grant, and so do we.
func (s *Server) checkScope(r *http.Request, scope string) (string, *entraError) {
	var resScopes []string
	for _, sc := range strings.Fields(scope) {
		switch sc {
		case "openid", "offline_access", "profile", "email":
			continue
		}
		resScopes = append(resScopes, sc)
	}
	if len(resScopes) == 0 {
		return "", missingParam("scope")
	}
	if len(resScopes) > 1 {
		return "", &entraError{http.StatusBadRequest, "invalid_scope", 70011, fmt.Sprintf(
			"The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope %s is not valid.", scope)}
	}
	sc := resScopes[0]
	resource, ok := strings.CutSuffix(sc, "/.default")
	if !ok {
		return "", &entraError{http.StatusBadRequest, "invalid_scope", 1002012, fmt.Sprintf(
			"The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", sc)}
	}
	if !s.isGraphResource(r, resource) {
		return "", &entraError{http.StatusBadRequest, "invalid_resource", 500011, fmt.Sprintf(
			"The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
			resource, s.opts.TenantID)}
	}
	return strings.TrimSuffix(resource, "/"), nil
}

// knownTenant reports whether tenant is the emulator's tenant or one of its guest tenants.
func (s *Server) knownTenant(tenant string) bool {
	if strings.EqualFold(tenant, s.opts.TenantID) {
		return true
	}
	for _, g := range s.opts.GuestTenantIDs {
		if strings.EqualFold(tenant, g) {
			return true
		}
	}
	return false
}

// audienceFits reports whether a token with audience aud may be used at the host a Graph request
// was sent to: the same host (the loopback names of the emulator's port count as one).
func (s *Server) audienceFits(r *http.Request, aud string) bool {
	h, ok := strings.CutPrefix(strings.TrimSuffix(aud, "/"), "https://")
	if !ok {
		return false
	}
	if strings.EqualFold(h, r.Host) {
		return true
	}
	return s.isLoopbackName(h) && s.isLoopbackName(r.Host)
}

func (s *Server) isLoopbackName(hostport string) bool {
	_, port, _ := net.SplitHostPort(s.opts.Addr)
	for _, h := range []string{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, s.opts.Addr} {
		if strings.EqualFold(hostport, h) {
			return true
		}
	}
	return false
}

// isGraphResource accepts the emulator root as reached by any of its
// loopback names (the certificate covers all three).
func (s *Server) isGraphResource(r *http.Request, resource string) bool {
	resource = strings.TrimSuffix(resource, "/")
	_, port, _ := net.SplitHostPort(s.opts.Addr)
	for _, h := range []string{r.Host, "127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port} {
		if strings.EqualFold(resource, "https://"+h) {
			return true
		}
	}
	for _, h := range s.opts.Hostnames {
		if strings.EqualFold(resource, "https://"+h) || strings.EqualFold(resource, "https://"+h+":"+port) {
			return true
		}
	}
	return strings.EqualFold(resource, s.url)
}

func missingParam(name string) *entraError {
	return &entraError{http.StatusBadRequest, "invalid_request", 900144,
		fmt.Sprintf("The request body must contain the following parameter: '%s'.", name)}
}

func (s *Server) writeEntraError(ex *exchange, e *entraError) {
	now := time.Now().UTC()
	trace, corr := newGUID(), ex.r.Header.Get("client-request-id")
	if corr == "" {
		corr = newGUID()
	}
	ts := now.Format("2006-01-02 15:04:05Z")
	desc := fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s", e.aadsts, e.text, trace, corr, ts)
	ex.w.Header().Set("x-ms-request-id", trace)
	writeJSON(ex.w, e.status, map[string]any{
		"error":             e.code,
		"error_description": desc,
		"error_codes":       []int{e.aadsts},
		"timestamp":         ts,
		"trace_id":          trace,
		"correlation_id":    corr,
		"error_uri":         "https://" + ex.r.Host + "/error?code=" + fmt.Sprint(e.aadsts),
	})
}

// mintToken builds a JWT-shaped opaque token for the resource (the Graph root
// it was asked for, "https://host"). The signature is random bytes: the
// emulator recognises its tokens by remembering them, not by verifying.
func (s *Server) mintToken(resource, clientID string, now, exp time.Time) string {
	enc := base64.RawURLEncoding
	hdr, _ := json.Marshal(map[string]any{"typ": "JWT", "alg": "RS256", "kid": "graphsim"})
	payload, _ := json.Marshal(map[string]any{
		"aud":   resource,
		"iss":   "https://sts.windows.net/" + s.opts.TenantID + "/",
		"iat":   now.Unix(),
		"nbf":   now.Unix(),
		"exp":   exp.Unix(),
		"appid": clientID,
		"tid":   s.opts.TenantID,
		"oid":   newGUID(),
		"roles": []string{"DeviceManagementApps.ReadWrite.All"},
		"uti":   enc.EncodeToString(randomBytes(16)),
		"ver":   "1.0",
	})
	return enc.EncodeToString(hdr) + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString(randomBytes(64))
}

// IssuedTokens returns every access token handed out, oldest first (tests
// assert that none of them leaks into logs).
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokenList...)
}

// tokenAudience is the aud claim of a token the emulator minted.
func tokenAudience(tok string) string {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c struct {
		Aud string `json:"aud"`
	}
	_ = json.Unmarshal(b, &c)
	return c.Aud
}

// tokenState reports whether tok was issued by us and whether it expired.
func (s *Server) tokenState(tok string) (known, expired bool) {
	s.mu.Lock()
	exp, ok := s.tokens[tok]
	s.mu.Unlock()
	return ok, ok && !time.Now().Before(exp)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

func newGUID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
