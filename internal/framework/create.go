package framework

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// Create recovery: when a POST ends without telling whether Graph created the task, the provider
// looks for the task before posting again (graph-behaviour.md §7.4).
const (
	// maxReposts is how often a create is posted again after a lookup found nothing.
	maxReposts = 2
	// The window on Graph's clock in which the lost create's task must have been stamped is widened
	// by these allowances: the Date header has whole seconds, and Intune, which stamps
	// createdDateTime, is not the front door that writes Date (Azure's hosts keep time to well under
	// a second). Before the POST left, the allowance is kept small, so that a task with the same
	// configuration made moments earlier (by an earlier apply, which this process cannot know of) is
	// not mistaken for the lost one; after the list was read, a task cannot have been made by it,
	// and the allowance only covers the clocks.
	createWindowBefore = 10 * time.Second
	createWindowAfter  = 30 * time.Second
	// localClockAllowance is the allowance when no answer carried a Date header and the window has
	// to be measured on this machine's clock, which may be off Graph's by more.
	localClockAllowance = 2 * time.Minute
	// lookupBudget is how long a lookup may take once the create's own deadline has passed, so a
	// task Graph did create still reaches state (tainted) instead of being orphaned.
	lookupBudget = time.Minute
)

// create POSTs the task. When a POST fails in a way that leaves open whether Graph created it, the
// task is looked for before posting again, so that a retried create never leaves two tasks. When
// the task is found after the operation's deadline, both the task (so its id reaches state and the
// resource is tainted) and the error are returned.
func (r *Resource) create(ctx context.Context, body models.DeviceAppManagementTaskable, plan Values) (*graph.Item, error) {
	// firstSent is when the first POST that Graph may have acted on left: a task any of this
	// create's POSTs made was stamped after it, however many times the create was sent again.
	var firstSent time.Time
	for reposts := 0; ; reposts++ {
		task, at, err := r.client.Create(ctx, r.entity.Collection(), body)
		if err == nil || !graph.AmbiguousWrite(err) {
			return task, err
		}
		// The answer was lost now: a gateway's 504 or a header timeout comes long after the POST
		// left, and the list may lag behind Graph's write by the whole consistency window from
		// here, not from the POST's departure.
		lostAt := time.Now()
		if firstSent.IsZero() {
			firstSent = at.SentAt
		}
		tflog.Warn(ctx, "create ended ambiguously; looking for the task before posting again",
			map[string]any{"reposts": reposts, "error": err.Error()})
		lookCtx := ctx
		if deadline, ok := ctx.Deadline(); ctx.Err() != nil || ok && time.Until(deadline) < lookupBudget {
			// The lookup gets its budget even when the create's deadline has passed or is near,
			// so a task Graph did make still reaches state instead of being orphaned.
			var cancel context.CancelFunc
			lookCtx, cancel = context.WithTimeout(context.WithoutCancel(ctx), lookupBudget)
			defer cancel()
		}
		look, lookErr := r.findCreated(lookCtx, plan, firstSent, lostAt, reposts > 0)
		switch {
		case lookErr != nil:
			return nil, graph.WithAdvice(err, fmt.Sprintf("The task may have been created: looking for it failed too.\n%s\n\n%s",
				graph.Describe(lookErr), r.lookGuidance(plan, look)))
		case look.adopted != nil:
			tflog.Info(ctx, "adopted the task the ambiguous create made", map[string]any{"id": look.adopted.ID})
			if ctx.Err() != nil {
				return look.adopted, graph.WithAdvice(err, fmt.Sprintf("Graph did create the task (%s) before the timeout passed: it is "+
					"saved in state, and Terraform marks it tainted, so the next apply replaces it. Raise the create timeout if Graph is "+
					"this slow.", look.adopted.ID))
			}
			return look.adopted, nil
		case look.unidentified > 0:
			return nil, graph.WithAdvice(err, fmt.Sprintf("The create may have succeeded: Graph lists %d task(s) that match this configuration "+
				"and were created when it was sent, but without an id, so the provider can neither take one as this resource's nor safely "+
				"send the create again (it would make a second task). A proxy or gateway that rewrites Graph's answers can do this.\n\n%s",
				look.unidentified, r.lookGuidance(plan, look)))
		case len(look.candidates) > 1:
			return nil, graph.WithAdvice(err, fmt.Sprintf("The create may have succeeded, and Graph holds %d tasks that match this configuration, "+
				"were created when it was sent and belong to no other resource of this run: %s. The provider cannot tell which, if any, "+
				"this create made; another may belong to a configuration outside this run.\n\n%s",
				len(look.candidates), strings.Join(look.candidates, ", "), r.lookGuidance(plan, look)))
		case ctx.Err() != nil:
			return nil, graph.WithAdvice(err, "No task made by this create was found.\n\n"+r.lookGuidance(plan, look))
		case reposts == maxReposts:
			return nil, graph.WithAdvice(err, fmt.Sprintf("The answer to this create was lost %d times; each time no task it could have "+
				"made appeared within %s, so it was sent again, and the provider gives up now.\n\n%s",
				reposts+1, consistencyWindow, r.lookGuidance(plan, look)))
		}
		tflog.Info(ctx, "the ambiguous create made no task; posting again", map[string]any{"reposts": reposts + 1})
	}
}

