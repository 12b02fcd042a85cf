package graphsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The slice of the Graph beta schema the emulator knows about. Property order
// is the order Graph serialises them in.

type propKind int

const (
	kString propKind = iota
	kDate
	kEnum
	kInt32
	kKeyValueList
)

type propDef struct {
	name     string
	kind     propKind
	enumType string   // OData enum type name, for messages
	enum     []string // exact, case-sensitive; first member is the default
	min, max int64    // kInt32 range enforced by Intune (not OData)
	readOnly bool     // server-assigned; ignored in request bodies
}

type entityType struct {
	name  string // without '#', e.g. microsoft.graph.securityConfigurationTask
	props []propDef
	// creatable: POST of this type is implemented by the emulator.
	creatable bool
}

func (t *entityType) prop(name string) (propDef, bool) {
	for _, p := range t.props {
		if p.name == name {
			return p, true
		}
	}
	return propDef{}, false
}

const (
	baseTypeName  = "microsoft.graph.deviceAppManagementTask"
	sctTypeName   = "microsoft.graph.securityConfigurationTask"
	avtTypeName   = "microsoft.graph.appVulnerabilityTask"
	uddtTypeName  = "microsoft.graph.unmanagedDeviceDiscoveryTask"
	kvpTypeName   = "microsoft.graph.keyValuePair"
	graphDateTime = "2006-01-02T15:04:05.0000000Z07:00"
)

var (
	categoryEnum = []string{"unknown", "advancedThreatProtection"}
	priorityEnum = []string{"none", "high", "low"}
	statusEnum   = []string{"unknown", "pending", "active", "completed", "rejected"}
	policyEnum   = []string{"unknown", "antivirus", "diskEncryption", "firewall", "endpointDetectionAndResponse", "attackSurfaceReduction", "accountProtection"}
	platformEnum = []string{"unknown", "macOS", "windows10AndLater", "windows10AndWindowsServer"}
	profileEnum  = []string{"unknown", "antivirus", "windowsSecurity", "bitLocker", "fileVault", "firewall", "firewallRules", "endpointDetectionAndResponse", "deviceControl", "appAndBrowserIsolation", "exploitProtection", "webProtection", "applicationControl", "attackSurfaceReductionRules", "accountProtection"}
	mitigateEnum = []string{"unknown", "update", "uninstall", "securityUpdate"}
)

// baseProps are the properties of the abstract microsoft.graph.deviceAppManagementTask.
var baseProps = []propDef{
	{name: "id", kind: kString, readOnly: true},
	{name: "displayName", kind: kString},
	{name: "description", kind: kString},
	{name: "createdDateTime", kind: kDate, readOnly: true},
	{name: "dueDateTime", kind: kDate},
	{name: "category", kind: kEnum, enumType: "microsoft.graph.deviceAppManagementTaskCategory", enum: categoryEnum},
	{name: "priority", kind: kEnum, enumType: "microsoft.graph.deviceAppManagementTaskPriority", enum: priorityEnum},
	{name: "creator", kind: kString},
	{name: "creatorNotes", kind: kString},
	{name: "assignedTo", kind: kString},
	{name: "status", kind: kEnum, enumType: "microsoft.graph.deviceAppManagementTaskStatus", enum: statusEnum},
}

func withBase(extra ...propDef) []propDef {
	return append(append([]propDef(nil), baseProps...), extra...)
}

var entityTypes = map[string]*entityType{
	sctTypeName: {name: sctTypeName, creatable: true, props: withBase(
		propDef{name: "endpointSecurityPolicy", kind: kEnum, enumType: "microsoft.graph.endpointSecurityConfigurationType", enum: policyEnum},
		propDef{name: "applicablePlatform", kind: kEnum, enumType: "microsoft.graph.endpointSecurityConfigurationApplicablePlatform", enum: platformEnum},
		propDef{name: "endpointSecurityPolicyProfile", kind: kEnum, enumType: "microsoft.graph.endpointSecurityConfigurationProfileType", enum: profileEnum},
		propDef{name: "insights", kind: kString},
		propDef{name: "managedDeviceCount", kind: kInt32, min: 0, max: 65536},
		propDef{name: "intendedSettings", kind: kKeyValueList},
	)},
	avtTypeName: {name: avtTypeName, props: withBase(
		propDef{name: "appName", kind: kString},
		propDef{name: "appPublisher", kind: kString},
		propDef{name: "appVersion", kind: kString},
		propDef{name: "insights", kind: kString},
		propDef{name: "remediation", kind: kString},
		propDef{name: "managedDeviceCount", kind: kInt32, min: 0, max: 65536},
		propDef{name: "mobileAppCount", kind: kInt32, min: 0, max: 65536},
		propDef{name: "mitigationType", kind: kEnum, enumType: "microsoft.graph.appVulnerabilityTaskMitigationType", enum: mitigateEnum},
	)},
	uddtTypeName: {name: uddtTypeName, props: withBase(
		propDef{name: "unmanagedDeviceCount", kind: kInt32, min: 0, max: 65536},
	)},
}

