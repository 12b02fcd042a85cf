package bench

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

func TestClassify(t *testing.T) {
	const item = "/beta/deviceAppManagement/deviceAppManagementTasks/"
	reqs := []graphsim.LoggedRequest{
		{Method: "POST", Route: graphsim.RouteToken},
		{Method: "GET", Route: graphsim.RouteTask, Path: item + "a"},    // refresh
		{Method: "GET", Route: graphsim.RouteTask, Path: item + "b"},    // refresh
		{Method: "DELETE", Route: graphsim.RouteTask, Path: item + "a"}, // delete
		{Method: "GET", Route: graphsim.RouteTask, Path: item + "a"},    // confirming read
		{Method: "DELETE", Route: graphsim.RouteTask, Path: item + "b", Status: 429},
		{Method: "GET", Route: graphsim.RouteTasks},
	}
	got := classify(reqs)
	want := Calls{Refresh: 2, Delete: 2, ReadAfter: 1, List: 1, Token: 1, Throttled: 1}
	if got != want {
		t.Errorf("classify = %+v, want %+v", got, want)
	}
	if got.Graph() != 6 {
		t.Errorf("Graph() = %d, want 6", got.Graph())
	}
}

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
pkg: github.com/terraform-intune/terraform-provider-intune/internal/graph
BenchmarkNewHTTPErrorDescribe_intune-2   	   36350	     33006 ns/op	    4478 B/op	      46 allocs/op
PASS
`
	got := parseGoBench(out)
	if len(got) != 1 {
		t.Fatalf("got %d benchmarks, want 1", len(got))
	}
	b := got[0]
	if b.Package != "./internal/graph/" || b.NsPerOp != 33006 || b.BytesPerOp != 4478 || b.AllocsPerOp != 46 || b.Iterations != 36350 {
		t.Errorf("parsed %+v", b)
	}
	if want := "go test -run '^$' -bench '^BenchmarkNewHTTPErrorDescribe_intune$' -benchmem ./internal/graph/"; b.Command() != want {
		t.Errorf("Command() = %q, want %q", b.Command(), want)
	}
}

func TestParseTimeV(t *testing.T) {
	out := `	Command being timed: "go build -trimpath"
	User time (seconds): 512.31
	System time (seconds): 40.02
	Elapsed (wall clock) time (h:mm:ss or m:ss): 4:51.27
	Maximum resident set size (kbytes): 10485760
