package graphsim

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The CSDL is Microsoft's, committed unchanged (graph-behaviour.md, "Kinds of
// evidence"). Change this hash only when copying a newer excerpt of
// msgraph-metadata, with its source commit in the header.
const csdlSHA256 = "d95034b7329f016dc48c8b82bd58cfc65ab309fb3d1aabd364900cb1ec09f7a3"

func TestCSDLFileIsMicrosofts(t *testing.T) {
	sum := sha256.Sum256(csdlXML)
	if got := hex.EncodeToString(sum[:]); got != csdlSHA256 {
		t.Fatalf("metadata/deviceappmanagementtask.csdl.xml was edited (sha256 %s): it must stay Microsoft's text", got)
	}
	onDisk, err := os.ReadFile("metadata/deviceappmanagementtask.csdl.xml")
	if err != nil || !bytes.Equal(onDisk, csdlXML) {
		t.Fatalf("the embedded CSDL differs from the file: %v", err)
	}
	if !bytes.Contains(csdlXML, []byte("MIT License")) || !bytes.Contains(csdlXML, []byte("msgraph-metadata")) {
		t.Fatal("the CSDL header (attribution, source commit) is missing")
	}
}

// walkedProp is a property as the test's own reading of the CSDL sees it.
type walkedProp struct {
	name, typ, declaredBy string
	nullable              bool
	containsTarget        bool // NavigationProperty only
}

// walkedCSDL is the CSDL read with a token-level walk, independently of
// parseCSDL's struct decoding.
type walkedCSDL struct {
	enums    map[string][]string
	declared map[string][]walkedProp // own properties, in document order
	navs     map[string][]walkedProp
	bases    map[string]string
	complex  map[string]bool
	actions  map[string]*walkedAction // bound actions by qualified name
}

type walkedAction struct {
	binding string       // the binding parameter's type
	params  []walkedProp // the parameters after it
}

func walkCSDL(t *testing.T, data []byte) walkedCSDL {
	t.Helper()
	w := walkedCSDL{enums: map[string][]string{}, declared: map[string][]walkedProp{}, navs: map[string][]walkedProp{},
		bases: map[string]string{}, complex: map[string]bool{}, actions: map[string]*walkedAction{}}
	dec := xml.NewDecoder(bytes.NewReader(data))
	var ns, alias, curEnum, curType, curAction string
	attr := func(se xml.StartElement, name string) (string, bool) {
		for _, a := range se.Attr {
			if a.Name.Local == name {
				return a.Value, true
			}
		}
		return "", false
	}
	// full turns "graph.x" or "Collection(graph.x)" into qualified names.
	full := func(typ string) string {
		inner, isColl := strings.CutPrefix(typ, "Collection(")
		inner = strings.TrimSuffix(inner, ")")
		if rest, ok := strings.CutPrefix(inner, alias+"."); ok && alias != "" {
			inner = ns + "." + rest
		}
		if isColl {
			return "Collection(" + inner + ")"
		}
		return inner
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			name, _ := attr(el, "Name")
			switch el.Name.Local {
			case "Schema":
				ns, _ = attr(el, "Namespace")
				alias, _ = attr(el, "Alias")
			case "EnumType":
				curEnum = ns + "." + name
				w.enums[curEnum] = []string{}
			case "Member":
				w.enums[curEnum] = append(w.enums[curEnum], name)
			case "EntityType", "ComplexType":
				curType = ns + "." + name
				w.declared[curType] = []walkedProp{}
				w.complex[curType] = el.Name.Local == "ComplexType"
				if b, ok := attr(el, "BaseType"); ok {
					w.bases[curType] = full(b)
				}
			case "Property", "NavigationProperty":
				typ, _ := attr(el, "Type")
				nullable, _ := attr(el, "Nullable")
				p := walkedProp{name: name, typ: full(typ), declaredBy: curType, nullable: nullable != "false"}
				if ct, _ := attr(el, "ContainsTarget"); ct == "true" {
					p.containsTarget = true
				}
				if el.Name.Local == "Property" {
					w.declared[curType] = append(w.declared[curType], p)
				} else {
					w.navs[curType] = append(w.navs[curType], p)
				}
			case "Action":
				if bound, _ := attr(el, "IsBound"); bound == "true" {
					curAction = ns + "." + name
				}
			case "Parameter":
				a := w.actions[curAction]
				if curAction == "" {
					continue
				}
				typ, _ := attr(el, "Type")
				nullable, _ := attr(el, "Nullable")
				if a == nil { // the first parameter of a bound action is the binding one
					w.actions[curAction] = &walkedAction{binding: full(typ)}
					continue
				}
				a.params = append(a.params, walkedProp{name: name, typ: full(typ), declaredBy: curAction, nullable: nullable != "false"})
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "EnumType":
				curEnum = ""
			case "EntityType", "ComplexType":
				curType = ""
			case "Action":
				curAction = ""
			}
		}
	}
	return w
}