// defaults returns the stored form of an entity nobody has set anything on.
func (t *entityType) defaults(id string, created time.Time) map[string]any {
	m := map[string]any{"@odata.type": "#" + t.name}
	for _, p := range t.props {
		switch p.kind {
		case kString, kDate:
			m[p.name] = nil
		case kEnum:
			m[p.name] = p.enum[0]
		case kInt32:
			m[p.name] = int64(0)
		case kKeyValueList:
			m[p.name] = []any{}
		}
	}
	m["id"] = id
	m["createdDateTime"] = formatGraphTime(created)
	return m
}

// ---------------------------------------------------------------------------
// Date-times

// isoDateTime is the shape Edm.DateTimeOffset accepts in JSON payloads: a full
// date, a time with seconds, optional fraction, and a mandatory offset or Z.
var isoDateTime = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

// parseGraphTime parses an Edm.DateTimeOffset literal. Fractions beyond 100 ns
// are rounded to 100 ns, as .NET's parser does.
func parseGraphTime(s string) (time.Time, bool) {
	m := isoDateTime.FindStringSubmatch(s)
	if m == nil {
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
	return t, true
}

// formatGraphTime writes UTC with exactly seven fractional digits, as Graph
// does for every date-time it returns.
func formatGraphTime(t time.Time) string {
	return t.UTC().Truncate(100 * time.Nanosecond).Format(graphDateTime)
}

// ---------------------------------------------------------------------------
// Request bodies

// member is one property of a JSON object, in document order.
type member struct {
	key string
	raw json.RawMessage
}

// odataErr is a validation failure: status, Graph error code and message.
// intune marks messages Intune produces, which are wrapped in Intune's
// escaped-JSON diagnostic format.
type odataErr struct {
	status int
	code   string
	msg    string
	intune bool
}

func badRequest(format string, a ...any) *odataErr {
	return &odataErr{status: 400, code: "BadRequest", msg: fmt.Sprintf(format, a...)}
}

func intuneBadRequest(format string, a ...any) *odataErr {
	return &odataErr{status: 400, code: "BadRequest", msg: fmt.Sprintf(format, a...), intune: true}
}

// parseObject reads one JSON object preserving member order and rejecting
// duplicate names, as ODataLib does.
func parseObject(data []byte, top bool) ([]member, *odataErr) {
	trimmed := bytes.TrimSpace(data)
	if top && len(trimmed) == 0 {
		return nil, badRequest("Empty Payload. JSON content expected.")
	}
	if k := jsonKind(trimmed); k != '{' {
		return nil, badRequest("An unexpected '%s' node was found when reading from the JSON reader. A 'StartObject' node was expected.", nodeName(k))
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return nil, invalidJSON(err)
	}
	var out []member
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, invalidJSON(err)
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, invalidJSON(err)
		}
		if seen[key] {
			return nil, badRequest("Multiple properties with the name '%s' were detected in a resource or a complex value. In OData, duplicate property names are not allowed.", key)
		}
		seen[key] = true
		out = append(out, member{key, raw})
	}
	if _, err := dec.Token(); err != nil {
		return nil, invalidJSON(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("Invalid JSON. More than one value was found at the root of the JSON content. JSON content can only have one value at the root level, which is an array, an object or a primitive value.")
	}
	return out, nil
}

func invalidJSON(err error) *odataErr {
	if strings.Contains(err.Error(), "EOF") {
		return badRequest("Invalid JSON. An unexpected end of input was found in JSON content. Not all object and array scopes were closed.")
	}
	return badRequest("Invalid JSON. A token was not recognized in the JSON content.")
}

// jsonKind classifies a raw JSON value by its first byte.
func jsonKind(raw []byte) byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return 0
	}
	switch c := raw[0]; c {
	case '{', '[', '"', 'n', 't', 'f':
		return c
	default:
		return '0' // number (or garbage, which the decoder already rejected)
	}
}

func nodeName(k byte) string {
	switch k {
	case '{':
		return "StartObject"
	case '[':
		return "StartArray"
	default:
		return "PrimitiveValue"
	}
}

