package graphsim

import (
	_ "embed"
	"encoding/xml"
	"fmt"
	"strings"
)

// The emulator's type table is built from Microsoft's own metadata (CSDL) for
// the deviceAppManagementTask family, committed unchanged beside this file, so
// that what the emulator accepts, refuses and answers follows what Graph's
// OData layer enforces rather than what anybody believes about it
// (graph-behaviour.md §2). Rules the CSDL cannot express are a small overlay
// in schema.go.

//go:embed metadata/deviceappmanagementtask.csdl.xml
var csdlXML []byte

// The XML shapes of the CSDL elements the emulator reads. Annotations
// (descriptions) and the entity container are not needed.
type (
	csdlDoc struct {
		Schemas []csdlSchema `xml:"DataServices>Schema"`
	}
	csdlSchema struct {
		Namespace    string           `xml:"Namespace,attr"`
		Alias        string           `xml:"Alias,attr"`
		EnumTypes    []csdlEnumType   `xml:"EnumType"`
		EntityTypes  []csdlStructured `xml:"EntityType"`
		ComplexTypes []csdlStructured `xml:"ComplexType"`
		Actions      []csdlAction     `xml:"Action"`
	}
	csdlEnumType struct {
		Name    string `xml:"Name,attr"`
		Members []struct {
			Name  string `xml:"Name,attr"`
			Value string `xml:"Value,attr"`
		} `xml:"Member"`
	}
	csdlStructured struct {
		Name       string         `xml:"Name,attr"`
		BaseType   string         `xml:"BaseType,attr"`
		Properties []csdlProperty `xml:"Property"`
		NavProps   []csdlProperty `xml:"NavigationProperty"`
	}
	csdlProperty struct {
		Name           string `xml:"Name,attr"`
		Type           string `xml:"Type,attr"`
		Nullable       string `xml:"Nullable,attr"`
		ContainsTarget string `xml:"ContainsTarget,attr"` // NavigationProperty only
	}
	csdlAction struct {
		Name       string         `xml:"Name,attr"`
		IsBound    string         `xml:"IsBound,attr"`
		Parameters []csdlProperty `xml:"Parameter"`
	}
)

// propKind is what the emulator does with a property's value. The CSDL
// excerpt uses exactly these; building the table fails on anything else, so
// a metadata update that needs new code cannot go unnoticed.
type propKind int

const (
	kString            propKind = iota // Edm.String
	kDateTime                          // Edm.DateTimeOffset
	kInt32                             // Edm.Int32
	kEnum                              // an EnumType of the schema
	kComplexCollection                 // Collection(<ComplexType>)
)

// enumType is a CSDL EnumType. members are in CSDL order; the first has value
// 0, which is what an unset non-nullable enum holds (graph-behaviour.md §2.2).
type enumType struct {
	name    string // qualified, e.g. microsoft.graph.deviceAppManagementTaskStatus
	members []string
}

func (e *enumType) has(member string) bool {
	for _, m := range e.members {
		if m == member { // members are case-sensitive (graph-behaviour.md §4)
			return true
		}
	}
	return false
}

// propDef is one structural property (or action parameter).
type propDef struct {
	name string
	kind propKind
	// typeName is the type as ODataLib names it in messages:
	// "Edm.String", "microsoft.graph.deviceAppManagementTaskStatus",
	// "Collection(microsoft.graph.keyValuePair)".
	typeName string
	// nullable is the CSDL's Nullable (absent means true). For a collection
	// it applies to the items: the collection itself is never null.
	nullable   bool
	declaredBy string // qualified name of the type that declares it
	enum       *enumType
	complex    *structuredType // item type of a kComplexCollection

	// The overlay (schema.go): rules the CSDL cannot express.
	serverAssigned     bool // validated, then ignored in request bodies
	hasRange           bool // Intune's range check of an Edm.Int32
	rangeMin, rangeMax int64
}

// navDef is a navigation property: never served inline, refused in bodies.
// A contained collection of entities (ContainsTarget="true",
// Collection(<EntityType>)) is served under the entity's own URL
// (related.go); target is its item type.
type navDef struct {
	name, typeName, declaredBy string
	contained                  bool
	collection                 bool
	target                     *structuredType // resolved once every type is
}

