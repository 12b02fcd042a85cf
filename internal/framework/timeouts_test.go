package framework

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A timeout of zero or less that reaches an operation (state written before such values were
// refused at plan time) falls back to the operation's default instead of an expired deadline, so a
// refresh with such a state still reaches Graph and the fixed configuration replaces the value.
func TestWithTimeout_nonPositiveUsesDefault(t *testing.T) {
	for _, read := range []string{"0s", "0", "-1s", "-10m"} {
		t.Run(read, func(t *testing.T) {
			tv := timeouts.Value{Object: types.ObjectValueMust(
				map[string]attr.Type{"create": types.StringType, "read": types.StringType},
				map[string]attr.Value{"create": types.StringNull(), "read": types.StringValue(read)},
			)}
			var diags diag.Diagnostics
			start := time.Now()
			ctx, cancel, ok := WithTimeout(context.Background(), tv.Read, defaultReadTimeout, &diags)
			defer cancel()
			if !ok || diags.HasError() {
				t.Fatalf("WithTimeout: ok = %v, diagnostics %v", ok, diags)
			}
			if err := ctx.Err(); err != nil {
				t.Fatalf("the context is already done: %v", err)
			}
			deadline, set := ctx.Deadline()
			if !set {
				t.Fatal("no deadline")
			}
			if got := deadline.Sub(start); got < defaultReadTimeout-time.Second || got > defaultReadTimeout+time.Second {
				t.Errorf("deadline %s after the call, want the default %s", got, defaultReadTimeout)
			}
		})
	}
}

// A positive timeout is used as given.
func TestWithTimeout_positive(t *testing.T) {
	tv := timeouts.Value{Object: types.ObjectValueMust(
		map[string]attr.Type{"read": types.StringType},
		map[string]attr.Value{"read": types.StringValue("90s")},
	)}
	var diags diag.Diagnostics
	start := time.Now()
	ctx, cancel, ok := WithTimeout(context.Background(), tv.Read, defaultReadTimeout, &diags)
	defer cancel()
	if !ok || diags.HasError() {
		t.Fatalf("WithTimeout: ok = %v, diagnostics %v", ok, diags)
	}
	deadline, _ := ctx.Deadline()
	if got := deadline.Sub(start); got < 89*time.Second || got > 91*time.Second {
		t.Errorf("deadline %s after the call, want 90s", got)
	}
}
