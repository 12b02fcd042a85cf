package framework

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestTaskFilterMatches(t *testing.T) {
	task := Values{
		"display_name": types.StringValue("Turn on AV"), "status": types.StringValue("pending"),
		"creator":           types.StringValue("SecOps@Contoso.com"),
		"created_date_time": timetypes.NewRFC3339ValueMust("2026-11-30T10:00:00.5Z"),
		"due_date_time":     timetypes.NewRFC3339Null(),
	}
	at := func(s string) timetypes.RFC3339 { return timetypes.NewRFC3339ValueMust(s) }
	null := TaskFilter{DisplayName: types.StringNull(), Status: types.StringNull(), Category: types.StringNull(), Priority: types.StringNull(),
		Creator: types.StringNull(), CreatedAfter: timetypes.NewRFC3339Null(), CreatedBefore: timetypes.NewRFC3339Null(),
		DueAfter: timetypes.NewRFC3339Null(), DueBefore: timetypes.NewRFC3339Null(), ODataFilter: types.StringNull()}
	with := func(edit func(*TaskFilter)) TaskFilter { f := null; edit(&f); return f }
	for name, c := range map[string]struct {
		f    TaskFilter
		want bool
	}{
		"no filter":                    {null, true},
		"creator, another case":        {with(func(f *TaskFilter) { f.Creator = types.StringValue("secops@contoso.com") }), true},
		"another creator":              {with(func(f *TaskFilter) { f.Creator = types.StringValue("defender@contoso.com") }), false},
		"created after, same instant":  {with(func(f *TaskFilter) { f.CreatedAfter = at("2026-11-30T11:00:00.5+01:00") }), true},
		"created after, later":         {with(func(f *TaskFilter) { f.CreatedAfter = at("2026-11-30T10:00:01Z") }), false},
		"created before, same instant": {with(func(f *TaskFilter) { f.CreatedBefore = at("2026-11-30T10:00:00.5Z") }), false},
		"created in a range": {with(func(f *TaskFilter) {
			f.CreatedAfter, f.CreatedBefore = at("2026-11-01T00:00:00Z"), at("2026-12-01T00:00:00Z")
		}), true},
		"due filter, no due date":          {with(func(f *TaskFilter) { f.DueBefore = at("2030-01-01T00:00:00Z") }), false},
		"odata_filter is Graph's to apply": {with(func(f *TaskFilter) { f.ODataFilter = types.StringValue("status eq 'active'") }), true},
	} {
		if got := c.f.Matches(task); got != c.want {
			t.Errorf("%s: Matches = %v, want %v", name, got, c.want)
		}
	}
}

func TestODataFilterValidator(t *testing.T) {
	for expr, want := range map[string]string{
		"status eq 'pending'":                             "",
		"displayName eq 'O''Neil (lab)' and (a eq 'b')":   "",
		"contains(displayName,'x''')":                     "",
		"displayName eq 'O'Neil'":                         "string literal opened at position 23 is not closed",
		"(status eq 'pending'":                            "1 parenthesis not closed",
		"status eq 'pending')":                            "parenthesis at position 20 closes nothing",
		"startswith(displayName,'a)') or x eq 'it''s ('":  "",
		"startswith(displayName,'a')) or (x eq 'it''s ('": "parenthesis at position 28 closes nothing",
	} {
		var resp validator.StringResponse
		odataFilterValidator{}.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("odata_filter"), ConfigValue: types.StringValue(expr)}, &resp)
		got := ""
		if resp.Diagnostics.HasError() {
			got = resp.Diagnostics[0].Detail()
		}
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("%q: %q, want %q", expr, got, want)
		}
	}
}
