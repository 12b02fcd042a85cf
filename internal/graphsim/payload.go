package graphsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// JSON payloads in and out, read and written the way ODataLib (the .NET OData
// library Graph is built on) reads and writes them, against the CSDL's types.
// Messages are ODataLib's own, so a client sees what Graph would tell it.

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

// isAnnotation reports whether a member name is an instance or property
// annotation ("@odata.type", "displayName@odata.type"): ODataLib reads those
// separately, and the emulator ignores all but @odata.type.
func isAnnotation(key string) bool { return strings.Contains(key, "@") }

// nullValueError is ODataLib's refusal of null for a property whose CSDL type
// does not allow it (graph-behaviour.md §2.3). A collection can never be null
// in OData v4, whatever its Nullable says; for a nullable collection (Nullable
// applies to its items) ODataLib's message says so (OData/odata.net#1793).
func nullValueError(p propDef) *odataErr {
	if p.kind == kComplexCollection && p.nullable {
		return badRequest("A null value was found for the property named '%s', which has the expected type '%s[Nullable=True]'. The expected type '%s[Nullable=True]' cannot be null but it can have null values.", p.name, p.typeName, p.typeName)
	}
	return badRequest("A null value was found for the property named '%s', which has the expected type '%s[Nullable=False]'. The expected type '%s[Nullable=False]' does not allow null values.", p.name, p.typeName, p.typeName)
}

// decodeValue validates one property value against its definition and returns
// the stored (canonical JSON) form.
func decodeValue(p propDef, raw json.RawMessage) (any, *odataErr) {
	k := jsonKind(raw)
	if k == 'n' {
		if p.nullable && p.kind != kComplexCollection {
			return nil, nil
		}
		return nil, nullValueError(p)
	}
	switch p.kind {
	case kComplexCollection:
		if k != '[' {
			return nil, badRequest("An unexpected '%s' node was found for property named '%s' when reading from the JSON reader. A 'StartArray' node was expected.", nodeName(k), p.name)
		}
	default:
		if k == '{' || k == '[' {
			return nil, badRequest("An unexpected '%s' node was found for property named '%s' when reading from the JSON reader. A 'PrimitiveValue' node was expected.", nodeName(k), p.name)
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
	case kDateTime:
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
			return nil, badRequest("Cannot convert a primitive value to the expected type '%s'. See the inner exception for more details.", p.typeName)
		}
		var s string
		_ = json.Unmarshal(raw, &s)
		if s == "" {
			return nil, badRequest("Must specify valid information for parsing in the string.")
		}
		if !p.enum.has(s) {
			return nil, badRequest("Requested value '%s' was not found.", s)
		}
		return s, nil
	case kInt32:
		txt := string(bytes.TrimSpace(raw))
		n, err := strconv.ParseInt(txt, 10, 32)
		if k != '0' || err != nil {
			return nil, badRequest("Cannot convert a primitive value to the expected type 'Edm.Int32'. See the inner exception for more details.")
		}
		if p.hasRange && (n < p.rangeMin || n > p.rangeMax) {
			// Range checks live in Intune, not in the OData layer.
			return nil, intuneBadRequest("Invalid value %d for property '%s'. Valid values %d to %d.", n, p.name, p.rangeMin, p.rangeMax)
		}
		return n, nil
	case kComplexCollection:
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, invalidJSON(err)
		}
		out := make([]any, 0, len(items))
		for _, it := range items {
			switch jsonKind(it) {
			case 'n':
				// Nullable on a collection is about its items.
				if !p.nullable {
					return nil, badRequest("A null value was found in a collection, but the expected collection item type '%s' does not allow null values.", p.complex.name)
				}
				out = append(out, nil)
			case '{':
				obj, err := decodeComplex(p.complex, it)
				if err != nil {
					return nil, err
				}
				out = append(out, obj)
			default:
				return nil, badRequest("An unexpected '%s' node was found when reading from the JSON reader. A 'StartObject' node was expected.", nodeName(jsonKind(it)))
			}
		}
		return out, nil
	}
	return nil, badRequest("unsupported property kind")
}

