package framework

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// GraphFractionDigits is Graph's DateTimeOffset precision: 100 ns.
const GraphFractionDigits = 7

// UnsetDateTime is how Graph writes a non-nullable date-time that nobody set (.NET's
// DateTimeOffset.MinValue), and the only way to clear one: dueDateTime cannot be null
// (graph-behaviour.md §2.2, §2.3).
const UnsetDateTime = "0001-01-01T00:00:00Z"

// IsUnsetTime reports whether t is Graph's unset date-time, in whatever spelling it came: Go's zero
// time is that same instant.
func IsUnsetTime(t time.Time) bool { return t.Equal(time.Time{}) }

// notUnsetDateTime refuses a configured date-time at Graph's unset instant: Graph reads it back as
// "no date", so the configuration could never match what Graph holds.
type notUnsetDateTime struct {
	// Meaning is what the unset instant stands for, in the error's detail ("an unset
	// lastSeenDateTime"); empty for a task's due date.
	Meaning string
}

func (notUnsetDateTime) Description(context.Context) string {
	return "must not be " + UnsetDateTime + ", which Graph uses for \"no date\""
}

func (v notUnsetDateTime) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v notUnsetDateTime) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	meaning := v.Meaning
	if meaning == "" {
		meaning = "a task without a due date"
	}
	if t, err := time.Parse(time.RFC3339Nano, req.ConfigValue.ValueString()); err == nil && IsUnsetTime(t) {
		resp.Diagnostics.AddAttributeError(req.Path, "Date-time means \"no date\" in Graph",
			fmt.Sprintf("%s = %q is %s, the value Graph holds for %s (the property cannot be null). "+
				"For %s, leave %s out of the configuration.", req.Path, req.ConfigValue.ValueString(), UnsetDateTime, meaning, meaning, req.Path))
	}
}

// graphPrecision rejects date-times with more fractional digits than Graph stores, which Graph
// would otherwise round and so change behind the user's back.
type graphPrecision struct{}

func (graphPrecision) Description(context.Context) string {
	return fmt.Sprintf("at most %d fractional-second digits", GraphFractionDigits)
}

func (v graphPrecision) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (graphPrecision) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := FractionDigits(req.ConfigValue.ValueString()); n > GraphFractionDigits {
		resp.Diagnostics.AddAttributeError(req.Path, "Date-time more precise than Graph stores",
			fmt.Sprintf("%s has %d fractional-second digits in %q; Microsoft Graph keeps %d (100 ns) and would change the value. "+
				"Write at most %d digits.", req.Path, n, req.ConfigValue.ValueString(), GraphFractionDigits, GraphFractionDigits))
	}
}

// MaxDateTime is Graph's last instant, .NET's DateTimeOffset.MaxValue; its first is UnsetDateTime.
const MaxDateTime = "9999-12-31T23:59:59.9999999Z"

var maxDateTime, _ = time.Parse(time.RFC3339Nano, MaxDateTime)

// graphDateTime refuses what Go's RFC 3339 parser, and so timetypes.RFC3339, reads but Graph's
// Edm.DateTimeOffset (.NET's DateTimeOffset, read by ODataLib) does not: Graph would answer the
// apply with a 400, or, for an instant past year 9999 in UTC, hold what the SDK cannot read back.
type graphDateTime struct{}

const (
	dateTimeOffsets = "Graph accepts Z or an offset from -14:00 to +14:00, with minutes from 00 to 59."
	dateTimeRange   = "Graph holds instants from " + UnsetDateTime + " to " + MaxDateTime +
		" in UTC, written with a year from 0001 to 9999."
)

func (graphDateTime) Description(context.Context) string {
	return "a UTC offset from -14:00 to +14:00, a period before the fractional seconds, and an instant from " +
		UnsetDateTime + " to " + MaxDateTime + " in UTC"
}

