package framework

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// deviceTable is a table with a list of complex values that hold a non-nullable date-time: the
// generic paths a task type with such a list goes through.
var deviceTable = append(TaskBase(),
	Objects("devices", "unmanagedDevices", "Devices.", models.UnmanagedDeviceDiscoveryTaskable.GetUnmanagedDevices,
		String("name", "deviceName", "Name.", models.UnmanagedDeviceable.GetDeviceName),
		DateTime("seen", "lastSeenDateTime", "Seen.", models.UnmanagedDeviceable.GetLastSeenDateTime)),
)

var deviceType = deviceTable.Row("devices").ElemType()

func devices(t *testing.T, elems ...[2]string) types.List {
	t.Helper()
	vals := []attr.Value{}
	for _, e := range elems {
		seen := timetypes.NewRFC3339Null()
		if e[1] != "" {
			seen = timetypes.NewRFC3339ValueMust(e[1])
		}
		name := types.StringNull()
		if e[0] != "" {
			name = types.StringValue(e[0])
		}
		vals = append(vals, types.ObjectValueMust(deviceType.AttrTypes, map[string]attr.Value{"name": name, "seen": seen}))
	}
	return types.ListValueMust(deviceType, vals)
}

func body(t *testing.T, plan, prior Values) (map[string]any, bool) {
	t.Helper()
	return expandJSON(t, deviceTable, models.NewUnmanagedDeviceDiscoveryTask(), plan, prior)
}

// expandJSON is the JSON table's Expand writes into m, and whether it reported a change.
func expandJSON(t *testing.T, table Table, m models.DeviceAppManagementTaskable, plan, prior Values) (map[string]any, bool) {
	t.Helper()
	changed, diags := table.Expand(context.Background(), m, plan, prior)
	if diags.HasError() {
		t.Fatal(diags)
	}
	w := jsonser.NewJsonSerializationWriter()
	if err := w.WriteObjectValue("", m); err != nil {
		t.Fatal(err)
	}
	b, _ := w.GetSerializedContent()
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return out, changed
}

func TestExpandComplexValues(t *testing.T) {
	plan := Values{"display_name": types.StringValue("n"), "devices": devices(t, [2]string{"a", "2027-01-01T01:00:00.5+01:00"}, [2]string{"b", ""})}
	got, changed := body(t, plan, nil)
	want := `[{"deviceName":"a","lastSeenDateTime":"2027-01-01T01:00:00.5+01:00"},{"deviceName":"b"}]`
	if js, _ := json.Marshal(got["unmanagedDevices"]); !changed || string(js) != want {
		t.Fatalf("create sent %s (changed %v), want %s", js, changed, want)
	}

	// The same instant in UTC, as Graph answers it, is no change.
	prior := Values{"display_name": types.StringValue("n"), "devices": devices(t, [2]string{"a", "2027-01-01T00:00:00.5Z"}, [2]string{"b", ""})}
	if got, changed := body(t, plan, prior); changed {
		t.Fatalf("the same instant in another spelling was sent: %v", got)
	}

	// Removing the list clears it with [].
	plan["devices"] = types.ListNull(deviceType)
	got, changed = body(t, plan, prior)
	if l, ok := got["unmanagedDevices"].([]any); !changed || !ok || len(l) != 0 {
		t.Fatalf("removing the list sent %v (changed %v), want []", got["unmanagedDevices"], changed)
	}
}

