package securityconfigurationtask

import (
	"fmt"
	"strings"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
)

// enum is one Graph enumeration: its documented members, defined once, and the SDK's parser. The
// validators, the docs and expand/flatten all read these lists; enums_test.go proves each list is
// exactly what the SDK's Parse… accepts and String() prints, so an SDK upgrade cannot drift silently.
type enum struct {
	// json is the Graph property name.
	json   string
	values []string
	parse  func(string) (any, error)
}

var (
	categoryEnum = enum{json: "category", parse: models.ParseDeviceAppManagementTaskCategory,
		values: []string{"unknown", "advancedThreatProtection"}}
	priorityEnum = enum{json: "priority", parse: models.ParseDeviceAppManagementTaskPriority,
		values: []string{"none", "high", "low"}}
	statusEnum = enum{json: "status", parse: models.ParseDeviceAppManagementTaskStatus,
		values: []string{"unknown", "pending", "active", "completed", "rejected"}}
	endpointSecurityPolicyEnum = enum{json: "endpointSecurityPolicy", parse: models.ParseEndpointSecurityConfigurationType,
		values: []string{"unknown", "antivirus", "diskEncryption", "firewall", "endpointDetectionAndResponse", "attackSurfaceReduction", "accountProtection"}}
	applicablePlatformEnum = enum{json: "applicablePlatform", parse: models.ParseEndpointSecurityConfigurationApplicablePlatform,
		values: []string{"unknown", "macOS", "windows10AndLater", "windows10AndWindowsServer"}}
	endpointSecurityPolicyProfileEnum = enum{json: "endpointSecurityPolicyProfile", parse: models.ParseEndpointSecurityConfigurationProfileType,
		values: []string{"unknown", "antivirus", "windowsSecurity", "bitLocker", "fileVault", "firewall", "firewallRules", "endpointDetectionAndResponse", "deviceControl", "appAndBrowserIsolation", "exploitProtection", "webProtection", "applicationControl", "attackSurfaceReductionRules", "accountProtection"}}
)

// unset is the member Graph holds when nobody set the property: the enums are non-nullable, and an
// unset one holds the member with value 0, the first (graph-behaviour.md §2.2).
func (e enum) unset() string { return e.values[0] }

// markdown lists the members for a MarkdownDescription: `a`, `b`, `c`.
func (e enum) markdown() string {
	quoted := make([]string, len(e.values))
	for i, v := range e.values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}

// parseValue returns the SDK's value for s. Validators have already limited s to e.values, so a
// failure here means the SDK and the list disagree, which enums_test.go guards against.
func parseValue[T any](e enum, s string) (*T, error) {
	v, err := e.parse(s)
	if err != nil {
		return nil, err
	}
	p, ok := v.(*T)
	if !ok || p == nil {
		return nil, fmt.Errorf("the Graph SDK does not know %s value %q", e.json, s)
	}
	return p, nil
}
