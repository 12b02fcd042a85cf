package graphsim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The slice of the Graph beta schema the emulator serves: the CSDL's type
// table (csdl.go), the overlay of rules the CSDL cannot express, the values
// of properties nobody set, and Edm.DateTimeOffset in and out.

const (
	baseTypeName = "microsoft.graph.deviceAppManagementTask"
	sctTypeName  = "microsoft.graph.securityConfigurationTask"
	avtTypeName  = "microsoft.graph.appVulnerabilityTask"
	uddtTypeName = "microsoft.graph.unmanagedDeviceDiscoveryTask"
	kvpTypeName  = "microsoft.graph.keyValuePair"
	udTypeName   = "microsoft.graph.unmanagedDevice"
)

var (
	// edm is the type table, parsed from the embedded CSDL at init.
	edm = mustLoadModel()
	// baseType is the collection's type. OData reads a payload without
	// @odata.type as this type, so a PATCH that omits it can only touch base
	// properties (graph-behaviour.md §1).
	baseType = edm.types[baseTypeName]
	// taskTypes are the types the collection holds: those deriving from the
	// base type (securityConfigurationTask, appVulnerabilityTask,
	// unmanagedDeviceDiscoveryTask). Each has a documented create page.
	taskTypes = derivedTypes(edm, baseTypeName)
	// updateStatusAction is the action bound to the base type
	// (graph-behaviour.md §13).
	updateStatusAction = edm.actions[baseTypeName+"/updateStatus"]
	// relatedNavNames maps the lower-case name of every contained collection
	// that some task type declares (managedDevices, mobileApps) to its CSDL
	// spelling: the segments the router knows after a task id (related.go).
	relatedNavNames = collectRelatedNavs(taskTypes)
)

func collectRelatedNavs(types map[string]*structuredType) map[string]string {
	out := map[string]string{}
	for _, t := range types {
		for _, n := range t.navs {
			if _, ok := t.relatedNav(n.name); ok {
				out[strings.ToLower(n.name)] = n.name
			}
		}
	}
	return out
}

// overlayRule is a rule the CSDL cannot express, with the evidence for it.
type overlayRule struct {
	declaredBy, prop   string
	serverAssigned     bool
	hasRange           bool
	rangeMin, rangeMax int64
}

// overlay is deliberately small: everything else comes from the CSDL.
var overlay = []overlayRule{
	// The key. The docs' create and update examples never send it; Graph
	// assigns it. A value sent is validated like any Edm.String, then ignored.
	{declaredBy: entityTypeName, prop: "id", serverAssigned: true},
	// Non-nullable and not marked read-only in the CSDL, listed among the
	// create page's request properties, but never sent by the docs' examples:
	// server-assigned (graph-behaviour.md §2.4). Validated, then ignored.
	{declaredBy: baseTypeName, prop: "createdDateTime", serverAssigned: true},
	// The docs' update page: "Valid values 0 to 65536"
	// (graph-behaviour.md §2.4). Intune checks it, not the OData layer, so the
	// 400 carries Intune's wrapped message.
	{declaredBy: sctTypeName, prop: "managedDeviceCount", hasRange: true, rangeMin: 0, rangeMax: 65536},
}

// mustLoadModel parses the embedded CSDL and applies the overlay. A CSDL the
// emulator cannot serve is a programming error, found by every test run.
func mustLoadModel() *edmModel {
	m, err := parseCSDL(csdlXML)
	if err != nil {
		panic("graphsim: " + err.Error())
	}
	for _, rule := range overlay {
		matched := false
		for _, t := range m.types {
			for i := range t.props {
				p := &t.props[i]
				if p.declaredBy != rule.declaredBy || p.name != rule.prop {
					continue
				}
				matched = true
				p.serverAssigned = rule.serverAssigned
				p.hasRange, p.rangeMin, p.rangeMax = rule.hasRange, rule.rangeMin, rule.rangeMax
			}
		}
		if !matched {
			panic(fmt.Sprintf("graphsim: overlay rule for %s.%s matches no CSDL property", rule.declaredBy, rule.prop))
		}
	}
	for _, name := range []string{baseTypeName, sctTypeName, avtTypeName, uddtTypeName, kvpTypeName, udTypeName} {
		if m.types[name] == nil {
			panic("graphsim: the CSDL lacks " + name)
		}
	}
	if a := m.actions[baseTypeName+"/updateStatus"]; a == nil {
		panic("graphsim: the CSDL lacks the updateStatus action")
	}
	// The relationships the emulator serves (related.go), each a contained
	// collection of entities.
	for _, r := range []struct{ owner, nav, item string }{
		{sctTypeName, "managedDevices", "microsoft.graph.vulnerableManagedDevice"},
		{avtTypeName, "managedDevices", "microsoft.graph.appVulnerabilityManagedDevice"},
		{avtTypeName, "mobileApps", "microsoft.graph.appVulnerabilityMobileApp"},
	} {
		n, ok := m.types[r.owner].relatedNav(r.nav)
		if !ok || n.target.name != r.item {
			panic(fmt.Sprintf("graphsim: the CSDL lacks %s.%s as a contained collection of %s", r.owner, r.nav, r.item))
		}
	}
	return m
}

