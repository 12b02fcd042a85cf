// Package bench measures the provider the way users feel it: how long terraform takes to apply, plan
// and destroy N security configuration tasks against the Graph emulator, how many Graph calls each
// resource costs, how close a throttled apply gets to what Intune's write limit allows, how long
// `terraform query` takes to page through a tenant of thousands of tasks, and how fast the provider
// binary starts. `make bench` runs it through the command in cmd/bench and writes
// bench/RESULTS.md and bench/apply-time.svg.
//
// Everything goes through the real terraform binary and a release build of the provider, installed
// with dev_overrides, against graphsim started in this process so that its fault switches (latency,
// write throttle) and counters can be used directly between phases. Like the emulator, this package
// imports nothing from the provider: it only runs the binary.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// Config says what to measure. Zero sizes skip a phase.
type Config struct {
	// Root is the repository root (where main.go is).
	Root string
	// OutDir receives RESULTS.md and apply-time.svg.
	OutDir string
	// Terraform is the terraform binary.
	Terraform string

	// Ns are the task counts of the scale runs.
	Ns []int
	// Latency is added to every Graph call in the scale runs.
	Latency time.Duration
	// Parallelism is terraform's -parallelism.
	Parallelism int

	// ThrottledN is the task count of the throttled run, under WriteLimit writes per WriteWindow.
	ThrottledN  int
	WriteLimit  int
	WriteWindow time.Duration

	// PacingNs are the task counts of the learned-pacing runs: one terraform run of N creates under
	// a tenant-wide throttle of PacingLimit writes per PacingWindow. PacingRuns are the numbers
	// of runs (more than one) that then write at once, PacingRunN creates each.
	PacingNs     []int
	PacingRuns   []int
	PacingRunN   int
	PacingLimit  int
	PacingWindow time.Duration

	// QueryNs are the security configuration task counts of the `terraform query` runs, which
	// TerraformLatest (Terraform >= 1.14) makes; without one the phase is skipped, saying why.
	QueryNs         []int
	TerraformLatest string

	// RelatedNs are the device counts of the relationship runs: one security configuration task
	// with N devices, read through intune_security_configuration_task_managed_devices.
	RelatedNs []int

	// SchemaRuns is how many times each startup timing is repeated (the median is reported).
	SchemaRuns int
	// GoBench runs the Go benchmarks of the mapping and error paths.
	GoBench bool
	// ColdBuild times a go build of the provider with an empty build cache (minutes, ~10 GB).
	ColdBuild bool

	// Log receives progress lines.
	Log io.Writer
}

// providerAddress is the provider's registry address, which dev_overrides maps to the binary.
const providerAddress = "registry.terraform.io/terraform-intune/intune"