// relatedNav finds a contained collection-valued navigation property of t by
// name, case-insensitively like every URL segment.
func (t *structuredType) relatedNav(name string) (navDef, bool) {
	for _, n := range t.navs {
		if n.contained && n.collection && n.target != nil && strings.EqualFold(n.name, name) {
			return n, true
		}
	}
	return navDef{}, false
}

// structuredType is an entity or complex type with inheritance resolved:
// props holds the inherited properties first, in CSDL order, then its own.
type structuredType struct {
	name    string // qualified, e.g. microsoft.graph.securityConfigurationTask
	base    *structuredType
	complex bool
	props   []propDef
	navs    []navDef
}

func (t *structuredType) prop(name string) (propDef, bool) {
	for _, p := range t.props {
		if p.name == name { // property names are case-sensitive in OData
			return p, true
		}
	}
	return propDef{}, false
}

func (t *structuredType) nav(name string) (navDef, bool) {
	for _, n := range t.navs {
		if n.name == name {
			return n, true
		}
	}
	return navDef{}, false
}

// isA reports whether t is the type named name or derives from it.
func (t *structuredType) isA(name string) bool {
	for at := t; at != nil; at = at.base {
		if at.name == name {
			return true
		}
	}
	return false
}

// boundAction is a CSDL action bound to an entity type.
type boundAction struct {
	name        string
	bindingType string
	params      []propDef // without the binding parameter
}

// edmModel is the parsed CSDL.
type edmModel struct {
	enums   map[string]*enumType
	types   map[string]*structuredType // entity and complex types
	actions map[string]*boundAction
}

// entityTypeName is graph.entity, the base of every Graph entity type. It is
// not in the excerpt; Graph's CSDL declares it abstract with a single
// property, the key: <Property Name="id" Type="Edm.String" Nullable="false"/>.
const entityTypeName = "microsoft.graph.entity"

