package unmanageddevicediscoverytask_test

import (
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
	"github.com/terraform-intune/terraform-provider-intune/internal/service/unmanageddevicediscoverytask"
)

// properties are the JSON names the SDK model reads, without its @odata.type.
func properties(p serialization.Parsable) []string {
	var out []string
	for name := range p.GetFieldDeserializers() {
		if name != "@odata.type" {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func jsonNames(t []framework.Attr) []string {
	var out []string
	for i := range t {
		out = append(out, t[i].JSON)
	}
	slices.Sort(out)
	return out
}

// The table has a row for every property the SDK knows of the task and of each device, and no
// other: a new SDK version with a new property fails here instead of silently dropping it.
func TestTableCoversSDK(t *testing.T) {
	e := unmanageddevicediscoverytask.Entity
	if got, want := jsonNames(e.Table), properties(models.NewUnmanagedDeviceDiscoveryTask()); !slices.Equal(got, want) {
		t.Errorf("task rows %v, SDK properties %v", got, want)
	}
	devices := e.Table.Row("unmanaged_devices")
	if devices == nil || devices.Kind != framework.KindObjects {
		t.Fatalf("unmanaged_devices is not a list of objects: %+v", devices)
	}
	if got, want := jsonNames(devices.Elem), properties(models.NewUnmanagedDevice()); !slices.Equal(got, want) {
		t.Errorf("device rows %v, SDK properties %v", got, want)
	}
	for _, a := range devices.Elem {
		// lastSeenDateTime is Edm.DateTimeOffset, the rest Edm.String; none is required.
		want := framework.KindString
		if a.JSON == "lastSeenDateTime" {
			want = framework.KindDateTime
		}
		if a.Kind != want || a.Required || a.Computed {
			t.Errorf("device row %s: kind %v required %v computed %v", a.Name, a.Kind, a.Required, a.Computed)
		}
	}
}

// New makes the derived type, which names itself: Graph refuses a create typed as the base type.
func TestNewIsTheDerivedType(t *testing.T) {
	e := unmanageddevicediscoverytask.Entity
	m := e.New()
	if _, ok := m.(models.UnmanagedDeviceDiscoveryTaskable); !ok {
		t.Fatalf("New() = %T", m)
	}
	if got := m.GetOdataType(); got == nil || *got != e.ODataType {
		t.Fatalf("New().GetOdataType() = %v, want %s", got, e.ODataType)
	}
}

// Graph's answer reads into state: a device's unset date is null, an empty device is all nulls,
// and an empty list is no list.
func TestFlattenDevices(t *testing.T) {
	e := unmanageddevicediscoverytask.Entity
	item, err := e.Collection().Parse([]byte(`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","id":"t1",
		"displayName":"found","dueDateTime":"0001-01-01T00:00:00Z","createdDateTime":"2026-11-30T02:53:59.0726811Z",
		"category":"unknown","priority":"none","status":"pending","unmanagedDevices":[
		{"@odata.type":"microsoft.graph.unmanagedDevice","deviceName":"pc-1","os":"Windows","lastSeenDateTime":"2026-11-30T02:53:59"},
		{"@odata.type":"microsoft.graph.unmanagedDevice","deviceName":null,"lastSeenDateTime":"0001-01-01T00:00:00Z"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got, diags := e.Table.Flatten(item, nil)
	if diags.HasError() {
		t.Fatal(diags)
	}
	list, ok := got["unmanaged_devices"].(types.List)
	if !ok || len(list.Elements()) != 2 {
		t.Fatalf("unmanaged_devices = %v", got["unmanaged_devices"])
	}
	first := list.Elements()[0].(types.Object).Attributes()
	// A zone-less date-time is Graph's UTC.
	if v := first["last_seen_date_time"].String(); v != `"2026-11-30T02:53:59Z"` {
		t.Errorf("last_seen_date_time = %s", v)
	}
	if v := first["device_name"]; !v.Equal(types.StringValue("pc-1")) {
		t.Errorf("device_name = %s", v)
	}
	for name, v := range list.Elements()[1].(types.Object).Attributes() {
		if !v.IsNull() {
			t.Errorf("empty device: %s = %s, want null", name, v)
		}
	}
	if v := got["due_date_time"]; !v.IsNull() {
		t.Errorf("due_date_time = %s, want null", v)
	}

	empty, err := e.Collection().Parse([]byte(`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","id":"t2","unmanagedDevices":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	got, _ = e.Table.Flatten(empty, nil)
	if v := got["unmanaged_devices"]; !v.IsNull() {
		t.Errorf("an empty list = %s, want null", v)
	}
}
