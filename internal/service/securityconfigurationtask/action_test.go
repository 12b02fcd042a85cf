package securityconfigurationtask_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// wantStatus checks at the emulator that task id has status and that updateStatus recorded note.
func wantStatus(sim *graphsim.Server, id, status, note string) error {
	task, ok := sim.Task(id)
	if !ok {
		return fmt.Errorf("task %s is not at the emulator", id)
	}
	if task["status"] != status {
		return fmt.Errorf("task %s has status %v, want %s", id, task["status"], status)
	}
	if got, _ := sim.TaskNote(id); got != note {
		return fmt.Errorf("updateStatus recorded note %q on %s, want %q", got, id, note)
	}
	return nil
}

// The action, triggered from resources' lifecycle: on the task a resource just created, and on an
// app vulnerability task Defender raised (the action works on every task type).
func TestAccSecurityTaskUpdateStatus_actionTrigger(t *testing.T) {
	acctest.SkipUnlessTerraform(t, "1.14.0", "actions (action_trigger)")
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	vuln := sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.appVulnerabilityTask", "displayName": name + "-openssl",
		"status": "pending", "appName": "OpenSSL", "mitigationType": "update"})
	var created string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             taskType.CheckDestroyOn(t, sim),
		Steps: []resource.TestStep{{
			Config: provider + fmt.Sprintf(`
action "intune_security_task_update_status" "accept_new" {
  config {
    task_id = intune_security_configuration_task.test.id
    status  = "active"
    note    = "accepted when created"
  }
}

resource "intune_security_configuration_task" "test" {
  display_name = "%[1]s-new"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.intune_security_task_update_status.accept_new]
    }
  }
}

action "intune_security_task_update_status" "accept_vulnerability" {
  config {
    task_id = %[2]q
    status  = "active"
    note    = "patch rolling out"
  }
}

resource "terraform_data" "rollout" {
  input = "openssl-3.0.15"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.intune_security_task_update_status.accept_vulnerability]
    }
  }
}
`, name, vuln),
			Check: func(s *terraform.State) error {
				created = s.RootModule().Resources[resourceName].Primary.ID
				if err := wantStatus(sim, created, "active", "accepted when created"); err != nil {
					return err
				}
				return wantStatus(sim, vuln, "active", "patch rolling out")
			},
		}},
	})
}

// terraform apply -invoke runs the action alone (terraform-plugin-testing cannot pass -invoke, so
// the CLI is driven directly); a task that does not exist fails with an error naming it, and a
// status outside the list fails at plan time.
func TestAccSecurityTaskUpdateStatus_invoke(t *testing.T) {
	acctest.SkipUnlessTerraform(t, "1.14.0", "actions (terraform apply -invoke)")
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	name := acctest.RandomName()
	task := sim.Seed(defenderTask(name+"-av", nil))
	discovery := sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.unmanagedDeviceDiscoveryTask", "displayName": name + "-discovery", "status": "active"})
	h := acctest.NewHarness(t)
	dir := h.Dir(t, map[string]string{"main.tf": provider + fmt.Sprintf(`
action "intune_security_task_update_status" "complete" {
  config {
    task_id = %q
    status  = "completed"
    note    = "policy deployed to all devices"
  }
}

action "intune_security_task_update_status" "reject_discovery" {
  config {
    task_id = %q
    status  = "rejected"
  }
}

action "intune_security_task_update_status" "missing" {
  config {
    task_id = "00000000-0000-0000-0000-000000000000"
    status  = "active"
  }
}
`, task, discovery)})
	invoke := func(action string) (string, error) {
		return h.Run(t, dir, "apply", "-no-color", "-input=false", "-auto-approve", "-invoke=action.intune_security_task_update_status."+action)
	}
	out, err := invoke("complete")
	if err != nil {
		t.Fatalf("apply -invoke: %v\n%s", err, out)
	}
	if err := wantStatus(sim, task, "completed", "policy deployed to all devices"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "from pending to completed") {
		t.Fatalf("the progress does not say what changed:\n%s", out)
	}
	if out, err := invoke("reject_discovery"); err != nil {
		t.Fatalf("apply -invoke on an unmanaged device discovery task: %v\n%s", err, out)
	}
	if got, _ := sim.Task(discovery); got["status"] != "rejected" {
		t.Fatalf("discovery task status %v", got["status"])
	}
	out, err = invoke("missing")
	if err == nil || !regexp.MustCompile(`Intune task not found(.|\n)*No task with id\s+"00000000-0000-0000-0000-000000000000"`).MatchString(out) {
		t.Fatalf("invoking the action on a missing task: err=%v\n%s", err, out)
	}

	bad := h.Dir(t, map[string]string{"main.tf": provider + fmt.Sprintf(`
action "intune_security_task_update_status" "bad" {
  config {
    task_id = %q
    status  = "Completed"
  }
}
`, task)})
	out, err = h.Run(t, bad, "plan", "-no-color", "-input=false", "-invoke=action.intune_security_task_update_status.bad")
	if err == nil || !regexp.MustCompile(`Attribute status value must be one of`).MatchString(out) {
		t.Fatalf("a status outside the list: err=%v\n%s", err, out)
	}
	for _, r := range sim.Requests() {
		if r.Route == graphsim.RouteUpdateStatus && strings.Contains(r.Body, "Completed") {
			t.Fatal("an invalid status reached Graph")
		}
	}

	// Graph's metadata declares the note non-Unicode: a note outside ASCII fails at plan time.
	nonASCII := h.Dir(t, map[string]string{"main.tf": provider + fmt.Sprintf(`
action "intune_security_task_update_status" "bad" {
  config {
    task_id = %q
    status  = "completed"
    note    = "Überprüft"
  }
}
`, task)})
	out, err = h.Run(t, nonASCII, "plan", "-no-color", "-input=false", "-invoke=action.intune_security_task_update_status.bad")
	if err == nil || !regexp.MustCompile(`Attribute note must contain only ASCII characters`).MatchString(out) {
		t.Fatalf("a note outside ASCII: err=%v\n%s", err, out)
	}
	for _, r := range sim.Requests() {
		if r.Route == graphsim.RouteUpdateStatus && strings.Contains(r.Body, "berpr") {
			t.Fatal("a note outside ASCII reached Graph")
		}
	}
}

