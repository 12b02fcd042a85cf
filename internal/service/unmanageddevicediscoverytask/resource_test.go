package unmanageddevicediscoverytask_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
	"github.com/terraform-intune/terraform-provider-intune/internal/service/unmanageddevicediscoverytask"
)

// A task with only a name: Graph's values for everything else land in state without a
// difference, and the next plan is empty.
func TestAccUnmanagedDeviceDiscoveryTask_basic(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: configBasic(name),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("display_name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("created_date_time"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("creator"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("creator_notes"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("assigned_to"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status_note"), knownvalue.Null()),
					// Graph holds 0001-01-01T00:00:00Z for "no due date": state shows no value.
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("due_date_time"), knownvalue.Null()),
					// Graph's values for the omitted enumerations (their first members).
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("category"), knownvalue.StringExact("unknown")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("priority"), knownvalue.StringExact("none")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact("unknown")),
					// Graph answers unmanagedDevices: [] for an omitted list; that is not a difference.
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("unmanaged_devices"), knownvalue.Null()),
				},
				Check: taskType.CheckRemote(t, func(task map[string]any) error {
					if err := checkNoDueDate(task); err != nil {
						return err
					}
					if task["displayName"] != name {
						return fmt.Errorf("displayName at Graph = %v", task["displayName"])
					}
					return wantDevices(task)
				}),
			},
			{
				Config:           configBasic(name),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// Every attribute configured (a device with every attribute, one without a last-seen date): state
// holds what was configured, Graph holds the same values, an import reads them all back, and an
// import block plans nothing.
func TestAccUnmanagedDeviceDiscoveryTask_full(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config:            configFull(name, fullA),
				ConfigStateChecks: fullChecks(name, fullA),
				Check: taskType.CheckRemote(t, func(task map[string]any) error {
					if err := wantFull(name, fullA)(task); err != nil {
						return err
					}
					// Graph holds all seven fractional digits (the SDK's own writer would have dropped
					// them), and the unset instant for the device without a last-seen date.
					devs := task["unmanagedDevices"].([]any)
					if got := devs[0].(map[string]any)["lastSeenDateTime"]; acctest.Sim != nil && got != "2026-11-30T00:45:12.1234567Z" {
						return fmt.Errorf("unmanagedDevices[0].lastSeenDateTime at Graph = %v, want 2026-11-30T00:45:12.1234567Z", got)
					}
					if got := devs[1].(map[string]any)["lastSeenDateTime"]; acctest.Sim != nil && got != unset {
						return fmt.Errorf("unmanagedDevices[1].lastSeenDateTime at Graph = %v, want %s", got, unset)
					}
					return nil
				}),
			},
			{
				Config:            configFull(name, fullA),
				ResourceName:      resourceName,
				ImportState:       true,
				ImportStateVerify: true,
				// timeouts and status_note exist only in Terraform: Graph has no such properties to import.
				ImportStateVerifyIgnore: []string{"timeouts", "status_note"},
			},
			{
				// Without the timeouts block: an import block plans against the configuration, and an
				// imported task has no timeouts in state. Graph's UTC spelling of the due date and of
				// the last-seen date must not plan a change either.
				Config:          configFullNoTimeouts(name, fullA),
				ResourceName:    resourceName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

// Every mutable attribute changes in place: an update of the same task, never a replacement.
func TestAccUnmanagedDeviceDiscoveryTask_update(t *testing.T) {
	name := acctest.RandomName()
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config:            configFull(name, fullA),
				ConfigStateChecks: append(fullChecks(name, fullA), sameID.AddStateValue(resourceName, tfjsonpath.New("id"))),
			},
			{
				Config: configFull(name+"-renamed", fullB),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: append(fullChecks(name+"-renamed", fullB), sameID.AddStateValue(resourceName, tfjsonpath.New("id"))),
				Check:             taskType.CheckRemote(t, wantFull(name+"-renamed", fullB)),
			},
		},
	})
}

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