// decodeComplex reads one complex value (an item of a complex collection);
// properties left out hold their unset values.
func decodeComplex(ct *structuredType, raw json.RawMessage) (map[string]any, *odataErr) {
	members, err := parseObject(raw, false)
	if err != nil {
		return nil, err
	}
	tn, err := payloadType(members)
	if err != nil {
		return nil, err
	}
	if tn != "" {
		if _, err := resolveType(tn, ct); err != nil {
			return nil, err
		}
	}
	obj := unsetObject(ct)
	for _, m := range members {
		if isAnnotation(m.key) {
			continue
		}
		p, ok := ct.prop(m.key)
		if !ok {
			return nil, doesNotExist(m.key, ct)
		}
		v, err := decodeValue(p, m.raw)
		if err != nil {
			return nil, err
		}
		obj[p.name] = v
	}
	return obj, nil
}

func doesNotExist(prop string, t *structuredType) *odataErr {
	return badRequest("The property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type or mark the type as open type.", prop, t.name)
}

// payloadType returns the @odata.type of a resource ("" when absent).
// ODataLib requires it first, or second after @odata.context
// (graph-behaviour.md §1: ResourceTypeAnnotationNotFirst).
func payloadType(members []member) (string, *odataErr) {
	for i, m := range members {
		if m.key != "@odata.type" {
			continue
		}
		if i > 1 || (i == 1 && members[0].key != "@odata.context") {
			return "", badRequest("The 'odata.type' instance annotation in a resource object is preceded by an invalid property. In OData, the 'odata.type' instance annotation must be either the first property in the JSON object or the second if the 'odata.context' instance annotation is present.")
		}
		var t string
		switch {
		case jsonKind(m.raw) == 'n':
			return "", badRequest("The 'odata.type' instance or property annotation has a null value. In OData, the 'odata.type' instance or property annotation must have a non-null string value.")
		case jsonKind(m.raw) != '"' || json.Unmarshal(m.raw, &t) != nil:
			return "", badRequest("Invalid type name. The type name must be a string.")
		case t == "" || t == "#":
			return "", badRequest("The 'odata.type' instance annotation value '%s' is not a valid type name. The value of the 'odata.type' instance annotation must be a non-empty string.", t)
		}
		return strings.TrimPrefix(t, "#"), nil
	}
	return "", nil
}

// resolveType resolves a payload's type name against the expected type, as
// ODataLib does: it must be known, of the same kind, and the expected type or
// one derived from it.
func resolveType(name string, expected *structuredType) (*structuredType, *odataErr) {
	t, ok := edm.types[name]
	if !ok {
		return nil, badRequest("A type named '%s' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.", name)
	}
	if t.complex != expected.complex {
		kind := func(isComplex bool) string {
			if isComplex {
				return "Complex"
			}
			return "Entity"
		}
		return nil, badRequest("Incompatible type kinds were found. The type '%s' was found to be of kind '%s' instead of the expected kind '%s'.", name, kind(t.complex), kind(expected.complex))
	}
	if !t.isA(expected.name) {
		return nil, badRequest("A resource with type '%s' was found, but it is not assignable to the expected type '%s'. The type specified in the resource must be equal to either the expected type or a derived type.", name, expected.name)
	}
	return t, nil
}

// noRouteForBaseType is what the live service answered to a POST typed as the
// base type (graph-behaviour.md §1; microsoftgraph/microsoft-graph-docs#8201).
// It comes from Graph's routing, so it is not Intune-wrapped.
var noRouteForBaseType = &odataErr{status: 400, code: "No method match route template",
	msg: "No OData route exists that match template ~/singleton/navigation with http verb POST for request /PartnerIntegrations/TicketingFEService/deviceAppManagement/deviceAppManagementTasks."}

// navigationInBody refuses a navigation property in a request body. ODataLib
// reads a collection-valued navigation property only as a nested resource set
// (an array); the service then refuses to write through it. For PATCH the
// message is what Graph answers for another Intune collection
// ("Cannot apply PATCH to navigation property 'settings' ..."); for POST
// (deep insert) the refusal is inferred and its wording the emulator's.
func navigationInBody(n navDef, t *structuredType, raw json.RawMessage, create bool) *odataErr {
	if k := jsonKind(raw); k != '[' {
		return badRequest("A node of type '%s' was read from the JSON reader when trying to read the contents of the property '%s'; however, a 'StartArray' node was expected.", nodeName(k), n.name)
	}
	if create {
		return &odataErr{status: 400, code: "ModelValidationFailure",
			msg: fmt.Sprintf("Deep insert is not supported for navigation property '%s' on entity type '%s'.", n.name, t.name)}
	}
	return &odataErr{status: 400, code: "ModelValidationFailure",
		msg: fmt.Sprintf("Cannot apply PATCH to navigation property '%s' on entity type '%s'.", n.name, t.name)}
}

