package securityconfigurationtask_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// Triage at scale: one apply -invoke accepts every pending task of a filtered view at once, the
// action's for_each going over intune_security_tasks. Only the view's tasks change, each with two
// Graph calls (its read and its updateStatus), and the view itself is read once, page by page.
func TestAccSecurityTaskUpdateStatus_triageAFilteredView(t *testing.T) {
	acctest.SkipUnlessTerraform(t, "1.14.0", "actions (terraform apply -invoke)")
	sim, provider := acctest.NewSim(t, graphsim.Options{PageSize: 4})
	name := acctest.RandomName()
	var view []string
	for i := range 6 {
		view = append(view, sim.Seed(defenderTask(fmt.Sprintf("%s-view-%d", name, i), map[string]any{
			"creator": "Defender@Contoso.com", "dueDateTime": fmt.Sprintf("2027-01-%02dT12:00:00Z", i+1)})))
	}
	// Outside the view: another creator, a task already active, one due after the range. Their
	// statuses must not change.
	others := map[string]string{
		sim.Seed(defenderTask(name+"-other-creator", map[string]any{"creator": "partner@fabrikam.com", "dueDateTime": "2027-01-02T00:00:00Z"})):              "pending",
		sim.Seed(defenderTask(name+"-active", map[string]any{"status": "active", "creator": "defender@contoso.com", "dueDateTime": "2027-01-02T00:00:00Z"})): "active",
		sim.Seed(defenderTask(name+"-late", map[string]any{"creator": "defender@contoso.com", "dueDateTime": "2027-03-01T00:00:00Z"})):                       "pending",
	}
	h := acctest.NewHarness(t)
	dir := h.Dir(t, map[string]string{"main.tf": provider + `
data "intune_security_tasks" "pending" {
  status     = "pending"
  creator    = "defender@contoso.com"
  due_after  = "2027-01-01T00:00:00Z"
  due_before = "2027-02-01T00:00:00Z"
}

action "intune_security_task_update_status" "accept" {
  for_each = { for t in data.intune_security_tasks.pending.tasks : t.id => t }

  config {
    task_id = each.key
    status  = "active"
    note    = "accepted in triage"

    timeouts {
      invoke = "5m"
    }
  }
}
`})
	sim.ResetLog()
	out, err := h.Run(t, dir, "apply", "-no-color", "-input=false", "-auto-approve", "-invoke=action.intune_security_task_update_status.accept")
	if err != nil {
		t.Fatalf("apply -invoke: %v\n%s", err, out)
	}
	for _, id := range view {
		if err := wantStatus(sim, id, "active", "accepted in triage"); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	for id, status := range others {
		if err := wantStatus(sim, id, status, ""); err != nil {
			t.Fatalf("a task outside the view changed: %v", err)
		}
	}
	// Graph calls: per task one read and one updateStatus; the view's pages once per walk.
	perTask := map[string]int{}
	for _, r := range sim.Requests() {
		for _, id := range view {
			if strings.Contains(r.Path, "/"+id) {
				perTask[id]++
			}
		}
	}
	for _, id := range view {
		if perTask[id] != 2 {
			t.Errorf("task %s: %d Graph calls, want 2 (its read and its updateStatus)", id, perTask[id])
		}
	}
	if n := sim.Count("POST", graphsim.RouteUpdateStatus); n != len(view) {
		t.Errorf("%d updateStatus calls, want %d", n, len(view))
	}
	pages := sim.Count("GET", graphsim.RouteTasks)
	t.Logf("accepted %d tasks with %d updateStatus and %d item reads; the view took %d list pages (page size 4, %d tasks)",
		len(view), sim.Count("POST", graphsim.RouteUpdateStatus), sim.Count("GET", graphsim.RouteTask), pages, len(view)+len(others))
	if want := (len(view) + len(others) + 3) / 4; pages != want {
		t.Errorf("the view was read in %d list pages, want %d: one walk of it", pages, want)
	}
}
