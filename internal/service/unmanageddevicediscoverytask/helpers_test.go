package unmanageddevicediscoverytask_test

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
)

const (
	resourceType = "intune_unmanaged_device_discovery_task"
	resourceName = resourceType + ".test"
	odataType    = "#microsoft.graph.unmanagedDeviceDiscoveryTask"
	// unset is Graph's value for a date-time nobody set (the property cannot be null).
	unset = "0001-01-01T00:00:00Z"
)

var taskType = acctest.TaskType{Resource: resourceType, ODataType: odataType, Noun: "unmanaged device discovery task"}

// deviceProps maps each attribute of an unmanaged device to its Graph property.
var deviceProps = map[string]string{
	"device_name": "deviceName", "domain": "domain", "ip_address": "ipAddress", "mac_address": "macAddress",
	"last_logged_on_user": "lastLoggedOnUser", "last_seen_date_time": "lastSeenDateTime", "location": "location",
	"manufacturer": "manufacturer", "model": "model", "os": "os", "os_version": "osVersion",
}

// dev is one unmanaged device as configured: attribute name to value; attributes left out are null.
type dev map[string]string

// Devices as Defender's device discovery reports them.
var (
	// Every attribute set; last seen with seven fractional digits, in UTC as Graph answers it (so an
	// import reads back the same spelling: offsets are TestAccUnmanagedDeviceDiscoveryTask_lastSeenDateTime's).
	devLaptop = dev{
		"device_name": "LAPTOP-7F3K2", "domain": "contoso.local", "ip_address": "10.1.4.23", "mac_address": "00-15-5D-4A-11-7C",
		"last_logged_on_user": "alice@contoso.com", "last_seen_date_time": "2026-11-30T00:45:12.1234567Z",
		"location": "Building 4, floor 2", "manufacturer": "Dell Inc.", "model": "Latitude 7440", "os": "Windows", "os_version": "10.0.22631",
	}
	// Never seen with a date: Graph holds its unset instant.
	devPrinter = dev{"device_name": "PRN-2F-EAST", "ip_address": "10.1.9.5", "mac_address": "3C-2A-F4-10-00-9B", "manufacturer": "HP", "os": "Linux"}
	devPhone   = dev{
		"device_name": "iPhone-of-bob", "os": "iOS", "os_version": "17.6.1", "last_logged_on_user": "bob@contoso.com",
		"last_seen_date_time": "2026-11-30T09:00:00Z",
	}
	// Every attribute null.
	devEmpty = dev{}
)

// hcl is the device as an HCL object, its attributes in a fixed order.
func (d dev) hcl() string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s = %q", k, d[k]))
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// devicesHCL is a list of devices as HCL.
func devicesHCL(ds ...dev) string {
	items := make([]string, 0, len(ds))
	for _, d := range ds {
		items = append(items, "    "+d.hcl()+",")
	}
	if len(items) == 0 {
		return "[]"
	}
	return "[\n" + strings.Join(items, "\n") + "\n  ]"
}

// check is what state must hold for the device: its values as configured, null for the rest.
func (d dev) check() knownvalue.Check {
	m := map[string]knownvalue.Check{}
	for attr := range deviceProps {
		if v, ok := d[attr]; ok {
			m[attr] = knownvalue.StringExact(v)
		} else {
			m[attr] = knownvalue.Null()
		}
	}
	return knownvalue.ObjectExact(m)
}

// devicesCheck is what state must hold for the list of devices.
func devicesCheck(ds ...dev) knownvalue.Check {
	checks := make([]knownvalue.Check, 0, len(ds))
	for _, d := range ds {
		checks = append(checks, d.check())
	}
	return knownvalue.ListExact(checks)
}

// stateDevices checks the resource's unmanaged_devices in state.
func stateDevices(ds ...dev) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("unmanaged_devices"), devicesCheck(ds...))
}

// wantDevices checks that Graph holds exactly the devices ds, in order: strings as configured and
// null when not, last seen as the same instant, or Graph's unset instant when not configured.
func wantDevices(task map[string]any, ds ...dev) error {
	got, ok := task["unmanagedDevices"].([]any)
	if !ok {
		return fmt.Errorf("unmanagedDevices at Graph = %v, want a list", task["unmanagedDevices"])
	}
	if len(got) != len(ds) {
		return fmt.Errorf("unmanagedDevices at Graph has %d devices, want %d: %v", len(got), len(ds), got)
	}
	for i, d := range ds {
		g, ok := got[i].(map[string]any)
		if !ok {
			return fmt.Errorf("unmanagedDevices[%d] at Graph = %v, want an object", i, got[i])
		}
		for attr, prop := range deviceProps {
			want, set := d[attr]
			if prop == "lastSeenDateTime" {
				if !set {
					want = unset
				}
				if err := acctest.WantInstant(g, prop, want); err != nil {
					return fmt.Errorf("unmanagedDevices[%d]: %w", i, err)
				}
				continue
			}
			if set && g[prop] != want || !set && g[prop] != nil {
				return fmt.Errorf("unmanagedDevices[%d].%s at Graph = %v, want %q (set: %v)", i, prop, g[prop], want, set)
			}
		}
	}
	return nil
}

// withAttr is a copy of d with one attribute changed.
func withAttr(d dev, attr, value string) dev {
	out := dev{}
	for k, v := range d {
		out[k] = v
	}
	out[attr] = value
	return out
}

func configAttrs(name, attrs string) string {
	return fmt.Sprintf(`
resource %q "test" {
  display_name = %q
  %s
}
`, resourceType, name, attrs)
}

func configDevices(name string, ds ...dev) string {
	return configAttrs(name, "unmanaged_devices = "+devicesHCL(ds...))
}
