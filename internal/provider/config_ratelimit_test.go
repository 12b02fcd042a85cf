package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestUnitResolveSettings_writeRateLimit(t *testing.T) {
	cases := []struct {
		name    string
		cfg     types.Int64
		env     string
		want    int
		wantErr string
	}{
		{name: "default off", cfg: types.Int64Null(), want: 0},
		{name: "from INTUNE_WRITE_RATE_LIMIT", cfg: types.Int64Null(), env: "90", want: 90},
		{name: "config beats the variable", cfg: types.Int64Value(50), env: "90", want: 50},
		{name: "too large", cfg: types.Int64Value(5000), wantErr: "write_rate_limit must be between 0 and 1000, got 5000."},
		{name: "variable not a number", cfg: types.Int64Null(), env: "fast", wantErr: "The environment variable INTUNE_WRITE_RATE_LIMIT must be a whole number."},
		{name: "variable negative", cfg: types.Int64Null(), env: "-1", wantErr: "The environment variable INTUNE_WRITE_RATE_LIMIT must be between 0 and 1000, got -1."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := base()
			env["INTUNE_WRITE_RATE_LIMIT"] = c.env
			s, diags := resolveSettings(providerModel{WriteRateLimit: c.cfg}, func(k string) string { return env[k] })
			if c.wantErr != "" {
				if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), c.wantErr) {
					t.Fatalf("diags = %v, want an error containing %q", diags, c.wantErr)
				}
				return
			}
			if diags.HasError() {
				t.Fatalf("unexpected errors: %v", diags)
			}
			if s.writeRateLimit != c.want {
				t.Errorf("writeRateLimit = %d, want %d", s.writeRateLimit, c.want)
			}
		})
	}
}
