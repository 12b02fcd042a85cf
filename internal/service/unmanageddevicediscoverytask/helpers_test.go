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

// task is one complete set of configurable values.
type task struct {
	description, creator, creatorNotes, assignedTo string
	due                                            string
	category, priority, status                     string
	devices                                        []dev
}

var fullA = task{
	description: "Defender found devices on the corporate network that Intune does not manage", creator: "defender@contoso.com",
	creatorNotes: "Raised by device discovery", assignedTo: "endpoint-admins@contoso.com",
	due: "2027-01-01T08:02:18.1994089Z", category: "advancedThreatProtection", priority: "high", status: "pending",
	devices: []dev{devLaptop, devPrinter},
}

// fullB changes every attribute; its devices reorder, change, add and drop fullA's.
var fullB = task{
	description: "Onboard the devices found in the east wing", creator: "secops@contoso.com", creatorNotes: "Re-raised",
	assignedTo: "it@contoso.com", due: "2027-06-30T12:00:00-04:00", category: "unknown", priority: "low", status: "active",
	devices: []dev{devPhone, withAttr(withAttr(devLaptop, "ip_address", "10.1.4.99"), "last_seen_date_time", "2026-12-01T09:15:00.5-05:00"), devEmpty},
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

// fullChecks are the state checks of every configured attribute of v.
func fullChecks(name string, v task) []statecheck.StateCheck {
	s := func(attr, want string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(resourceName, tfjsonpath.New(attr), knownvalue.StringExact(want))
	}
	return []statecheck.StateCheck{
		s("display_name", name), s("description", v.description), s("creator", v.creator), s("creator_notes", v.creatorNotes),
		s("assigned_to", v.assignedTo), s("due_date_time", v.due), s("category", v.category), s("priority", v.priority),
		s("status", v.status), stateDevices(v.devices...),
		statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("id"), knownvalue.NotNull()),
		statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("created_date_time"), knownvalue.NotNull()),
	}
}

// wantFull checks that Graph holds every value of v.
func wantFull(name string, v task) func(map[string]any) error {
	return func(task map[string]any) error {
		for prop, want := range map[string]string{
			"displayName": name, "description": v.description, "creator": v.creator, "creatorNotes": v.creatorNotes,
			"assignedTo": v.assignedTo, "category": v.category, "priority": v.priority, "status": v.status,
		} {
			if task[prop] != want {
				return fmt.Errorf("%s at Graph = %v, want %q", prop, task[prop], want)
			}
		}
		if err := acctest.WantInstant(task, "dueDateTime", v.due); err != nil {
			return err
		}
		return wantDevices(task, v.devices...)
	}
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

// configFull is every attribute of v, and a timeouts block (Terraform's own: nothing of it reaches
// Graph).
func configFull(name string, v task) string {
	return configFullWith(name, v, "\n  timeouts {\n    create = \"5m\"\n    update = \"5m\"\n  }\n")
}

// configFullNoTimeouts is every attribute of v without a timeouts block: an import block plans
// against the configuration, and an imported task has no timeouts in state.
func configFullNoTimeouts(name string, v task) string {
	return configFullWith(name, v, "")
}

func configFullWith(name string, v task, extra string) string {
	return fmt.Sprintf(`
resource %q "test" {
  display_name  = %q
  description   = %q
  creator       = %q
  creator_notes = %q
  assigned_to   = %q
  due_date_time = %q
  category      = %q
  priority      = %q
  status        = %q

  unmanaged_devices = %s
%s}
`, resourceType, name, v.description, v.creator, v.creatorNotes, v.assignedTo, v.due, v.category, v.priority, v.status,
		devicesHCL(v.devices...), extra)
}

// checkNoDueDate: Graph holds "no due date" as its unset value, never a date; the emulator follows
// the metadata exactly, a real tenant may also answer null.
func checkNoDueDate(task map[string]any) error {
	if acctest.Sim == nil && task["dueDateTime"] == nil {
		return nil
	}
	return acctest.WantInstant(task, "dueDateTime", unset)
}
