// Package graphsim is a hermetic emulator of Microsoft Entra ID (client
// credentials) and of the Microsoft Graph beta collection
// /beta/deviceAppManagement/deviceAppManagementTasks, with a subset of $filter
// (filter.go) and the tasks' read-only relationships managedDevices and
// mobileApps (related.go), served over TLS on loopback.
//
// It exists for the provider's acceptance tests, `make demo` and benchmarks.
// It deliberately shares no code with the provider and imports only the
// standard library: it is a stand-in for Microsoft, so it reproduces Graph's
// strictness and oddities, as docs/development/graph-behaviour.md records them
// and as Microsoft's CSDL (metadata/deviceappmanagementtask.csdl.xml) declares
// them, rather than whatever the provider happens to send.
//
// Default credentials (Options zero values):
//
//	TenantID     11111111-2222-4333-8444-555555555555
//	ClientID     aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee
//	ClientSecret graphsim-secret~0123456789abcdefghij
package graphsim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// Default credentials. They are fixed so that shell users (make demo) can
// rely on them; tests may override them through Options.
const (
	DefaultTenantID     = "11111111-2222-4333-8444-555555555555"
	DefaultClientID     = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
	DefaultClientSecret = "graphsim-secret~0123456789abcdefghij"
)

// Options configures Start. Zero values select the documented defaults.
type Options struct {
	TenantID, ClientID, ClientSecret string
	// Addr is the listen address; default "127.0.0.1:0" (random port).
	Addr string
	// CA issues the server certificate. Default: a new CA for this server
	// alone. Emulators of one test binary share one (see CA).
	CA *CA
	// CAFile is where the CA certificate PEM is written; default a temp file
	// that Close removes.
	CAFile string
	// PageSize is the server-side page size of the collection; default 100.
	PageSize int
	// TokenLifetime is the lifetime of issued access tokens; default 1h.
	TokenLifetime time.Duration
	// Hostnames are names the emulator also answers to, as a client reaches it through a proxy
	// that maps them to Addr (graph.microsoft.us, login.microsoftonline.us, a *.test name): its
	// certificate covers them, and https://<name> (with or without the port) is accepted as the
	// Graph resource of a token request. Graph requests still need a token whose audience is the
	// host they are sent to, as Graph's own front doors do.
	Hostnames []string
	// GuestTenantIDs are tenants besides TenantID that the app is consented in: their token
	// endpoints issue tokens too (for a multi-tenant app, or azidentity's additionally allowed
	// tenants).
	GuestTenantIDs []string
}

// Server is a running emulator. All methods are safe for concurrent use.
type Server struct {
	opts    Options
	url     string
	caPEM   []byte
	caFile  string
	ownsCA  bool // the CA file is a temp file we created and must remove
	ln      net.Listener
	httpSrv *http.Server
	done    chan struct{}

	// mu guards the store, tokens, request log and counters.
	mu        sync.Mutex
	tasks     map[string]*task
	ghosts    map[string]*task // deleted, still visible (Faults.VisibleAfterDelete)
	bareGone  map[string]bool  // lower-case ids deleted under Faults.BareNotFoundAfterDelete
	seq       int64
	tokens    map[string]time.Time // token -> expiry
	tokenList []string
	reqLog    []LoggedRequest
	counts    map[string]int // "METHOD route"

	// fmu guards the fault switches and their bookkeeping.
	fmu      sync.Mutex
	faults   Faults
	ruleHits []int
	// ruleTaskHits counts the calls of PerTask rules per lower-case task id.
	ruleTaskHits []map[string]int
	ruleFirings  map[string]int // by Rule.Name, across SetFaults
	writeTimes   []time.Time    // writes counted in the throttle window, throttled ones included
	faultCounts  map[string]int
}

