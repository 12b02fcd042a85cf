package graph

import (
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://graph.microsoft.com", "https://graph.microsoft.com"},
		{"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&key=s3cret", "http://169.254.169.254/metadata/identity/oauth2/token?<redacted>"},
		{"https://user:p%40ss@proxy.example:3128/x", "https://<redacted>@proxy.example:3128/x"},
		{"https://user:pa@ss@graph.example/#frag", "https://<redacted>@graph.example/?<redacted>"},
		// Text that does not parse as a URL is echoed when it is refused: still redacted.
		{"http://u:pw@[bad host/x?sig=abc", "http://<redacted>@[bad host/x?<redacted>"},
		{"user:pw@host", "<redacted>@host"},
		{"not a url at all", "not a url at all"},
		{"https://host/path@with-at", "https://host/path@with-at"},
	} {
		got := RedactURL(c.in)
		if got != c.want {
			t.Errorf("RedactURL(%q) = %q, want %q", c.in, got, c.want)
		}
		for _, secret := range []string{"s3cret", "p%40ss", "pw@", "sig=abc", "frag"} {
			if strings.Contains(c.in, secret) && strings.Contains(got, secret) {
				t.Errorf("RedactURL(%q) = %q still holds %q", c.in, got, secret)
			}
		}
	}
	if got := withoutUserinfo("https://a:b@graph.example/beta/x?$skiptoken=abc"); got != "https://<redacted>@graph.example/beta/x?$skiptoken=abc" {
		t.Errorf("withoutUserinfo kept or lost the wrong parts: %q", got)
	}
}
