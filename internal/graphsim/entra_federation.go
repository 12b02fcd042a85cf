package graphsim

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Client authentication beyond shared secrets, and the token sources that
// pipelines use:
//
//   - certificate credentials: a client assertion JWT signed with the key of a
//     certificate registered for the client (RegisterClientCertificate);
//   - federated credentials: a JWT from a trusted issuer whose subject is
//     mapped to a client (RegisterFederatedIssuer), as workload identity, HCP
//     Terraform and CI systems present them;
//   - a GitHub Actions ID token endpoint (EnableGitHubOIDC), an Azure DevOps
//     pipeline OIDC endpoint (EnableAzureDevOpsOIDC) and an IMDS-shaped
//     managed identity endpoint (EnableManagedIdentity), each issuing what the
//     real one issues;
//   - MintToken, for stand-ins of tools that hold their own token (az).

// Routes served by this file.
const (
	RouteOIDCGitHub      = "oidcGitHub"      // GET /_oidc/github
	RouteOIDCAzureDevOps = "oidcAzureDevOps" // POST /_oidc/ado
	RouteManagedIdentity = "managedIdentity" // GET /metadata/identity/oauth2/token
)

const (
	jwtBearer        = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	exchangeAudience = "api://AzureADTokenExchange"
	// clockSkew is the leeway Entra allows on nbf/exp.
	clockSkew = 5 * time.Minute
)

func init() {
	assertionAuthenticators[jwtBearer] = (*Server).authenticateAssertion
}

// federation is the state of this file, guarded by its own lock.
type federation struct {
	mu          sync.Mutex
	certs       map[string][]*x509.Certificate // client id (lower case) -> certificates
	issuers     map[string]*issuer             // issuer URL -> trust
	key         *rsa.PrivateKey                // signs the ID tokens the emulator issues
	github      map[string]string              // request token -> subject
	ado         map[string]string              // service connection id -> system access token
	msiClients  []string                       // client ids of the managed identities, first is system-assigned
	msiResIDs   map[string]string              // resource id (lower case) -> client id of a user-assigned identity
	idTokenList []string
}

type issuer struct {
	pub      crypto.PublicKey
	subjects map[string]string // subject -> client id
}

var federations sync.Map // *Server -> *federation

func (s *Server) fed() *federation {
	f, _ := federations.LoadOrStore(s, &federation{
		certs: map[string][]*x509.Certificate{}, issuers: map[string]*issuer{},
		github: map[string]string{}, ado: map[string]string{}, msiResIDs: map[string]string{},
	})
	return f.(*federation)
}

// RegisterClientCertificate lets clientID authenticate with a client
// assertion signed by cert's private key, as when a certificate is uploaded to
// an app registration. The client needs no secret.
func (s *Server) RegisterClientCertificate(clientID string, cert *x509.Certificate) {
	f := s.fed()
	f.mu.Lock()
	defer f.mu.Unlock()
	k := strings.ToLower(clientID)
	f.certs[k] = append(f.certs[k], cert)
}

// RegisterFederatedIssuer adds a federated identity credential to clientID:
// assertions from issuer, signed by pub (RSA or ECDSA), with this subject and
// the audience api://AzureADTokenExchange, authenticate it.
func (s *Server) RegisterFederatedIssuer(iss string, pub crypto.PublicKey, subject, clientID string) {
	f := s.fed()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.trust(iss, pub, subject, clientID)
}

func (f *federation) trust(iss string, pub crypto.PublicKey, subject, clientID string) {
	t := f.issuers[iss]
	if t == nil {
		t = &issuer{pub: pub, subjects: map[string]string{}}
		f.issuers[iss] = t
	}
	t.pub = pub
	t.subjects[subject] = clientID
}

// signingKey returns the emulator's own ID token key, made on first use.
func (f *federation) signingKey() *rsa.PrivateKey {
	if f.key == nil {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		f.key = k
	}
	return f.key
}

// EnableGitHubOIDC makes the emulator a GitHub Actions ID token endpoint for
// a job whose request token is requestToken, and trusts its tokens with this
// subject (e.g. "repo:org/repo:ref:refs/heads/main") for clientID. It returns
// the value GitHub puts in ACTIONS_ID_TOKEN_REQUEST_URL.
func (s *Server) EnableGitHubOIDC(requestToken, subject, clientID string) string {
	f := s.fed()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.github[requestToken] = subject
	f.trust(s.url+"/_oidc/github", &f.signingKey().PublicKey, subject, clientID)
	return s.url + "/_oidc/github?api-version=2.0"
}