// lookup is what findCreated saw: the task it adopted, or the unclaimed candidates, or how many
// matching tasks Graph listed without an id, and the window it searched (on Graph's clock, for the
// guidance).
type lookup struct {
	adopted      *graph.Item
	candidates   []string
	unidentified int
	since, until time.Time
}

// lookGuidance tells the user how to find the task a lost create may have made. It never suggests
// deleting anything: a task that matches may belong to another resource or configuration.
func (r *Resource) lookGuidance(plan Values, look lookup) string {
	when := "around the time of this apply"
	if !look.since.IsZero() {
		when = fmt.Sprintf("between %s and %s (Graph's clock)", look.since.UTC().Format(time.RFC3339), look.until.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("Before applying again, look in Intune for %ss named %q created %s. If one is this "+
		"resource's, bring it under management with terraform import (or an import block) using its id, instead of creating another.",
		r.entity.Noun, plan.Str("display_name"), when)
}

// findCreated looks for the task a lost create of plan may have made, among the tasks Graph
// stamped from just before firstSent (the first of the create's POSTs that Graph may have acted
// on) until now. The list can lag behind a create like item reads do, so it polls for the
// consistency window from lostAt, when the last answer was lost. It adopts a task only when
// exactly one unclaimed task matches, and never one Graph lists without an id. After a repost
// (reposted), each POST may have made a task, and an earlier one's may show later than a later
// one's: a single match is then adopted only once the whole window has passed, so that a second
// match still showing up makes the several-candidates error instead of a silent duplicate.
func (r *Resource) findCreated(ctx context.Context, plan Values, firstSent, lostAt time.Time, reposted bool) (lookup, error) {
	var look lookup
	claims := r.client.Claims()
	coll := r.entity.Collection()
	wait := 2 * time.Second
	for {
		type match struct {
			item    *graph.Item
			created time.Time
		}
		var matches []match
		err := r.client.Each(ctx, coll, func(t *graph.Item) bool {
			m, ok := t.Model.(models.DeviceAppManagementTaskable)
			if ok && coll.Owns(t) && m.GetCreatedDateTime() != nil && r.createdFrom(plan, t) {
				matches = append(matches, match{t, *m.GetCreatedDateTime()})
			}
			return true
		})
		if err != nil {
			return look, err
		}
		// A POST of this process still on the wire may have put its task in this list before its
		// answer arrives and its id is claimed: let those settle before deciding what is unclaimed.
		if err := claims.WaitSettled(ctx); err != nil {
			return look, fmt.Errorf("waiting for this run's other creates to be answered: %w", err)
		}
		look.since, look.until = r.createWindow(firstSent)
		var ids []string
		byID := map[string]*graph.Item{}
		look.unidentified = 0
		for _, m := range matches {
			if m.created.Before(look.since) || m.created.After(look.until) {
				continue
			}
			if strings.TrimSpace(m.item.ID) == "" {
				look.unidentified++
				continue
			}
			ids = append(ids, m.item.ID)
			byID[m.item.ID] = m.item
		}
		windowOver := time.Since(lostAt) >= consistencyWindow
		switch free := claims.Unclaimed(ids); {
		case look.unidentified > 0:
			return look, nil
		case len(free) > 1:
			look.candidates = free
			return look, nil
		case len(free) == 1 && (!reposted || windowOver):
			if adopted := claims.Adopt(ids); len(adopted) == 1 {
				look.adopted = byID[adopted[0]]
				return look, nil
			}
			// Another lookup of this process took it in the meantime: look again.
		case windowOver:
			return look, nil
		}
		tflog.Debug(ctx, "no task to adopt yet; the list may lag behind the create, asking again", map[string]any{"wait": wait.String()})
		if err := graph.Sleep(ctx, wait); err != nil {
			return look, err
		}
		wait = min(wait*2, 5*time.Second)
	}
}

// createWindow is when, on Graph's clock, a task made by the lost create can have been stamped:
// from the moment its first POST left (firstSent) to now (the list was just read), widened by the
// allowances. Graph's clock comes from the latest answer's Date header (the failed answer's, or
// the list's), and the POST's departure is placed on it with the local monotonic clock, so this
// machine's wall clock does not matter.
func (r *Resource) createWindow(firstSent time.Time) (since, until time.Time) {
	sent, ok := r.client.GraphTimeAt(firstSent)
	if !ok {
		return firstSent.Add(-localClockAllowance), time.Now().Add(localClockAllowance)
	}
	now, _ := r.client.GraphNow()
	return sent.Add(-createWindowBefore), now.Add(createWindowAfter)
}

// createdFrom reports whether t is what a create of plan would have made (Table.Matches).
func (r *Resource) createdFrom(plan Values, t *graph.Item) bool {
	got, diags := r.entity.Table.Flatten(t, nil)
	return !diags.HasError() && r.entity.Table.Matches(plan, got)
}