// Start listens, generates the TLS material, writes the CA file and serves
// until Close.
func Start(opts Options) (*Server, error) {
	if opts.TenantID == "" {
		opts.TenantID = DefaultTenantID
	}
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 100
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = time.Hour
	}
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("graphsim: bad Addr %q: %w", opts.Addr, err)
	}
	if opts.CA == nil {
		if opts.CA, err = NewCA(); err != nil {
			return nil, fmt.Errorf("graphsim: tls: %w", err)
		}
	}
	leaf, err := opts.CA.issueLeaf(host, opts.Hostnames...)
	if err != nil {
		return nil, fmt.Errorf("graphsim: tls: %w", err)
	}
	caPEM := opts.CA.PEM()

	s := &Server{
		opts:        opts,
		caPEM:       caPEM,
		tasks:       map[string]*task{},
		ghosts:      map[string]*task{},
		bareGone:    map[string]bool{},
		tokens:      map[string]time.Time{},
		counts:      map[string]int{},
		faultCounts: map[string]int{},
		ruleFirings: map[string]int{},
		done:        make(chan struct{}),
	}
	if opts.CAFile == "" {
		f, err := os.CreateTemp("", "graphsim-ca-*.pem")
		if err != nil {
			return nil, fmt.Errorf("graphsim: ca file: %w", err)
		}
		_, werr := f.Write(caPEM)
		cerr := f.Close()
		if werr != nil || cerr != nil {
			os.Remove(f.Name())
			return nil, fmt.Errorf("graphsim: ca file: %w", errors.Join(werr, cerr))
		}
		s.caFile, s.ownsCA = f.Name(), true
	} else {
		if err := os.WriteFile(opts.CAFile, caPEM, 0o644); err != nil {
			return nil, fmt.Errorf("graphsim: ca file: %w", err)
		}
		s.caFile = opts.CAFile
	}
	s.opts.CAFile = s.caFile

	// The context bounds only the bind itself (the listener outlives it); Start
	// takes none from its callers.
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", opts.Addr)
	if err != nil {
		s.removeCA()
		return nil, fmt.Errorf("graphsim: listen: %w", err)
	}
	s.ln = ln
	s.url = "https://" + ln.Addr().String()
	s.opts.Addr = ln.Addr().String()

	s.httpSrv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		// TLS handshake failures from deliberately untrusting clients and
		// aborted handlers are expected in tests; keep them off stderr.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	s.httpSrv.TLSConfig = newServerTLSConfig(leaf)
	go func() {
		defer close(s.done)
		// ServeTLS enables HTTP/2 like the real Graph front door.
		_ = s.httpSrv.ServeTLS(ln, "", "")
	}()
	return s, nil
}

// URL is the emulator root, e.g. "https://127.0.0.1:PORT" (no /beta). It is
// both the Graph endpoint and the Entra authority host.
func (s *Server) URL() string { return s.url }

// CAFile is the path of the CA certificate PEM.
func (s *Server) CAFile() string { return s.caFile }

// CAPEM returns the CA certificate in PEM form.
func (s *Server) CAPEM() []byte { return append([]byte(nil), s.caPEM...) }

// Options returns the resolved options (defaults filled in, Addr is the real
// listen address, CAFile the real path).
func (s *Server) Options() Options { return s.opts }

// Close stops serving, waits for the serve loop and removes a temp CA file.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.httpSrv.Shutdown(ctx)
	if err != nil {
		err = s.httpSrv.Close()
	}
	<-s.done
	s.removeCA()
	return err
}

func (s *Server) removeCA() {
	if s.ownsCA {
		os.Remove(s.caFile)
	}
}

// ServeHTTP dispatches between the control API, Graph and Entra.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case path == "/_graphsim" || strings.HasPrefix(path, "/_graphsim/"):
		s.serveControl(w, r)
	case path == "/beta" || strings.HasPrefix(path, "/beta/") || strings.EqualFold(firstSegment(path), "beta"):
		s.serveGraph(w, r)
	default:
		if s.serveWorkload(w, r) { // CI ID token and managed identity endpoints (entra_federation.go)
			return
		}
		s.serveEntra(w, r)
	}
}

func firstSegment(p string) string {
	p = strings.TrimPrefix(p, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return p
}

// Reset clears tasks, the request log, counters, fault bookkeeping and faults.
// Issued tokens stay valid, as a reset of Graph's data would not log a client
// out.
func (s *Server) Reset() {
	s.mu.Lock()
	s.tasks = map[string]*task{}
	s.ghosts = map[string]*task{}
	s.bareGone = map[string]bool{}
	s.reqLog = nil
	s.counts = map[string]int{}
	s.mu.Unlock()
	s.SetFaults(Faults{})
	s.fmu.Lock()
	s.faultCounts = map[string]int{}
	s.ruleFirings = map[string]int{}
	s.fmu.Unlock()
}
