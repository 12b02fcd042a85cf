package securityconfigurationtask

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
)

// These benchmarks time the per-resource CPU work of the provider, without Graph: building a request
// body from a plan and mapping Graph's answer back onto state. make bench runs them and puts the
// figures in bench/RESULTS.md.

// benchTaskJSON is a task as Graph serves it with every property set.
const benchTaskJSON = `{
  "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceAppManagement/deviceAppManagementTasks/$entity",
  "@odata.type": "#microsoft.graph.securityConfigurationTask",
  "id": "5d630f12-0f12-5d63-120f-635d120f635d",
  "displayName": "Turn on real-time protection",
  "description": "Defender found devices without real-time protection.",
  "createdDateTime": "2026-11-29T16:33:23.1234567Z",
  "dueDateTime": "2027-01-16T01:00:00Z",
  "category": "advancedThreatProtection",
  "priority": "high",
  "creator": "secops@contoso.com",
  "creatorNotes": "Raised by the weekly exposure review.",
  "assignedTo": "endpoint-team@contoso.com",
  "status": "pending",
  "applicablePlatform": "windows10AndLater",
  "endpointSecurityPolicy": "antivirus",
  "endpointSecurityPolicyProfile": "antivirus",
  "insights": "12 devices have real-time protection off.",
  "managedDeviceCount": 12,
  "vulnerableManagedDeviceCount": 12,
  "intendedSettings": [
    {"name": "RealTimeProtection", "value": "enabled"},
    {"name": "CloudProtection", "value": "enabled"},
    {"name": "SubmitSamplesConsent", "value": "sendSafeSamples"}
  ]
}`

// benchPlan is a plan configuring every argument, as Create receives it.
func benchPlan(b *testing.B) framework.Values {
	b.Helper()
	kvType := Entity.Table.Row("intended_settings").ElemType()
	kv := func(n, v string) attr.Value {
		o, d := types.ObjectValue(kvType.AttrTypes, map[string]attr.Value{"name": types.StringValue(n), "value": types.StringValue(v)})
		if d.HasError() {
			b.Fatal(d)
		}
		return o
	}
	settings, d := types.ListValue(kvType, []attr.Value{
		kv("RealTimeProtection", "enabled"), kv("CloudProtection", "enabled"), kv("SubmitSamplesConsent", "sendSafeSamples"),
	})
	if d.HasError() {
		b.Fatal(d)
	}
	return framework.Values{
		"id":                               types.StringUnknown(),
		"display_name":                     types.StringValue("Turn on real-time protection"),
		"description":                      types.StringValue("Defender found devices without real-time protection."),
		"creator":                          types.StringValue("secops@contoso.com"),
		"creator_notes":                    types.StringValue("Raised by the weekly exposure review."),
		"assigned_to":                      types.StringValue("endpoint-team@contoso.com"),
		"insights":                         types.StringValue("12 devices have real-time protection off."),
		"created_date_time":                timetypes.NewRFC3339Unknown(),
		"due_date_time":                    timetypes.NewRFC3339ValueMust("2027-01-15T17:00:00-08:00"),
		"category":                         types.StringValue("advancedThreatProtection"),
		"priority":                         types.StringValue("high"),
		"status":                           types.StringValue("pending"),
		"endpoint_security_policy":         types.StringValue("antivirus"),
		"applicable_platform":              types.StringValue("windows10AndLater"),
		"endpoint_security_policy_profile": types.StringValue("antivirus"),
		"managed_device_count":             types.Int32Value(12),
		"intended_settings":                settings,
	}
}

func BenchmarkExpandTask_create(b *testing.B) {
	ctx := context.Background()
	plan := benchPlan(b)
	b.ReportAllocs()
	for b.Loop() {
		if changed, diags := Entity.Table.Expand(ctx, Entity.New(), plan, nil); diags.HasError() || !changed {
			b.Fatal(diags)
		}
	}
}

// An update of one attribute: every other attribute is compared with the prior state.
func BenchmarkExpandTask_update(b *testing.B) {
	ctx := context.Background()
	prior := benchPlan(b)
	plan := benchPlan(b)
	plan["description"] = types.StringValue("Changed by the benchmark.")
	b.ReportAllocs()
	for b.Loop() {
		if changed, diags := Entity.Table.Expand(ctx, Entity.New(), plan, prior); diags.HasError() || !changed {
			b.Fatal(diags)
		}
	}
}

func BenchmarkFlattenTask(b *testing.B) {
	task, err := Entity.Collection().Parse([]byte(benchTaskJSON))
	if err != nil {
		b.Fatal(err)
	}
	prior := benchPlan(b)
	// Make sure the benchmark maps a full task, not an early error.
	got, diags := Entity.Table.Flatten(task, prior)
	if diags.HasError() || len(got["intended_settings"].(types.List).Elements()) != 3 || got["managed_device_count"].(types.Int32).ValueInt32() != 12 {
		b.Fatalf("Flatten did not map the full task: %v %+v", diags, got)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := Entity.Table.Flatten(task, prior); diags.HasError() {
			b.Fatal(diags)
		}
	}
}

// What a refresh does per resource after the bytes arrive: decode Graph's JSON, then flatten it.
func BenchmarkParseAndFlattenTask(b *testing.B) {
	body := []byte(benchTaskJSON)
	prior := benchPlan(b)
	b.ReportAllocs()
	for b.Loop() {
		task, err := Entity.Collection().Parse(body)
		if err != nil {
			b.Fatal(err)
		}
		if _, diags := Entity.Table.Flatten(task, prior); diags.HasError() {
			b.Fatal(diags)
		}
	}
}
