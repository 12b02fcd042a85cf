package securityconfigurationtask

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	jsonser "github.com/microsoft/kiota-serialization-json-go"

	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
)

var keyValuePairType = Entity.Table.Row("intended_settings").ElemType()

// fuzzPrior builds a prior state from fuzz input: a date spelling, a description, and list
// settings ("" = null list, "-" = empty list, else one setting with that name).
func fuzzPrior(due, description, setting string) framework.Values {
	m := framework.Values{
		"due_date_time":     timetypes.NewRFC3339Null(),
		"description":       types.StringValue(description),
		"intended_settings": types.ListNull(keyValuePairType),
	}
	if description == "\x00" {
		m["description"] = types.StringNull()
	}
	if due != "" {
		m["due_date_time"] = timetypes.NewRFC3339ValueMust(due)
	}
	switch setting {
	case "":
	case "-":
		m["intended_settings"] = types.ListValueMust(keyValuePairType, nil)
	default:
		m["intended_settings"] = types.ListValueMust(keyValuePairType, []attr.Value{types.ObjectValueMust(keyValuePairType.AttrTypes,
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
		item, err := Entity.Collection().Parse(body)
		if err != nil {
			return
		}
		prior := fuzzPrior(priorDue, priorDescription, priorSetting)
		got, diags := Entity.Table.Flatten(item, prior)
		if diags.HasError() {
			return
		}
		m, ok := item.Model.(task)
		if !ok {
			return
		}
		due := m.GetDueDateTime()
		gotDue := got["due_date_time"].(timetypes.RFC3339)
		switch {
		case due == nil || framework.IsUnsetTime(*due):
			if !gotDue.IsNull() {
				t.Fatalf("Graph's unset or missing due date became %q in state", gotDue.ValueString())
			}
		case priorDue != "" && framework.InstantEqual(priorDue, due.Format(time.RFC3339Nano)):
			if gotDue.ValueString() != priorDue {
				t.Fatalf("the same instant changed spelling: prior %q, state %q", priorDue, gotDue.ValueString())
			}
		}
	})
}

// FuzzExpand builds request bodies from arbitrary plans and priors: Expand must never panic,
// its body must serialise, an unchanged plan must change nothing, a removed due date must be
// cleared with Graph's unset value and never with null, and the type always goes first.
func FuzzExpand(f *testing.F) {
	f.Add("2027-01-01T00:00:00Z", "2027-01-01T08:00:00+08:00", "desc", "", "a", "-")
	f.Add("", "2027-01-01T00:00:00.5Z", "\x00", "x", "", "b")
	f.Add("2027-06-30T23:59:59.5Z", "", "", "", "-", "")
	f.Fuzz(func(t *testing.T, planDue, priorDue, planDesc, priorDesc, planSetting, priorSetting string) {
		for _, d := range []string{planDue, priorDue} {
			if _, err := time.Parse(time.RFC3339Nano, d); d != "" && (err != nil || framework.FractionDigits(d) > framework.GraphFractionDigits) {
				return
			}
		}
		plan := fuzzPrior(planDue, planDesc, planSetting)
		plan["display_name"] = types.StringValue("n")
		prior := fuzzPrior(priorDue, priorDesc, priorSetting)
		prior["display_name"] = types.StringValue("n")
		ctx := context.Background()
		for i, p := range []framework.Values{nil, prior, plan} {
			body := Entity.New()
			changed, diags := Entity.Table.Expand(ctx, body, plan, p)
			if diags.HasError() {
				t.Fatalf("Expand: %v", diags)
			}
			js := serialise(t, body)
			if !strings.HasPrefix(js, `{"@odata.type":"#microsoft.graph.securityConfigurationTask"`) {
				t.Fatalf("@odata.type is not first: %s", js)
			}
			if i == 2 && changed {
				t.Fatalf("an unchanged plan changed something: %s", js)
			}
			if i == 1 && planDue == "" && priorDue != "" && !strings.Contains(js, `"dueDateTime":"`+framework.UnsetDateTime+`"`) {
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
