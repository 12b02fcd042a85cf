package acctest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
)

// SDKMembers walks an SDK enum from 0 upwards until String() runs off the end of its table (it
// panics there: graph-behaviour.md §4), returning every member the SDK can print.
func SDKMembers[T interface{ String() string }](conv func(int) T) (out []string) {
	for i := 0; ; i++ {
		s, ok := func() (s string, ok bool) {
			defer func() {
				if recover() != nil {
					ok = false
				}
			}()
			return conv(i).String(), true
		}()
		if !ok {
			return out
		}
		out = append(out, s)
	}
}

// CheckEnum fails t unless e's members are exactly sdk (the SDK's String() members, in order), each
// parses with e.Parse to a value printing the same, and the parser refuses values outside the list
// (Graph and the SDK are case-sensitive; so are the validators).
func CheckEnum(t *testing.T, e *framework.Enum, sdk []string) {
	t.Helper()
	t.Run(e.JSON, func(t *testing.T) {
		if !slices.Equal(e.Values, sdk) {
			t.Fatalf("allowed values %v differ from the SDK's String() members %v", e.Values, sdk)
		}
		for _, v := range e.Values {
			got, err := e.Parse(v)
			if err != nil || got == nil {
				t.Errorf("SDK Parse(%q) = %v, %v; want a value", v, got, err)
				continue
			}
			if s := fmt.Sprint(got.(fmt.Stringer).String()); s != v {
				t.Errorf("SDK Parse(%q).String() = %q", v, s)
			}
		}
		for _, bad := range []string{"Bogus", "", upperFirst(e.Values[1])} {
			if got, _ := e.Parse(bad); got != nil {
				t.Errorf("SDK Parse(%q) accepted a value outside the list", bad)
			}
		}
	})
}

func upperFirst(s string) string {
	return string(s[0]-'a'+'A') + s[1:]
}