// EnableAzureDevOpsOIDC makes the emulator an Azure Pipelines job's OIDC
// endpoint for the service connection, answering callers that present
// systemAccessToken, and trusts its tokens for clientID. It returns the value
// Azure DevOps puts in SYSTEM_OIDCREQUESTURI.
func (s *Server) EnableAzureDevOpsOIDC(systemAccessToken, serviceConnectionID, clientID string) string {
	f := s.fed()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ado[serviceConnectionID] = systemAccessToken
	f.trust(s.url+"/_oidc/ado", &f.signingKey().PublicKey, adoSubject(serviceConnectionID), clientID)
	return s.url + "/_oidc/ado"
}

func adoSubject(connectionID string) string { return "sc://graphsim/graphsim/" + connectionID }

// EnableManagedIdentity serves an IMDS-shaped managed identity endpoint
// issuing tokens for clientID; the first identity enabled is the
// system-assigned one (asked for without client_id). It returns the endpoint
// URL.
func (s *Server) EnableManagedIdentity(clientID string) string {
	f := s.fed()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.msiClients = append(f.msiClients, clientID)
	return s.url + "/metadata/identity/oauth2/token"
}

// EnableUserAssignedIdentity adds a user-assigned managed identity that can be
// asked for by its client id or, as IMDS's msi_res_id, by its Azure resource
// id. It returns the endpoint URL.
func (s *Server) EnableUserAssignedIdentity(clientID, resourceID string) string {
	f := s.fed()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.msiClients) == 0 {
		// The host's system-assigned identity comes first; this one is not it.
		f.msiClients = append(f.msiClients, "")
	}
	f.msiClients = append(f.msiClients, clientID)
	f.msiResIDs[strings.ToLower(resourceID)] = clientID
	return s.url + "/metadata/identity/oauth2/token"
}

// MintToken issues an access token for clientID without a token request, as
// a tool holding a signed-in session (az) would have one. Graph accepts it.
func (s *Server) MintToken(clientID string) (string, time.Time) {
	return s.grant(s.url, clientID)
}

// grant mints and remembers an access token for resource.
func (s *Server) grant(resource, clientID string) (string, time.Time) {
	now := time.Now()
	exp := now.Add(s.opts.TokenLifetime)
	tok := s.mintToken(strings.TrimSuffix(resource, "/"), clientID, now, exp)
	s.mu.Lock()
	s.tokens[tok] = exp
	s.tokenList = append(s.tokenList, tok)
	s.mu.Unlock()
	return tok, exp
}

// IssuedIDTokens returns the federated ID tokens the emulator's GitHub and
// Azure DevOps endpoints handed out, oldest first.
func (s *Server) IssuedIDTokens() []string {
	f := s.fed()
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.idTokenList...)
}

// serveWorkload answers the CI and managed identity endpoints. It reports
// whether the path was one of them.
func (s *Server) serveWorkload(w http.ResponseWriter, r *http.Request) bool {
	var route string
	switch r.URL.Path {
	case "/_oidc/github":
		route = RouteOIDCGitHub
	case "/_oidc/ado":
		route = RouteOIDCAzureDevOps
	case "/metadata/identity/oauth2/token":
		route = RouteManagedIdentity
	default:
		return false
	}
	ex := &exchange{w: &statusWriter{ResponseWriter: w}, r: r, start: time.Now(), route: route}
	defer s.record(ex)
	switch route {
	case RouteOIDCGitHub:
		s.serveGitHubOIDC(ex)
	case RouteOIDCAzureDevOps:
		s.serveAzureDevOpsOIDC(ex)
	case RouteManagedIdentity:
		s.serveManagedIdentity(ex)
	}
	return true
}