func derivedTypes(m *edmModel, base string) map[string]*structuredType {
	out := map[string]*structuredType{}
	for name, t := range m.types {
		if name != base && t.isA(base) {
			out[name] = t
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// Unset values

// unsetValue is what Graph holds for a property nobody set: the .NET default
// of its type (graph-behaviour.md §2.2). A nullable value is null; a
// non-nullable date-time is DateTimeOffset.MinValue, an enum its first member
// (value 0), an Int32 0, and a collection is empty. An Edm.String is a .NET
// reference type, so even a non-nullable one (keyValuePair.name) is null when
// nobody set it.
func unsetValue(p propDef) any {
	switch {
	case p.kind == kComplexCollection:
		return []any{}
	case p.nullable || p.kind == kString:
		return nil
	case p.kind == kDateTime:
		return formatGraphTime(time.Time{})
	case p.kind == kEnum:
		return p.enum.members[0]
	case p.kind == kInt32:
		return int64(0)
	}
	return nil
}

// unsetObject returns a value of type t in which nothing was set.
func unsetObject(t *structuredType) map[string]any {
	m := make(map[string]any, len(t.props))
	for _, p := range t.props {
		m[p.name] = unsetValue(p)
	}
	return m
}

// newEntity returns the stored form of a task of type t that has just been
// created (or seeded): unset values plus what the server assigns.
func newEntity(t *structuredType, id string, created time.Time) map[string]any {
	m := unsetObject(t)
	m["@odata.type"] = "#" + t.name
	m["id"] = id
	m["createdDateTime"] = formatGraphTime(created)
	return m
}

// ---------------------------------------------------------------------------
// Date-times (graph-behaviour.md §3)

// isoDateTime is the shape Edm.DateTimeOffset accepts in JSON payloads: a full
// date, a time with seconds, optional fraction, and a mandatory offset or Z.
var isoDateTime = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

// maxGraphTime is DateTimeOffset.MaxValue; its MinValue is Go's zero time.
var maxGraphTime = time.Date(9999, 12, 31, 23, 59, 59, 999_999_900, time.UTC)

// parseGraphTime parses an Edm.DateTimeOffset literal. Fractions beyond 100 ns
// are rounded to 100 ns, as .NET's parser does. .NET reads the written date
// and time first (years 0001 to 9999), then applies the offset (at most 14
// hours), and refuses an instant outside MinValue..MaxValue in UTC.
func parseGraphTime(s string) (time.Time, bool) {
	m := isoDateTime.FindStringSubmatch(s)
	if m == nil || m[1] == "0000" {
		return time.Time{}, false
	}
	frac := ""
	if m[7] != "" {
		frac = m[7][1:]
	}
	base := s[:19] + m[8]
	t, err := time.Parse("2006-01-02T15:04:05Z07:00", base)
	if err != nil {
		return time.Time{}, false
	}
	if m[8] != "Z" {
		oh, _ := strconv.Atoi(m[8][1:3])
		om, _ := strconv.Atoi(m[8][4:6])
		if oh > 14 || om > 59 || (oh == 14 && om != 0) {
			return time.Time{}, false
		}
	}
	if frac != "" {
		// Work in 100 ns ticks: keep 7 digits, round on the 8th.
		digits := (frac + "0000000")[:7]
		ticks, _ := strconv.ParseInt(digits, 10, 64)
		if len(frac) > 7 && frac[7] >= '5' {
			ticks++
		}
		t = t.Add(time.Duration(ticks) * 100)
	}
	if t.Before(time.Time{}) || t.After(maxGraphTime) {
		return time.Time{}, false
	}
	return t, true
}

// graphDateTimeOut is ODataLib's output format: UTC, and up to seven
// fractional digits with trailing zeros (and a bare dot) dropped, so
// "2027-01-01T08:02:18Z", "2027-06-30T23:59:59.5Z" and
// "2026-11-30T02:53:59.0726811Z" all occur.
const graphDateTimeOut = "2006-01-02T15:04:05.9999999Z07:00"

// formatGraphTime writes an instant the way Graph writes every date-time.
// The zero time is DateTimeOffset.MinValue: "0001-01-01T00:00:00Z".
func formatGraphTime(t time.Time) string {
	return t.UTC().Truncate(100 * time.Nanosecond).Format(graphDateTimeOut)
}
