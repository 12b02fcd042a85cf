package bench

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"time"

	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// Operation names, in the order they run.
const (
	OpCreate  = "apply (create)"
	OpPlan    = "plan (no-op)"
	OpUpdate  = "apply (update all)"
	OpDestroy = "destroy"
)

// OpResult is one terraform operation over N tasks.
type OpResult struct {
	Name    string
	N       int
	Command string // the terraform command line
	Wall    time.Duration
	Floor   time.Duration
	Exit    int
	PeakRSS int64 // kB
	Plugins int
	Calls   Calls
}

// Ratio is wall time over the floor.
func (o OpResult) Ratio() float64 {
	if o.Floor <= 0 {
		return 0
	}
	return float64(o.Wall) / float64(o.Floor)
}

// Calls sorts the Graph requests of one operation by what they were for. A read of a task before the
// first write to it in the operation is a refresh; a read after it is a read-back (after a 204, or
// the confirming read after a delete).
type Calls struct {
	Refresh   int // GET item before any write to it
	Create    int // POST collection
	Patch     int // PATCH item
	Status    int // POST item/updateStatus
	Delete    int // DELETE item
	ReadAfter int // GET item after a write to it, or any GET of a task created in this operation
	List      int // GET collection or $count
	Token     int // token requests to Entra
	Throttled int // 429 answers among them
	Other     int
}

// Graph is every Graph call (token requests excluded).
func (c Calls) Graph() int {
	return c.Refresh + c.Create + c.Patch + c.Status + c.Delete + c.ReadAfter + c.List + c.Other
}

func classify(reqs []graphsim.LoggedRequest) Calls {
	var c Calls
	written := map[string]bool{}
	for _, q := range reqs {
		if q.Status == http.StatusTooManyRequests {
			c.Throttled++
		}
		id := path.Base(q.Path)
		switch {
		case q.Route == graphsim.RouteToken:
			c.Token++
		case q.Route == graphsim.RouteTasks && q.Method == http.MethodPost:
			c.Create++
		case q.Route == graphsim.RouteTasks || q.Route == graphsim.RouteCount:
			c.List++
		case q.Route == graphsim.RouteTask && q.Method == http.MethodGet:
			if written[id] || c.Create > 0 {
				c.ReadAfter++
			} else {
				c.Refresh++
			}
		case q.Route == graphsim.RouteTask && q.Method == http.MethodPatch:
			c.Patch++
			written[id] = true
		case q.Route == graphsim.RouteTask && q.Method == http.MethodDelete:
			c.Delete++
			written[id] = true
		case q.Route == graphsim.RouteUpdateStatus:
			c.Status++
			written[path.Base(path.Dir(q.Path))] = true
		case q.Route == graphsim.RouteDiscovery || q.Route == graphsim.RouteKeys:
			// Entra metadata, part of authenticating like the token request.
			c.Token++
		default:
			c.Other++
		}
	}
	return c
}

// ScaleResult is the four operations over N tasks.
type ScaleResult struct {
	N       int
	Latency time.Duration
	Ops     []OpResult
	// Left is how many tasks the emulator held after the destroy.
	Left int
}

// scale creates, plans, updates and destroys n tasks with the configured latency.
func (r *runner) scale(ctx context.Context, n int) (ScaleResult, error) {
	res := ScaleResult{N: n, Latency: r.cfg.Latency}
	r.sim.Reset()
	r.sim.SetFaults(graphsim.Faults{Latency: r.cfg.Latency})
	dir, err := r.workspace(fmt.Sprintf("scale-%d", n), n, "")
	if err != nil {
		return res, err
	}
	par := "-parallelism=" + strconv.Itoa(r.cfg.Parallelism)
	floor := time.Duration(ceilDiv(n, r.cfg.Parallelism)) * r.cfg.Latency
	steps := []struct {
		name string
		args []string
		want []int
	}{
		{OpCreate, []string{"apply", "-auto-approve", "-input=false", par}, []int{0}},
		{OpPlan, []string{"plan", "-detailed-exitcode", "-input=false", par}, []int{0}},
		{OpUpdate, []string{"apply", "-auto-approve", "-input=false", par, "-var=description=Updated by make bench."}, []int{0}},
		{OpDestroy, []string{"destroy", "-auto-approve", "-input=false", par}, []int{0}},
	}
	for _, st := range steps {
		logf(r.cfg, "N=%d: %s", n, shellJoin(append([]string{"terraform"}, st.args...)))
		rn, err := r.terraform(ctx, dir, st.args...)
		op := OpResult{Name: st.name, N: n, Command: shellJoin(rn.Args), Wall: rn.Wall, Floor: floor, Exit: rn.Exit,
			PeakRSS: rn.PeakRSS, Plugins: rn.Plugins, Calls: classify(rn.Requests)}
		res.Ops = append(res.Ops, op)
		if err != nil {
			return res, err
		}
		logf(r.cfg, "N=%d: %s took %s (floor %s), %d Graph calls, provider peak RSS %.0f MB",
			n, st.name, rn.Wall.Round(time.Millisecond), floor, op.Calls.Graph(), float64(rn.PeakRSS)/1024)
		if err := rn.failure(st.want...); err != nil {
			return res, err
		}
		if st.name == OpCreate {
			if got := len(r.sim.Tasks()); got != n {
				return res, fmt.Errorf("after the apply the emulator holds %d tasks, want %d", got, n)
			}
		}
	}
	res.Left = len(r.sim.Tasks())
	if res.Left != 0 {
		return res, fmt.Errorf("after the destroy the emulator still holds %d tasks", res.Left)
	}
	return res, nil
}