// decodeValue validates one property value against its definition and returns
// the stored (canonical JSON) form. Explicit null clears strings and dates,
// resets Int32 to 0 and intendedSettings to []; enums are non-nullable.
func decodeValue(p propDef, raw json.RawMessage) (any, *odataErr) {
	k := jsonKind(raw)
	if k == 'n' {
		switch p.kind {
		case kEnum:
			return nil, badRequest("A null value was found for the property named '%s', which has the expected type '%s[Nullable=False]'. The expected type '%s[Nullable=False]' does not allow null values.", p.name, p.enumType, p.enumType)
		case kInt32:
			return int64(0), nil // cleared back to its never-set value
		case kKeyValueList:
			return []any{}, nil
		default:
			return nil, nil
		}
	}
	switch p.kind {
	case kString, kDate, kEnum, kInt32:
		if k == '{' || k == '[' {
			return nil, badRequest("An unexpected '%s' node was found for property named '%s' when reading from the JSON reader. A 'PrimitiveValue' node was expected.", nodeName(k), p.name)
		}
	case kKeyValueList:
		if k != '[' {
			return nil, badRequest("An unexpected '%s' node was found for property named '%s' when reading from the JSON reader. A 'StartArray' node was expected.", nodeName(k), p.name)
		}
	}
	switch p.kind {
	case kString:
		if k != '"' {
			return nil, badRequest("Cannot convert a primitive value to the expected type 'Edm.String'. See the inner exception for more details.")
		}
		var s string
		_ = json.Unmarshal(raw, &s)
		return s, nil
	case kDate:
		if k != '"' {
			return nil, badRequest("Cannot convert a primitive value to the expected type 'Edm.DateTimeOffset'. See the inner exception for more details.")
		}
		var s string
		_ = json.Unmarshal(raw, &s)
		t, ok := parseGraphTime(s)
		if !ok {
			return nil, badRequest("Cannot convert the literal '%s' to the expected type 'Edm.DateTimeOffset'.", s)
		}
		return formatGraphTime(t), nil
	case kEnum:
		if k != '"' {
			return nil, badRequest("Cannot convert a primitive value to the expected type '%s'. See the inner exception for more details.", p.enumType)
		}
		var s string
		_ = json.Unmarshal(raw, &s)
		if s == "" {
			return nil, badRequest("Must specify valid information for parsing in the string.")
		}
		for _, e := range p.enum {
			if e == s {
				return s, nil
			}
		}
		return nil, badRequest("Requested value '%s' was not found.", s)
	case kInt32:
		txt := string(bytes.TrimSpace(raw))
		n, err := strconv.ParseInt(txt, 10, 32)
		if k != '0' || err != nil {
			return nil, badRequest("Cannot convert a primitive value to the expected type 'Edm.Int32'. See the inner exception for more details.")
		}
		if n < p.min || n > p.max {
			// Range checks live in Intune, not in the OData layer.
			return nil, intuneBadRequest("Invalid value %d for property '%s'. Valid values %d to %d.", n, p.name, p.min, p.max)
		}
		return n, nil
	case kKeyValueList:
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, invalidJSON(err)
		}
		out := make([]any, 0, len(items))
		for _, it := range items {
			kv, err := decodeKeyValuePair(p.name, it)
			if err != nil {
				return nil, err
			}
			out = append(out, kv)
		}
		return out, nil
	}
	return nil, badRequest("unsupported property kind")
}

func decodeKeyValuePair(prop string, raw json.RawMessage) (map[string]any, *odataErr) {
	k := jsonKind(raw)
	if k == 'n' {
		return nil, badRequest("A null value was found for the property named '%s', which has the expected type 'Collection(%s)[Nullable=False]'. The expected type 'Collection(%s)[Nullable=False]' does not allow null values.", prop, kvpTypeName, kvpTypeName)
	}
	if k != '{' {
		return nil, badRequest("An unexpected '%s' node was found when reading from the JSON reader. A 'StartObject' node was expected.", nodeName(k))
	}
	members, err := parseObject(raw, false)
	if err != nil {
		return nil, err
	}
	kv := map[string]any{"name": nil, "value": nil}
	for _, m := range members {
		switch m.key {
		case "@odata.type":
			var t string
			if jsonKind(m.raw) != '"' || json.Unmarshal(m.raw, &t) != nil {
				return nil, badRequest("Invalid type name. The type name must be a string.")
			}
			if strings.TrimPrefix(t, "#") != kvpTypeName {
				return nil, unresolvedOrIncompatible(t, kvpTypeName)
			}
		case "name", "value":
			v, err := decodeValue(propDef{name: m.key, kind: kString}, m.raw)
			if err != nil {
				return nil, err
			}
			kv[m.key] = v
		default:
			if strings.Contains(m.key, "@") {
				continue // instance/property annotations are ignored
			}
			return nil, badRequest("The property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type or mark the type as open type.", m.key, kvpTypeName)
		}
	}
	return kv, nil
}