// The action's timeouts block bounds an invocation: a Graph slower than timeouts.invoke fails it,
// saying the timeout passed; a timeout of zero is refused at plan time, before Graph is called.
func TestAccSecurityTaskUpdateStatus_timeouts(t *testing.T) {
	acctest.SkipUnlessTerraform(t, "1.14.0", "actions (terraform apply -invoke)")
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	task := sim.Seed(defenderTask(acctest.RandomName()+"-slow", nil))
	h := acctest.NewHarness(t)
	config := func(invoke string) string {
		return provider + fmt.Sprintf(`
action "intune_security_task_update_status" "accept" {
  config {
    task_id = %q
    status  = "active"

    timeouts {
      invoke = %q
    }
  }
}
`, task, invoke)
	}
	sim.SetFaults(graphsim.Faults{Rules: []graphsim.Rule{{Method: "POST", Route: graphsim.RouteUpdateStatus, Delay: time.Hour}}})
	dir := h.Dir(t, map[string]string{"main.tf": config("3s")})
	start := time.Now()
	out, err := h.Run(t, dir, "apply", "-no-color", "-input=false", "-auto-approve", "-invoke=action.intune_security_task_update_status.accept")
	if err == nil || !regexp.MustCompile(`changing an Intune task's status(.|\n)*timeout\s+passed`).MatchString(out) {
		t.Fatalf("a Graph slower than timeouts.invoke: err=%v\n%s", err, out)
	}
	// An hour's delay against a 3 s timeout: anything near the default of 10 minutes would be the
	// block ignored.
	if took := time.Since(start); took > 5*time.Minute {
		t.Fatalf("the invocation took %v: timeouts.invoke was not applied", took)
	}
	sim.SetFaults(graphsim.Faults{})
	sim.ResetLog()
	zero := h.Dir(t, map[string]string{"main.tf": config("0s")})
	out, err = h.Run(t, zero, "plan", "-no-color", "-input=false", "-invoke=action.intune_security_task_update_status.accept")
	if err == nil || !regexp.MustCompile(`timeouts.invoke must be a positive duration`).MatchString(out) {
		t.Fatalf("timeouts.invoke = 0s: err=%v\n%s", err, out)
	}
	if n := sim.Count("POST", graphsim.RouteUpdateStatus); n != 0 {
		t.Fatalf("%d updateStatus calls for an invocation refused at plan time", n)
	}
}
