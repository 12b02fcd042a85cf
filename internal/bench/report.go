package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	resultsFile = "RESULTS.md"
	chartFile   = "apply-time.svg"
	// maxBinaryMB is the goal for the release binary.
	maxBinaryMB = 25
	// maxThrottledRatio is the goal for a throttled apply against its floor.
	maxThrottledRatio = 1.15
	// maxPacingRatio is the goal for one run's throttled apply with the learned pacing, and
	// maxSharedRatio that of several runs writing at once, against the floor of all their writes.
	maxPacingRatio = 1.10
	maxSharedRatio = 1.15
	// maxLatePer100 is the goal for the 429s after the first window, per 100 creates after it.
	maxLatePer100 = 2.0
)

// Results is everything one run measured.
type Results struct {
	Config         Config
	Date           time.Time
	Machine        Machine
	Build          BuildResult
	Startup        StartupResult
	Scale          []ScaleResult
	Throttled      []ThrottledResult
	Pacing         []PacingResult
	PacingArgument bool // the provider has a write_rate_limit argument
	Query          []QueryResult
	QueryTerraform string // first line of TF_LATEST's `terraform version`
	QuerySkipped   string // why the query phase did not run
	Related        []RelatedResult
	GoBench        []GoBenchmark
	Cold           *ColdBuildResult
	// Earlier holds figures an earlier run measured and this one did not (the cold build, minutes
	// and ~10 GB): RESULTS.md shows them in a section of their own, never in this run's tables.
	Earlier  []EarlierFigure
	Failures []string
}

// EarlierFigure is one figure copied from the previous RESULTS.md.
type EarlierFigure struct {
	Figure  string // e.g. "cold build: wall time"
	Value   string
	Date    string // YYYY-MM-DD of the run that measured it
	Command string // the command that measures it again
}

// earlierHeading heads the section of figures this run did not measure.
const earlierHeading = "## Figures from earlier runs (not measured in this run)"

// coldBuildMake measures the cold-build figures again.
const coldBuildMake = "make bench COLD_BUILD=1"

// makeCmd is the make invocation that reproduces this run's sizes.
func (r *Results) makeCmd() string {
	c := r.Config
	parts := []string{"make bench"}
	ns := make([]string, len(c.Ns))
	for i, n := range c.Ns {
		ns[i] = strconv.Itoa(n)
	}
	parts = append(parts, fmt.Sprintf("BENCH_N=%q", strings.Join(ns, " ")), fmt.Sprintf("BENCH_THROTTLED_N=%d", c.ThrottledN))
	qns := make([]string, len(c.QueryNs))
	for i, n := range c.QueryNs {
		qns[i] = strconv.Itoa(n)
	}
	parts = append(parts, fmt.Sprintf("BENCH_QUERY_N=%q", strings.Join(qns, " ")))
	parts = append(parts, fmt.Sprintf("BENCH_PACING_N=%q", spaced(c.PacingNs)), fmt.Sprintf("BENCH_PACING_RUNS=%q", spaced(c.PacingRuns)))
	rns := make([]string, len(c.RelatedNs))
	for i, n := range c.RelatedNs {
		rns[i] = strconv.Itoa(n)
	}
	parts = append(parts, fmt.Sprintf("BENCH_RELATED_N=%q", strings.Join(rns, " ")))
	if c.ColdBuild {
		parts = append(parts, "COLD_BUILD=1")
	}
	return strings.Join(parts, " ")
}

func writeResults(dir string, r *Results) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	prev, prevErr := os.ReadFile(filepath.Join(dir, resultsFile))
	if r.Cold == nil && prevErr == nil {
		r.Earlier = earlierColdBuild(prev)
	}
	out := markdown(r)
	if prevErr == nil {
		out = keepUnmeasured(out, string(prev), r)
	}
	if len(r.Scale) > 0 || prevErr != nil {
		// The chart draws the scale runs; a run without them keeps the previous chart.
		if err := os.WriteFile(filepath.Join(dir, chartFile), []byte(applyChart(r)), 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, resultsFile), []byte(out), 0o644)
}

// Phases of RESULTS.md: the numbered section each writes and the prefix of its rows in the goals table.
var phases = []struct {
	section string
	goals   []string
	ran     func(*Results) bool
}{
	{"## 1. ", []string{"| create:", "| refresh (no-op plan)", "| update:", "| delete:", "| plan after apply"}, func(r *Results) bool { return len(r.Scale) > 0 }},
	{"## 2. ", []string{"| throttled apply"}, func(r *Results) bool { return len(r.Throttled) > 0 }},
	{"## 3. ", []string{"| release binary"}, func(r *Results) bool { return r.Startup.Size > 0 }},
	{"## 4. ", []string{"| `terraform query`"}, func(r *Results) bool { return len(r.Query) > 0 }},
	{"## 5. ", []string{"| devices of a task"}, func(r *Results) bool { return len(r.Related) > 0 }},
	{"## 6. ", []string{"| learned pacing"}, func(r *Results) bool { return len(r.Pacing) > 0 }},
}

// keptNote marks a section or goal copied from an earlier RESULTS.md.
const keptNote = "not measured by the run that wrote this file: copied from the previous RESULTS.md, written "

