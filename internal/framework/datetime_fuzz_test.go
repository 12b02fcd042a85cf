package framework

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// FuzzDates checks the date helpers on arbitrary strings: instantEqual is reflexive for every
// date RFC 3339 reads and symmetric, FractionDigits counts what follows the seconds' point, and
// flattenDateTime neither panics nor turns a date into another instant.
func FuzzDates(f *testing.F) {
	f.Add("2027-01-01T00:02:18.1994089-08:00", "2027-01-01T08:02:18.1994089Z")
	f.Add("0001-01-01T00:00:00Z", "0000-12-31T16:00:00-08:00")
	f.Add("9999-12-31T23:59:59.9999999-01:00", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		ta, errA := time.Parse(time.RFC3339Nano, a)
		if errA == nil && !InstantEqual(a, a) {
			t.Fatalf("InstantEqual(%q, itself) = false", a)
		}
		if InstantEqual(a, b) != InstantEqual(b, a) {
			t.Fatalf("instantEqual is not symmetric for %q, %q", a, b)
		}
		if n := FractionDigits(a); n > 0 && !strings.Contains(a, ".") {
			t.Fatalf("FractionDigits(%q) = %d without a point", a, n)
		}
		if errA != nil {
			return
		}
		var diags diag.Diagnostics
		got := flattenDateTime("dueDateTime", &ta, timetypes.NewRFC3339Null(), &diags)
		switch {
		case diags.HasError():
		case IsUnsetTime(ta):
			if !got.IsNull() {
				t.Fatalf("the unset instant %q became %q", a, got.ValueString())
			}
		case !InstantEqual(got.ValueString(), a):
			t.Fatalf("flattenDateTime(%q) = %q, another instant", a, got.ValueString())
		}
	})
}
