// Package graphhttp describes failed Microsoft Graph calls: the error type, its classification (not
// found, ambiguous write, never sent) and the text of a diagnostic. It depends on the standard
// library only, so it can be fuzzed without compiling the Graph SDK.
package graphhttp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"
)

// maxBody bounds how much of a response is read; a task is a few kilobytes.
const maxBody = 16 << 20

// ReadBody reads a response body, bounded.
func ReadBody(resp *http.Response) ([]byte, error) {
	return io.ReadAll(io.LimitReader(resp.Body, maxBody))
}

// Permissions is what a collection's operations are documented to need, for the hint a 403 gets.
type Permissions struct {
	// Objects names what the collection holds, for the message ("Intune tasks").
	Objects string
	// Required is the application permission every operation is documented to accept.
	Required string
	// Also is a permission some revisions of the reference pages list too, and NotFor the
	// operations (as permissionHint names them) whose pages never list it.
	Also   string
	NotFor []string
}

// TaskPermissions are those of the deviceAppManagementTasks collection: every revision of every
// reference page accepts DeviceManagementApps.ReadWrite.All; newer revisions also list
// DeviceManagementConfiguration.ReadWrite.All, except for updateStatus (graph-behaviour.md §11).
var TaskPermissions = &Permissions{
	Objects:  "Intune tasks",
	Required: "DeviceManagementApps.ReadWrite.All",
	Also:     "DeviceManagementConfiguration.ReadWrite.All",
	NotFor:   []string{"updateStatus"},
}

// Error is any failed Graph call: a transport failure (Err set, no status) or an HTTP error answer.
type Error struct {
	Method     string
	Path       string
	StatusCode int

	// From Graph's error JSON, when there was one.
	Code    string
	Message string // the human part; Intune's JSON-in-message is unwrapped
	// From Intune's wrapped message.
	ActivityID  string
	OperationID string

	RequestID       string
	ClientRequestID string
	// RetryAfter is the raw header, kept to explain throttling that outlived the timeout.
	RetryAfter string
	// Snippet is the start of a body that was not Graph error JSON (an HTML gateway page).
	Snippet string
	// Permissions is what the called collection needs, for a 403; nil means TaskPermissions.
	Permissions *Permissions
	// GraphError is true when the body was Graph's OData error JSON: only then did Graph itself
	// answer, rather than a proxy or something that is not Graph at all (graph-behaviour.md §6).
	GraphError bool

	// NotSent marks a failure before the request left this process (getting a token, waiting
	// for the client-side write pacer): Graph cannot have acted on it (graph-behaviour.md §7.3).
	NotSent bool

	Err error
}