// keepUnmeasured carries over, from the previous RESULTS.md, the sections and goal rows of the
// phases this run did not measure (a run of one phase, such as `make bench BENCH_N= ...`, must not
// erase the others' figures), each marked with the date of the file it came from.
func keepUnmeasured(out, prev string, r *Results) string {
	date := "earlier"
	if m := writtenOn.FindStringSubmatch(prev); m != nil {
		date = m[1]
	}
	prevSecs, outSecs := splitSections(prev), splitSections(out)
	for _, ph := range phases {
		if ph.ran(r) {
			continue
		}
		old := findSection(prevSecs, ph.section)
		if old < 0 {
			continue
		}
		text := prevSecs[old]
		if !strings.Contains(text, keptNote) {
			head, body, _ := strings.Cut(text, "\n")
			text = head + "\n\n_This section was " + keptNote + date + "._\n" + body
		}
		if cur := findSection(outSecs, ph.section); cur >= 0 {
			outSecs[cur] = text
			continue
		}
		// Insert it before the first later numbered section, or before the sections that follow them.
		at := len(outSecs)
		for i, sec := range outSecs {
			if n := sectionNumber(sec); n > sectionNumber(ph.section) || n < 0 && i > 0 && sectionNumber(outSecs[i-1]) > 0 {
				at = i
				break
			}
		}
		outSecs = slices.Insert(outSecs, at, text)
	}
	// Goal rows of the phases not measured.
	var rows []string
	for _, line := range strings.Split(findGoals(prevSecs), "\n") {
		for _, ph := range phases {
			if ph.ran(r) {
				continue
			}
			for _, g := range ph.goals {
				if strings.HasPrefix(line, g) {
					if !strings.Contains(line, keptNote) {
						cells := tableCells(line)
						cells[0] += " (" + keptNote + date + ")"
						line = "| " + strings.Join(cells, " | ") + " |"
					}
					rows = append(rows, line)
				}
			}
		}
	}
	if g := findSection(outSecs, "## Goals"); g >= 0 && len(rows) > 0 {
		sec := strings.TrimRight(outSecs[g], "\n")
		outSecs[g] = sec + "\n" + strings.Join(rows, "\n") + "\n\n"
	}
	return strings.Join(outSecs, "")
}

// splitSections cuts markdown at its "## " headings; the first part is what precedes them.
func splitSections(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "\n## ")
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
}

func findSection(secs []string, prefix string) int {
	for i, s := range secs {
		if strings.HasPrefix(s, prefix) {
			return i
		}
	}
	return -1
}

func findGoals(secs []string) string {
	if i := findSection(secs, "## Goals"); i >= 0 {
		return secs[i]
	}
	return ""
}

var numbered = regexp.MustCompile(`^## (\d+)\. `)

// sectionNumber is the number of a "## N. " section, or -1.
func sectionNumber(s string) int {
	m := numbered.FindStringSubmatch(s)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func spaced(xs []int) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strconv.Itoa(x)
	}
	return strings.Join(out, " ")
}

