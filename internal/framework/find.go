package framework

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// Finders and waiters: reads that allow for Graph's replicas lagging a write
// (graph-behaviour.md §8).

// findTask reads a task. A 404 may only mean the replica answering has not seen the task yet: while
// young reports the task may be that new (and ctx allows), the read is asked again; otherwise it
// gets one confirming read before the 404 stands.
func findTask(ctx context.Context, c *graph.Client, coll *graph.Collection, id string, young func() bool) (*graph.Item, error) {
	wait := time.Second
	for attempt := 1; ; attempt++ {
		task, err := c.Get(ctx, coll, id)
		if !graph.IsNotFound(err) {
			return task, err
		}
		if attempt >= 2 && !young() {
			return nil, err
		}
		tflog.Debug(ctx, "task not found; asking again in case Graph is catching up", map[string]any{"id": id, "attempt": attempt})
		if graph.Sleep(ctx, wait) != nil {
			return nil, err
		}
		wait = min(wait*2, 5*time.Second)
	}
}

// recentlyCreated reports whether task id may be younger than the consistency window: this
// process created or adopted it that recently, or its createdDateTime (Graph's clock) is that
// recent by Graph's clock.
func recentlyCreated(c *graph.Client, id string, created timetypes.RFC3339) bool {
	if at, ok := c.Claims().CreatedAt(id); ok {
		return time.Since(at) < consistencyWindow
	}
	if created.IsNull() || created.IsUnknown() {
		return false
	}
	t, err := time.Parse(time.RFC3339Nano, created.ValueString())
	if err != nil {
		return false
	}
	now, ok := c.GraphNow()
	if !ok {
		now = time.Now()
	}
	return now.Sub(t) < consistencyWindow
}

// waitDeleted reads the task until Graph reports it gone, so that a re-create in the same apply
// does not race a delete still being replicated. It runs only after Graph accepted the DELETE of
// this very URL, which proves the URL right: any 404 for it now means gone, with Graph's error
// JSON or without (a stand-in or a front end answering a gone id with a bare status), unlike a
// read's 404, which must be Graph's own to mean gone (graph.IsNotFound; graph-behaviour.md §6).
func waitDeleted(ctx context.Context, c *graph.Client, coll *graph.Collection, id string) error {
	wait := 500 * time.Millisecond
	for {
		_, err := c.Get(ctx, coll, id)
		var ge *graph.Error
		if errors.As(err, &ge) && ge.StatusCode == http.StatusNotFound {
			return nil
		}
		if err != nil {
			return err
		}
		if err := graph.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("task %s still exists after the delete: %w", id, err)
		}
		wait = min(wait*2, 5*time.Second)
	}
}

// waitShows reads the task after an update whose answer did not carry it (a 204, or the status
// action) until Graph shows every configured value of plan, for at most the consistency window.
// stale reports that it never did: the caller keeps the planned values.
func (r *Resource) waitShows(ctx context.Context, id string, plan, config, prior Values) (task *graph.Item, stale bool, err error) {
	deadline := time.Now().Add(consistencyWindow)
	wait := 500 * time.Millisecond
	for {
		task, err = r.find(ctx, id, prior)
		if err != nil {
			return nil, false, err
		}
		got, diags := r.entity.Table.Flatten(task, plan)
		if !diags.HasError() && r.entity.Collection().Owns(task) && r.entity.Table.ShowsConfigured(got, plan, config) {
			return task, false, nil
		}
		if time.Now().Add(wait).After(deadline) {
			return task, true, nil
		}
		tflog.Debug(ctx, "Graph does not show the update yet; reading again", map[string]any{"id": id, "wait": wait.String()})
		if graph.Sleep(ctx, wait) != nil {
			// Out of time: the write succeeded, so it is no failure; the caller keeps the planned values.
			return task, true, nil //nolint:nilerr // see above
		}
		wait = min(wait*2, 5*time.Second)
	}
}
