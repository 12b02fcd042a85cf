package unmanageddevicediscoverytask_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// The list of devices is one attribute: reordering, adding, changing and removing devices, an
// element with every attribute null and an explicit empty list are in-place updates of the same
// task, and Graph holds the devices in the configured order.
func TestAccUnmanagedDeviceDiscoveryTask_devices(t *testing.T) {
	name := acctest.RandomName()
	sameID := statecheck.CompareValue(compare.ValuesSame())
	step := func(ds ...dev) resource.TestStep {
		return resource.TestStep{
			Config: configDevices(name, ds...),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)},
			},
			ConfigStateChecks: []statecheck.StateCheck{stateDevices(ds...), sameID.AddStateValue(resourceName, tfjsonpath.New("id"))},
			Check:             taskType.CheckRemote(t, func(task map[string]any) error { return wantDevices(task, ds...) }),
		}
	}
	first := step(devLaptop, devPrinter)
	first.ConfigPlanChecks.PreApply = []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionCreate)}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			first,
			step(devPrinter, devLaptop),           // reordered
			step(devPrinter, devLaptop, devPhone), // one added at the end
			step(devPhone, devPrinter, devLaptop), // one added at the start
			step(devPhone, withAttr(devLaptop, "os_version", "10.0.26100")), // one removed, one changed
			step(devEmpty, devPhone), // an element with every attribute null
			step(),                   // an explicit empty list
		},
	})
}

// A last-seen date with an offset and seven fractional digits: Graph holds the UTC instant, state
// keeps the configured spelling, and the same instant in another spelling plans nothing; another
// instant is an in-place update. Graph drops trailing zeros (…00.5Z), which is no difference either.
func TestAccUnmanagedDeviceDiscoveryTask_lastSeenDateTime(t *testing.T) {
	name := acctest.RandomName()
	seen := func(when string) dev { return withAttr(devPhone, "last_seen_date_time", when) }
	lastSeen := func(want string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("unmanaged_devices").AtSliceIndex(0).AtMapKey("last_seen_date_time"),
			knownvalue.StringExact(want))
	}
	graphHolds := func(want string) resource.TestCheckFunc {
		return taskType.CheckRemote(t, func(task map[string]any) error {
			d := task["unmanagedDevices"].([]any)[0].(map[string]any)
			if acctest.Sim != nil && d["lastSeenDateTime"] != want {
				return fmt.Errorf("lastSeenDateTime at Graph = %v, want Graph's spelling %s", d["lastSeenDateTime"], want)
			}
			return acctest.WantInstant(d, "lastSeenDateTime", want)
		})
	}
	empty := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config:            configDevices(name, seen("2026-11-29T16:45:12.1234567-08:00")),
				ConfigStateChecks: []statecheck.StateCheck{lastSeen("2026-11-29T16:45:12.1234567-08:00")},
				Check:             graphHolds("2026-11-30T00:45:12.1234567Z"),
			},
			{
				// Imported, the task holds Graph's UTC spelling: an import block with the offset
				// spelling in the configuration plans nothing.
				Config:          configDevices(name, seen("2026-11-29T16:45:12.1234567-08:00")),
				ResourceName:    resourceName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			// The same instant in UTC, as an imported task's state holds it, and with another offset.
			{Config: configDevices(name, seen("2026-11-30T00:45:12.1234567Z")), ConfigPlanChecks: empty},
			{Config: configDevices(name, seen("2026-11-30T01:45:12.1234567+01:00")), ConfigPlanChecks: empty},
			{
				// Another instant: an update in place.
				Config: configDevices(name, seen("2026-11-30T09:00:00.5000000+01:00")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{lastSeen("2026-11-30T09:00:00.5000000+01:00")},
				Check:             graphHolds("2026-11-30T08:00:00.5Z"),
			},
			{Config: configDevices(name, seen("2026-11-30T08:00:00.5Z")), ConfigPlanChecks: empty},
			{
				// Removing it from a device clears it: Graph holds its unset instant, state no value.
				Config:            configDevices(name, devPhone.without("last_seen_date_time")),
				ConfigStateChecks: []statecheck.StateCheck{stateDevices(devPhone.without("last_seen_date_time"))},
				Check:             graphHolds(unset),
			},
		},
	})
}

// without is a copy of d without attr.
func (d dev) without(attr string) dev {
	out := dev{}
	for k, v := range d {
		if k != attr {
			out[k] = v
		}
	}
	return out
}

// Date-times that Go's RFC 3339 parser reads but Graph's Edm.DateTimeOffset refuses with a 400 are
// refused when Terraform plans the apply, at the top level and inside an unmanaged device, so
// nothing reaches Graph: neither a create that fails with a 400 nor one (an instant past year 9999
// in UTC) that leaves a task which cannot be read back.
func TestAccUnmanagedDeviceDiscoveryTask_dateTimeGraphRefuses(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	acctest.AtEnd(t, func() error {
		if n := sim.Count("POST", graphsim.RouteTasks); n != 0 {
			return fmt.Errorf("%d POSTs reached Graph; a refused date-time must stop the apply at plan time", n)
		}
		return nil
	})
	const ranges = "Graph holds instants from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z in UTC, written with a year from 0001 to 9999."
	const offsets = "Graph accepts Z or an offset from -14:00 to +14:00, with minutes from 00 to 59."
	cases := []struct{ attrs, summary, detail string }{
		{`due_date_time = "2027-01-01T00:00:00+15:00"`, "Date-time offset outside Graph's range",
			`due_date_time = "2027-01-01T00:00:00+15:00" has the UTC offset +15:00. ` + offsets},
		{`due_date_time = "9999-12-31T23:59:59-01:00"`, "Date-time outside Graph's range",
			`due_date_time = "9999-12-31T23:59:59-01:00" is 10000-01-01T00:59:59Z in UTC. ` + ranges},
		{`due_date_time = "0000-06-01T00:00:00Z"`, "Date-time outside Graph's range",
			`due_date_time = "0000-06-01T00:00:00Z" is written in year 0000. ` + ranges},
		{`due_date_time = "2027-01-01T00:00:00,5Z"`, "Date-time with a comma before its fraction",
			`due_date_time = "2027-01-01T00:00:00,5Z" separates the fractional seconds with a comma. Graph accepts only a period: "2027-01-01T00:00:00.5Z".`},
		{`unmanaged_devices = [{ device_name = "pc", last_seen_date_time = "2026-11-30T00:00:00+14:30" }]`, "Date-time offset outside Graph's range",
			`unmanaged_devices[0].last_seen_date_time = "2026-11-30T00:00:00+14:30" has the UTC offset +14:30. ` + offsets},
		{`unmanaged_devices = [{ device_name = "pc" }, { last_seen_date_time = "0001-01-01T00:30:00+01:00" }]`, "Date-time outside Graph's range",
			`unmanaged_devices[1].last_seen_date_time = "0001-01-01T00:30:00+01:00" is 0000-12-31T23:30:00Z in UTC. ` + ranges},
		{`unmanaged_devices = [{ last_seen_date_time = "2026-11-30T00:00:00,25-08:00" }]`, "Date-time with a comma before its fraction",
			`unmanaged_devices[0].last_seen_date_time = "2026-11-30T00:00:00,25-08:00" separates the fractional seconds with a comma. ` +
				`Graph accepts only a period: "2026-11-30T00:00:00.25-08:00".`},
	}
	// Each step applies, so a value let through would be POSTed.
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      provider + configAttrs(name, c.attrs),
			ExpectError: acctest.Diagnostic(c.summary, c.detail),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
	})
}