func markdown(r *Results) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	c := r.Config
	m := r.Machine

	p("# Benchmark results\n\n")
	p("Written by `%s` on %s; regenerate it rather than editing it. ", r.makeCmd(), r.Date.UTC().Format("2006-01-02 15:04 MST"))
	p("Every figure runs the real `terraform` binary and a release build of the provider (`%s`, installed through `dev_overrides`) "+
		"against the Graph emulator (`internal/graphsim`) started inside the benchmark command, whose latency and write-throttle switches and "+
		"request counters are set and read between phases. Each figure names the command that reproduces it.\n\n", releaseBuildCmd)

	p("## Machine\n\n| | |\n|---|---|\n")
	p("| CPUs (`nproc`) | %d (%s) |\n", m.CPUs, orDash(m.CPUModel))
	p("| memory | %.1f GiB |\n", float64(m.MemTotalKB)/(1<<20))
	p("| Go | %s |\n| Terraform | %s |\n", orDash(m.GoVersion), orDash(m.Terraform))
	if len(c.QueryNs) > 0 {
		p("| Terraform for `terraform query` (`TF_LATEST`) | %s |\n", orDash(r.QueryTerraform))
	}
	p("| kernel | %s |\n", orDash(m.Kernel))
	p("| load average (1, 5, 15 min) before / after | %s / %s |\n\n", m.LoadBefore, m.LoadAfter)
	p("Wall times depend on what else the machine was doing: the load average above says how busy it was.\n\n")

	if len(r.Failures) > 0 {
		p("## Failures\n\n")
		for _, f := range r.Failures {
			p("- ```\n  %s\n  ```\n", strings.ReplaceAll(f, "\n", "\n  "))
		}
		p("\n")
	}

	goals(&b, r)
	if len(r.Scale) > 0 {
		scaleSection(&b, r)
	}
	if len(r.Throttled) > 0 {
		throttledSection(&b, r)
	}
	startupSection(&b, r)
	if len(c.QueryNs) > 0 {
		querySection(&b, r)
	}
	if len(r.Related) > 0 {
		relatedSection(&b, r)
	}
	if len(r.Pacing) > 0 {
		pacingSection(&b, r)
	}
	if len(r.GoBench) > 0 {
		p("## Go benchmarks: mapping and error paths\n\n")
		p("CPU cost per call, without Graph or terraform (`%s`). `ParseAndFlattenTask` is what a refresh costs per resource once the bytes "+
			"have arrived; `NewHTTPErrorDescribe` is one Graph error turned into a diagnostic's text.\n\n", goBenchCmd)
		p("| benchmark | ns/op | B/op | allocs/op | reproduce |\n|---|--:|--:|--:|---|\n")
		for _, g := range r.GoBench {
			p("| %s | %s | %d | %d | `%s` |\n", g.Name, groupDigits(g.NsPerOp), g.BytesPerOp, g.AllocsPerOp, g.Command())
		}
		p("\n")
	}

	if len(r.Earlier) > 0 {
		earlierSection(&b, r)
	}

	p("## How to read and reproduce\n\n")
	p("- `make bench` runs `go run ./internal/bench/cmd/bench` with `BENCH_N` (default `10 100 300`), `BENCH_THROTTLED_N` (default 300; 0 skips), " +
		"`BENCH_LATENCY` (default 30ms), `BENCH_SCHEMA_RUNS` (default 15; 0 skips the start-up figures) and `COLD_BUILD=1` (adds the cold build, minutes and ~10 GB).\n")
	p("- Each scale run uses a fresh configuration of `count = N` tasks and runs, in order, the create apply, a `plan -detailed-exitcode` that must exit 0, "+
		"an apply changing every task's `description`, and a destroy, all with `-parallelism=%d`. The emulator's request log is cleared before each, "+
		"so the calls are per operation.\n", c.Parallelism)
	p("- Calls per resource: a GET of a task before any write to it in the same operation is a refresh; a GET after the write is a read-back " +
		"(after a PATCH answered 204, or the one confirming read after a DELETE). Token requests are per provider process, not per resource.\n")
	p("- The floor is what the Graph latency alone costs: `ceil(N/parallelism) x latency` for one call per resource. Refresh, write and confirming read " +
		"are sequential per resource, so an update's own floor is 2x and a destroy's 3x that figure; the table keeps one floor for comparison. " +
		"The distance to the floor is terraform's own per-resource work (graph walk, plan, state), the provider's gRPC round trips and the provider start-ups.\n")
	p("- Provider peak RSS is the largest `VmHWM` in `/proc/<pid>/status` of the `terraform-provider-intune` processes terraform started, polled every %s; "+
		"terraform starts the provider more than once per command (validate, plan, apply), counted in the processes column.\n", sampleEvery)
	if len(c.QueryNs) > 0 {
		p("- `terraform query` runs with `BENCH_QUERY_N` (default `1000 5000`; empty or 0 skips) and `TF_LATEST` (default `.cache/bin/terraform-1.15.9`, " +
			"as `make terraform-latest` builds it; `make bench` does not build it). Its floor is `pages x latency` with `pages = ceil(tasks in the collection / page size)`: " +
			"each page is asked for with the previous page's `@odata.nextLink`, so the pages cannot overlap.\n")
	}
	p("- The throttled floor is `(ceil(N/limit) - 1) x window`: the first `limit` writes go at once, each later batch waits for a window to pass. " +
		"For several runs writing at once, N is all their creates together.\n")
	return b.String()
}

