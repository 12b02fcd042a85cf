package securityconfigurationtask

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// taskModel holds every Graph property of a security configuration task; the resource and the data
// sources embed it. Attribute names are the Graph names in snake_case.
type taskModel struct {
	ID                            types.String      `tfsdk:"id"`
	DisplayName                   types.String      `tfsdk:"display_name"`
	Description                   types.String      `tfsdk:"description"`
	Creator                       types.String      `tfsdk:"creator"`
	CreatorNotes                  types.String      `tfsdk:"creator_notes"`
	AssignedTo                    types.String      `tfsdk:"assigned_to"`
	Insights                      types.String      `tfsdk:"insights"`
	CreatedDateTime               timetypes.RFC3339 `tfsdk:"created_date_time"`
	DueDateTime                   timetypes.RFC3339 `tfsdk:"due_date_time"`
	Category                      types.String      `tfsdk:"category"`
	Priority                      types.String      `tfsdk:"priority"`
	Status                        types.String      `tfsdk:"status"`
	EndpointSecurityPolicy        types.String      `tfsdk:"endpoint_security_policy"`
	ApplicablePlatform            types.String      `tfsdk:"applicable_platform"`
	EndpointSecurityPolicyProfile types.String      `tfsdk:"endpoint_security_policy_profile"`
	ManagedDeviceCount            types.Int32       `tfsdk:"managed_device_count"`
	IntendedSettings              types.List        `tfsdk:"intended_settings"`
}

// keyValuePairModel is one intended setting.
type keyValuePairModel struct {
	Name  types.String `tfsdk:"name"`
	Value types.String `tfsdk:"value"`
}

var keyValuePairType = types.ObjectType{AttrTypes: map[string]attr.Type{"name": types.StringType, "value": types.StringType}}