func parse(t *testing.T, js string) *graph.Item {
	t.Helper()
	e := &Entity{ODataType: "#microsoft.graph.unmanagedDeviceDiscoveryTask", Table: deviceTable}
	item, err := e.Collection().Parse([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return item
}

func TestFlattenComplexValues(t *testing.T) {
	item := parse(t, `{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","id":"i","displayName":"n","category":"unknown","priority":"none","status":"unknown",
		"unmanagedDevices":[{"deviceName":"a","lastSeenDateTime":"2027-01-01T00:00:00.5Z"},{"deviceName":null,"lastSeenDateTime":"0001-01-01T00:00:00Z"}]}`)
	prior := Values{"devices": devices(t, [2]string{"a", "2027-01-01T01:00:00.50+01:00"}, [2]string{"", ""})}
	got, diags := deviceTable.Flatten(item, prior)
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := devices(t, [2]string{"a", "2027-01-01T01:00:00.50+01:00"}, [2]string{"", ""})
	if !got["devices"].Equal(want) {
		t.Fatalf("devices = %v, want %v (the prior's spelling of the same instant, and the unset instant as null)", got["devices"], want)
	}
	if !deviceTable.Matches(Values{"display_name": types.StringValue("n"), "devices": want}, got) {
		t.Fatal("a task holding exactly the planned devices does not match the plan")
	}
	if deviceTable.Matches(Values{"display_name": types.StringValue("n"), "devices": devices(t, [2]string{"a", ""})}, got) {
		t.Fatal("a task with other devices matches the plan")
	}

	// Graph's [] for a list the configuration leaves out is null; for a configured [] it stays [].
	empty := parse(t, `{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","id":"i","unmanagedDevices":[]}`)
	if got, _ := deviceTable.Flatten(empty, nil); !got["devices"].IsNull() {
		t.Fatalf("[] became %v", got["devices"])
	}
	if got, _ := deviceTable.Flatten(empty, Values{"devices": devices(t)}); got["devices"].IsNull() {
		t.Fatal("a configured [] became null")
	}
}

// Every task type's body starts with its @odata.type, whatever the table puts in it: ODataLib
// refuses a type annotation that is not the first property.
func TestODataTypeComesFirst(t *testing.T) {
	plan := Values{
		"display_name": types.StringValue("n"), "description": types.StringNull(), "status": types.StringValue("active"),
		"due_date_time": timetypes.NewRFC3339ValueMust("2027-01-01T00:00:00Z"),
		"devices":       devices(t, [2]string{"a", "2027-01-01T00:00:00Z"}),
	}
	prior := Values{"display_name": types.StringValue("o"), "description": types.StringValue("d")}
	for _, m := range []models.DeviceAppManagementTaskable{
		models.NewSecurityConfigurationTask(), models.NewAppVulnerabilityTask(), models.NewUnmanagedDeviceDiscoveryTask(),
	} {
		if _, diags := deviceTable.Expand(context.Background(), m, plan, prior); diags.HasError() {
			t.Fatal(diags)
		}
		w := jsonser.NewJsonSerializationWriter()
		if err := w.WriteObjectValue("", m); err != nil {
			t.Fatal(err)
		}
		b, _ := w.GetSerializedContent()
		if want := `{"@odata.type":"` + *m.GetOdataType() + `",`; len(b) < len(want) || string(b[:len(want)]) != want {
			t.Errorf("body %s does not start with %s", b, want)
		}
	}
}

// An update that writes only the description: a configured list and status it leaves as they were
// keep their planned values when Graph now holds others (edited since the plan), and are named;
// what the update wrote, and what Graph still holds as planned, are not.
func TestKeepUnwritten(t *testing.T) {
	planned := devices(t, [2]string{"a", "2027-01-01T01:00:00+01:00"})
	prior := Values{"description": types.StringValue("v1"), "status": types.StringValue("pending"), "display_name": types.StringValue("n"), "devices": planned}
	plan := Values{"description": types.StringValue("v2"), "status": types.StringValue("pending"), "display_name": types.StringValue("n"), "devices": planned}
	config := plan
	written := deviceTable.Written(config, plan, prior)
	if len(written) != 1 || !written["description"].Equal(types.StringValue("v2")) {
		t.Fatalf("written = %v, want only the description", written)
	}

	item := parse(t, `{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","id":"i","displayName":"n","description":"v2","category":"unknown",
		"priority":"none","status":"completed","unmanagedDevices":[{"deviceName":"b","lastSeenDateTime":"2027-01-01T00:00:00Z"}]}`)
	got, diags := deviceTable.Flatten(item, plan)
	if diags.HasError() {
		t.Fatal(diags)
	}
	kept := deviceTable.KeepUnwritten(got, plan, config, written)
	if want := []string{"status", "devices"}; !slices.Equal(kept, want) {
		t.Fatalf("kept %v, want %v", kept, want)
	}
	for _, name := range []string{"status", "devices", "description", "display_name"} {
		if !got[name].Equal(plan[name]) {
			t.Errorf("%s = %v after keeping, want the planned %v", name, got[name], plan[name])
		}
	}

	// A create writes everything it configures: nothing is left to keep.
	if w := deviceTable.Written(config, plan, nil); len(w) != len(config) {
		t.Fatalf("a create's written = %v, want the whole configuration", w)
	}
}