func goals(b *strings.Builder, r *Results) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("## Goals\n\n| goal | measured | met |\n|---|---|---|\n")
	perRes := func(op string, f func(Calls) int) (string, bool) {
		var parts []string
		ok := len(r.Scale) > 0
		for _, s := range r.Scale {
			for _, o := range s.Ops {
				if o.Name == op {
					v := float64(f(o.Calls)) / float64(max(o.N, 1))
					parts = append(parts, fmt.Sprintf("%.2f (N=%d)", v, o.N))
					ok = ok && v <= 1.0001
				}
			}
		}
		return strings.Join(parts, ", "), ok
	}
	if len(r.Scale) > 0 {
		v, ok := perRes(OpCreate, func(c Calls) int { return c.Graph() })
		p("| create: 1 Graph call per resource | %s | %s |\n", v, yes(ok))
		v, ok = perRes(OpPlan, func(c Calls) int { return c.Graph() })
		p("| refresh (no-op plan): 1 Graph call per resource | %s | %s |\n", v, yes(ok))
		v, ok = perRes(OpUpdate, func(c Calls) int { return c.Patch + c.Status + c.ReadAfter })
		p("| update: 1 Graph call per resource after the refresh (the emulator answers PATCH with 200 and the task) | %s | %s |\n", v, yes(ok))
		v, ok = perRes(OpDestroy, func(c Calls) int { return c.Delete })
		v2, ok2 := perRes(OpDestroy, func(c Calls) int { return c.ReadAfter })
		p("| delete: 1 DELETE + at most 1 confirming read per resource | DELETE %s; confirming GET %s | %s |\n", v, v2, yes(ok && ok2))
		noop := true
		for _, s := range r.Scale {
			for _, o := range s.Ops {
				if o.Name == OpPlan && o.Exit != 0 {
					noop = false
				}
			}
		}
		p("| plan after apply is empty (`plan -detailed-exitcode` exits 0) | %s | %s |\n", map[bool]string{true: "exit 0 for every N", false: "non-zero exit"}[noop], yes(noop))
	}
	for _, t := range r.Throttled {
		label := "learned pacing"
		if t.PacerLimit > 0 {
			label = fmt.Sprintf("write_rate_limit = %d", t.PacerLimit)
		}
		p("| throttled apply, N=%d (%s): wall <= %.2f x floor | %.3f (%s / %s) | %s |\n", t.N, label, maxThrottledRatio, t.Ratio(),
			secs(t.Wall), secs(t.Floor), yes(t.Ratio() <= maxThrottledRatio && t.Floor > 0))
		p("| throttled apply, N=%d (%s): no failures | exit %d, %d of %d tasks | %s |\n", t.N, label, t.Exit, t.Tasks, t.N, yes(t.Exit == 0 && t.Tasks == t.N))
	}
	for _, t := range r.Pacing {
		goal, what := maxPacingRatio, fmt.Sprintf("learned pacing, 1 run of N=%d", t.N)
		if t.Runs > 1 {
			goal, what = maxSharedRatio, fmt.Sprintf("learned pacing, %d runs of N=%d at once", t.Runs, t.N)
		}
		p("| %s: wall <= %.2f x floor of all writes | %.3f (%s / %s) | %s |\n", what, goal, t.Ratio(), secs(t.Wall), secs(t.Floor),
			yes(t.Floor > 0 && t.Ratio() <= goal))
		if t.Runs == 1 {
			// The goal for 429s is one run's; several runs' are in the section's table.
			p("| %s: <= %.0f 429s per 100 creates after the first window | %.2f (%d 429s, %d creates) | %s |\n", what, maxLatePer100,
				t.LatePer100(), t.LateThrottled, t.LateWrites, yes(t.LatePer100() <= maxLatePer100))
		}
		p("| %s: no failed resource, no duplicate | exits %s, %d of %d tasks, %d duplicates | %s |\n", what, joinInts(t.Exits), t.Tasks,
			t.N*t.Runs, t.Duplicates, yes(allZero(t.Exits) && t.Tasks == t.N*t.Runs && t.Duplicates == 0))
	}
	queryGoals(b, r)
	for _, rr := range r.Related {
		p("| devices of a task, N=%d: requests = 1 task read + ceil(N / %d) pages = %d | %d | %s |\n", rr.N, rr.PageSize, 1+rr.Pages,
			rr.Calls.Refresh+rr.Calls.ReadAfter+rr.Related, yes(rr.Exit == 0 && rr.Related == rr.Pages))
	}
	if r.Startup.Size > 0 {
		p("| release binary <= %d MB | %.1f MB | %s |\n", maxBinaryMB, mb(r.Startup.Size), yes(mb(r.Startup.Size) <= maxBinaryMB))
	}
	p("\n")
}

func scaleSection(b *strings.Builder, r *Results) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	c := r.Config
	p("## 1. Scale: N tasks, %s added Graph latency, no throttling, -parallelism=%d\n\n", c.Latency, c.Parallelism)
	p("![Apply time against N, with the latency floor](%s)\n\n", chartFile)
	p("Reproduce a row with `make bench BENCH_N=<N> BENCH_THROTTLED_N=0 BENCH_SCHEMA_RUNS=0 BENCH_GO=0`, which runs the four commands of the last column in order.\n\n")
	p("| N | operation | wall | floor | x floor | refresh GET / res | write / res | read-back GET / res | list calls | token requests | provider processes | provider peak RSS | terraform command |\n")
	p("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
	for _, s := range r.Scale {
		for _, o := range s.Ops {
			n := float64(max(o.N, 1))
			writes := o.Calls.Create + o.Calls.Patch + o.Calls.Status + o.Calls.Delete
			exit := ""
			if o.Exit != 0 {
				exit = fmt.Sprintf(" (exit %d)", o.Exit)
			}
			p("| %d | %s%s | %s | %s | %.1f | %.2f | %.2f | %.2f | %d | %d | %d | %.0f MB | `%s` |\n",
				o.N, o.Name, exit, secs(o.Wall), secs(o.Floor), o.Ratio(),
				float64(o.Calls.Refresh)/n, float64(writes)/n, float64(o.Calls.ReadAfter)/n,
				o.Calls.List, o.Calls.Token, o.Plugins, float64(o.PeakRSS)/1024, o.Command)
		}
	}
	p("\nPer-resource cost above the floor (wall time minus floor, divided by N, per operation):\n\n")
	p("| N | create | no-op plan | update | destroy |\n|--:|--:|--:|--:|--:|\n")
	for _, s := range r.Scale {
		p("| %d |", s.N)
		for _, o := range s.Ops {
			p(" %.1f ms |", float64(o.Wall-o.Floor)/float64(time.Millisecond)/float64(max(o.N, 1)))
		}
		p("\n")
	}
	p("\n")
}

