package graph

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// testCertificate makes an RSA key and a certificate for it, issued by a second (CA) key when ca
// is set, so that a bundle can hold a chain.
func testCertificate(t *testing.T, cn string, ca *rsa.PrivateKey, caCert *x509.Certificate) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: ca == nil}
	parent, signer := tmpl, key
	if ca != nil {
		parent, signer = caCert, ca
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

const pfxPassword = "pfx-Passw0rd-sekrit"

// TestNewCredential_pfxKinds builds the client certificate credential from both kinds of PFX:
// what OpenSSL 3 and current Windows export (AES-256-CBC, PBKDF2, SHA-256 MAC), which
// azidentity.ParseCertificates rejects with "pkcs12: unknown digest algorithm", and the legacy
// SHA-1/3DES (and RC2) kinds. Each holds a CA certificate after the leaf.
func TestNewCredential_pfxKinds(t *testing.T) {
	caKey, caCert := testCertificate(t, "test CA", nil, nil)
	key, leaf := testCertificate(t, "test app", caKey, caCert)
	for name, enc := range map[string]*pkcs12.Encoder{"Modern2023": pkcs12.Modern2023, "LegacyDES": pkcs12.LegacyDES, "LegacyRC2": pkcs12.LegacyRC2} {
		t.Run(name, func(t *testing.T) {
			pfx, err := enc.Encode(key, leaf, []*x509.Certificate{caCert}, pfxPassword)
			if err != nil {
				t.Fatal(err)
			}
			cred, err := NewCredential(AuthConfig{TenantID: "t", ClientID: "c", ClientCertificate: pfx, ClientCertificatePassword: pfxPassword})
			if err != nil {
				t.Fatalf("NewCredential: %v", err)
			}
			if m := CredentialMethod(cred); m != MethodClientCertificate {
				t.Fatalf("method %q", m)
			}
			certs, k, err := parseClientCertificate(pfx, pfxPassword)
			if err != nil {
				t.Fatal(err)
			}
			if len(certs) != 2 || !certs[0].Equal(leaf) || !certs[1].Equal(caCert) {
				t.Fatalf("certificates %v, want the leaf then the CA", certs)
			}
			if !key.Equal(k) {
				t.Fatal("the private key differs")
			}
		})
	}
}

func TestNewCredential_pfxWrongPassword(t *testing.T) {
	key, cert := testCertificate(t, "test app", nil, nil)
	for name, enc := range map[string]*pkcs12.Encoder{"Modern2023": pkcs12.Modern2023, "LegacyDES": pkcs12.LegacyDES} {
		t.Run(name, func(t *testing.T) {
			pfx, err := enc.Encode(key, cert, nil, pfxPassword)
			if err != nil {
				t.Fatal(err)
			}
			for _, given := range []string{"wrong-Sekrit-password", ""} {
				_, err = NewCredential(AuthConfig{TenantID: "t", ClientID: "c", ClientCertificate: pfx, ClientCertificatePassword: given})
				if err == nil {
					t.Fatalf("password %q: no error", given)
				}
				msg := err.Error()
				if !strings.Contains(msg, "client_certificate_password does not open the PKCS#12 (PFX) file") &&
					!strings.Contains(msg, "client_certificate_password (no password is set) does not open the PKCS#12 (PFX) file") {
					t.Errorf("password %q: the error does not say client_certificate_password does not open the file: %s", given, msg)
				}
				if strings.Contains(strings.ToLower(msg), "sekrit") {
					t.Errorf("the error quotes a password: %s", msg)
				}
				t.Logf("%s", msg)
			}
		})
	}
}

func TestNewCredential_certificateFormats(t *testing.T) {
	key, cert := testCertificate(t, "test app", nil, nil)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	goodPEM := append(append([]byte(nil), certPEM...), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	encryptedPEM := append(append([]byte(nil), certPEM...), pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("opaque")})...)
	cases := []struct {
		name     string
		data     []byte
		password string
		want     string // "" for success, else a substring of the error
	}{
		{"PEM", goodPEM, "", ""},
		{"PEM with a password set (it is for PFX only)", goodPEM, "unused-sekrit", ""},
		{"PEM without a key", certPEM, "", "found no private key"},
		{"encrypted PEM key", encryptedPEM, "", "is encrypted, which is not supported"},
		{"neither", []byte("sekrit bytes that are not a certificate"), "pw-sekrit", "client_certificate is neither a PKCS#12 (PFX) file nor PEM"},
		{"a bare DER certificate", cert.Raw, "pw-sekrit", "client_certificate is neither a PKCS#12 (PFX) file nor PEM"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewCredential(AuthConfig{TenantID: "t", ClientID: "c", ClientCertificate: tc.data, ClientCertificatePassword: tc.password})
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("NewCredential: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			case err != nil && strings.Contains(err.Error(), "sekrit"):
				t.Fatalf("the error quotes the file or the password: %v", err)
			}
		})
	}
}