func (e *Error) Error() string {
	if e.StatusCode == 0 {
		return fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err)
	}
	s := fmt.Sprintf("%s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// IsNotFound reports whether err is Graph saying the object does not exist: a 404 whose body is
// Graph's error JSON, and not one of Graph's routing errors (a path Graph does not serve at all).
// A 404 page from a proxy, a wrong endpoint or a path Graph does not know must never make
// Terraform believe a task is gone and plan to create it again; a 400 or 403 never means gone
// either (graph-behaviour.md §6).
func IsNotFound(err error) bool {
	var ge *Error
	if !errors.As(err, &ge) || ge.StatusCode != http.StatusNotFound || !ge.GraphError {
		return false
	}
	switch ge.Code {
	case "BadRequest", "No method match route template":
		// "Resource not found for the segment ...": the URL, not the object, is unknown.
		return false
	}
	return true
}

// graphErrorBody is OData's error envelope. Fields are decoded by hand, never through the SDK's
// ODataError, whose Error() panics when parts are missing (graph-behaviour.md §6).
type graphErrorBody struct {
	Error *struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError *struct {
			RequestID       string `json:"request-id"`
			ClientRequestID string `json:"client-request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

// intuneMessage is the JSON Intune embeds, escaped, inside the OData message.
type intuneMessage struct {
	Message string `json:"Message"`
}

var (
	activityRe  = regexp.MustCompile(`Activity ID: ([0-9a-fA-F-]{36})`)
	operationRe = regexp.MustCompile(`Operation ID \(for customer support\): ([0-9a-fA-F-]{36})`)
	tagRe       = regexp.MustCompile(`<[^>]*>`)
	spaceRe     = regexp.MustCompile(`\s+`)
)

// NewHTTPError builds the Error for an HTTP error answer; clientRequestID is the id that was sent.
func NewHTTPError(method, path string, status int, header http.Header, body []byte, clientRequestID string) *Error {
	e := &Error{
		Method: method, Path: path, StatusCode: status,
		RequestID:       header.Get("request-id"),
		ClientRequestID: header.Get("client-request-id"),
		RetryAfter:      header.Get("Retry-After"),
	}
	if e.ClientRequestID == "" {
		e.ClientRequestID = clientRequestID
	}
	var parsed graphErrorBody
	if mt, _, _ := mime.ParseMediaType(header.Get("Content-Type")); (mt == "application/json" || mt == "") &&
		json.Unmarshal(body, &parsed) == nil && parsed.Error != nil {
		e.GraphError = true
		e.Code = parsed.Error.Code
		e.Message = parsed.Error.Message
		if ie := parsed.Error.InnerError; ie != nil {
			if e.RequestID == "" {
				e.RequestID = ie.RequestID
			}
			if e.ClientRequestID == "" {
				e.ClientRequestID = ie.ClientRequestID
			}
		}
		e.unwrapIntune()
		return e
	}
	e.Snippet = snippet(body)
	return e
}

// unwrapIntune replaces Intune's escaped JSON message by its human sentence and pulls out the IDs
// support asks for.
func (e *Error) unwrapIntune() {
	m := strings.TrimSpace(e.Message)
	if !strings.HasPrefix(m, "{") {
		return
	}
	var im intuneMessage
	if json.Unmarshal([]byte(m), &im) != nil || im.Message == "" {
		return
	}
	human := im.Message
	if g := activityRe.FindStringSubmatch(human); g != nil {
		e.ActivityID = g[1]
	}
	if g := operationRe.FindStringSubmatch(human); g != nil {
		e.OperationID = g[1]
	}
	// "An error has occurred - Operation ID ... - Activity ID: ... - Url: ..." keeps only its first part.
	if i := strings.Index(human, " - Operation ID"); i >= 0 {
		human = human[:i]
	}
	e.Message = strings.TrimSpace(human)
}

// ParseDate reads a response's Date header: Graph's clock, to the second. Zero when absent.
func ParseDate(h http.Header) time.Time {
	t, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	return t
}

// snippet makes a short readable excerpt of a non-JSON body (HTML tags dropped).
func snippet(body []byte) string {
	s := tagRe.ReplaceAllString(string(body), " ")
	s = strings.TrimSpace(spaceRe.ReplaceAllString(s, " "))
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// advised is an error with advice for the user that Describe appends to the error's own text: what
// a failure leaves behind and what to do about it, which only the caller knows.
type advised struct {
	err    error
	advice string
}

func (a *advised) Error() string { return a.err.Error() + "\n\n" + a.advice }
func (a *advised) Unwrap() error { return a.err }

// WithAdvice returns err with advice that Describe shows after the description of err.
func WithAdvice(err error, advice string) error {
	if err == nil {
		return nil
	}
	return &advised{err: err, advice: advice}
}

// Describe turns any error from this package into the detail text of a diagnostic: what was called,
// what Graph said, the IDs support needs, and what the user can do about it.
func Describe(err error) string {
	if err == nil {
		return ""
	}
	var a *advised
	if errors.As(err, &a) {
		return Describe(a.err) + "\n\n" + a.advice
	}
	var ge *Error
	if !errors.As(err, &ge) {
		return err.Error()
	}
	var b strings.Builder
	if ge.NotSent {
		describeNotSent(&b, ge)
		return b.String()
	}
	if ge.StatusCode == 0 {
		fmt.Fprintf(&b, "%s %s failed before Graph answered: %v", ge.Method, ge.Path, ge.Err)
		if errors.Is(ge.Err, context.DeadlineExceeded) {
			b.WriteString("\n\nThe operation's timeout passed. Raise it in the resource's timeouts block if Graph is slow or throttling.")
		}
		return b.String()
	}
	fmt.Fprintf(&b, "%s %s returned HTTP %d %s.", ge.Method, ge.Path, ge.StatusCode, http.StatusText(ge.StatusCode))
	if ge.StatusCode < 400 && ge.Err != nil {
		fmt.Fprintf(&b, "\nProblem: %v", ge.Err)
	}
	if ge.Code != "" {
		fmt.Fprintf(&b, "\nGraph error code: %s", ge.Code)
	}
	if ge.Message != "" {
		fmt.Fprintf(&b, "\nMessage: %s", ge.Message)
	}
	if ge.Snippet != "" {
		fmt.Fprintf(&b, "\nResponse body (not Graph JSON): %s", ge.Snippet)
	}
	if ge.ActivityID != "" || ge.OperationID != "" {
		fmt.Fprintf(&b, "\nIntune Activity ID: %s, Operation ID: %s", orNone(ge.ActivityID), orNone(ge.OperationID))
	}
	fmt.Fprintf(&b, "\nrequest-id: %s, client-request-id: %s", orNone(ge.RequestID), orNone(ge.ClientRequestID))
	switch ge.StatusCode {
	case http.StatusUnauthorized:
		b.WriteString("\n\nGraph rejected the access token. Check tenant_id, client_id and the credential, and that the token is for the Graph endpoint configured.")
	case http.StatusForbidden:
		b.WriteString("\n\n" + permissionHint(ge.Method, ge.Path, ge.Permissions))
	case http.StatusNotFound:
		if !IsNotFound(ge) {
			b.WriteString("\n\nThis 404 did not come from Graph as an answer about the object (no Graph error JSON, or a path Graph does not serve), " +
				"so the object is not treated as deleted. Check graph_endpoint and any proxy between Terraform and Graph.")
		}
	case http.StatusTooManyRequests:
		b.WriteString("\n\nGraph kept throttling until the operation's timeout. Raise the timeout, or lower terraform's -parallelism.")
		if ge.RetryAfter != "" {
			fmt.Fprintf(&b, " Graph last asked to wait %s seconds.", ge.RetryAfter)
		}
	}
	return b.String()
}

// describeNotSent explains a failure that happened before anything was sent to Graph.
func describeNotSent(b *strings.Builder, ge *Error) {
	switch {
	case errors.Is(ge.Err, ErrTokenTimeout):
		fmt.Fprintf(b, "%s %s was not sent: the operation's timeout passed while Microsoft Entra ID was asked for an access token. Nothing reached Graph.\n\n%v", ge.Method, ge.Path, ge.Err)
		b.WriteString("\n\nEntra ID did not answer in the time the operation had left; this says nothing about the credential. Raise the timeout in the timeouts block if Entra ID or the network to it is slow.")
	case errors.Is(ge.Err, context.DeadlineExceeded) || errors.Is(ge.Err, context.Canceled):
		fmt.Fprintf(b, "%s %s was not sent: the operation's timeout passed while it waited to be sent (%v). Nothing reached Graph.", ge.Method, ge.Path, ge.Err)
		b.WriteString("\n\nIf write_rate_limit is set, the writes of this apply need more time than the timeout allows at that rate: raise the timeout in the resource's timeouts block, or raise write_rate_limit.")
	default:
		fmt.Fprintf(b, "%s %s was not sent: getting an access token from Microsoft Entra ID failed. Nothing reached Graph.\n\n%v", ge.Method, ge.Path, ge.Err)
		b.WriteString("\n\nCheck the provider's authentication settings: tenant_id, client_id and the credential of the method in use " +
			"(a client secret or certificate that is wrong or expired, a federated token that has expired or whose subject does not match the app's federated credential, " +
			"or for the Azure CLI, run az login). Retrying does not help until the configuration is fixed.")
	}
}

// permissionHint names the permissions the failed operation is documented to accept
// (graph-behaviour.md §11).
func permissionHint(method, path string, p *Permissions) string {
	if p == nil {
		p = TaskPermissions
	}
	op, also := "this operation", "newer revisions of its reference page also list"
	switch {
	case method == http.MethodPost && strings.HasSuffix(path, "/updateStatus"):
		op = "updateStatus"
	case method == http.MethodPost:
		op, also = "create", "the rendered create page also lists"
	case method == http.MethodGet:
		op = "read and list"
	case method == http.MethodPatch:
		op = "update"
	case method == http.MethodDelete:
		op = "delete"
	}
	s := fmt.Sprintf("The application needs the Microsoft Graph application permission %s, with admin consent: every operation on %s, "+
		"%s included, is documented to accept it.", p.Required, p.Objects, op)
	switch {
	case p.Also == "":
	case slices.Contains(p.NotFor, op):
		s += fmt.Sprintf(" %s is not documented for %s.", p.Also, op)
	default:
		s += fmt.Sprintf(" For %s, %s %s.", op, also, p.Also)
	}
	return s + " The tenant also needs an active Intune licence."
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// AmbiguousWrite reports whether a failed write may still have been carried out by Graph: the
// request was sent but the answer was lost (connection cut, deadline) or was a server error. The
// caller must look before writing again, or it may create a second object.
func AmbiguousWrite(err error) bool {
	var ge *Error
	if !errors.As(err, &ge) || ge.NotSent {
		return false
	}
	if ge.StatusCode == 0 {
		return ge.Err != nil && !NeverSent(ge.Err) && !errors.Is(ge.Err, ErrEmptyID)
	}
	// A success status that still carried an error: the write happened but its answer cannot be
	// used (no entity, no id), so what was written is unknown.
	return ge.StatusCode >= 500 || ge.StatusCode < 300 && ge.Err != nil
}

// ErrTokenTimeout marks a request that was not sent because the operation's deadline passed (or
// its context was cancelled) while an access token was being fetched: a timeout, not a credential
// that is wrong.
var ErrTokenTimeout = errors.New("the operation's timeout passed while getting an access token")

// ErrEmptyID is returned instead of calling Graph with an empty id, which the SDK would turn into
// a request on the whole collection (graph-behaviour.md §10.4).
var ErrEmptyID = errors.New("the id is empty")

// NeverSent reports transport errors that happened before a byte of the request left: the server
// cannot have acted on it, so even a POST is safe to send again.
func NeverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns) || errors.Is(err, syscall.ECONNREFUSED)
}