func throttledSection(b *strings.Builder, r *Results) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	t0 := r.Throttled[0]
	p("## 2. Throttled: N creates under %d writes per %s\n\n", t0.Limit, t0.Window)
	p("The emulator's `WriteThrottle` answers 429 with `Retry-After` (seconds until the oldest write leaves the sliding window) once %d writes "+
		"fell in the last %s. No latency is added. After the apply the throttle is turned off and the tasks destroyed.\n\n", t0.Limit, t0.Window)
	p("| N | client-side pacing | wall | floor | x floor | 429s received | POST attempts | creates accepted per %s window | last create accepted at | exit | tasks at the emulator | provider peak RSS | reproduce |\n", t0.Window)
	p("|--:|---|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|---|\n")
	for _, t := range r.Throttled {
		pacing := "learned from the 429s (the default)"
		if t.PacerLimit > 0 {
			pacing = fmt.Sprintf("`write_rate_limit = %d`", t.PacerLimit)
		}
		windows := make([]string, len(t.PerWindow))
		for i, w := range t.PerWindow {
			windows[i] = strconv.Itoa(w)
		}
		p("| %d | %s | %s | %s | %.3f | %d | %d | %s | %s | %d | %d | %.0f MB | `make bench BENCH_N= BENCH_THROTTLED_N=%d BENCH_SCHEMA_RUNS=0 BENCH_GO=0`: `%s` |\n",
			t.N, pacing, secs(t.Wall), secs(t.Floor), t.Ratio(), t.Throttled, t.Calls.Create, strings.Join(windows, " / "), secs(t.LastWrite),
			t.Exit, t.Tasks, float64(t.PeakRSS)/1024, t.N, t.Command)
	}
	p("\n")
	switch {
	case !r.PacingArgument:
		p("Client-side pacing was **not measured**: the provider schema has no `write_rate_limit` argument yet (`graph.Pacer` exists but is not wired to one). " +
			"When it has one, this run also applies with `write_rate_limit = 100` and compares.\n\n")
	case len(r.Throttled) >= 2:
		a, p2 := r.Throttled[0], r.Throttled[1]
		faster := "learned pacing"
		if p2.Wall < a.Wall {
			faster = fmt.Sprintf("`write_rate_limit = %d`", p2.PacerLimit)
		}
		p("Faster: %s (%s against %s; %d against %d 429s).\n\n", faster, secs(a.Wall), secs(p2.Wall), a.Throttled, p2.Throttled)
	}
}

func startupSection(b *strings.Builder, r *Results) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	s := r.Startup
	p("## 3. Start-up and build\n\n| figure | value | goal | reproduce |\n|---|--:|---|---|\n")
	if s.Size > 0 {
		p("| release binary size | %.1f MB (%d bytes) | <= %d MB | `%s && stat -c %%s terraform-provider-intune` |\n", mb(s.Size), s.Size, maxBinaryMB, releaseBuildCmd)
		p("| provider exec to gRPC handshake (median of %d) | %s | | start the binary with `TF_PLUGIN_MAGIC_COOKIE` set and time the first stdout line |\n",
			s.Runs, ms(s.Handshake))
		p("| `terraform providers schema -json` with the provider (median of %d) | %s | | `make bench BENCH_N= BENCH_THROTTLED_N=0 BENCH_GO=0` |\n", s.Runs, ms(s.Schema))
		p("| the same command in a configuration without providers (terraform alone) | %s | | same |\n", ms(s.Baseline))
		p("| provider's share: start, handshake, GetProviderSchema, stop | %s | | difference of the two above |\n", ms(s.Schema-s.Baseline))
		p("| `terraform version` (median of %d) | %s | | same |\n", s.Runs, ms(s.Version))
	}
	if r.Build.Wall > 0 {
		p("| release build made for this run (with whatever the build cache held; not a cold-build figure) | %s | | `%s` |\n", secs(r.Build.Wall), releaseBuildCmd)
	}
	switch c := r.Cold; {
	case c != nil:
		day := r.Date.UTC().Format("2006-01-02")
		p("| cold build (%s): wall time | %s | | `%s` |\n", day, secs(c.Wall), coldBuildCmd)
		p("| cold build (%s): peak memory of one process (the `models` compile) | %.1f GB | | same (`Maximum resident set size`) |\n", day, float64(c.PeakRSSKB)/(1<<20))
		p("| cold build (%s): CPU time (user + system) | %s | | same |\n", day, secs(c.UserCPU+c.SystemCPU))
	case len(r.Earlier) > 0:
		p("| cold build | not measured in this run; an earlier run's figures are under [Figures from earlier runs](#figures-from-earlier-runs-not-measured-in-this-run) | | `%s` (`%s`) |\n", coldBuildMake, coldBuildCmd)
	default:
		p("| cold build | not measured in this run | | `%s` (`%s`) |\n", coldBuildMake, coldBuildCmd)
	}
	p("\n")
}