// ThrottledResult is an apply of N creates under Intune's write limit.
type ThrottledResult struct {
	N           int
	Limit       int
	Window      time.Duration
	PacerLimit  int // write_rate_limit set on the provider; 0 = retries only
	Command     string
	Wall        time.Duration
	Floor       time.Duration
	Exit        int
	Tasks       int // tasks the emulator held after the apply
	Throttled   int // 429s the emulator sent
	Calls       Calls
	PeakRSS     int64
	DestroyExit int
	// PerWindow counts the creates Graph accepted in each window after the first write attempt, and
	// LastWrite is when the last one was accepted: together they show where the time went.
	PerWindow []int
	LastWrite time.Duration
}

// writeWindows buckets the accepted creates of reqs by window, counted from the first write attempt.
func writeWindows(reqs []graphsim.LoggedRequest, window time.Duration) (perWindow []int, last time.Duration) {
	var t0 time.Time
	for _, q := range reqs {
		if q.Route != graphsim.RouteTasks || q.Method != http.MethodPost {
			continue
		}
		if t0.IsZero() {
			t0 = q.Time
		}
		if q.Status != http.StatusCreated {
			continue
		}
		at := q.Time.Sub(t0)
		i := int(at / window)
		for len(perWindow) <= i {
			perWindow = append(perWindow, 0)
		}
		perWindow[i]++
		last = max(last, at)
	}
	return perWindow, last
}

// Ratio is wall time over the floor.
func (t ThrottledResult) Ratio() float64 {
	if t.Floor <= 0 {
		return 0
	}
	return float64(t.Wall) / float64(t.Floor)
}

// throttled creates n tasks under the write throttle, with the provider's write pacer set to
// pacerLimit writes per window (0: not set, retries alone), then destroys them unthrottled.
func (r *runner) throttled(ctx context.Context, n, pacerLimit int) (ThrottledResult, error) {
	c := r.cfg
	res := ThrottledResult{N: n, Limit: c.WriteLimit, Window: c.WriteWindow, PacerLimit: pacerLimit,
		Floor: time.Duration(ceilDiv(n, c.WriteLimit)-1) * c.WriteWindow}
	r.sim.Reset()
	r.sim.SetFaults(graphsim.Faults{WriteThrottle: &graphsim.Throttle{Limit: c.WriteLimit, Window: c.WriteWindow}})
	provider, name := "", fmt.Sprintf("throttled-%d", n)
	if pacerLimit > 0 {
		provider = fmt.Sprintf("\n  write_rate_limit = %d\n", pacerLimit)
		name += "-paced"
	}
	dir, err := r.workspace(name, n, provider)
	if err != nil {
		return res, err
	}
	args := []string{"apply", "-auto-approve", "-input=false", "-parallelism=" + strconv.Itoa(c.Parallelism)}
	logf(c, "throttled N=%d (%d writes per %s, write_rate_limit %d): %s", n, c.WriteLimit, c.WriteWindow, pacerLimit,
		shellJoin(append([]string{"terraform"}, args...)))
	rn, err := r.terraform(ctx, dir, args...)
	res.Command, res.Wall, res.Exit, res.PeakRSS = shellJoin(rn.Args), rn.Wall, rn.Exit, rn.PeakRSS
	res.Calls = classify(rn.Requests)
	res.PerWindow, res.LastWrite = writeWindows(rn.Requests, c.WriteWindow)
	res.Throttled = r.sim.Throttled()
	res.Tasks = len(r.sim.Tasks())
	if err != nil {
		return res, err
	}
	logf(c, "throttled N=%d: %s (floor %s), %d 429s, exit %d, %d tasks", n, rn.Wall.Round(time.Millisecond), res.Floor,
		res.Throttled, rn.Exit, res.Tasks)
	applyErr := rn.failure(0)
	if applyErr == nil && res.Tasks != n {
		applyErr = fmt.Errorf("after the throttled apply the emulator holds %d tasks, want %d", res.Tasks, n)
	}

	// Clean up without the throttle: the destroy is not what this run measures.
	r.sim.SetFaults(graphsim.Faults{})
	dn, err := r.terraform(ctx, dir, "destroy", "-auto-approve", "-input=false")
	res.DestroyExit = dn.Exit
	if err == nil {
		err = dn.failure(0)
	}
	if applyErr != nil {
		return res, applyErr
	}
	return res, err
}