// expandTask builds the request body that moves Graph from prior to plan. With prior nil it is a
// create body holding every configured value; otherwise it is a PATCH holding only what changed.
// A value removed from the configuration is cleared the way Graph allows (graph-behaviour.md §2.5):
// an explicit null for a nullable string, the unset date-time for dueDateTime (which cannot be
// null), [] for the list; the Optional+Computed enums and count are not sent and keep Graph's value.
// The model is always freshly built: a GET result must never be sent back (§10.5). changed is
// false when nothing in Graph needs to change.
func expandTask(ctx context.Context, plan taskModel, prior *taskModel) (body models.SecurityConfigurationTaskable, changed bool, diags diag.Diagnostics) {
	t := models.NewSecurityConfigurationTask()
	// Explicit nulls go through additionalData: SetX(nil) only serialises a null with the backing
	// store enabled, which this provider does not use (graph-behaviour.md §10.5, §1).
	extra := t.GetAdditionalData()
	if extra == nil {
		extra = map[string]any{}
		t.SetAdditionalData(extra)
	}
	differs := func(p, s attr.Value) bool {
		return prior == nil || !p.Equal(s)
	}
	setString := func(jsonName string, p types.String, s types.String, set func(*string)) {
		if p.IsUnknown() || !differs(p, s) {
			return
		}
		if p.IsNull() {
			if prior != nil && !equivalentEmpty(p, s) {
				extra[jsonName] = nil
				changed = true
			}
			return
		}
		if prior != nil && equivalentEmpty(p, s) {
			return
		}
		set(p.ValueStringPointer())
		changed = true
	}
	var ps taskModel
	if prior != nil {
		ps = *prior
	}
	if !plan.DisplayName.IsUnknown() && differs(plan.DisplayName, ps.DisplayName) {
		t.SetDisplayName(plan.DisplayName.ValueStringPointer())
		changed = true
	}
	setString("description", plan.Description, ps.Description, t.SetDescription)
	setString("creator", plan.Creator, ps.Creator, t.SetCreator)
	setString("creatorNotes", plan.CreatorNotes, ps.CreatorNotes, t.SetCreatorNotes)
	setString("assignedTo", plan.AssignedTo, ps.AssignedTo, t.SetAssignedTo)
	setString("insights", plan.Insights, ps.Insights, t.SetInsights)

	// dueDateTime goes out as the configured text: the SDK's time writer drops fractional seconds
	// (graph-behaviour.md §3), and the text is already validated RFC 3339 with at most 7 digits.
	// It is non-nullable: removing it writes Graph's unset value back (§2.3).
	if !plan.DueDateTime.IsUnknown() && differs(plan.DueDateTime, ps.DueDateTime) {
		switch {
		case plan.DueDateTime.IsNull():
			if prior != nil {
				extra["dueDateTime"] = unsetDateTime
				changed = true
			}
		case prior != nil && instantEqual(plan.DueDateTime.ValueString(), ps.DueDateTime.ValueString()):
		default:
			extra["dueDateTime"] = plan.DueDateTime.ValueString()
			changed = true
		}
	}

	setEnum := func(e enum, p, s types.String, set func(string) error) {
		if p.IsUnknown() || p.IsNull() || !differs(p, s) {
			return
		}
		if err := set(p.ValueString()); err != nil {
			diags.AddError("Invalid "+e.json, err.Error())
			return
		}
		changed = true
	}
	setEnum(categoryEnum, plan.Category, ps.Category, func(s string) error {
		v, err := parseValue[models.DeviceAppManagementTaskCategory](categoryEnum, s)
		t.SetCategory(v)
		return err
	})
	setEnum(priorityEnum, plan.Priority, ps.Priority, func(s string) error {
		v, err := parseValue[models.DeviceAppManagementTaskPriority](priorityEnum, s)
		t.SetPriority(v)
		return err
	})
	setEnum(statusEnum, plan.Status, ps.Status, func(s string) error {
		v, err := parseValue[models.DeviceAppManagementTaskStatus](statusEnum, s)
		t.SetStatus(v)
		return err
	})
	setEnum(endpointSecurityPolicyEnum, plan.EndpointSecurityPolicy, ps.EndpointSecurityPolicy, func(s string) error {
		v, err := parseValue[models.EndpointSecurityConfigurationType](endpointSecurityPolicyEnum, s)
		t.SetEndpointSecurityPolicy(v)
		return err
	})
	setEnum(applicablePlatformEnum, plan.ApplicablePlatform, ps.ApplicablePlatform, func(s string) error {
		v, err := parseValue[models.EndpointSecurityConfigurationApplicablePlatform](applicablePlatformEnum, s)
		t.SetApplicablePlatform(v)
		return err
	})
	setEnum(endpointSecurityPolicyProfileEnum, plan.EndpointSecurityPolicyProfile, ps.EndpointSecurityPolicyProfile, func(s string) error {
		v, err := parseValue[models.EndpointSecurityConfigurationProfileType](endpointSecurityPolicyProfileEnum, s)
		t.SetEndpointSecurityPolicyProfile(v)
		return err
	})

	if !plan.ManagedDeviceCount.IsUnknown() && !plan.ManagedDeviceCount.IsNull() && differs(plan.ManagedDeviceCount, ps.ManagedDeviceCount) {
		t.SetManagedDeviceCount(plan.ManagedDeviceCount.ValueInt32Pointer())
		changed = true
	}

	if !plan.IntendedSettings.IsUnknown() {
		pl, d := settingsOf(ctx, plan.IntendedSettings)
		diags.Append(d...)
		var sl []keyValuePairModel
		if prior != nil {
			sl, d = settingsOf(ctx, ps.IntendedSettings)
			diags.Append(d...)
		}
		if prior == nil && len(pl) > 0 || prior != nil && !settingsEqual(pl, sl) {
			kv := make([]models.KeyValuePairable, 0, len(pl))
			for _, s := range pl {
				p := models.NewKeyValuePair()
				p.SetName(s.Name.ValueStringPointer())
				p.SetValue(s.Value.ValueStringPointer())
				kv = append(kv, p)
			}
			// An empty (non-nil) slice serialises as [], which is how a removed list is cleared.
			t.SetIntendedSettings(kv)
			changed = true
		}
	}
	return t, changed, diags
}

// equivalentEmpty treats null and "" as the same text: Graph may store either for "nothing".
func equivalentEmpty(a, b types.String) bool {
	return a.ValueString() == "" && b.ValueString() == "" && !a.IsUnknown() && !b.IsUnknown()
}

