package framework

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
)

// FuzzTableComplexValues reads arbitrary Graph JSON through a table with a list of complex values
// holding a date-time, onto a prior with a device: nothing panics; a device's unset or missing date
// is never a date in state; a device date naming the prior's instant keeps the prior's spelling; and
// what was read, sent back as a plan against itself, changes nothing.
func FuzzTableComplexValues(f *testing.F) {
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","id":"i","unmanagedDevices":[{"deviceName":"a","lastSeenDateTime":"2027-01-01T00:00:00.5Z"},null,{"lastSeenDateTime":"0001-01-01T00:00:00Z"}]}`),
		"a", "2027-01-01T01:00:00.50+01:00")
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","unmanagedDevices":[{"lastSeenDateTime":"2026-11-29T16:41:29"}]}`), "", "")
	f.Add([]byte(`{"@odata.type":"#microsoft.graph.unmanagedDeviceDiscoveryTask","unmanagedDevices":{"x":1}}`), "b", "9999-12-31T23:59:59.9999999Z")
	e := &Entity{ODataType: "#microsoft.graph.unmanagedDeviceDiscoveryTask", Table: deviceTable}
	f.Fuzz(func(t *testing.T, body []byte, priorName, priorSeen string) {
		prior := Values{"devices": types.ListNull(deviceType)}
		if _, d := timetypes.NewRFC3339Value(priorSeen); priorSeen != "" && (d.HasError() || FractionDigits(priorSeen) > GraphFractionDigits) {
			return
		}
		prior["devices"] = devices(t, [2]string{priorName, priorSeen})
		item, err := e.Collection().Parse(body)
		if err != nil {
			return
		}
		got, diags := deviceTable.Flatten(item, prior)
		if diags.HasError() {
			return
		}
		u, _ := item.Model.(models.UnmanagedDeviceDiscoveryTaskable)
		list, _ := got["devices"].(types.List)
		var sent []models.UnmanagedDeviceable
		if u != nil {
			for _, d := range u.GetUnmanagedDevices() {
				if d != nil {
					sent = append(sent, d)
				}
			}
		}
		if !list.IsNull() && len(list.Elements()) != len(sent) {
			t.Fatalf("%d devices in state for %d from Graph", len(list.Elements()), len(sent))
		}
		for i, el := range list.Elements() {
			seen := el.(types.Object).Attributes()["seen"].(timetypes.RFC3339)
			g := sent[i].GetLastSeenDateTime()
			switch {
			case g == nil || IsUnsetTime(*g):
				if !seen.IsNull() {
					t.Fatalf("device %d: Graph's unset or missing date became %q", i, seen.ValueString())
				}
			case i == 0 && priorSeen != "" && InstantEqual(priorSeen, g.Format("2006-01-02T15:04:05.999999999Z07:00")):
				if seen.ValueString() != priorSeen {
					t.Fatalf("device 0: the same instant changed spelling: prior %q, state %q", priorSeen, seen.ValueString())
				}
			}
		}
		// What Graph holds, planned again, is no change.
		got["display_name"] = types.StringValue("n")
		if changed, d := deviceTable.Expand(context.Background(), models.NewUnmanagedDeviceDiscoveryTask(), got, got); d.HasError() || changed {
			t.Fatalf("the state read from Graph, planned against itself, changed something (%v)", d)
		}
	})
}
