package bench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// PacingResult is one measurement of the provider's learned write pacing: Runs terraform
// processes (separate working directories and state, the same app) each creating N tasks at
// once against one tenant-wide write throttle of Limit writes per Window.
type PacingResult struct {
	N      int // creates per run
	Runs   int
	Limit  int
	Window time.Duration
	// Wall runs from the start of the first terraform process to the exit of the last; Floor is
	// that of the runs' writes together.
	Wall  time.Duration
	Floor time.Duration
	// RunWalls is each run's own wall time, in start order.
	RunWalls []time.Duration
	Exits    []int
	Commands []string
	// Tasks is how many tasks the emulator held after the applies, Duplicates how many display
	// names it held more than once.
	Tasks      int
	Duplicates int
	Throttled  int // 429s the emulator sent
	// LateThrottled counts the 429s after the first window (from the first write attempt), and
	// LateWrites the creates accepted after it: the goal is at most 2 of the first per 100 of the second.
	LateThrottled int
	LateWrites    int
	Posts         int // POST attempts
	PerWindow     []int
	LastWrite     time.Duration // last create accepted, from the first write attempt
	// FirstWrite is when the first write attempt reached the emulator, from the start of the first
	// terraform process: terraform's start-up and plan, which the floor does not count.
	FirstWrite   time.Duration
	PeakRSS      int64
	DestroyExits []int
}

// Ratio is wall time over the floor.
func (p PacingResult) Ratio() float64 {
	if p.Floor <= 0 {
		return 0
	}
	return float64(p.Wall) / float64(p.Floor)
}

// LatePer100 is the 429s after the first window per 100 creates accepted after it.
func (p PacingResult) LatePer100() float64 {
	if p.LateWrites == 0 {
		return 0
	}
	return 100 * float64(p.LateThrottled) / float64(p.LateWrites)
}

// pacingFloor is the throttled floor of total writes (the same definition as the throttled phase).
func pacingFloor(total, limit int, window time.Duration) time.Duration {
	return time.Duration(ceilDiv(total, limit)-1) * window
}

// pacing runs runs terraform applies of n creates each at the same moment under the tenant-wide
// write throttle, with the provider's defaults (no write_rate_limit), then destroys the tasks
// without the throttle.
func (r *runner) pacing(ctx context.Context, n, runs int) (PacingResult, error) {
	c := r.cfg
	res := PacingResult{N: n, Runs: runs, Limit: c.PacingLimit, Window: c.PacingWindow,
		Floor: pacingFloor(n*runs, c.PacingLimit, c.PacingWindow)}
	r.sim.Reset()
	r.sim.SetFaults(graphsim.Faults{WriteThrottle: &graphsim.Throttle{Limit: c.PacingLimit, Window: c.PacingWindow}})
	dirs := make([]string, runs)
	for i := range dirs {
		dir, err := r.workspace(fmt.Sprintf("pacing-%d-of-%dx%d", i+1, runs, n), n, "")
		if err != nil {
			return res, err
		}
		if err := renameTasks(dir, i+1); err != nil {
			return res, err
		}
		dirs[i] = dir
	}
	args := []string{"apply", "-auto-approve", "-input=false", "-parallelism=" + strconv.Itoa(c.Parallelism)}
	logf(c, "pacing: %d run(s) of N=%d at once under %d writes per %s: %s", runs, n, c.PacingLimit, c.PacingWindow,
		shellJoin(append([]string{"terraform"}, args...)))
	rns, start, wall, err := r.terraformTogether(ctx, dirs, args...)
	res.Wall = wall
	var reqs []graphsim.LoggedRequest
	for _, rn := range rns {
		res.RunWalls = append(res.RunWalls, rn.Wall)
		res.Exits = append(res.Exits, rn.Exit)
		res.Commands = append(res.Commands, shellJoin(rn.Args))
		res.PeakRSS = max(res.PeakRSS, rn.PeakRSS)
		reqs = rn.Requests // the same log for all: the runs share the emulator
	}
	res.Throttled = r.sim.Throttled()
	res.PerWindow, res.LastWrite = writeWindows(reqs, c.PacingWindow)
	res.LateThrottled, res.LateWrites = lateCounts(reqs, start, c.PacingWindow)
	for _, q := range reqs {
		if q.Method != http.MethodGet && !q.Time.Before(start) {
			res.FirstWrite = q.Time.Sub(start)
			break
		}
	}
	res.Posts = classify(reqs).Create
	tasks := r.sim.Tasks()
	res.Tasks = len(tasks)
	names := map[string]int{}
	for _, t := range tasks {
		name, _ := t["displayName"].(string)
		names[name]++
	}
	for _, k := range names {
		if k > 1 {
			res.Duplicates += k - 1
		}
	}
	if err != nil {
		return res, err
	}
	logf(c, "pacing: %d x N=%d: %s (floor %s), %d 429s (%d after the first window, %d creates after it), exits %v, %d tasks, %d duplicates",
		runs, n, wall.Round(time.Millisecond), res.Floor, res.Throttled, res.LateThrottled, res.LateWrites, res.Exits, res.Tasks, res.Duplicates)
	var applyErr error
	for _, rn := range rns {
		if e := rn.failure(0); e != nil && applyErr == nil {
			applyErr = e
		}
	}
	if applyErr == nil && (res.Tasks != n*runs || res.Duplicates != 0) {
		applyErr = fmt.Errorf("after the applies the emulator holds %d tasks (%d duplicates), want %d", res.Tasks, res.Duplicates, n*runs)
	}

	// Clean up without the throttle: the destroy is not what this phase measures.
	r.sim.SetFaults(graphsim.Faults{})
	for _, dir := range dirs {
		dn, err := r.terraform(ctx, dir, "destroy", "-auto-approve", "-input=false", "-parallelism="+strconv.Itoa(c.Parallelism))
		res.DestroyExits = append(res.DestroyExits, dn.Exit)
		if err == nil {
			err = dn.failure(0)
		}
		if err != nil && applyErr == nil {
			applyErr = err
		}
	}
	return res, applyErr
}