// queryGoals are the `terraform query` rows of the goals table: one list request per page, N results.
func queryGoals(b *strings.Builder, r *Results) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	if len(r.Config.QueryNs) == 0 {
		return
	}
	if r.QuerySkipped != "" {
		p("| `terraform query`: 1 list request per page, N results | not measured: %s | not measured |\n", r.QuerySkipped)
		return
	}
	for _, n := range r.Config.QueryNs {
		var pages, results []string
		pagesOK, resultsOK, total, want := true, true, 0, 0
		for _, q := range r.Query {
			if q.N != n {
				continue
			}
			total, want = q.Total, q.Pages
			pages = append(pages, fmt.Sprintf("%d (%s)", q.Calls.List, q.ListBlock()))
			pagesOK = pagesOK && q.Exit == 0 && q.Calls.List == q.Pages
			res := fmt.Sprintf("%d (%s", q.Found, q.ListBlock())
			if q.IncludeResource {
				res += fmt.Sprintf(", %d with the resource", q.WithResource)
			}
			results = append(results, res+")")
			resultsOK = resultsOK && q.Exit == 0 && q.Found == n && q.Reported == n && (!q.IncludeResource || q.WithResource == n)
		}
		if len(pages) == 0 {
			p("| `terraform query`, N=%d | not measured (see Failures) | **no** |\n", n)
			continue
		}
		p("| `terraform query`, N=%d: list requests = pages = ceil(%d tasks / %d per page) = %d | %s | %s |\n", n, total, graphPageSize, want,
			strings.Join(pages, ", "), yes(pagesOK))
		p("| `terraform query`, N=%d: results = N | %s | %s |\n", n, strings.Join(results, ", "), yes(resultsOK))
	}
}

func querySection(b *strings.Builder, r *Results) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	c := r.Config
	p("## 4. `terraform query`: N security configuration tasks among other task types, %s added Graph latency, %d tasks per page\n\n", c.Latency, graphPageSize)
	if r.QuerySkipped != "" {
		p("Not measured in this run: %s.\n\n", r.QuerySkipped)
		return
	}
	p("Run by %s (`TF_LATEST`) with the same provider binary, installed through the same `dev_overrides`, as the sections above. "+
		"Before each N the emulator is emptied and seeded through `graphsim.Seed` (not through Terraform; the time it took is not part of any figure) "+
		"with N security configuration tasks as Defender raises them and, after every %d of them, one task of another type "+
		"(`appVulnerabilityTask` and `unmanagedDeviceDiscoveryTask` in turn), which the list resource must page through and skip. "+
		"The emulator serves %d tasks per page with `@odata.nextLink`. That page size is an assumption: Graph documents none for this "+
		"collection, and another one changes the page count and the floor in proportion. Every Graph call gets %s added, as in the scale runs.\n\n",
		r.QueryTerraform, otherTaskEvery, graphPageSize, c.Latency)
	n := 1000
	if len(c.QueryNs) > 0 {
		n = c.QueryNs[0]
	}
	p("The directory holds the provider block in `main.tf` and `all.tfquery.hcl`; for N=%d:\n\n```hcl\n%s```\n\n", n, queryConfig(n, false))
	p("Terraform returns at most `limit` results per list block, 100 when it is not set, so the block sets `limit = N`. The second run of each N " +
		"adds `include_resource = true`. Terraform runs with `-json` so that the results can be counted: they are its `list_resource_found` " +
		"messages, checked against its `list_complete` total.\n\n")
	p("| N | tasks in the collection | list block | wall | floor (pages x latency) | x floor | pages | list requests | first / last list request at | emulator's own time (pages x its time per page) | other Graph calls | token requests | results | provider processes | provider peak RSS | reproduce |\n")
	p("|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
	for _, q := range r.Query {
		exit := ""
		if q.Exit != 0 {
			exit = fmt.Sprintf(" (exit %d)", q.Exit)
		}
		emu := "not measured"
		if q.EmulatorPage > 0 {
			emu = fmt.Sprintf("%s (%d x %s)", secs(time.Duration(q.Pages)*q.EmulatorPage), q.Pages, ms(q.EmulatorPage))
		}
		p("| %d | %d | %s%s | %s | %s | %.1f | %d | %d | %s / %s | %s | %d | %d | %d | %d | %.0f MB | `make bench BENCH_N= BENCH_THROTTLED_N=0 BENCH_SCHEMA_RUNS=0 BENCH_GO=0 BENCH_QUERY_N=%d`: `%s` |\n",
			q.N, q.Total, q.ListBlock(), exit, secs(q.Wall), secs(q.Floor), q.Ratio(), q.Pages, q.Calls.List, secs(q.FirstList), secs(q.LastList), emu,
			q.Calls.Graph()-q.Calls.List,
			q.Calls.Token, q.Found, q.Plugins, float64(q.PeakRSS)/1024, q.N, q.Command)
	}
	p("\nThe list requests' times count from the start of the command: before the first, terraform starts and configures the provider; " +
		"between the first and the last the provider pages, streaming each page's results to terraform as it arrives; after the last " +
		"page, terraform receives and prints the rest.\n\n")
	p("The emulator sorts its whole store for every page it serves (and copies only that page), so its own time per page grows slowly " +
		"with the collection; before each N the benchmark asks it for a page from inside this process with no latency added (median of 5) " +
		"and multiplies by the pages. That time is inside the wall time above the floor, and it is the emulator's, not the provider's or " +
		"terraform's: Graph's own time per page is unknown here.\n")
	p("\nPer-result cost above the floor (wall time minus floor, divided by N; the emulator's own time included):\n\n| N | list block | per result |\n|--:|---|--:|\n")
	for _, q := range r.Query {
		p("| %d | %s | %.2f ms |\n", q.N, q.ListBlock(), float64(q.Wall-q.Floor)/float64(time.Millisecond)/float64(max(q.N, 1)))
	}
	p("\n")
}