// Run measures what cfg asks for and writes the results file and chart. A phase that fails is
// reported in the results file and in the returned error; the other phases still run.
func Run(ctx context.Context, cfg Config) (*Results, error) {
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	res := &Results{Config: cfg, Date: time.Now()}
	res.Machine = describeMachine(ctx, cfg)
	logf(cfg, "machine: %s", res.Machine.Summary())

	tmp, err := os.MkdirTemp("", "intune-bench-")
	if err != nil {
		return nil, err
	}
	keep := false
	defer func() {
		if keep {
			logf(cfg, "logs of the failed run kept in %s", tmp)
			return
		}
		os.RemoveAll(tmp)
	}()

	var errs []error
	fail := func(phase string, err error) {
		err = fmt.Errorf("%s: %w", phase, err)
		logf(cfg, "FAILED %v", err)
		res.Failures = append(res.Failures, err.Error())
		errs = append(errs, err)
		keep = true
	}

	if len(cfg.QueryNs) > 0 {
		res.QueryTerraform, res.QuerySkipped = queryTerraform(ctx, cfg.TerraformLatest)
		if res.QuerySkipped != "" {
			logf(cfg, "terraform query: not measured: %s", res.QuerySkipped)
		}
	}
	runQuery := len(cfg.QueryNs) > 0 && res.QuerySkipped == ""
	needProvider := len(cfg.Ns) > 0 || cfg.ThrottledN > 0 || len(cfg.PacingNs) > 0 || len(cfg.PacingRuns) > 0 || cfg.SchemaRuns > 0 || runQuery || len(cfg.RelatedNs) > 0
	var bin string
	if needProvider {
		logf(cfg, "building the provider as the release build does: %s", releaseBuildCmd)
		bin, res.Build, err = buildRelease(ctx, cfg, filepath.Join(tmp, "bin"))
		if err != nil {
			fail("release build", err)
			return res, finish(cfg, res, errs)
		}
		logf(cfg, "built %s (%.1f MB) in %s", bin, mb(res.Build.Size), res.Build.Wall.Round(time.Millisecond))
	}

	if needProvider {
		sim, err := graphsim.Start(graphsim.Options{CAFile: filepath.Join(tmp, "ca.pem"), PageSize: graphPageSize})
		if err != nil {
			fail("starting the Graph emulator", err)
			return res, finish(cfg, res, errs)
		}
		defer sim.Close()
		r := &runner{cfg: cfg, sim: sim, binDir: filepath.Dir(bin), tmp: tmp}
		if err := r.writeCLIConfig(); err != nil {
			fail("CLI configuration", err)
			return res, finish(cfg, res, errs)
		}

		if cfg.SchemaRuns > 0 {
			st, err := r.startup(ctx, bin)
			res.Startup = st
			if err != nil {
				fail("startup", err)
			}
		}
		for _, n := range cfg.Ns {
			sr, err := r.scale(ctx, n)
			res.Scale = append(res.Scale, sr)
			if err != nil {
				fail(fmt.Sprintf("scale N=%d", n), err)
			}
		}
		if cfg.ThrottledN > 0 {
			res.PacingArgument = r.hasProviderArgument(ctx, "write_rate_limit")
			tr, err := r.throttled(ctx, cfg.ThrottledN, 0)
			res.Throttled = append(res.Throttled, tr)
			if err != nil {
				fail("throttled, retry only", err)
			}
			if res.PacingArgument {
				tr, err := r.throttled(ctx, cfg.ThrottledN, cfg.WriteLimit)
				res.Throttled = append(res.Throttled, tr)
				if err != nil {
					fail("throttled, write_rate_limit", err)
				}
			}
		}
		for _, n := range cfg.PacingNs {
			pr, err := r.pacing(ctx, n, 1)
			res.Pacing = append(res.Pacing, pr)
			if err != nil {
				fail(fmt.Sprintf("learned pacing N=%d", n), err)
			}
		}
		for _, k := range cfg.PacingRuns {
			pr, err := r.pacing(ctx, cfg.PacingRunN, k)
			res.Pacing = append(res.Pacing, pr)
			if err != nil {
				fail(fmt.Sprintf("learned pacing, %d runs of N=%d at once", k, cfg.PacingRunN), err)
			}
		}
		if runQuery {
			for _, n := range cfg.QueryNs {
				total, took := r.seedQuery(n)
				page, err := r.emulatorPageCost(ctx)
				if err != nil {
					fail(fmt.Sprintf("terraform query N=%d: the emulator's own time per page", n), err)
				}
				logf(cfg, "query N=%d: seeded %d tasks through graphsim.Seed in %s; the emulator takes %s per page itself",
					n, total, took.Round(time.Millisecond), page.Round(100*time.Microsecond))
				for _, inc := range []bool{false, true} {
					q, err := r.query(ctx, cfg.TerraformLatest, n, total, took, page, inc)
					res.Query = append(res.Query, q)
					if err != nil {
						fail(fmt.Sprintf("terraform query N=%d (%s)", n, q.ListBlock()), err)
					}
				}
			}
			r.sim.Reset()
		}
		for _, n := range cfg.RelatedNs {
			rr, err := r.related(ctx, n)
			res.Related = append(res.Related, rr)
			if err != nil {
				fail(fmt.Sprintf("relationship read N=%d", n), err)
			}
			r.sim.Reset()
		}
	}

	if cfg.GoBench {
		logf(cfg, "go benchmarks: %s", goBenchCmd)
		res.GoBench, err = runGoBench(ctx, cfg)
		if err != nil {
			fail("go benchmarks", err)
		}
	}
	if cfg.ColdBuild {
		res.Cold, err = coldBuild(ctx, cfg, tmp)
		if err != nil {
			fail("cold build", err)
		}
	}
	return res, finish(cfg, res, errs)
}

// finish writes the results file and chart, whatever happened.
func finish(cfg Config, res *Results, errs []error) error {
	res.Machine.LoadAfter = loadAverage()
	if err := writeResults(cfg.OutDir, res); err != nil {
		errs = append(errs, fmt.Errorf("writing results: %w", err))
	} else {
		logf(cfg, "wrote %s and %s", filepath.Join(cfg.OutDir, resultsFile), filepath.Join(cfg.OutDir, chartFile))
	}
	return errors.Join(errs...)
}

func logf(cfg Config, format string, args ...any) {
	fmt.Fprintf(cfg.Log, "bench: "+format+"\n", args...)
}

func mb(bytes int64) float64 { return float64(bytes) / (1 << 20) }

// ceilDiv is ⌈a/b⌉ for positive b.
func ceilDiv(a, b int) int { return (a + b - 1) / b }

// shellJoin renders a command line for a reader to copy.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\"'$`\\|&;<>()*?[]{}") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}
