package unmanageddevicediscoverytask_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-intune/terraform-provider-intune/internal/service/unmanageddevicediscoverytask"
)

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