func relatedSection(b *strings.Builder, r *Results) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	c := r.Config
	p("## 5. The devices of a task: N devices, %s added Graph latency, %d devices per page\n\n", c.Latency, graphPageSize)
	p("One security configuration task with N devices (Defender lists up to 10,000 per task), seeded through `graphsim.SeedRelated`, is " +
		"read by `terraform plan` of a configuration holding only `data.intune_security_configuration_task_managed_devices` and an output " +
		"of the devices' count. The data source reads the task, then every page of `managedDevices`, following `@odata.nextLink`: the " +
		"floor is those requests one after another at the added latency. The emulator's page size is an assumption (Graph documents none).\n\n")
	p("| N | wall | floor ((1 + pages) x latency) | x floor | pages | relationship requests | first / last page at | other Graph calls | token requests | provider peak RSS | reproduce |\n")
	p("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
	for _, rr := range r.Related {
		exit := ""
		if rr.Exit != 0 {
			exit = fmt.Sprintf(" (exit %d)", rr.Exit)
		}
		p("| %d%s | %s | %s | %.2f | %d | %d | %s / %s | %d | %d | %.0f MB | `make bench BENCH_N= BENCH_THROTTLED_N=0 BENCH_SCHEMA_RUNS=0 BENCH_GO=0 BENCH_QUERY_N= BENCH_RELATED_N=%d`: `%s` |\n",
			rr.N, exit, secs(rr.Wall), secs(rr.Floor), rr.Ratio(), rr.Pages, rr.Related, secs(rr.FirstPage), secs(rr.LastPage),
			rr.Calls.Graph()-rr.Related, rr.Calls.Token, float64(rr.PeakRSS)/1024, rr.N, rr.Command)
	}
	p("\nBefore the first page terraform starts, configures the provider and reads the task; after the last page the %d devices go to "+
		"terraform in the data source's state. The peak RSS is the largest of the provider processes terraform started.\n\n", r.Related[0].N)
}

// earlierSection shows the figures of earlier runs apart from this run's, each with the date of
// the run that measured it and the command that measures it again.
func earlierSection(b *strings.Builder, r *Results) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	var days []string
	for _, f := range r.Earlier {
		if !slices.Contains(days, f.Date) {
			days = append(days, f.Date)
		}
	}
	p("%s\n\n", earlierHeading)
	p("This run did not measure these (the cold build takes minutes and ~10 GB, so it runs only with `COLD_BUILD=1`). They are copied "+
		"from the previous RESULTS.md as the %s of %s measured them, on that run's machine and load, which may not be this run's; "+
		"nothing in the sections above depends on them. The last column measures them again.\n\n", map[bool]string{true: "run", false: "runs"}[len(days) == 1],
		strings.Join(days, ", "))
	p("| figure | value | measured on | reproduce |\n|---|--:|---|---|\n")
	for _, f := range r.Earlier {
		p("| %s | %s | %s | `%s` |\n", f.Figure, f.Value, f.Date, f.Command)
	}
	p("\n")
}

// earlierColdBuild reads the cold-build figures of a previous RESULTS.md, with the date of the run
// that measured them: the dated rows a COLD_BUILD=1 run writes into its own table
// ("| cold build (2026-11-29): wall time | 296 s | ..."), the rows of an earlier-runs section
// (which carry their date in a column), and undated rows of older files, dated by the file.
func earlierColdBuild(prev []byte) []EarlierFigure {
	written := ""
	if m := writtenOn.FindSubmatch(prev); m != nil {
		written = string(m[1])
	}
	var out []EarlierFigure
	inEarlier := false
	for _, line := range strings.Split(string(prev), "\n") {
		if strings.HasPrefix(line, "## ") {
			inEarlier = line == earlierHeading
			continue
		}
		cells := tableCells(line)
		if len(cells) < 2 {
			continue
		}
		f := EarlierFigure{Value: cells[1], Command: coldBuildMake}
		if m := datedColdRow.FindStringSubmatch(cells[0]); m != nil {
			f.Date, f.Figure = m[1], "cold build: "+m[2]
		} else if rest, ok := strings.CutPrefix(cells[0], "cold build: "); ok {
			f.Figure, f.Date = "cold build: "+rest, written
			if inEarlier && len(cells) >= 3 && isDate.MatchString(cells[2]) {
				f.Date = cells[2]
			}
		} else {
			continue
		}
		if f.Date != "" {
			out = append(out, f)
		}
	}
	return out
}

// tableCells splits a markdown table row into its trimmed cells; nil for any other line.
func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") || len(line) < 2 {
		return nil
	}
	cells := strings.Split(line[1:len(line)-1], " | ")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