func (v graphDateTime) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (graphDateTime) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return // not RFC 3339: the type's own validation says so
	}
	// A parsed value is "yyyy-mm-ddThh:mm:ss", an optional fraction, then Z or "±hh:mm".
	if s[19] == ',' {
		resp.Diagnostics.AddAttributeError(req.Path, "Date-time with a comma before its fraction",
			fmt.Sprintf("%s = %q separates the fractional seconds with a comma. Graph accepts only a period: %q.",
				req.Path, s, s[:19]+"."+s[20:]))
		return
	}
	if off := s[len(s)-6:]; off[0] == '+' || off[0] == '-' {
		if h, m := atoi2(off[1:3]), atoi2(off[4:6]); h > 14 || m > 59 || h == 14 && m > 0 {
			resp.Diagnostics.AddAttributeError(req.Path, "Date-time offset outside Graph's range",
				fmt.Sprintf("%s = %q has the UTC offset %s. %s", req.Path, s, off, dateTimeOffsets))
			return
		}
	}
	// .NET reads the written year before it applies the offset, so year 0000 is refused even when
	// the instant falls in year 0001 in UTC.
	if strings.HasPrefix(s, "0000") {
		resp.Diagnostics.AddAttributeError(req.Path, "Date-time outside Graph's range",
			fmt.Sprintf("%s = %q is written in year 0000. %s", req.Path, s, dateTimeRange))
		return
	}
	if t.Before(time.Time{}) || t.After(maxDateTime) {
		resp.Diagnostics.AddAttributeError(req.Path, "Date-time outside Graph's range",
			fmt.Sprintf("%s = %q is %s in UTC. %s", req.Path, s, t.UTC().Format(time.RFC3339Nano), dateTimeRange))
	}
}

// atoi2 is the value of two ASCII digits.
func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// FractionDigits counts the digits after the seconds' decimal point of an RFC 3339 string.
func FractionDigits(s string) int {
	i := strings.IndexByte(s, '.')
	if i < 0 {
		return 0
	}
	n := 0
	for _, r := range s[i+1:] {
		if r < '0' || r > '9' {
			break
		}
		n++
	}
	return n
}

// sameInstant keeps the state's spelling of a date-time when the configuration names the same
// instant in another form (an offset instead of Z, trailing zeros): Graph answers in UTC, and an
// imported task's state holds Graph's form, so without this a plan would show a change that
// changes nothing.
type sameInstant struct{}

func (sameInstant) Description(context.Context) string {
	return "a date-time naming the same instant as the state's is not a change"
}

func (m sameInstant) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (sameInstant) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.PlanValue.IsNull() || req.PlanValue.IsUnknown() || req.StateValue.IsNull() || req.StateValue.IsUnknown() {
		return
	}
	if InstantEqual(req.PlanValue.ValueString(), req.StateValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}

// InstantEqual reports whether two RFC 3339 strings name the same instant, to the nanosecond.
func InstantEqual(a, b string) bool {
	ta, errA := time.Parse(time.RFC3339Nano, a)
	tb, errB := time.Parse(time.RFC3339Nano, b)
	return errA == nil && errB == nil && ta.Equal(tb)
}

// flattenDateTime turns a Graph time into state, keeping prior's spelling when it is the same
// instant so that neither apply nor refresh reports a change Graph did not make. Graph's unset
// value is null in state. A time that RFC 3339 cannot hold (a year outside 0000-9999 once in UTC)
// is reported, never a panic.
func flattenDateTime(name string, t *time.Time, prior timetypes.RFC3339, diags *diag.Diagnostics) timetypes.RFC3339 {
	if t == nil || IsUnsetTime(*t) {
		return timetypes.NewRFC3339Null()
	}
	if !prior.IsNull() && !prior.IsUnknown() {
		if p, err := time.Parse(time.RFC3339Nano, prior.ValueString()); err == nil && p.Equal(*t) {
			return prior
		}
	}
	v, d := timetypes.NewRFC3339Value(t.UTC().Format(time.RFC3339Nano))
	if d.HasError() {
		diags.AddError("Graph returned an unusable "+name,
			fmt.Sprintf("Graph answered %s = %s, which is not a date-time Terraform can store (RFC 3339 years run from 0000 to 9999 in UTC).", name, t.String()))
		return timetypes.NewRFC3339Null()
	}
	return v
}
