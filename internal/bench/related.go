package bench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// RelatedResult is one read of a task's devices through intune_security_configuration_task_managed_devices:
// a `terraform plan` of a configuration holding only that data source, over a task with N devices.
type RelatedResult struct {
	N        int
	PageSize int
	Latency  time.Duration
	Pages    int           // ceil(N / PageSize): the requests one full read of the relationship takes
	Floor    time.Duration // (the task's read + Pages) x Latency: they follow each other
	Command  string
	Wall     time.Duration
	Exit     int
	Calls    Calls
	Related  int // GET requests of the relationship
	PeakRSS  int64
	Plugins  int
	Seeded   time.Duration // how long SeedRelated took (not part of Wall)
	// FirstPage and LastPage are when the first and the last page request reached the emulator,
	// from the start of the command.
	FirstPage, LastPage time.Duration
}

// Ratio is wall time over the paging floor.
func (r RelatedResult) Ratio() float64 {
	if r.Floor <= 0 {
		return 0
	}
	return float64(r.Wall) / float64(r.Floor)
}

// relatedConfig reads the devices of task id and keeps only their count in an output, so that the
// plan's output (not the benchmark's subject) stays small.
func relatedConfig(id string) string {
	return providerConfig + fmt.Sprintf(`
data "intune_security_configuration_task_managed_devices" "big" {
  task_id = %q

  timeouts {
    read = "30m"
  }
}

output "devices" {
  value = length(data.intune_security_configuration_task_managed_devices.big.managed_devices)
}
`, id)
}

// seedRelated empties the emulator and seeds one security configuration task with n devices, as
// Defender lists them (about one in ten has never synced).
func (r *runner) seedRelated(n int) (id string, took time.Duration, err error) {
	r.sim.Reset()
	id = r.sim.Seed(map[string]any{"@odata.type": "#microsoft.graph.securityConfigurationTask", "displayName": "tf-bench-devices",
		"status": "pending", "managedDeviceCount": min(n, 65536)})
	devices := make([]map[string]any, n)
	for i := range devices {
		d := map[string]any{"displayName": fmt.Sprintf("DESKTOP-%05d", i), "managedDeviceId": fmt.Sprintf("%08x-0000-4000-8000-000000000000", i)}
		if i%10 != 0 {
			d["lastSyncDateTime"] = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute).Format(time.RFC3339Nano)
		}
		devices[i] = d
	}
	start := time.Now()
	_, err = r.sim.SeedRelated(id, "managedDevices", devices...)
	return id, time.Since(start), err
}

// related runs `terraform plan` over a task with n devices seeded, with the scale phase's latency
// added to every Graph call: the data source reads the task, then every page of its devices.
func (r *runner) related(ctx context.Context, n int) (RelatedResult, error) {
	pages := listPages(n, graphPageSize)
	res := RelatedResult{N: n, PageSize: graphPageSize, Latency: r.cfg.Latency, Pages: pages,
		Floor: time.Duration(1+pages) * r.cfg.Latency}
	id, took, err := r.seedRelated(n)
	res.Seeded = took
	if err != nil {
		return res, fmt.Errorf("seeding %d devices: %w", n, err)
	}
	dir := filepath.Join(r.tmp, fmt.Sprintf("related-%d", n))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(relatedConfig(id)), 0o644); err != nil {
		return res, err
	}
	r.sim.SetFaults(graphsim.Faults{Latency: r.cfg.Latency})
	args := []string{"plan", "-input=false", "-lock=false"}
	logf(r.cfg, "related N=%d (%d pages): %s", n, pages, shellJoin(append([]string{"terraform"}, args...)))
	rn, err := r.terraform(ctx, dir, args...)
	res.Command, res.Wall, res.Exit, res.PeakRSS, res.Plugins = shellJoin(rn.Args), rn.Wall, rn.Exit, rn.PeakRSS, rn.Plugins
	res.Calls = classify(rn.Requests)
	seen := false
	for _, q := range rn.Requests {
		if q.Route != graphsim.RouteRelated || q.Method != http.MethodGet {
			continue
		}
		res.Related++
		at := q.Time.Sub(rn.Start)
		if !seen {
			res.FirstPage, seen = at, true
		}
		res.FirstPage, res.LastPage = min(res.FirstPage, at), max(res.LastPage, at)
	}
	r.sim.SetFaults(graphsim.Faults{})
	if err != nil {
		return res, err
	}
	logf(r.cfg, "related N=%d: %s (floor %s), %d relationship pages, provider peak RSS %.0f MB", n, rn.Wall.Round(time.Millisecond),
		res.Floor, res.Related, float64(rn.PeakRSS)/1024)
	return res, rn.failure(0)
}