var (
	datedColdRow = regexp.MustCompile(`^cold build \((\d{4}-\d{2}-\d{2})\): (.+)$`)
	isDate       = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

var writtenOn = regexp.MustCompile("Written by `[^`]*` on (\\d{4}-\\d{2}-\\d{2})")

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func secs(d time.Duration) string {
	if d >= 100*time.Second {
		return fmt.Sprintf("%.0f s", d.Seconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }

// groupDigits prints a float as an integer with thin thousands separators.
func groupDigits(f float64) string {
	s := strconv.FormatInt(int64(f+0.5), 10)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// pacingSection shows the learned pacing: one run of each N, then several runs writing at once.
func pacingSection(b *strings.Builder, r *Results) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	t0 := r.Pacing[0]
	p("## 6. Learned write pacing: creates under a tenant-wide %d writes per %s, one run and several at once\n\n", t0.Limit, t0.Window)
	p("The emulator's `WriteThrottle` is one sliding window for the whole tenant: every client's writes count against it, 429s included, "+
		"and it answers 429 with `Retry-After` (whole seconds until room opens). By default it allows %d writes per %s, the stand-in the "+
		"issue measured against (Intune documents 100 writes per 20 s per app, 200 per tenant; `BENCH_PACING_LIMIT` and "+
		"`BENCH_PACING_WINDOW` set others); the pacer assumes neither number, it learns them. Each concurrent run is its own `terraform apply` (own working directory and state, the same "+
		"app's credentials), all started at the same moment. The provider runs with its defaults (no `write_rate_limit`). No latency is added. "+
		"After the applies the throttle is turned off and every run destroys its tasks.\n\n", t0.Limit, t0.Window)
	p("Floor: `(ceil(total creates / %d) - 1) x %s`, the first %d writes going at once (the definition of section 2). Wall: from the start of the "+
		"first terraform process to the exit of the last, terraform's start-up and plan included. \"After the first window\": from %s after "+
		"the first write attempt.\n\n", t0.Limit, t0.Window, t0.Limit, t0.Window)
	p("| runs x N | wall | floor | x floor | goal | met | each run's wall | first write at | last create accepted (from the first write) | 429s | 429s after the first window | creates after it | 429s per 100 of them | POST attempts | creates accepted per %s window | exits | tasks | duplicates | provider peak RSS | reproduce |\n", t0.Window)
	p("|---|--:|--:|--:|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|--:|--:|--:|---|\n")
	for _, t := range r.Pacing {
		walls := make([]string, len(t.RunWalls))
		for i, w := range t.RunWalls {
			walls[i] = secs(w)
		}
		repro := fmt.Sprintf("BENCH_PACING_N=%d BENCH_PACING_RUNS=", t.N)
		if t.Runs > 1 {
			repro = fmt.Sprintf("BENCH_PACING_N= BENCH_PACING_RUNS=%d BENCH_PACING_RUN_N=%d", t.Runs, t.N)
		}
		cmd := ""
		if len(t.Commands) > 0 {
			cmd = t.Commands[0]
		}
		goal, met := pacingGoal(t)
		p("| %d x %d | %s | %s | %.3f | %s | %s | %s | %s | %s | %d | %d | %d | %.2f | %d | %s | %s | %d | %d | %.0f MB | `make bench BENCH_N= BENCH_THROTTLED_N=0 BENCH_QUERY_N= BENCH_RELATED_N= BENCH_SCHEMA_RUNS=0 BENCH_GO=0 %s BENCH_PACING_LIMIT=%d BENCH_PACING_WINDOW=%s`: `%s` in each run's directory |\n",
			t.Runs, t.N, secs(t.Wall), secs(t.Floor), t.Ratio(), goal, met, strings.Join(walls, ", "), secs(t.FirstWrite), secs(t.LastWrite), t.Throttled, t.LateThrottled,
			t.LateWrites, t.LatePer100(), t.Posts, joinInts(t.PerWindow), joinInts(t.Exits), t.Tasks, t.Duplicates, float64(t.PeakRSS)/1024, repro, t.Limit, t.Window, cmd)
	}
	p("\nThe wall time above the floor is terraform's own work before the first write (start-up, refresh and plan: the first-write column) and after " +
		"the last (state), which grows with N and with the load on the machine's cores, and the pacing's own: the last-create column against the floor, " +
		"the pacer's margin of a few hundred milliseconds per window and the time terraform takes to send a window's writes once they may go. " +
		"The 429s in the first window are how each process learns its share.\n\n")
}

// pacingGoal is the goal for a pacing run and whether the run met it: one run within
// 1.10x the floor with at most 2 429s per 100 creates after the first window; two or three at
// once within 1.15x together, every create done once.
func pacingGoal(t PacingResult) (string, string) {
	ok := t.Tasks == t.N*t.Runs && t.Duplicates == 0 && allZero(t.Exits)
	goal := "<= 1.15x, every create once"
	if t.Runs == 1 {
		goal = "<= 1.10x, <= 2 late 429s per 100"
		ok = ok && t.Ratio() <= 1.10 && t.LatePer100() <= 2
	} else {
		ok = ok && t.Ratio() <= 1.15
	}
	if ok {
		return goal, "yes"
	}
	return goal, "**no**"
}

func joinInts(xs []int) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strconv.Itoa(x)
	}
	return strings.Join(out, " / ")
}

func allZero(xs []int) bool {
	for _, x := range xs {
		if x != 0 {
			return false
		}
	}
	return true
}
