package acctest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// ProxyVia is the Via header a TLS-inspecting Proxy adds to what it forwards, so that the
// emulator's request log shows which requests went through the inspection.
const ProxyVia = "1.1 acctest-inspecting-proxy"

// ProxyOptions configures StartProxy.
type ProxyOptions struct {
	// User and Password, when set, are required in Proxy-Authorization (Basic), as a corporate
	// proxy asks for them; the client gives them in its proxy URL (http://user:password@host:port).
	User, Password string
	// Hosts maps each CONNECT target ("graph.microsoft.us:443") to the address the proxy dials
	// for it ("127.0.0.1:PORT"): the proxy, not the client, resolves names, as a forward proxy
	// does. A target not listed is refused (403), so a test never reaches the network.
	Hosts map[string]string
	// Inspect makes the proxy a TLS-inspecting one: it answers the client's TLS itself with a
	// certificate for the target forged by its own CA (CAFile), and sends each request on over
	// a TLS connection of its own that trusts Upstream.
	Inspect  bool
	Upstream *x509.CertPool
}

// Proxy is a forward HTTP proxy on 127.0.0.1 for one test: CONNECT only (the provider speaks
// nothing but https), optionally authenticating, optionally TLS-inspecting.
type Proxy struct {
	opts ProxyOptions
	ln   net.Listener
	addr string
	ca   *graphsim.CA
	// CAFile is the PEM of the inspecting proxy's CA; empty unless Inspect.
	CAFile string

	mu       sync.Mutex
	connects []string // CONNECT targets accepted, in order
	refused  int      // CONNECTs answered 407
	wg       sync.WaitGroup
}

// StartProxy starts a proxy that stops with the test.
func StartProxy(t *testing.T, opts ProxyOptions) *Proxy {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{opts: opts, ln: ln, addr: ln.Addr().String()}
	if opts.Inspect {
		if p.ca, err = graphsim.NewCA(); err != nil {
			t.Fatal(err)
		}
		p.CAFile = filepath.Join(t.TempDir(), "inspecting-proxy-ca.pem")
		if err := os.WriteFile(p.CAFile, p.ca.PEM(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	srv := &http.Server{Handler: http.HandlerFunc(p.serve), ErrorLog: discardLog}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close(); p.wg.Wait() })
	return p
}

// URL is the proxy's URL without credentials.
func (p *Proxy) URL() string { return "http://" + p.addr }

// URLWithCredentials is the proxy URL carrying User and Password, as HTTPS_PROXY holds them.
func (p *Proxy) URLWithCredentials(user, password string) string {
	return (&url.URL{Scheme: "http", User: url.UserPassword(user, password), Host: p.addr}).String()
}

// Connects returns the CONNECT targets the proxy accepted, oldest first.
func (p *Proxy) Connects() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.connects...)
}

// Refused is how many CONNECTs were answered 407 for missing or wrong credentials.
func (p *Proxy) Refused() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refused
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		http.Error(w, "this proxy only tunnels (CONNECT)", http.StatusMethodNotAllowed)
		return
	}
	if p.opts.User != "" || p.opts.Password != "" {
		want := "Basic " + base64.StdEncoding.EncodeToString([]byte(p.opts.User+":"+p.opts.Password))
		if r.Header.Get("Proxy-Authorization") != want {
			p.mu.Lock()
			p.refused++
			p.mu.Unlock()
			w.Header().Set("Proxy-Authenticate", `Basic realm="acctest"`)
			http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
			return
		}
	}
	target := r.Host
	dial, ok := p.opts.Hosts[strings.ToLower(target)]
	if !ok {
		http.Error(w, "this proxy does not reach "+target, http.StatusForbidden)
		return
	}
	p.mu.Lock()
	p.connects = append(p.connects, target)
	p.mu.Unlock()
	client, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if _, err := io.WriteString(client, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		client.Close()
		return
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer client.Close()
		if p.opts.Inspect {
			p.inspect(client, target, dial)
			return
		}
		upstream, err := (&net.Dialer{}).DialContext(context.Background(), "tcp", dial)
		if err != nil {
			return
		}
		defer upstream.Close()
		done := make(chan struct{}, 2)
		go func() { _, _ = io.Copy(upstream, client); done <- struct{}{} }()
		go func() { _, _ = io.Copy(client, upstream); done <- struct{}{} }()
		<-done
	}()
}

// inspect terminates the client's TLS with a forged certificate for target and forwards each
// request over TLS to dial, verifying the upstream against Upstream.
func (p *Proxy) inspect(client net.Conn, target, dial string) {
	host, _, _ := net.SplitHostPort(target)
	cert, err := p.ca.IssueFor(host)
	if err != nil {
		return
	}
	tc := tls.Server(client, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	if err := tc.HandshakeContext(context.Background()); err != nil {
		return // the client did not trust the forged certificate
	}
	upstream := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: p.opts.Upstream, ServerName: host, MinVersion: tls.VersionTLS12},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, dial)
		},
	}
	defer upstream.CloseIdleConnections()
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme, pr.Out.URL.Host, pr.Out.Host = "https", target, pr.In.Host
			pr.Out.Header.Set("Via", ProxyVia)
		},
		Transport: upstream,
		ErrorLog:  discardLog,
	}
	// The tunnel's TLS connection is served like any HTTP connection, by a server that has it alone.
	ln := newOneConnListener(tc)
	srv := &http.Server{Handler: rp, ErrorLog: discardLog}
	_ = srv.Serve(ln)
}

// oneConnListener hands out one connection, then waits until that connection is closed.
type oneConnListener struct {
	conn   net.Conn
	once   sync.Once
	closed chan struct{}
	addr   net.Addr
}

func newOneConnListener(c net.Conn) *oneConnListener {
	l := &oneConnListener{closed: make(chan struct{}), addr: c.LocalAddr()}
	l.conn = &notifyConn{Conn: c, closed: l.close}
	return l
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	var c net.Conn
	l.once.Do(func() { c = l.conn })
	if c != nil {
		return c, nil
	}
	<-l.closed
	return nil, net.ErrClosed
}

func (l *oneConnListener) close() {
	select {
	case <-l.closed:
	default:
		close(l.closed)
	}
}

func (l *oneConnListener) Close() error   { l.close(); return nil }
func (l *oneConnListener) Addr() net.Addr { return l.addr }

type notifyConn struct {
	net.Conn
	closeOnce sync.Once
	closed    func()
}

func (c *notifyConn) Close() error {
	err := c.Conn.Close()
	c.closeOnce.Do(c.closed)
	return err
}

// discardLog keeps the proxy's expected failures (a client refusing a forged certificate) off
// the test output.
var discardLog = log.New(io.Discard, "", 0)
