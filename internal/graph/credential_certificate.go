package graph

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"software.sslmate.com/src/go-pkcs12"
)

// parseClientCertificate reads client_certificate: a PKCS#12 (PFX) file or a PEM bundle holding
// the certificate and its private key. It returns the certificates with the one that matches the
// key first, as azidentity.NewClientCertificateCredential wants them.
//
// PKCS#12 is decoded with go-pkcs12, not azidentity.ParseCertificates: azidentity reads PKCS#12
// through golang.org/x/crypto/pkcs12, which knows only the legacy SHA-1/3DES kind and fails on
// what OpenSSL 3 and current Windows export (AES-256-CBC with PBKDF2 and a SHA-256 MAC) with
// "pkcs12: unknown digest algorithm" (graph-behaviour.md §12). PEM still goes through azidentity.
//
// No error quotes the file's contents or the password.
func parseClientCertificate(data []byte, password string) ([]*x509.Certificate, crypto.PrivateKey, error) {
	switch {
	case looksLikePFX(data):
		return parsePFX(data, password)
	case bytes.Contains(data, []byte("-----BEGIN ")):
		if pemKeyEncrypted(data) {
			return nil, nil, fmt.Errorf("the private key in the PEM %s is encrypted, which is not supported: "+
				"give the key unencrypted, or a PKCS#12 (PFX) file with %s", ArgClientCertificate, ArgClientCertificatePassword)
		}
		// azidentity skips PEM when given a password; client_certificate_password is for PFX only.
		certs, key, err := azidentity.ParseCertificates(data, nil)
		if err != nil {
			// azidentity's messages describe the format ("found no private key"), never the contents.
			return nil, nil, fmt.Errorf("reading the PEM %s (a certificate and its private key): %w", ArgClientCertificate, err)
		}
		return certs, key, nil
	default:
		return nil, nil, fmt.Errorf("%s is neither a PKCS#12 (PFX) file nor PEM (a certificate and its private key)", ArgClientCertificate)
	}
}

// looksLikePFX reports whether data is a DER PFX PDU: SEQUENCE { version 3, authSafe, [macData] }.
func looksLikePFX(data []byte) bool {
	var pfx struct {
		Version  int
		AuthSafe asn1.RawValue
		MacData  asn1.RawValue `asn1:"optional"`
	}
	rest, err := asn1.Unmarshal(data, &pfx)
	return err == nil && len(rest) == 0 && pfx.Version == 3
}

func parsePFX(data []byte, password string) ([]*x509.Certificate, crypto.PrivateKey, error) {
	key, leaf, chain, err := pkcs12.DecodeChain(data, password)
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		// ErrDecryption is what a file without a MAC gives for the wrong password.
		hint := ""
		if password == "" {
			hint = " (no password is set)"
		}
		return nil, nil, fmt.Errorf("%s%s does not open the PKCS#12 (PFX) file given as %s: check the password",
			ArgClientCertificatePassword, hint, ArgClientCertificate)
	case err != nil:
		// go-pkcs12's messages name the structure or algorithm it could not read, never the contents.
		return nil, nil, fmt.Errorf("reading the PKCS#12 (PFX) %s: %w", ArgClientCertificate, err)
	}
	return append([]*x509.Certificate{leaf}, chain...), key, nil
}

// pemKeyEncrypted reports whether a PEM bundle's private key is password-protected (PKCS#8
// "ENCRYPTED PRIVATE KEY", or the legacy Proc-Type header), which azidentity cannot read.
func pemKeyEncrypted(data []byte) bool {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return false
		}
		if b.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED") {
			return true
		}
	}
}
