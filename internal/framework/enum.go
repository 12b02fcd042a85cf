package framework

import (
	"fmt"
	"strings"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
)

// Enum is one Graph enumeration: its members, read from the SDK once (NewEnum), and the SDK's
// parser. The validators, the docs and expand/flatten all read Values; the enum tests prove every
// member parses back to itself, so an SDK upgrade that adds a member adds it everywhere at once.
type Enum struct {
	// JSON is the Graph property name.
	JSON   string
	Values []string
	Parse  func(string) (any, error)
}

// NewEnum is the enum of property json whose SDK type is E: its members are what E's String()
// prints for 0, 1, 2, ... until it runs off the end of the SDK's table (where it panics:
// graph-behaviour.md §4), in the SDK's order, so member 0, Graph's unset value, comes first.
func NewEnum[E interface {
	~int
	fmt.Stringer
}](json string, parse func(string) (any, error)) *Enum {
	e := &Enum{JSON: json, Parse: parse}
	for i := 0; ; i++ {
		s, ok := member(E(i))
		if !ok {
			return e
		}
		e.Values = append(e.Values, s)
	}
}

func member(v fmt.Stringer) (s string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return v.String(), true
}

// Base task enums: the properties every task type has (deviceAppManagementTask).
var (
	CategoryEnum = NewEnum[models.DeviceAppManagementTaskCategory]("category", models.ParseDeviceAppManagementTaskCategory)
	PriorityEnum = NewEnum[models.DeviceAppManagementTaskPriority]("priority", models.ParseDeviceAppManagementTaskPriority)
	StatusEnum   = NewEnum[models.DeviceAppManagementTaskStatus]("status", models.ParseDeviceAppManagementTaskStatus)
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