func settingsOf(ctx context.Context, l types.List) ([]keyValuePairModel, diag.Diagnostics) {
	if l.IsNull() || l.IsUnknown() {
		return nil, nil
	}
	var out []keyValuePairModel
	diags := l.ElementsAs(ctx, &out, false)
	return out, diags
}

func settingsEqual(a, b []keyValuePairModel) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Name.Equal(b[i].Name) || !a[i].Value.Equal(b[i].Value) {
			return false
		}
	}
	return true
}

// flattenTask maps a task Graph returned onto state. prior is the plan (after create or update) or
// the state (on refresh), used so that a value Graph merely spells differently is not a change:
// a date-time in UTC for the same instant, an empty list for an omitted one, "" for null.
func flattenTask(t *graph.Task, prior taskModel) (taskModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m, ok := t.Security()
	if !ok {
		diags.AddError("Not a security configuration task",
			fmt.Sprintf("Graph returned a task of type %q, not %q. This resource manages only security configuration tasks.",
				t.OdataType, graph.SecurityConfigurationTaskType))
		return prior, diags
	}
	out := taskModel{
		ID:                 types.StringPointerValue(m.GetId()),
		DisplayName:        flattenString(m.GetDisplayName(), prior.DisplayName),
		Description:        flattenString(m.GetDescription(), prior.Description),
		Creator:            flattenString(m.GetCreator(), prior.Creator),
		CreatorNotes:       flattenString(m.GetCreatorNotes(), prior.CreatorNotes),
		AssignedTo:         flattenString(m.GetAssignedTo(), prior.AssignedTo),
		Insights:           flattenString(m.GetInsights(), prior.Insights),
		CreatedDateTime:    flattenDateTime("createdDateTime", m.GetCreatedDateTime(), prior.CreatedDateTime, &diags),
		DueDateTime:        flattenDateTime("dueDateTime", m.GetDueDateTime(), prior.DueDateTime, &diags),
		ManagedDeviceCount: types.Int32PointerValue(m.GetManagedDeviceCount()),
	}
	out.Category = flattenEnum(t, categoryEnum, m.GetCategory(), prior.Category, &diags)
	out.Priority = flattenEnum(t, priorityEnum, m.GetPriority(), prior.Priority, &diags)
	out.Status = flattenEnum(t, statusEnum, m.GetStatus(), prior.Status, &diags)
	out.EndpointSecurityPolicy = flattenEnum(t, endpointSecurityPolicyEnum, m.GetEndpointSecurityPolicy(), prior.EndpointSecurityPolicy, &diags)
	out.ApplicablePlatform = flattenEnum(t, applicablePlatformEnum, m.GetApplicablePlatform(), prior.ApplicablePlatform, &diags)
	out.EndpointSecurityPolicyProfile = flattenEnum(t, endpointSecurityPolicyProfileEnum, m.GetEndpointSecurityPolicyProfile(), prior.EndpointSecurityPolicyProfile, &diags)

	settings := make([]attr.Value, 0, len(m.GetIntendedSettings()))
	for _, kv := range m.GetIntendedSettings() {
		if kv == nil {
			continue
		}
		obj, d := types.ObjectValue(keyValuePairType.AttrTypes, map[string]attr.Value{
			"name":  types.StringValue(derefString(kv.GetName())),
			"value": types.StringPointerValue(kv.GetValue()),
		})
		diags.Append(d...)
		settings = append(settings, obj)
	}
	switch {
	case len(settings) > 0:
		l, d := types.ListValue(keyValuePairType, settings)
		diags.Append(d...)
		out.IntendedSettings = l
	case !prior.IntendedSettings.IsNull() && !prior.IntendedSettings.IsUnknown() && len(prior.IntendedSettings.Elements()) == 0:
		// The configuration says [] explicitly: keep it, Graph's [] is the same thing.
		out.IntendedSettings = prior.IntendedSettings
	default:
		out.IntendedSettings = types.ListNull(keyValuePairType)
	}
	return out, diags
}