func bearer(r *http.Request) string {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// serveGitHubOIDC mirrors GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=...:
// {"value": "<jwt>"}, or 401 for a bad request token.
func (s *Server) serveGitHubOIDC(ex *exchange) {
	if ex.r.Method != http.MethodGet {
		http.Error(ex.w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	f := s.fed()
	f.mu.Lock()
	subject, ok := f.github[bearer(ex.r)]
	f.mu.Unlock()
	if !ok {
		writeJSON(ex.w, http.StatusUnauthorized, map[string]any{"message": "Bad credentials"})
		return
	}
	aud := ex.r.URL.Query().Get("audience")
	if aud == "" {
		aud = "https://github.com/graphsim" // GitHub's default: the repository owner's URL
	}
	tok := s.signIDToken(s.url+"/_oidc/github", subject, aud, 5*time.Minute)
	writeJSON(ex.w, http.StatusOK, map[string]any{"count": 1, "value": tok})
}

// serveAzureDevOpsOIDC mirrors POST $SYSTEM_OIDCREQUESTURI?api-version=7.1&serviceConnectionId=...:
// {"oidcToken": "<jwt>"}.
func (s *Server) serveAzureDevOpsOIDC(ex *exchange) {
	if ex.r.Method != http.MethodPost {
		http.Error(ex.w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := ex.r.URL.Query()
	if q.Get("api-version") == "" {
		writeJSON(ex.w, http.StatusBadRequest, map[string]any{
			"message": "No api-version was supplied for the POST request.", "typeKey": "VssVersionNotSpecifiedException"})
		return
	}
	conn := q.Get("serviceConnectionId")
	f := s.fed()
	f.mu.Lock()
	want, known := f.ado[conn]
	f.mu.Unlock()
	switch {
	case bearer(ex.r) == "" || (known && bearer(ex.r) != want):
		// With X-TFS-FedAuthRedirect: Suppress, a bad token is a plain 401.
		http.Error(ex.w, "401 Unauthorized", http.StatusUnauthorized)
		return
	case !known:
		writeJSON(ex.w, http.StatusNotFound, map[string]any{
			"message": fmt.Sprintf("Service connection %s not found or not authorized for this pipeline.", conn)})
		return
	}
	tok := s.signIDToken(s.url+"/_oidc/ado", adoSubject(conn), exchangeAudience, 15*time.Minute)
	writeJSON(ex.w, http.StatusOK, map[string]any{"oidcToken": tok})
}

// serveManagedIdentity mirrors IMDS: GET ?api-version=...&resource=...[&client_id=]
// with "Metadata: true".
func (s *Server) serveManagedIdentity(ex *exchange) {
	q := ex.r.URL.Query()
	// IMDS answers every request it refuses with 400.
	imdsErr := func(code, desc string) {
		writeJSON(ex.w, http.StatusBadRequest, map[string]any{"error": code, "error_description": desc})
	}
	switch {
	case ex.r.Method != http.MethodGet:
		http.Error(ex.w, "method not allowed", http.StatusMethodNotAllowed)
		return
	case ex.r.Header.Get("Metadata") != "true":
		imdsErr("invalid_request", "Required metadata header not specified")
		return
	case q.Get("api-version") == "":
		imdsErr("invalid_request", "Required query variable 'api-version' is missing")
		return
	case !s.isGraphResource(ex.r, q.Get("resource")):
		imdsErr("invalid_resource", "AADSTS500011: The resource principal named "+q.Get("resource")+" was not found in the tenant.")
		return
	}
	f := s.fed()
	f.mu.Lock()
	clients := append([]string(nil), f.msiClients...)
	byResID := f.msiResIDs[strings.ToLower(q.Get("msi_res_id"))]
	f.mu.Unlock()
	clientID := ""
	if q.Get("client_id") != "" && q.Get("msi_res_id") != "" {
		imdsErr("invalid_request", "Only one of client_id and msi_res_id may be given")
		return
	}
	if q.Has("msi_res_id") {
		clientID = byResID
	} else if want := q.Get("client_id"); want != "" {
		for _, c := range clients {
			if strings.EqualFold(c, want) {
				clientID = c
			}
		}
	} else if len(clients) > 0 {
		clientID = clients[0]
	}
	if clientID == "" {
		imdsErr("invalid_request", "Identity not found")
		return
	}
	tok, exp := s.grant(q.Get("resource"), clientID)
	secs := int(time.Until(exp) / time.Second)
	writeJSON(ex.w, http.StatusOK, map[string]any{
		"access_token": tok, "client_id": clientID, "expires_in": fmt.Sprint(secs), "expires_on": fmt.Sprint(exp.Unix()),
		"ext_expires_in": fmt.Sprint(secs), "not_before": fmt.Sprint(time.Now().Unix()), "resource": q.Get("resource"), "token_type": "Bearer",
	})
}

// signIDToken issues an RS256 ID token from the emulator's own key.
func (s *Server) signIDToken(iss, sub, aud string, life time.Duration) string {
	f := s.fed()
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	enc := base64.RawURLEncoding
	hdr, _ := json.Marshal(map[string]any{"typ": "JWT", "alg": "RS256", "kid": "graphsim-oidc"})
	payload, _ := json.Marshal(map[string]any{
		"iss": iss, "sub": sub, "aud": aud, "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(life).Unix(),
		"jti": newGUID(),
	})
	signing := enc.EncodeToString(hdr) + "." + enc.EncodeToString(payload)
	h := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, f.signingKey(), crypto.SHA256, h[:])
	if err != nil {
		panic(err)
	}
	tok := signing + "." + enc.EncodeToString(sig)
	f.idTokenList = append(f.idTokenList, tok)
	return tok
}

// jwt is a parsed, not yet verified, compact JWS.
type jwt struct {
	header  map[string]any
	claims  map[string]any
	signing string // header.payload
	sig     []byte
}

func parseJWT(s string) (*jwt, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a compact JWS")
	}
	enc := base64.RawURLEncoding
	var j jwt
	for i, dst := range []*map[string]any{&j.header, &j.claims} {
		b, err := enc.DecodeString(strings.TrimRight(parts[i], "="))
		if err != nil {
			return nil, err
		}
		d := json.NewDecoder(strings.NewReader(string(b)))
		d.UseNumber()
		if err := d.Decode(dst); err != nil {
			return nil, err
		}
	}
	sig, err := enc.DecodeString(strings.TrimRight(parts[2], "="))
	if err != nil {
		return nil, err
	}
	j.signing, j.sig = parts[0]+"."+parts[1], sig
	return &j, nil
}

func (j *jwt) str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

func (j *jwt) num(k string) (int64, bool) {
	n, ok := j.claims[k].(json.Number)
	if !ok {
		return 0, false
	}
	v, err := n.Int64()
	if err != nil {
		f, ferr := n.Float64()
		return int64(f), ferr == nil
	}
	return v, true
}

// audiences returns aud as a list (it may be a string or an array).
func (j *jwt) audiences() []string {
	switch a := j.claims["aud"].(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, v := range a {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// verify checks the signature with pub for RS256, PS256 or ES256.
func (j *jwt) verify(pub crypto.PublicKey) error {
	h := sha256.Sum256([]byte(j.signing))
	switch alg := j.str(j.header, "alg"); alg {
	case "RS256", "PS256":
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("%s needs an RSA key", alg)
		}
		if alg == "RS256" {
			return rsa.VerifyPKCS1v15(k, crypto.SHA256, h[:], j.sig)
		}
		return rsa.VerifyPSS(k, crypto.SHA256, h[:], j.sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
	case "ES256":
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || len(j.sig) != 64 {
			return errors.New("ES256 needs an ECDSA P-256 key and a 64-byte signature")
		}
		r, sv := new(big.Int).SetBytes(j.sig[:32]), new(big.Int).SetBytes(j.sig[32:])
		if !ecdsa.Verify(k, h[:], r, sv) {
			return errors.New("bad signature")
		}
		return nil
	default:
		return fmt.Errorf("unsupported alg %q", alg)
	}
}

// checkTimes applies exp and nbf with Entra's clock skew.
func (j *jwt) checkTimes(now time.Time) *entraError {
	exp, ok := j.num("exp")
	if !ok || now.After(time.Unix(exp, 0).Add(clockSkew)) {
		return &entraError{http.StatusBadRequest, "invalid_client", 700024,
			"Client assertion is not within its valid time range. Current time: " + now.UTC().Format(time.RFC3339) + "."}
	}
	if nbf, ok := j.num("nbf"); ok && now.Add(clockSkew).Before(time.Unix(nbf, 0)) {
		return &entraError{http.StatusBadRequest, "invalid_client", 700024,
			"Client assertion is not within its valid time range (nbf is in the future)."}
	}
	return nil
}

func invalidAssertion(text string) *entraError {
	return &entraError{http.StatusUnauthorized, "invalid_client", 700027, "Client assertion failed signature validation. " + text}
}

// authenticateAssertion verifies a jwt-bearer client assertion: a
// certificate assertion when the header names a certificate thumbprint, a
// federated one otherwise.
func (s *Server) authenticateAssertion(r *http.Request, form url.Values) (string, *entraError) {
	raw := form.Get("client_assertion")
	if raw == "" {
		return "", missingParam("client_assertion")
	}
	j, err := parseJWT(raw)
	if err != nil {
		return "", &entraError{http.StatusBadRequest, "invalid_request", 50027,
			"JWT token is invalid or malformed: " + err.Error() + "."}
	}
	if j.str(j.header, "x5t") != "" || j.str(j.header, "x5t#S256") != "" {
		return s.authenticateCertificate(r, form, j)
	}
	return s.authenticateFederated(form, j)
}

func decodeThumb(s string) []byte {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b
		}
	}
	return nil
}

func (s *Server) authenticateCertificate(r *http.Request, form url.Values, j *jwt) (string, *entraError) {
	clientID := form.Get("client_id")
	iss, sub := j.str(j.claims, "iss"), j.str(j.claims, "sub")
	if clientID == "" {
		clientID = iss
	}
	if !strings.EqualFold(iss, clientID) || !strings.EqualFold(sub, clientID) {
		return "", &entraError{http.StatusUnauthorized, "invalid_client", 700021,
			"Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials ."}
	}
	wantAud := "https://" + r.Host + "/" + s.opts.TenantID + "/oauth2/v2.0/token"
	audOK := false
	for _, a := range j.audiences() {
		audOK = audOK || strings.EqualFold(strings.TrimRight(a, "/"), wantAud)
	}
	if !audOK {
		return "", &entraError{http.StatusUnauthorized, "invalid_client", 700212,
			fmt.Sprintf("The audience claim in the client assertion must be the token endpoint %s.", wantAud)}
	}
	var want []byte
	var thumb func(*x509.Certificate) []byte
	if t := j.str(j.header, "x5t#S256"); t != "" {
		want = decodeThumb(t)
		thumb = func(c *x509.Certificate) []byte { h := sha256.Sum256(c.Raw); return h[:] }
	} else {
		want = decodeThumb(j.str(j.header, "x5t"))
		thumb = func(c *x509.Certificate) []byte { h := sha1.Sum(c.Raw); return h[:] }
	}
	f := s.fed()
	f.mu.Lock()
	certs := f.certs[strings.ToLower(clientID)]
	f.mu.Unlock()
	var cert *x509.Certificate
	for _, c := range certs {
		if string(thumb(c)) == string(want) {
			cert = c
		}
	}
	if cert == nil {
		return "", &entraError{http.StatusUnauthorized, "invalid_client", 700027, fmt.Sprintf(
			"The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '%X', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '%s'.]",
			want, clientID)}
	}
	if err := j.verify(cert.PublicKey); err != nil {
		return "", invalidAssertion(err.Error())
	}
	if e := j.checkTimes(time.Now()); e != nil {
		return "", e
	}
	return clientID, nil
}

func (s *Server) authenticateFederated(form url.Values, j *jwt) (string, *entraError) {
	iss, sub := j.str(j.claims, "iss"), j.str(j.claims, "sub")
	f := s.fed()
	f.mu.Lock()
	t := f.issuers[iss]
	var clientID string
	var pub crypto.PublicKey
	if t != nil {
		clientID, pub = t.subjects[sub], t.pub
	}
	f.mu.Unlock()
	if t == nil {
		return "", &entraError{http.StatusBadRequest, "invalid_request", 700211,
			fmt.Sprintf("No matching federated identity record found for presented assertion issuer '%s'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.", iss)}
	}
	if clientID == "" || (form.Get("client_id") != "" && !strings.EqualFold(form.Get("client_id"), clientID)) {
		return "", &entraError{http.StatusBadRequest, "invalid_request", 70021, fmt.Sprintf(
			"No matching federated identity record found for presented assertion. Assertion Issuer: '%s'. Assertion Subject: '%s'. Assertion Audience: '%s'.",
			iss, sub, strings.Join(j.audiences(), ","))}
	}
	audOK := false
	for _, a := range j.audiences() {
		audOK = audOK || a == exchangeAudience
	}
	if !audOK {
		return "", &entraError{http.StatusBadRequest, "invalid_request", 700212, fmt.Sprintf(
			"No matching federated identity record found for presented assertion audience '%s'.", strings.Join(j.audiences(), ","))}
	}
	if err := j.verify(pub); err != nil {
		return "", invalidAssertion(err.Error())
	}
	if e := j.checkTimes(time.Now()); e != nil {
		return "", e
	}
	return clientID, nil
}
