package service_test

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
	"github.com/terraform-intune/terraform-provider-intune/internal/service"
)

// The list of every task type meets every registered type's properties, so it repairs each one's
// zone-less date-times, nested ones included: one it missed would fail the whole list.
func TestAllTasksRepairsEveryTypesDateTimes(t *testing.T) {
	all := framework.AllTasks().DateTimes
	for _, e := range service.TaskTypes {
		for _, d := range e.Table.DateTimes() {
			if !slices.Contains(all, d) {
				t.Errorf("the list of every task type does not repair %s's %s", e.GraphName(), d)
			}
		}
	}
	item, err := framework.AllTasks().Parse([]byte(`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","id":"t1",
		"dueDateTime":"2027-02-01T10:00:00.5","unmanagedDevices":[{"deviceName":"pc-1","lastSeenDateTime":"2027-01-01T08:02:18.123"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if item.ID != "t1" {
		t.Errorf("id = %q", item.ID)
	}
}

// elementModels are the SDK models of the complex types the task types hold in lists, by the
// list's JSON name: a new list row without one here fails TestTableCoversSDK.
var elementModels = map[string]func() serialization.Parsable{
	"intendedSettings": func() serialization.Parsable { return models.NewKeyValuePair() },
	"unmanagedDevices": func() serialization.Parsable { return models.NewUnmanagedDevice() },
}

// Every registered type's table has a row for each property the SDK knows of the type, and of
// each complex value it holds, and no other (the relationships, read by their own data sources,
// are not properties): a new SDK version with a new property fails here instead of the provider
// silently dropping it. New makes the derived type, which names itself: Graph refuses a create
// typed as the base type.
func TestTableCoversSDK(t *testing.T) {
	for _, e := range service.TaskTypes {
		t.Run(e.GraphName(), func(t *testing.T) {
			m := e.New()
			if got := m.GetOdataType(); got == nil || *got != e.ODataType {
				t.Fatalf("New().GetOdataType() = %v, want %s", got, e.ODataType)
			}
			var navs []string
			for _, r := range service.Relationships {
				if r.Owner == e {
					navs = append(navs, r.Nav)
				}
			}
			if got, want := jsonNames(e.Table), properties(m, navs...); !slices.Equal(got, want) {
				t.Errorf("rows %v, SDK properties %v", got, want)
			}
			for i := range e.Table {
				a := &e.Table[i]
				if a.Elem() == nil {
					continue
				}
				newElem, ok := elementModels[a.JSON()]
				if !ok {
					t.Errorf("%s: no SDK model of its elements in elementModels", a.Name())
					continue
				}
				if got, want := jsonNames(a.Elem()), properties(newElem()); !slices.Equal(got, want) {
					t.Errorf("%s: element rows %v, SDK properties %v", a.Name(), got, want)
				}
			}
		})
	}
}

// Every enum, of every registered type, lists what the SDK prints, each member parses back to
// itself, member 0 (Graph's unset value) comes first, and the parser refuses what is not a member
// (Graph and the SDK are case-sensitive, and so are the validators).
func TestEnumsParseBack(t *testing.T) {
	seen := map[*framework.Enum]bool{}
	for _, e := range service.TaskTypes {
		for i := range e.Table {
			en := e.Table[i].Enum()
			if en == nil || seen[en] {
				continue
			}
			seen[en] = true
			t.Run(en.JSON, func(t *testing.T) {
				if len(en.Values) < 2 {
					t.Fatalf("members %v", en.Values)
				}
				for _, v := range en.Values {
					got, err := en.Parse(v)
					if err != nil || got == nil {
						t.Fatalf("Parse(%q) = %v, %v", v, got, err)
					}
					if s := got.(fmt.Stringer).String(); s != v {
						t.Errorf("Parse(%q).String() = %q", v, s)
					}
				}
				zero, _ := en.Parse(en.Unset())
				if reflect.ValueOf(zero).Elem().Int() != 0 {
					t.Errorf("Unset() = %q is not member 0", en.Unset())
				}
				up := strings.ToUpper(en.Values[1][:1]) + en.Values[1][1:]
				for _, bad := range []string{"Bogus", "", up} {
					if got, _ := en.Parse(bad); got != nil {
						t.Errorf("Parse(%q) accepted a value outside the list", bad)
					}
				}
			})
		}
	}
	if len(seen) < 7 {
		t.Errorf("%d enums checked; the three types have at least 7", len(seen))
	}
}

// properties are the JSON names the SDK model reads, without its @odata.type and the named
// navigation properties.
func properties(p serialization.Parsable, navs ...string) []string {
	var out []string
	for name := range p.GetFieldDeserializers() {
		if name != "@odata.type" && !slices.Contains(navs, name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func jsonNames(t framework.Table) []string {
	var out []string
	for i := range t {
		out = append(out, t[i].JSON())
	}
	slices.Sort(out)
	return out
}

// The README's example of a task type names its entity file with its length: the length is true.
func TestReadmeEntityLineCount(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("`(internal/service/[a-z]+/entity\\.go)` \\((\\d+) lines\\)").FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README names no entity file with its line count")
	}
	src, err := os.ReadFile("../../" + string(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	if got := strconv.Itoa(bytes.Count(src, []byte("\n"))); got != string(m[2]) {
		t.Errorf("the README says %s has %s lines; it has %s", m[1], m[2], got)
	}
}