// flattenString keeps prior's "" or null when Graph answers the other one.
func flattenString(v *string, prior types.String) types.String {
	if (v == nil || *v == "") && !prior.IsUnknown() && !prior.IsNull() && prior.ValueString() == "" {
		return prior
	}
	if v != nil && *v == "" && prior.IsNull() {
		return prior
	}
	return types.StringPointerValue(v)
}

func derefString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// flattenEnum writes the enum's text. A value the SDK could not map (newer than the SDK,
// graph-behaviour.md §4) is kept as Graph sent it, with a warning, instead of becoming null and a bogus difference.
func flattenEnum[T fmt.Stringer](t *graph.Task, e enum, v *T, prior types.String, diags *diag.Diagnostics) types.String {
	if v != nil {
		return types.StringValue((*v).String())
	}
	if raw, ok := t.Unparsed[e.json]; ok {
		diags.AddWarning("Graph returned an unknown "+e.json+" value",
			fmt.Sprintf("Task %s has %s %q, which is not one of %s. The provider keeps the value as Graph sent it; "+
				"configuring %s replaces it. A newer provider version may know this value.",
				derefString(t.Model.GetId()), e.json, raw, strings.Join(e.values, ", "), e.json))
		return types.StringValue(raw)
	}
	if prior.IsUnknown() {
		return types.StringNull()
	}
	return prior
}

// modelAttr is one Graph attribute of a taskModel: a pointer to its framework value, and whether
// it is Optional+Computed (Graph fills it in when it is not configured).
type modelAttr struct {
	value            any
	optionalComputed bool
}

// attrs lists m's Graph attributes in a fixed order, so that code treating every attribute alike
// walks one list instead of naming each field (id and created_date_time are Graph's, not
// configurable, and left out).
func (m *taskModel) attrs() []modelAttr {
	return []modelAttr{
		{&m.DisplayName, false}, {&m.Description, false}, {&m.Creator, false}, {&m.CreatorNotes, false},
		{&m.AssignedTo, false}, {&m.Insights, false}, {&m.DueDateTime, false},
		{&m.Category, true}, {&m.Priority, true}, {&m.Status, true}, {&m.EndpointSecurityPolicy, true},
		{&m.ApplicablePlatform, true}, {&m.EndpointSecurityPolicyProfile, true}, {&m.ManagedDeviceCount, true},
		{&m.IntendedSettings, false},
	}
}

func attrValue(p any) attr.Value {
	switch v := p.(type) {
	case *types.String:
		return *v
	case *timetypes.RFC3339:
		return *v
	case *types.Int32:
		return *v
	case *types.List:
		return *v
	}
	panic(fmt.Sprintf("attrValue: unexpected %T", p))
}

func setAttrValue(p any, v attr.Value) {
	switch d := p.(type) {
	case *types.String:
		*d = v.(types.String)
	case *timetypes.RFC3339:
		*d = v.(timetypes.RFC3339)
	case *types.Int32:
		*d = v.(types.Int32)
	case *types.List:
		*d = v.(types.List)
	default:
		panic(fmt.Sprintf("setAttrValue: unexpected %T", p))
	}
}

// keepPlanned sets the planned value into out, after an apply, for every Optional+Computed
// attribute the configuration leaves out, and with all for every configured attribute too.
func keepPlanned(out *taskModel, plan, config taskModel, all bool) {
	o, p, c := out.attrs(), plan.attrs(), config.attrs()
	for i := range o {
		pv, cv := attrValue(p[i].value), attrValue(c[i].value)
		if pv.IsUnknown() {
			continue
		}
		if cv.IsNull() && o[i].optionalComputed || !cv.IsNull() && all {
			setAttrValue(o[i].value, pv)
		}
	}
}

// showsConfigured reports whether got (flattened onto plan) holds every value the configuration
// sets, as planned.
func showsConfigured(got, plan, config taskModel) bool {
	g, p, c := got.attrs(), plan.attrs(), config.attrs()
	for i := range g {
		if attrValue(c[i].value).IsNull() {
			continue
		}
		if pv := attrValue(p[i].value); !pv.IsUnknown() && !attrValue(g[i].value).Equal(pv) {
			return false
		}
	}
	return true
}