// parseCSDL builds the model from CSDL XML.
func parseCSDL(data []byte) (*edmModel, error) {
	var doc csdlDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("csdl: %w", err)
	}
	m := &edmModel{
		enums:   map[string]*enumType{},
		types:   map[string]*structuredType{},
		actions: map[string]*boundAction{},
	}
	m.types[entityTypeName] = &structuredType{name: entityTypeName, props: []propDef{
		{name: "id", kind: kString, typeName: "Edm.String", nullable: false, declaredBy: entityTypeName},
	}}

	// Type references use the schema's alias ("graph.keyValuePair").
	aliases := map[string]string{}
	for _, s := range doc.Schemas {
		if s.Alias != "" {
			aliases[s.Alias] = s.Namespace
		}
	}
	qualify := func(name string) string {
		if ns, rest, ok := strings.Cut(name, "."); ok {
			if full, isAlias := aliases[ns]; isAlias {
				return full + "." + rest
			}
		}
		return name
	}

	raw := map[string]csdlStructured{}
	complexNames := map[string]bool{}
	for _, s := range doc.Schemas {
		for _, e := range s.EnumTypes {
			et := &enumType{name: s.Namespace + "." + e.Name}
			for _, mem := range e.Members {
				et.members = append(et.members, mem.Name)
			}
			m.enums[et.name] = et
		}
		for _, t := range s.EntityTypes {
			raw[s.Namespace+"."+t.Name] = t
		}
		for _, t := range s.ComplexTypes {
			raw[s.Namespace+"."+t.Name] = t
			complexNames[s.Namespace+"."+t.Name] = true
		}
	}

	// Resolve types depth-first so that a base is complete before the types
	// deriving from it (the CSDL lists types alphabetically, not by base).
	var resolve func(name string, seen map[string]bool) (*structuredType, error)
	resolve = func(name string, seen map[string]bool) (*structuredType, error) {
		if t, ok := m.types[name]; ok {
			return t, nil
		}
		def, ok := raw[name]
		if !ok {
			return nil, fmt.Errorf("csdl: type %s is not declared", name)
		}
		if seen[name] {
			return nil, fmt.Errorf("csdl: inheritance cycle at %s", name)
		}
		seen[name] = true
		t := &structuredType{name: name, complex: complexNames[name]}
		if def.BaseType != "" {
			base, err := resolve(qualify(def.BaseType), seen)
			if err != nil {
				return nil, err
			}
			t.base = base
			t.props = append(t.props, base.props...)
			t.navs = append(t.navs, base.navs...)
		}
		for _, p := range def.Properties {
			pd, err := m.propFromCSDL(p, name, qualify, func(item string) (*structuredType, error) { return resolve(item, seen) })
			if err != nil {
				return nil, err
			}
			t.props = append(t.props, pd)
		}
		for _, n := range def.NavProps {
			tn := qualifyCollection(n.Type, qualify)
			t.navs = append(t.navs, navDef{name: n.Name, typeName: tn, declaredBy: name,
				contained: n.ContainsTarget == "true", collection: strings.HasPrefix(tn, "Collection(")})
		}
		m.types[name] = t
		return t, nil
	}
	for name := range raw {
		if _, err := resolve(name, map[string]bool{}); err != nil {
			return nil, err
		}
	}
	// Navigation targets, once every type exists (a target may refer back to
	// its source). A derived type holds copies of its base's navDefs, so each
	// copy is resolved where it sits.
	for _, t := range m.types {
		for i := range t.navs {
			n := &t.navs[i]
			item := strings.TrimSuffix(strings.TrimPrefix(n.typeName, "Collection("), ")")
			target, ok := m.types[item]
			if !ok {
				return nil, fmt.Errorf("csdl: %s.%s: type %s is not declared", n.declaredBy, n.name, item)
			}
			if target.complex {
				return nil, fmt.Errorf("csdl: %s.%s: a navigation property to complex type %s", n.declaredBy, n.name, item)
			}
			n.target = target
		}
	}

	for _, s := range doc.Schemas {
		for _, a := range s.Actions {
			if a.IsBound != "true" || len(a.Parameters) == 0 {
				continue // the emulator serves bound actions only
			}
			ba := &boundAction{name: a.Name, bindingType: qualify(a.Parameters[0].Type)}
			for _, p := range a.Parameters[1:] {
				pd, err := m.propFromCSDL(p, s.Namespace+"."+a.Name, qualify, func(item string) (*structuredType, error) {
					return resolve(item, map[string]bool{})
				})
				if err != nil {
					return nil, err
				}
				ba.params = append(ba.params, pd)
			}
			m.actions[ba.bindingType+"/"+a.Name] = ba
		}
	}
	return m, nil
}

// qualifyCollection qualifies a type reference, inside Collection(...) too.
func qualifyCollection(typ string, qualify func(string) string) string {
	if inner, ok := strings.CutPrefix(typ, "Collection("); ok {
		return "Collection(" + qualify(strings.TrimSuffix(inner, ")")) + ")"
	}
	return qualify(typ)
}

// propFromCSDL turns a Property or Parameter element into a propDef; resolve
// yields the (complex) item type of a collection.
func (m *edmModel) propFromCSDL(p csdlProperty, declaredBy string, qualify func(string) string,
	resolve func(string) (*structuredType, error)) (propDef, error) {
	pd := propDef{
		name:       p.Name,
		typeName:   qualifyCollection(p.Type, qualify),
		nullable:   p.Nullable != "false",
		declaredBy: declaredBy,
	}
	switch {
	case pd.typeName == "Edm.String":
		pd.kind = kString
	case pd.typeName == "Edm.DateTimeOffset":
		pd.kind = kDateTime
	case pd.typeName == "Edm.Int32":
		pd.kind = kInt32
	case m.enums[pd.typeName] != nil:
		pd.kind, pd.enum = kEnum, m.enums[pd.typeName]
	case strings.HasPrefix(pd.typeName, "Collection("):
		item := strings.TrimSuffix(strings.TrimPrefix(pd.typeName, "Collection("), ")")
		ct, err := resolve(item)
		if err != nil {
			return propDef{}, err
		}
		if !ct.complex {
			return propDef{}, fmt.Errorf("csdl: %s.%s: collections of %s are not emulated", declaredBy, p.Name, item)
		}
		pd.kind, pd.complex = kComplexCollection, ct
	default:
		return propDef{}, fmt.Errorf("csdl: %s.%s: type %s is not emulated", declaredBy, p.Name, pd.typeName)
	}
	return pd, nil
}
