package graphsim

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"testing"
	"time"
)

// TestSharedCA: emulators started with one CA are all trusted by a client
// that trusts only that CA, as a test binary with one SSL_CERT_FILE needs; an
// emulator with its own CA is not.
func TestSharedCA(t *testing.T) {
	ca, err := NewCA()
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca.PEM()) {
		t.Fatal("CA PEM holds no certificate")
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}

	start := func(opts Options) *Server {
		srv, err := Start(opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		return srv
	}
	get := func(srv *Server) error {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL()+"/"+DefaultTenantID+"/v2.0/.well-known/openid-configuration", nil)
		resp, err := hc.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}

	a, b := start(Options{CA: ca}), start(Options{CA: ca})
	for _, srv := range []*Server{a, b} {
		if err := get(srv); err != nil {
			t.Fatalf("%s: %v", srv.URL(), err)
		}
		onDisk, err := readFile(srv.CAFile())
		if err != nil || !bytes.Equal(onDisk, ca.PEM()) || !bytes.Equal(srv.CAPEM(), ca.PEM()) {
			t.Fatalf("%s: CA file %q differs from the shared CA (%v)", srv.URL(), onDisk, err)
		}
	}
	if a.CAFile() == b.CAFile() {
		t.Fatal("each server owns its CA file")
	}
	other := start(Options{})
	if err := get(other); err == nil {
		t.Fatal("a server with its own CA was trusted by a client of the shared one")
	}
	if bytes.Equal(other.CAPEM(), ca.PEM()) {
		t.Fatal("Options.CA nil must make a new CA")
	}
}
