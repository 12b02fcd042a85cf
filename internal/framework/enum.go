package framework

import (
	"fmt"
	"strings"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
)

// Enum is one Graph enumeration: its documented members, defined once, and the SDK's parser. The
// validators, the docs and expand/flatten all read these lists; each package's enum test proves a list is
// exactly what the SDK's Parse… accepts and String() prints, so an SDK upgrade cannot drift silently.
type Enum struct {
	// JSON is the Graph property name.
	JSON   string
	Values []string
	Parse  func(string) (any, error)
}

// Base task enums: the properties every task type has (deviceAppManagementTask).
var (
	CategoryEnum = &Enum{JSON: "category", Parse: models.ParseDeviceAppManagementTaskCategory,
		Values: []string{"unknown", "advancedThreatProtection"}}
	PriorityEnum = &Enum{JSON: "priority", Parse: models.ParseDeviceAppManagementTaskPriority,
		Values: []string{"none", "high", "low"}}
	StatusEnum = &Enum{JSON: "status", Parse: models.ParseDeviceAppManagementTaskStatus,
		Values: []string{"unknown", "pending", "active", "completed", "rejected"}}
)

// Unset is the member Graph holds when nobody set the property: the enums are non-nullable, and an
// unset one holds the member with value 0, the first (graph-behaviour.md §2.2).
func (e *Enum) Unset() string { return e.Values[0] }

// Markdown lists the members for a MarkdownDescription: `a`, `b`, `c`.
func (e *Enum) Markdown() string {
	quoted := make([]string, len(e.Values))
	for i, v := range e.Values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}

// parseValue returns the SDK's value for s. Validators have already limited s to e.Values, so a
// failure here means the SDK and the list disagree, which the enum tests guard against.
func parseValue[T any](e *Enum, s string) (*T, error) {
	v, err := e.Parse(s)
	if err != nil {
		return nil, err
	}
	p, ok := v.(*T)
	if !ok || p == nil {
		return nil, fmt.Errorf("the Graph SDK does not know %s value %q", e.JSON, s)
	}
	return p, nil
}