`
	r := parseTimeV(out)
	if r.Wall != 291270*time.Millisecond || r.PeakRSSKB != 10485760 || r.UserCPU != 512310*time.Millisecond {
		t.Errorf("parsed %+v", r)
	}
	if d := parseClock("1:02:03"); d != time.Hour+2*time.Minute+3*time.Second {
		t.Errorf("parseClock(1:02:03) = %s", d)
	}
}

func TestReportAndChart(t *testing.T) {
	r := &Results{
		Config: Config{Ns: []int{10, 100}, Latency: 30 * time.Millisecond, Parallelism: 10, ThrottledN: 300},
		Date:   time.Date(2026, 11, 29, 17, 0, 0, 0, time.UTC),
	}
	for _, n := range r.Config.Ns {
		s := ScaleResult{N: n}
		for i, op := range []string{OpCreate, OpPlan, OpUpdate, OpDestroy} {
			s.Ops = append(s.Ops, OpResult{Name: op, N: n, Wall: time.Duration(n*(i+1)) * 10 * time.Millisecond,
				Floor: time.Duration(ceilDiv(n, 10)) * 30 * time.Millisecond, Calls: Calls{Create: n}})
		}
		r.Scale = append(r.Scale, s)
	}
	r.Throttled = []ThrottledResult{{N: 300, Limit: 100, Window: 20 * time.Second, Wall: 44 * time.Second, Floor: 40 * time.Second, Tasks: 300}}

	svg := applyChart(r)
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Fatalf("chart is not well-formed XML: %v", err)
	}
	md := markdown(r)
	for _, want := range []string{"| 100 | apply (create) |", "1.100 (44.00 s / 40.00 s) | yes", "not measured", `make bench BENCH_N="10 100" BENCH_THROTTLED_N=300`} {
		if !strings.Contains(md, want) {
			t.Errorf("RESULTS.md lacks %q", want)
		}
	}
}

func TestWriteWindows(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 17, 0, 0, 0, time.UTC)
	post := func(after time.Duration, status int) graphsim.LoggedRequest {
		return graphsim.LoggedRequest{Method: "POST", Route: graphsim.RouteTasks, Time: t0.Add(after), Status: status}
	}
	reqs := []graphsim.LoggedRequest{
		post(0, 201), post(time.Second, 201), post(2*time.Second, 429), post(21*time.Second, 201), post(45*time.Second, 201),
		{Method: "GET", Route: graphsim.RouteTask, Time: t0.Add(50 * time.Second), Status: 200},
	}
	per, last := writeWindows(reqs, 20*time.Second)
	if len(per) != 3 || per[0] != 2 || per[1] != 1 || per[2] != 1 || last != 45*time.Second {
		t.Errorf("writeWindows = %v, %s", per, last)
	}
}

// A run without COLD_BUILD=1 shows the cold-build figures of the previous RESULTS.md only in the
// section of figures from earlier runs, with the date of the run that measured them, and never in
// a table of its own results; the date survives being carried again.
func TestEarlierFiguresStayOutOfThisRunsTables(t *testing.T) {
	cold := func(day string) string {
		return "| cold build (" + day + "): wall time | 4321 s | | `cmd` |\n" +
			"| cold build (" + day + "): peak memory of one process (the `models` compile) | 12.3 GB | | same |\n" +
			"| cold build (" + day + "): CPU time (user + system) | 8765 s | | same |\n"
	}
	for name, prev := range map[string]string{
		// A COLD_BUILD=1 run: its dated rows sit in its own start-up table.
		"measured": "Written by `make bench COLD_BUILD=1` on 2026-11-01 17:30 UTC; x\n\n## 3. Start-up and build\n\n" + cold("2026-11-01"),
		// The format this file replaced: rows carried into the start-up table of a later run.
		"carried in table": "Written by `make bench` on 2026-11-29 17:44 UTC; x\n\n## 3. Start-up and build\n\n" + cold("2026-11-01"),
		// Undated rows of an older COLD_BUILD=1 file take the file's date.
		"undated": "Written by `make bench COLD_BUILD=1` on 2026-11-01 09:00 UTC; x\n\n## 3. Start-up and build\n\n" +
			"| cold build: wall time | 4321 s | | `cmd` |\n| cold build: peak memory of one process (the `models` compile) | 12.3 GB | | same |\n" +
			"| cold build: CPU time (user + system) | 8765 s | | same |\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, resultsFile), []byte(prev), 0o644); err != nil {
				t.Fatal(err)
			}
			// Written twice: the second run carries the figures out of the first one's earlier-runs section.
			for gen := 1; gen <= 2; gen++ {
				r := &Results{Config: Config{Latency: 30 * time.Millisecond, Parallelism: 10}, Date: time.Date(2026, 11, 30, 5, 0, 0, 0, time.UTC),
					Startup: StartupResult{Runs: 3, Size: 22 << 20}, Build: BuildResult{Wall: time.Second, Size: 22 << 20}}
				if err := writeResults(dir, r); err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(filepath.Join(dir, resultsFile))
				if err != nil {
					t.Fatal(err)
				}
				checkEarlierApart(t, gen, string(b), []string{"4321 s", "12.3 GB", "8765 s"}, "2026-11-01")
			}
		})
	}
}

// checkEarlierApart fails when one of values appears outside the earlier-runs section of md, or
// is missing from it, or that section lacks the date and the command that reproduces the values.
func checkEarlierApart(t *testing.T, gen int, md string, values []string, day string) {
	t.Helper()
	sections := strings.Split(md, "\n## ")
	earlier := ""
	for i, sec := range sections {
		if i > 0 {
			sec = "## " + sec
		}
		if strings.HasPrefix(sec, earlierHeading+"\n") {
			earlier = sec
			continue
		}
		for _, v := range values {
			if strings.Contains(sec, v) {
				t.Errorf("generation %d: carried figure %q appears among this run's results, in:\n%s", gen, v, sec)
			}
		}
		if strings.Contains(sec, "| cold build (") {
			t.Errorf("generation %d: a dated cold-build row appears among this run's results, in:\n%s", gen, sec)
		}
	}
	if earlier == "" {
		t.Fatalf("generation %d: no %q section in:\n%s", gen, earlierHeading, md)
	}
	for _, v := range values {
		if !strings.Contains(earlier, "| "+v+" | "+day+" | `"+coldBuildMake+"` |") {
			t.Errorf("generation %d: earlier-runs section lacks %s measured on %s with its command:\n%s", gen, v, day, earlier)
		}
	}
	if strings.Contains(earlier, "2026-11-30") {
		t.Errorf("generation %d: earlier-runs section carries this run's date:\n%s", gen, earlier)
	}
}

// A run that measured the cold build shows its own figures and no earlier-runs section.
func TestColdBuildMeasuredHasNoEarlierSection(t *testing.T) {
	dir := t.TempDir()
	prev := "Written by `make bench COLD_BUILD=1` on 2026-11-01 17:30 UTC; x\n| cold build (2026-11-01): wall time | 4321 s | | `cmd` |\n"
	if err := os.WriteFile(filepath.Join(dir, resultsFile), []byte(prev), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Results{Date: time.Date(2026, 11, 30, 5, 0, 0, 0, time.UTC), Cold: &ColdBuildResult{Wall: 300 * time.Second, PeakRSSKB: 9 << 20}}
	if err := writeResults(dir, r); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, resultsFile))
	md := string(b)
	if strings.Contains(md, earlierHeading) || strings.Contains(md, "4321 s") {
		t.Errorf("a run that measured the cold build shows an earlier run's figures:\n%s", md)
	}
	if !strings.Contains(md, "| cold build (2026-11-30): wall time | 300 s |") {
		t.Errorf("this run's cold build is missing:\n%s", md)
	}
}

// A run of one phase keeps the other phases' sections and goals from the previous RESULTS.md,
// marked with that file's date, and replaces its own.
func TestKeepUnmeasured(t *testing.T) {
	prev := "# Benchmark results\n\nWritten by `make bench` on 2026-11-30 05:32 UTC.\n\n## Goals\n\n| goal | measured | met |\n|---|---|---|\n" +
		"| create: 1 Graph call per resource | 1.00 (N=10) | yes |\n| learned pacing, 1 run of N=60: old | 9 | **no** |\n\n" +
		"## 1. Scale: old\n\nscale table\n\n## 6. Learned write pacing: old\n\nold pacing\n\n## How to read and reproduce\n\n- old\n"
	r := &Results{Date: time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC),
		Pacing: []PacingResult{{N: 60, Runs: 1, Limit: 50, Window: 10 * time.Second, Wall: 11 * time.Second, Floor: 10 * time.Second, Tasks: 60, Exits: []int{0}}}}
	out := keepUnmeasured(markdown(r), prev, r)
	for _, want := range []string{
		"## 1. Scale: old\n\n_This section was " + keptNote + "2026-11-30._\n",
		"| create: 1 Graph call per resource (" + keptNote + "2026-11-30) | 1.00 (N=10) | yes |",
		"| learned pacing, 1 run of N=60: wall <= 1.10 x floor of all writes | 1.100 (11.00 s / 10.00 s) | yes |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("RESULTS.md lacks %q:\n%s", want, out)
		}
	}
	for _, gone := range []string{"old pacing", "N=60: old"} {
		if strings.Contains(out, gone) {
			t.Errorf("RESULTS.md kept %q, which this run measured again", gone)
		}
	}
	if strings.Index(out, "## 1. Scale") > strings.Index(out, "## 6. Learned") {
		t.Error("the kept section 1 comes after section 6")
	}
}