// allProps is a type's properties with inheritance: graph.entity's key first
// (Graph's CSDL declares it there; the excerpt does not carry graph.entity),
// then each base's own properties, then the type's.
func (w walkedCSDL) allProps(typ string) []walkedProp {
	if typ == "microsoft.graph.entity" {
		return []walkedProp{{name: "id", typ: "Edm.String", declaredBy: "microsoft.graph.entity"}}
	}
	var out []walkedProp
	if base, ok := w.bases[typ]; ok {
		out = append(out, w.allProps(base)...)
	}
	return append(out, w.declared[typ]...)
}

func kindOf(w walkedCSDL, typ string) propKind {
	switch {
	case typ == "Edm.String":
		return kString
	case typ == "Edm.DateTimeOffset":
		return kDateTime
	case typ == "Edm.Int32":
		return kInt32
	case w.enums[typ] != nil:
		return kEnum
	case strings.HasPrefix(typ, "Collection("):
		return kComplexCollection
	}
	return -1
}

func comparePropLists(t *testing.T, w walkedCSDL, where string, got []propDef, want []walkedProp) {
	t.Helper()
	if len(got) != len(want) {
		var names []string
		for _, p := range got {
			names = append(names, p.name)
		}
		t.Errorf("%s: emulator has %d properties %v, the CSDL %d %v", where, len(got), names, len(want), want)
		return
	}
	for i, wp := range want {
		gp := got[i]
		if gp.name != wp.name || gp.typeName != wp.typ || gp.nullable != wp.nullable || gp.kind != kindOf(w, wp.typ) ||
			(wp.declaredBy != "" && gp.declaredBy != wp.declaredBy) {
			t.Errorf("%s: property %d is %s %s nullable=%v kind=%d declared by %s; the CSDL says %s %s nullable=%v kind=%d declared by %s",
				where, i, gp.name, gp.typeName, gp.nullable, gp.kind, gp.declaredBy, wp.name, wp.typ, wp.nullable, kindOf(w, wp.typ), wp.declaredBy)
		}
		if gp.kind == kEnum && (gp.enum == nil || !slices.Equal(gp.enum.members, w.enums[wp.typ])) {
			t.Errorf("%s.%s: enum members differ from the CSDL", where, gp.name)
		}
		if gp.kind == kComplexCollection && (gp.complex == nil || "Collection("+gp.complex.name+")" != wp.typ) {
			t.Errorf("%s.%s: item type differs from the CSDL", where, gp.name)
		}
	}
}

