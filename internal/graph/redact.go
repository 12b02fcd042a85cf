package graph

import "strings"

// redacted stands in a message for what was taken out of a URL.
const redacted = "<redacted>"

// RedactURL is raw fit for a message or a log: without userinfo, query or fragment, any of which
// may carry a password or a key (an msi_endpoint with a key in its query, a proxy or endpoint URL
// with credentials in it). It works on text that does not parse as a URL too, since that is
// exactly when a configured value is echoed back.
func RedactURL(raw string) string {
	s, cut := raw, false
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s, cut = s[:i], true
	}
	s = withoutUserinfo(s)
	if cut {
		s += "?" + redacted
	}
	return s
}

// withoutUserinfo drops the userinfo of a URL (or of text meant as one), keeping the rest: for a
// link whose query is not secret but which must not carry credentials into a message.
func withoutUserinfo(s string) string {
	prefix, rest := "", s
	if i := strings.Index(s, "//"); i >= 0 {
		prefix, rest = s[:i+2], s[i+2:]
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		return prefix + redacted + rest[at:]
	}
	return s
}
