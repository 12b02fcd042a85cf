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

func TestCarryColdBuild(t *testing.T) {
	dir := t.TempDir()
	old := "Written by `make bench COLD_BUILD=1` on 2026-11-29 17:30 UTC; x\n" +
		"| cold build: wall time | 300.00 s | | `cmd` |\n" +
		"| cold build (2026-11-01): CPU time (user + system) | 500 s | | same |\n"
	if err := os.WriteFile(filepath.Join(dir, resultsFile), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Results{}
	carryColdBuild(dir, r)
	want := []string{"| cold build (2026-11-29): wall time | 300.00 s | | `cmd` |", "| cold build (2026-11-01): CPU time (user + system) | 500 s | | same |"}
	if strings.Join(r.ColdCarried, "\n") != strings.Join(want, "\n") {
		t.Errorf("carried %q", r.ColdCarried)
	}
}
