package graphsim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"time"
)

// CA is a certificate authority that issues the emulators' server
// certificates. Clients trust an emulator by pointing SSL_CERT_FILE (or a cert
// pool) at the CA's PEM; the emulator never asks anyone to disable
// verification.
//
// Go reads SSL_CERT_FILE once per process, so every emulator that one test
// binary starts must chain to one CA: create it once with NewCA and pass it in
// Options.CA. A CA is safe for concurrent use.
type CA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

// caLifetime bounds every certificate the emulator makes: long enough for any
// test run, short enough that a leaked CA file is soon worthless.
const caLifetime = 7 * 24 * time.Hour

// NewCA makes a throw-away CA with a fresh key.
func NewCA() (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "graphsim test CA", Organization: []string{"graphsim"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(caLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("create CA: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}

// IssueFor makes a certificate for the DNS names, chained to the CA, for a
// test server other than the emulator (a TLS-inspecting proxy's forged
// certificates).
func (c *CA) IssueFor(names ...string) (tls.Certificate, error) {
	return c.issueLeaf("localhost", names...)
}

// PEM returns the CA certificate in PEM form.
func (c *CA) PEM() []byte { return append([]byte(nil), c.pem...) }

// issueLeaf makes a server certificate for the loopback names, plus
// extraHost (the host part of Options.Addr) when it is not one of them, plus
// names (Options.Hostnames).
func (c *CA) issueLeaf(extraHost string, names ...string) (tls.Certificate, error) {
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	notAfter := now.Add(caLifetime)
	if notAfter.After(c.cert.NotAfter) {
		notAfter = c.cert.NotAfter // a leaf cannot outlive its CA
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if extraHost != "" && extraHost != "localhost" {
		if ip := net.ParseIP(extraHost); ip != nil {
			if !ip.IsLoopback() && !ip.IsUnspecified() {
				leafTmpl.IPAddresses = append(leafTmpl.IPAddresses, ip)
			}
		} else {
			leafTmpl.DNSNames = append(leafTmpl.DNSNames, extraHost)
		}
	}
	leafTmpl.DNSNames = append(leafTmpl.DNSNames, names...)
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, c.cert, &leafKey.PublicKey, c.key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("create leaf: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{leafDER, c.cert.Raw}, PrivateKey: leafKey}, nil
}

func randomSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return n
}

func newServerTLSConfig(leaf tls.Certificate) *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{leaf},
		MinVersion:   tls.VersionTLS12,
	}
}