func unresolvedOrIncompatible(t, expected string) *odataErr {
	name := strings.TrimPrefix(t, "#")
	if _, known := entityTypes[name]; known || name == baseTypeName || name == kvpTypeName {
		return badRequest("The type '%s' is not compatible with the expected type '%s'.", name, expected)
	}
	return badRequest("A type named '%s' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.", name)
}

// baseType is the abstract type of the collection. OData reads a payload
// without @odata.type as this type, so a PATCH that omits @odata.type can only
// touch base properties: derived ones are "not on type deviceAppManagementTask",
// exactly as on the real service.
var baseType = &entityType{name: baseTypeName, props: baseProps}

// decodeEntity validates a create or update body and returns the type the
// payload declared (baseType when a PATCH omits it) and the changes to apply,
// keyed by property name, in stored form.
func decodeEntity(body []byte, create bool) (*entityType, map[string]any, *odataErr) {
	members, err := parseObject(body, true)
	if err != nil {
		return nil, nil, err
	}
	// OData resolves @odata.type before reading properties, wherever it is.
	typ := baseType
	for _, m := range members {
		if m.key != "@odata.type" {
			continue
		}
		var t string
		if jsonKind(m.raw) != '"' || json.Unmarshal(m.raw, &t) != nil {
			return nil, nil, badRequest("Invalid type name. The type name must be a string.")
		}
		name := strings.TrimPrefix(t, "#")
		et, known := entityTypes[name]
		switch {
		case name == baseTypeName:
			// the abstract type itself: fine for PATCH, impossible for POST
		case !known:
			return nil, nil, unresolvedOrIncompatible(t, baseTypeName)
		case create && !et.creatable:
			return nil, nil, intuneBadRequest("Creating tasks of type '%s' is not supported.", name)
		default:
			typ = et
		}
	}
	if create && typ == baseType {
		return nil, nil, badRequest("Cannot create an abstract class.")
	}

	changes := map[string]any{}
	for _, m := range members {
		if m.key == "@odata.type" || strings.Contains(m.key, "@") {
			continue // the type was handled above; other annotations are ignored
		}
		p, ok := typ.prop(m.key)
		if !ok {
			return nil, nil, badRequest("The property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type or mark the type as open type.", m.key, typ.name)
		}
		v, err := decodeValue(p, m.raw)
		if err != nil {
			return nil, nil, err
		}
		if p.readOnly {
			continue // validated, then ignored: the server assigns it
		}
		changes[p.name] = v
	}
	return typ, changes, nil
}

// ---------------------------------------------------------------------------
// Responses

// marshalEntity writes props in Graph's order: @odata.type, the declared
// properties of the type, then anything else (SetRaw keys, extra properties)
// sorted by name.
func marshalEntity(props map[string]any, selected []string) []byte {
	typeName, _ := props["@odata.type"].(string)
	et := entityTypes[strings.TrimPrefix(typeName, "#")]
	var keys []string
	done := map[string]bool{}
	add := func(k string) {
		if _, ok := props[k]; ok && !done[k] {
			keys = append(keys, k)
			done[k] = true
		}
	}
	add("@odata.type")
	if selected != nil {
		for _, k := range selected {
			add(k)
		}
	} else {
		if et != nil {
			for _, p := range et.props {
				add(p.name)
			}
		}
		var rest []string
		for k := range props {
			if !done[k] {
				rest = append(rest, k)
			}
		}
		sort.Strings(rest)
		for _, k := range rest {
			add(k)
		}
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(jsonBytes(k))
		buf.WriteByte(':')
		v := props[k]
		if kvs, ok := v.([]any); ok && k == "intendedSettings" {
			v = orderedKVs(kvs)
		}
		buf.Write(jsonBytes(v))
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// orderedKVs renders key-value pairs with @odata.type first, like Graph.
func orderedKVs(kvs []any) json.RawMessage {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, it := range kvs {
		if i > 0 {
			buf.WriteByte(',')
		}
		m, ok := it.(map[string]any)
		if !ok {
			buf.Write(jsonBytes(it))
			continue
		}
		fmt.Fprintf(&buf, `{"@odata.type":%s,"name":%s,"value":%s}`, jsonBytes(kvpTypeName), jsonBytes(m["name"]), jsonBytes(m["value"]))
	}
	buf.WriteByte(']')
	return buf.Bytes()
}

// jsonBytes marshals without HTML escaping (Graph does not escape <, >, &).
func jsonBytes(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte("null")
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}
