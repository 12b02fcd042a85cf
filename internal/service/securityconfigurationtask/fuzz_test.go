package securityconfigurationtask

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	jsonser "github.com/microsoft/kiota-serialization-json-go"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// fuzzPrior builds a prior state from fuzz input: a date spelling, a description, and list
// settings ("" = null list, "-" = empty list, else one setting with that name).
func fuzzPrior(due, description, setting string) taskModel {
	m := taskModel{
		DueDateTime:      timetypes.NewRFC3339Null(),
		Description:      types.StringValue(description),
		IntendedSettings: types.ListNull(keyValuePairType),
	}
	if description == "\x00" {
		m.Description = types.StringNull()
	}
	if due != "" {
		m.DueDateTime = timetypes.NewRFC3339ValueMust(due)
	}
	switch setting {
	case "":
	case "-":
		m.IntendedSettings = types.ListValueMust(keyValuePairType, nil)
	default:
		m.IntendedSettings = types.ListValueMust(keyValuePairType, []attr.Value{types.ObjectValueMust(keyValuePairType.AttrTypes,
			map[string]attr.Value{"name": types.StringValue(setting), "value": types.StringNull()})})
	}
	return m
}

// FuzzFlatten maps arbitrary Graph JSON onto arbitrary prior state: any task the decoder accepts
// must flatten without panicking, a prior that names the same instant keeps its spelling, and
// Graph's unset date-time is never a date in state.
func FuzzFlatten(f *testing.F) {
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.securityConfigurationTask","id":"i","displayName":"n","status":"inReview","dueDateTime":"2017-01-01T00:00:00.1234567-08:00","intendedSettings":[{"name":null,"value":null},null],"extra":{"a":[1]}}`),
		"2017-01-01T08:00:00.1234567Z", "", "x")
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.securityConfigurationTask","intendedSettings":[],"managedDeviceCount":null,"category":"Unknown"}`),
		"", "\x00", "-")
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.securityConfigurationTask","id":"u","dueDateTime":"0001-01-01T00:00:00Z","description":""}`),
		"2027-01-01T00:00:00Z", "", "")
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","id":"x"}`), "", "d", "")
	f.Fuzz(func(t *testing.T, body []byte, priorDue, priorDescription, priorSetting string) {
		if _, err := time.Parse(time.RFC3339Nano, priorDue); priorDue != "" && err != nil {
			return
		}
		task, err := graph.ParseTask(body)
		if err != nil {
			return
		}
		prior := fuzzPrior(priorDue, priorDescription, priorSetting)
		got, diags := flattenTask(task, prior)
		if diags.HasError() {
			return
		}
		m, _ := task.Security()
		due := m.GetDueDateTime()
		switch {
		case due == nil || isUnsetTime(*due):
			if !got.DueDateTime.IsNull() {
				t.Fatalf("Graph's unset or missing due date became %q in state", got.DueDateTime.ValueString())
			}
		case priorDue != "" && instantEqual(priorDue, due.Format(time.RFC3339Nano)):
			if got.DueDateTime.ValueString() != priorDue {
				t.Fatalf("the same instant changed spelling: prior %q, state %q", priorDue, got.DueDateTime.ValueString())
			}
		}
	})
}

// FuzzExpand builds request bodies from arbitrary plans and priors: expandTask must never panic,
// its body must serialise, an unchanged plan must change nothing, a removed due date must be
// cleared with Graph's unset value and never with null, and the type always goes first.
func FuzzExpand(f *testing.F) {
	f.Add("2027-01-01T00:00:00Z", "2027-01-01T08:00:00+08:00", "desc", "", "a", "-")
	f.Add("", "2027-01-01T00:00:00.5Z", "\x00", "x", "", "b")
	f.Add("2027-06-30T23:59:59.5Z", "", "", "", "-", "")
	f.Fuzz(func(t *testing.T, planDue, priorDue, planDesc, priorDesc, planSetting, priorSetting string) {
		for _, d := range []string{planDue, priorDue} {
			if _, err := time.Parse(time.RFC3339Nano, d); d != "" && (err != nil || fractionDigits(d) > graphFractionDigits) {
				return
			}
		}
		plan := fuzzPrior(planDue, planDesc, planSetting)
		plan.DisplayName = types.StringValue("n")
		prior := fuzzPrior(priorDue, priorDesc, priorSetting)
		prior.DisplayName = types.StringValue("n")
		ctx := context.Background()
		for _, p := range []*taskModel{nil, &prior, &plan} {
			body, changed, diags := expandTask(ctx, plan, p)
			if diags.HasError() {
				t.Fatalf("expandTask: %v", diags)
			}
			js := serialise(t, body)
			if !strings.HasPrefix(js, `{"@odata.type":"#microsoft.graph.securityConfigurationTask"`) {
				t.Fatalf("@odata.type is not first: %s", js)
			}
			if p == &plan && changed {
				t.Fatalf("an unchanged plan changed something: %s", js)
			}
			if p == &prior && planDue == "" && priorDue != "" && !strings.Contains(js, `"dueDateTime":"`+unsetDateTime+`"`) {
				t.Fatalf("a removed due date was not cleared with the unset value: %s", js)
			}
			if strings.Contains(js, `"dueDateTime":null`) {
				t.Fatalf("dueDateTime sent as null: %s", js)
			}
		}
	})
}

func serialise(t *testing.T, p serialization.Parsable) string {
	t.Helper()
	w := jsonser.NewJsonSerializationWriter()
	if err := w.WriteObjectValue("", p); err != nil {
		t.Fatal(err)
	}
	b, err := w.GetSerializedContent()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// FuzzDates checks the date helpers on arbitrary strings: instantEqual is reflexive for every
// date RFC 3339 reads and symmetric, fractionDigits counts what follows the seconds' point, and
// flattenDateTime neither panics nor turns a date into another instant.
func FuzzDates(f *testing.F) {
	f.Add("2027-01-01T00:02:18.1994089-08:00", "2027-01-01T08:02:18.1994089Z")
	f.Add("0001-01-01T00:00:00Z", "0000-12-31T16:00:00-08:00")
	f.Add("9999-12-31T23:59:59.9999999-01:00", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		ta, errA := time.Parse(time.RFC3339Nano, a)
		if errA == nil && !instantEqual(a, a) {
			t.Fatalf("instantEqual(%q, itself) = false", a)
		}
		if instantEqual(a, b) != instantEqual(b, a) {
			t.Fatalf("instantEqual is not symmetric for %q, %q", a, b)
		}
		if n := fractionDigits(a); n > 0 && !strings.Contains(a, ".") {
			t.Fatalf("fractionDigits(%q) = %d without a point", a, n)
		}
		if errA != nil {
			return
		}
		var diags diag.Diagnostics
		got := flattenDateTime("dueDateTime", &ta, timetypes.NewRFC3339Null(), &diags)
		switch {
		case diags.HasError():
		case isUnsetTime(ta):
			if !got.IsNull() {
				t.Fatalf("the unset instant %q became %q", a, got.ValueString())
			}
		case !instantEqual(got.ValueString(), a):
			t.Fatalf("flattenDateTime(%q) = %q, another instant", a, got.ValueString())
		}
	})
}