// renameTasks gives run i's tasks display names of their own, so that a duplicate create shows.
func renameTasks(dir string, i int) error {
	f := filepath.Join(dir, "main.tf")
	b, err := os.ReadFile(f)
	if err != nil {
		return err
	}
	s := strings.Replace(string(b), `"tf-bench-${count.index}"`, fmt.Sprintf(`"tf-bench-run%d-${count.index}"`, i), 1)
	return os.WriteFile(f, []byte(s), 0o644)
}

// lateCounts counts the 429s to creates after the first window (from the first write attempt at or
// after start) and the creates accepted after it.
func lateCounts(reqs []graphsim.LoggedRequest, start time.Time, window time.Duration) (throttled, accepted int) {
	var t0 time.Time
	for _, q := range reqs {
		if q.Method == http.MethodGet || q.Time.Before(start) {
			continue
		}
		if t0.IsZero() {
			t0 = q.Time
		}
		if q.Time.Sub(t0) < window {
			continue
		}
		switch q.Status {
		case http.StatusTooManyRequests:
			throttled++
		case http.StatusCreated:
			accepted++
		}
	}
	return throttled, accepted
}

// terraformTogether starts the same command in every dir at once and waits for all of them. The
// emulator's request log is cleared once, before; every run gets the whole log.
func (r *runner) terraformTogether(ctx context.Context, dirs []string, args ...string) ([]run, time.Time, time.Duration, error) {
	r.sim.ResetLog()
	out := make([]run, len(dirs))
	errs := make([]error, len(dirs))
	var wg sync.WaitGroup
	start := time.Now()
	for i, dir := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = r.command(ctx, r.cfg.Terraform, dir, fmt.Sprintf("run%d-%s", i+1, args[0]), args...)
		}()
	}
	wg.Wait()
	end := start
	for _, rn := range out {
		end = maxTime(end, rn.Start.Add(rn.Wall))
	}
	reqs := r.sim.Requests()
	sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].Time.Before(reqs[j].Time) })
	for i := range out {
		out[i].Requests = reqs
	}
	for _, err := range errs {
		if err != nil {
			return out, start, end.Sub(start), err
		}
	}
	return out, start, end.Sub(start), nil
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
