package securityconfigurationtask_test

import (
	"testing"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/service/securityconfigurationtask"
)

// The shared suite over this type's table (acctest.Conformance). B's count is Graph's documented
// maximum; A's settings include one without a value.
func TestAccSecurityConfigurationTask_conformance(t *testing.T) {
	acctest.Conformance{
		Type:  taskType,
		Table: securityconfigurationtask.Entity.Table,
		Samples: map[string][2]any{
			"description":                      {"Turn on real-time protection", "Turn on disk encryption"},
			"creator":                          {"secops@contoso.com", "partner@fabrikam.com"},
			"creator_notes":                    {"Raised by Defender", "Re-raised"},
			"assigned_to":                      {"admin@contoso.com", "it@contoso.com"},
			"insights":                         {"12 devices lack real-time protection", "3 devices unencrypted"},
			"due_date_time":                    {"2027-01-01T08:02:18.1994089Z", "2027-06-30T12:00:00Z"},
			"category":                         {"advancedThreatProtection", "unknown"},
			"priority":                         {"high", "low"},
			"status":                           {"pending", "active"},
			"endpoint_security_policy":         {"antivirus", "diskEncryption"},
			"applicable_platform":              {"windows10AndLater", "macOS"},
			"endpoint_security_policy_profile": {"antivirus", "fileVault"},
			"managed_device_count":             {12, 65536},
			"intended_settings": {
				[]map[string]any{{"name": "RealTimeProtection", "value": "enabled"}, {"name": "CloudProtection"}},
				[]map[string]any{{"name": "FileVault", "value": "on"}},
			},
		},
		Invalid: []acctest.Invalid{
			{Name: "count too large", Attrs: `managed_device_count = 65537`, Summary: "Invalid Attribute Value",
				Detail: "Attribute managed_device_count value must be between 0 and 65536, got: 65537"},
			{Name: "count negative", Attrs: `managed_device_count = -1`, Summary: "Invalid Attribute Value",
				Detail: "Attribute managed_device_count value must be between 0 and 65536, got: -1"},
			{Name: "setting without name", Attrs: `intended_settings = [{ value = "x" }]`, Summary: "Incorrect attribute value type",
				Detail: `attribute "name" is required`},
		},
	}.Run(t)
}