// decodeEntity validates a create or update body and returns the type the
// payload declared (the base type when a PATCH omits it) and the changes to
// apply, keyed by property name, in stored form.
func decodeEntity(body []byte, create bool) (*structuredType, map[string]any, *odataErr) {
	members, err := parseObject(body, true)
	if err != nil {
		return nil, nil, err
	}
	typ := baseType
	tn, err := payloadType(members)
	if err != nil {
		return nil, nil, err
	}
	if tn != "" {
		if typ, err = resolveType(tn, baseType); err != nil {
			return nil, nil, err
		}
	}
	if create && typ == baseType {
		return nil, nil, noRouteForBaseType
	}

	changes := map[string]any{}
	for _, m := range members {
		if isAnnotation(m.key) {
			continue // the type was handled above; other annotations are ignored
		}
		if n, ok := typ.nav(m.key); ok {
			return nil, nil, navigationInBody(n, typ, m.raw, create)
		}
		p, ok := typ.prop(m.key)
		if !ok {
			return nil, nil, doesNotExist(m.key, typ)
		}
		v, err := decodeValue(p, m.raw)
		if err != nil {
			return nil, nil, err
		}
		if p.serverAssigned {
			continue // validated, then ignored: the server assigns it
		}
		changes[p.name] = v
	}
	return typ, changes, nil
}

// decodeActionParams validates a bound action's parameter payload: only the
// action's parameters, each once, and every non-nullable one present.
func decodeActionParams(a *boundAction, body []byte) (map[string]any, *odataErr) {
	members, err := parseObject(body, true)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, m := range members {
		var param *propDef
		for i := range a.params {
			if a.params[i].name == m.key {
				param = &a.params[i]
			}
		}
		if param == nil {
			return nil, badRequest("The parameter '%s' in the request payload is not a valid parameter for the operation '%s'.", m.key, a.name)
		}
		v, err := decodeValue(*param, m.raw)
		if err != nil {
			return nil, err
		}
		out[param.name] = v
	}
	for _, p := range a.params {
		if _, ok := out[p.name]; !ok && !p.nullable {
			return nil, badRequest("The parameter '%s' in the request payload is required for the operation '%s'.", p.name, a.name)
		}
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// Responses

// marshalEntity writes props in Graph's order: @odata.type, the type's
// properties in CSDL order (inherited first), then anything else (SetRaw keys,
// extra properties) sorted by name. selected, when not nil, lists the
// properties $select keeps.
func marshalEntity(props map[string]any, selected []string) []byte {
	typeName, _ := props["@odata.type"].(string)
	et := edm.types[strings.TrimPrefix(typeName, "#")]
	if et == nil {
		// A seeded type the CSDL excerpt lacks still derives from the collection's type, so its
		// inherited properties come first, in the base type's order, like any task's.
		et = baseType
	}
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
		for _, p := range et.props {
			add(p.name)
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
		if p, ok := et.prop(k); ok && p.kind == kComplexCollection {
			if items, ok := v.([]any); ok {
				buf.Write(marshalComplexItems(p.complex, items))
				continue
			}
		}
		buf.Write(jsonBytes(v))
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// marshalComplexItems writes complex values with @odata.type first (without
// '#', as Graph writes it inside collections), then the type's properties in
// CSDL order, then anything planted with SetRaw or Seed.
func marshalComplexItems(ct *structuredType, items []any) []byte {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			buf.WriteByte(',')
		}
		m, ok := it.(map[string]any)
		if !ok {
			buf.Write(jsonBytes(it))
			continue
		}
		fmt.Fprintf(&buf, `{"@odata.type":%s`, jsonBytes(ct.name))
		done := map[string]bool{"@odata.type": true}
		for _, p := range ct.props {
			if v, ok := m[p.name]; ok {
				fmt.Fprintf(&buf, `,%s:%s`, jsonBytes(p.name), jsonBytes(v))
				done[p.name] = true
			}
		}
		var rest []string
		for k := range m {
			if !done[k] {
				rest = append(rest, k)
			}
		}
		sort.Strings(rest)
		for _, k := range rest {
			fmt.Fprintf(&buf, `,%s:%s`, jsonBytes(k), jsonBytes(m[k]))
		}
		buf.WriteByte('}')
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