// TestTableMatchesCSDL proves the emulator's type table is the CSDL: every
// property of every type, with its kind, type, nullability and declaring
// type, nothing more and nothing less, and every enum's members in order.
func TestTableMatchesCSDL(t *testing.T) {
	w := walkCSDL(t, csdlXML)

	var wantEnums, gotEnums []string
	for name := range w.enums {
		wantEnums = append(wantEnums, name)
	}
	for name := range edm.enums {
		gotEnums = append(gotEnums, name)
	}
	sort.Strings(wantEnums)
	sort.Strings(gotEnums)
	if !slices.Equal(gotEnums, wantEnums) {
		t.Errorf("enums: emulator %v, CSDL %v", gotEnums, wantEnums)
	}
	for name, members := range w.enums {
		if e := edm.enums[name]; e == nil || !slices.Equal(e.members, members) {
			t.Errorf("enum %s: emulator %v, CSDL %v", name, e, members)
		}
	}

	wantTypes := []string{"microsoft.graph.entity"}
	for name := range w.declared {
		wantTypes = append(wantTypes, name)
	}
	var gotTypes []string
	for name := range edm.types {
		gotTypes = append(gotTypes, name)
	}
	sort.Strings(wantTypes)
	sort.Strings(gotTypes)
	if !slices.Equal(gotTypes, wantTypes) {
		t.Errorf("types: emulator %v, CSDL %v", gotTypes, wantTypes)
	}
	for _, name := range wantTypes {
		et := edm.types[name]
		if et == nil {
			continue
		}
		if et.complex != w.complex[name] {
			t.Errorf("%s: complex=%v, the CSDL says %v", name, et.complex, w.complex[name])
		}
		comparePropLists(t, w, name, et.props, w.allProps(name))
		var wantNavs []walkedProp
		for at := name; at != ""; at = w.bases[at] {
			wantNavs = append(slices.Clone(w.navs[at]), wantNavs...)
		}
		if len(et.navs) != len(wantNavs) {
			t.Errorf("%s: navigation properties %v, the CSDL %v", name, et.navs, wantNavs)
			continue
		}
		for i, n := range wantNavs {
			got := et.navs[i]
			got.target = nil
			want := navDef{name: n.name, typeName: n.typ, declaredBy: n.declaredBy, contained: n.containsTarget,
				collection: strings.HasPrefix(n.typ, "Collection(")}
			if got != want {
				t.Errorf("%s: navigation property %v, the CSDL %v", name, et.navs[i], n)
			}
			// The target is the CSDL's entity type, with that type's properties.
			item := strings.TrimSuffix(strings.TrimPrefix(n.typ, "Collection("), ")")
			if tt := et.navs[i].target; tt == nil || tt != edm.types[item] || tt.complex {
				t.Errorf("%s.%s: target %v, want the entity type %s", name, n.name, tt, item)
			}
		}
	}

	if len(edm.actions) != len(w.actions) {
		t.Errorf("actions: emulator %d, CSDL %d", len(edm.actions), len(w.actions))
	}
	for fullName, wa := range w.actions {
		a := edm.actions[wa.binding+"/"+strings.TrimPrefix(fullName, "microsoft.graph.")]
		if a == nil {
			t.Errorf("action %s bound to %s is missing", fullName, wa.binding)
			continue
		}
		comparePropLists(t, w, "action "+fullName, a.params, wa.params)
	}

	// The three task types are what the collection holds, and the derived
	// properties that used to be written by hand are the CSDL's.
	var tasks []string
	for name := range taskTypes {
		tasks = append(tasks, name)
	}
	sort.Strings(tasks)
	if want := []string{avtTypeName, sctTypeName, uddtTypeName}; !slices.Equal(tasks, want) {
		t.Errorf("task types %v, want %v", tasks, want)
	}
}

// TestOverlay pins the rules the CSDL cannot express; nothing else differs
// from it.
func TestOverlay(t *testing.T) {
	type flags struct {
		server   bool
		hasRange bool
		min, max int64
	}
	want := map[string]flags{
		"id":                                {server: true},
		baseTypeName + ".createdDateTime":   {server: true},
		sctTypeName + ".managedDeviceCount": {hasRange: true, min: 0, max: 65536},
	}
	for _, typ := range edm.types {
		for _, p := range typ.props {
			key := p.declaredBy + "." + p.name
			if p.name == "id" {
				key = "id"
			}
			got := flags{p.serverAssigned, p.hasRange, p.rangeMin, p.rangeMax}
			if got != want[key] {
				t.Errorf("%s.%s (declared by %s): overlay %+v, want %+v", typ.name, p.name, p.declaredBy, got, want[key])
			}
		}
	}
}