// Removing every optional attribute: the strings are cleared (null), the due date becomes Graph's
// unset instant, the list of devices becomes [], and the enumerations keep Graph's values, in one
// PATCH; the next plan is empty.
func TestAccUnmanagedDeviceDiscoveryTask_removeOptional(t *testing.T) {
	name := acctest.RandomName()
	var id string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: configFull(name, fullA),
				Check:  acctest.SaveID(resourceName, &id),
			},
			{
				Config: configBasic(name),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					// Cleared.
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("creator"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("creator_notes"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("assigned_to"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("due_date_time"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("unmanaged_devices"), knownvalue.Null()),
					// Kept: Graph's value stays, and state shows it.
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("category"), knownvalue.StringExact(fullA.category)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("priority"), knownvalue.StringExact(fullA.priority)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("status"), knownvalue.StringExact(fullA.status)),
				},
				Check: resource.ComposeTestCheckFunc(
					taskType.CheckRemote(t, func(task map[string]any) error {
						for _, prop := range []string{"description", "creator", "creatorNotes", "assignedTo"} {
							if v := task[prop]; v != nil {
								return fmt.Errorf("%s at Graph = %v, want null", prop, v)
							}
						}
						if err := acctest.WantInstant(task, "dueDateTime", unset); err != nil {
							return fmt.Errorf("the due date is not cleared: %w", err)
						}
						if err := wantDevices(task); err != nil {
							return fmt.Errorf("the devices are not cleared: %w", err)
						}
						for prop, want := range map[string]string{"category": fullA.category, "priority": fullA.priority, "status": fullA.status} {
							if task[prop] != want {
								return fmt.Errorf("%s at Graph = %v, want %v kept", prop, task[prop], want)
							}
						}
						return nil
					}),
					func(*terraform.State) error { return checkRemovalPatch(id) },
				),
			},
			{
				Config:           configBasic(name),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// checkRemovalPatch looks at the PATCH that removed the optional attributes, at the emulator: it
// is the only one; the due date is cleared with Graph's unset value and the devices with [], never
// null (Graph refuses null for both); the strings are sent as explicit nulls; none of the
// enumerations, which keep Graph's value, is sent.
func checkRemovalPatch(id string) error {
	if acctest.Sim == nil {
		return nil // a real tenant keeps no request log; state and Graph's values are checked above
	}
	patch, err := acctest.OnlyPatch(acctest.Sim, id)
	if err != nil {
		return err
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(patch), &body); err != nil {
		return fmt.Errorf("PATCH body %q: %w", patch, err)
	}
	want := map[string]any{
		"@odata.type": odataType, "dueDateTime": unset, "unmanagedDevices": []any{},
		"description": nil, "creator": nil, "creatorNotes": nil, "assignedTo": nil,
	}
	for prop, w := range want {
		v, ok := body[prop]
		if !ok || fmt.Sprint(v) != fmt.Sprint(w) || (w == nil) != (v == nil) {
			return fmt.Errorf("the PATCH sent %s = %#v (present %v), want %#v: %s", prop, v, ok, w, patch)
		}
	}
	if len(body) != len(want) {
		return fmt.Errorf("the PATCH sent more than the removed attributes (the enumerations keep Graph's value): %s", patch)
	}
	if !strings.HasPrefix(patch, `{"@odata.type":`) {
		return fmt.Errorf("the PATCH does not name its type first: %s", patch)
	}
	return nil
}

// A task deleted outside Terraform: the refresh drops it, and the plan creates it again.
func TestAccUnmanagedDeviceDiscoveryTask_disappears(t *testing.T) {
	name := acctest.RandomName()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroy(t),
		Steps: []resource.TestStep{
			{
				Config: configDevices(name, devLaptop),
				Check: func(s *terraform.State) error {
					// Deleted behind Terraform's back.
					return acctest.Client(t).Delete(acctest.Context(t), unmanageddevicediscoverytask.Entity.Collection(),
						s.RootModule().Resources[resourceName].Primary.ID)
				},
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

// Invalid configurations fail at plan time, before anything reaches Graph, with these summaries
// (and details naming the attribute).
func TestAccUnmanagedDeviceDiscoveryTask_invalid(t *testing.T) {
	cases := map[string]struct {
		attrs string
		want  string
	}{
		"empty display name": {``, `Invalid Attribute Value Length(.|\n)*Attribute display_name string length must be at least 1, got: 0`},
		"unknown status": {`status = "inReview"`, `Invalid Attribute Value Match(.|\n)*Attribute status value must be one of: ` +
			`\["unknown" "pending" "active" "completed" "rejected"\], got: "inReview"`},
		"wrong case": {`priority = "High"`, `Invalid Attribute Value Match(.|\n)*Attribute priority value must be one of: \["none" "high" "low"\], got: "High"`},
		"bad category": {`category = "malware"`, `Invalid Attribute Value Match(.|\n)*Attribute category value must be one of: ` +
			`\["unknown" "advancedThreatProtection"\], got: "malware"`},
		"due date too precise": {`due_date_time = "2027-01-01T00:00:00.12345678Z"`,
			`Date-time more precise than Graph stores(.|\n)*due_date_time has 8 fractional-second digits`},
		"due date unset instant": {`due_date_time = "0001-01-01T00:00:00Z"`,
			`Date-time means "no date" in Graph(.|\n)*due_date_time = "0001-01-01T00:00:00Z" is 0001-01-01T00:00:00Z(.|\n)*` +
				`For a task without a due date, leave due_date_time out of the configuration`},
		"due date not a date": {`due_date_time = "next friday"`, `Invalid RFC3339 String Value`},
		"last seen too precise": {`unmanaged_devices = [{ device_name = "pc", last_seen_date_time = "2026-11-30T00:00:00.12345678+01:00" }]`,
			`Date-time more precise than Graph stores(.|\n)*unmanaged_devices\[0\].last_seen_date_time has 8 fractional-second digits`},
		"last seen unset instant": {`unmanaged_devices = [{ device_name = "pc" }, { last_seen_date_time = "0001-01-01T00:00:00Z" }]`,
			`Date-time means "no date" in Graph(.|\n)*unmanaged_devices\[1\].last_seen_date_time = "0001-01-01T00:00:00Z" is 0001-01-01T00:00:00Z, ` +
				`the value Graph holds for an unset lastSeenDateTime(.|\n)*For an unset lastSeenDateTime, leave unmanaged_devices\[1\].last_seen_date_time out`},
		"last seen unset, another spelling": {`unmanaged_devices = [{ last_seen_date_time = "0001-01-01T01:00:00.0+01:00" }]`,
			`Date-time means "no date" in Graph`},
		"last seen malformed": {`unmanaged_devices = [{ device_name = "pc", last_seen_date_time = "yesterday" }]`,
			`Invalid RFC3339 String Value(.|\n)*"yesterday"`},
		"null device":            {`unmanaged_devices = [{ os = "Linux" }, null]`, `Null List Value(.|\n)*This attribute contains a null value`},
		"last seen without zone": {`unmanaged_devices = [{ last_seen_date_time = "2026-11-30T00:00:00" }]`, `Invalid RFC3339 String Value`},
	}
	for name, c := range cases {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			name := acctest.RandomName()
			if c.attrs == "" {
				name = ""
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:   configAttrs(name, c.attrs),
					PlanOnly: true,
					// Terraform wraps long messages: any run of spaces may be a line break.
					ExpectError: regexp.MustCompile(strings.ReplaceAll(c.want, " ", `\s+`)),
				}},
			})
		})
	}
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
