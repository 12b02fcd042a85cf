package framework

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Summaries of the plan-time errors a configured date-time can get.
const (
	summaryOffset    = "Date-time offset outside Graph's range"
	summaryComma     = "Date-time with a comma before its fraction"
	summaryRange     = "Date-time outside Graph's range"
	summaryPrecision = "Date-time more precise than Graph stores"
	summaryUnset     = `Date-time means "no date" in Graph`
)

// Every configurable date-time, top-level or inside a complex value, refuses at plan time what
// Go's RFC 3339 parser reads but Graph's Edm.DateTimeOffset does not, and lets through every
// spelling Graph accepts. Values the timetypes.RFC3339 type itself refuses are not listed: no
// validator of ours speaks for them.
func TestDateTimeValidators(t *testing.T) {
	s := (&Entity{Table: deviceTable}).ResourceSchema(context.Background())
	due := s.Attributes["due_date_time"].(schema.StringAttribute).StringValidators()
	seen := s.Attributes["devices"].(schema.ListNestedAttribute).NestedObject.Attributes["seen"].(schema.StringAttribute).StringValidators()
	cases := []struct {
		value string
		want  []string // summaries, in any order; none for a value Graph accepts
	}{
		{"2027-01-01T00:00:00Z", nil},
		{"2027-01-01T00:00:00+00:00", nil},
		{"2027-01-01T00:00:00-00:00", nil},
		{"2027-01-01T00:00:00+14:00", nil},
		{"2027-01-01T00:00:00-14:00", nil},
		{"2027-01-01T00:00:00+13:59", nil},
		{"2027-01-01T00:00:00+05:45", nil},
		{"2027-01-01T00:00:00-09:30", nil},
		{"2027-01-01T00:00:00.5Z", nil},
		{"2027-01-01T00:00:00.12Z", nil},
		{"2027-01-01T00:00:00.123Z", nil},
		{"2027-01-01T00:00:00.1234-08:00", nil},
		{"2027-01-01T00:00:00.12345Z", nil},
		{"2027-01-01T00:00:00.123456Z", nil},
		{"2027-01-01T00:00:00.1234567+14:00", nil},
		{"2024-02-29T23:59:59Z", nil},
		{"9999-12-31T23:59:59.9999999Z", nil},
		{"9999-12-31T23:59:59+00:00", nil},
		{"9999-12-31T23:59:59.9999999+14:00", nil},
		{"0001-01-01T00:00:00.0000001Z", nil},
		{"0001-01-01T00:00:00-14:00", nil},

		{"2027-01-01T00:00:00+14:30", []string{summaryOffset}},
		{"2027-01-01T00:00:00+14:01", []string{summaryOffset}},
		{"2027-01-01T00:00:00-14:01", []string{summaryOffset}},
		{"2027-01-01T00:00:00+15:00", []string{summaryOffset}},
		{"2027-01-01T00:00:00-15:00", []string{summaryOffset}},
		{"2027-01-01T00:00:00+23:59", []string{summaryOffset}},
		{"2027-01-01T00:00:00+24:00", []string{summaryOffset}},
		{"2027-01-01T00:00:00+05:60", []string{summaryOffset}},

		{"2027-01-01T00:00:00,5Z", []string{summaryComma}},
		{"2027-01-01T00:00:00,1234567+01:00", []string{summaryComma}},

		{"0000-01-01T00:00:00Z", []string{summaryRange}},
		{"0000-12-31T23:59:59.9999999Z", []string{summaryRange}},
		// In range once in UTC, but .NET reads the written year before applying the offset.
		{"0000-12-31T23:30:00-01:00", []string{summaryRange}},
		{"0001-01-01T00:30:00+01:00", []string{summaryRange}},
		{"0001-01-01T00:00:00+00:01", []string{summaryRange}},
		{"9999-12-31T23:59:59-01:00", []string{summaryRange}},
		{"9999-12-31T23:00:00-01:00", []string{summaryRange}},
		{"9999-12-31T10:00:00-14:00", []string{summaryRange}},
		// Graph would round the eighth digit up, past its last instant.
		{"9999-12-31T23:59:59.99999999Z", []string{summaryPrecision, summaryRange}},

		// Graph's unset instant keeps its own message, however it is spelled.
		{"0001-01-01T00:00:00Z", []string{summaryUnset}},
		{"0001-01-01T01:00:00+01:00", []string{summaryUnset}},
		{"2027-01-01T00:00:00.12345678Z", []string{summaryPrecision}},
	}
	attrs := []struct {
		path       path.Path
		validators []validator.String
	}{
		{path.Root("due_date_time"), due},
		{path.Root("devices").AtListIndex(2).AtName("seen"), seen},
	}
	for _, a := range attrs {
		for _, c := range cases {
			resp := &validator.StringResponse{}
			for _, v := range a.validators {
				v.ValidateString(context.Background(), validator.StringRequest{Path: a.path, ConfigValue: types.StringValue(c.value)}, resp)
			}
			var got []string
			for _, d := range resp.Diagnostics {
				got = append(got, d.Summary())
				if !strings.Contains(d.Detail(), a.path.String()+" ") {
					t.Errorf("%s = %s: the detail does not name the attribute: %s", a.path, c.value, d.Detail())
				}
			}
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s = %s: %q, want %q", a.path, c.value, got, want)
			}
		}
	}
}

// Each refusal says what Graph accepts instead.
func TestDateTimeValidatorDetails(t *testing.T) {
	cases := []struct{ value, want string }{
		{"2027-01-01T00:00:00+15:00", `due_date_time = "2027-01-01T00:00:00+15:00" has the UTC offset +15:00. Graph accepts Z or an offset ` +
			`from -14:00 to +14:00, with minutes from 00 to 59.`},
		{"2027-01-01T00:00:00+05:60", `has the UTC offset +05:60.`},
		{"2027-01-01T00:00:00,5Z", `due_date_time = "2027-01-01T00:00:00,5Z" separates the fractional seconds with a comma. ` +
			`Graph accepts only a period: "2027-01-01T00:00:00.5Z".`},
		{"9999-12-31T23:59:59-01:00", `due_date_time = "9999-12-31T23:59:59-01:00" is 10000-01-01T00:59:59Z in UTC. Graph holds instants ` +
			`from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z in UTC, written with a year from 0001 to 9999.`},
		{"0001-01-01T00:30:00+01:00", `is 0000-12-31T23:30:00Z in UTC. Graph holds instants from 0001-01-01T00:00:00Z`},
		{"0000-12-31T23:30:00-01:00", `due_date_time = "0000-12-31T23:30:00-01:00" is written in year 0000. Graph holds instants ` +
			`from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z in UTC, written with a year from 0001 to 9999.`},
	}
	for _, c := range cases {
		resp := &validator.StringResponse{}
		graphDateTime{}.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("due_date_time"),
			ConfigValue: types.StringValue(c.value)}, resp)
		if len(resp.Diagnostics) != 1 || !strings.Contains(resp.Diagnostics[0].Detail(), c.want) {
			t.Errorf("%s: %v, want a detail with %q", c.value, resp.Diagnostics, c.want)
		}
	}
}
