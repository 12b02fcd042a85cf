// Command bench is what `make bench` runs: it measures apply, plan and destroy times and Graph calls
// against the in-process Graph emulator, a throttled apply, `terraform query` over seeded tasks, the
// provider's start-up and the Go benchmarks, and writes bench/RESULTS.md and bench/apply-time.svg. See package bench.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/terraform-intune/terraform-provider-intune/internal/bench"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg := bench.Config{Log: os.Stderr}
	var ns, qns, rns, pns, pruns string
	flag.StringVar(&cfg.Root, "root", ".", "repository root (where main.go is)")
	flag.StringVar(&cfg.OutDir, "out", "bench", "directory for RESULTS.md and apply-time.svg")
	flag.StringVar(&cfg.Terraform, "terraform", "terraform", "terraform binary")
	flag.StringVar(&ns, "n", "10 100 300", "task counts of the scale runs, space or comma separated; empty skips them")
	flag.DurationVar(&cfg.Latency, "latency", 30*time.Millisecond, "Graph latency added in the scale runs")
	flag.IntVar(&cfg.Parallelism, "parallelism", 10, "terraform -parallelism")
	flag.IntVar(&cfg.ThrottledN, "throttled-n", 300, "task count of the throttled run; 0 skips it")
	flag.IntVar(&cfg.WriteLimit, "write-limit", 100, "writes allowed per -write-window in the throttled run")
	flag.DurationVar(&cfg.WriteWindow, "write-window", 20*time.Second, "sliding window of the write throttle")
	flag.StringVar(&pns, "pacing-n", "60 300 1000", "task counts of the learned-pacing runs (one terraform run each); empty or 0 skips them")
	flag.StringVar(&pruns, "pacing-runs", "2 3", "numbers of terraform runs writing to the tenant at once, -pacing-run-n creates each; empty or 0 skips them")
	flag.IntVar(&cfg.PacingRunN, "pacing-run-n", 300, "creates per run in the concurrent learned-pacing runs")
	flag.IntVar(&cfg.PacingLimit, "pacing-limit", 20, "writes allowed per -pacing-window by the tenant-wide throttle of the learned-pacing runs")
	flag.DurationVar(&cfg.PacingWindow, "pacing-window", 10*time.Second, "sliding window of the learned-pacing runs' throttle")
	flag.StringVar(&qns, "query-n", "1000 5000", "security configuration task counts of the terraform query runs; empty or 0 skips them")
	flag.StringVar(&cfg.TerraformLatest, "terraform-latest", ".cache/bin/terraform-1.15.9",
		"Terraform >= 1.14 for the terraform query runs (a relative path is under -root); without one they are skipped")
	flag.StringVar(&rns, "related-n", "10000", "device counts of the relationship-read runs (one task with N devices); empty or 0 skips them")
	flag.IntVar(&cfg.SchemaRuns, "schema-runs", 15, "repetitions of each start-up timing; 0 skips them")
	flag.BoolVar(&cfg.GoBench, "go-bench", true, "run the Go benchmarks")
	flag.BoolVar(&cfg.ColdBuild, "cold-build", false, "also time a build from an empty build cache (minutes, ~10 GB)")
	flag.Parse()

	var err error
	if cfg.Ns, err = counts("-n", ns, "positive task count", false); err != nil {
		return err
	}
	if cfg.QueryNs, err = counts("-query-n", qns, "task count", true); err != nil {
		return err
	}
	if cfg.PacingNs, err = counts("-pacing-n", pns, "task count", true); err != nil {
		return err
	}
	if cfg.PacingRuns, err = counts("-pacing-runs", pruns, "number of runs", true); err != nil {
		return err
	}
	if cfg.RelatedNs, err = counts("-related-n", rns, "device count", true); err != nil {
		return err
	}
	if cfg.Parallelism <= 0 || cfg.WriteLimit <= 0 || cfg.WriteWindow <= 0 || cfg.PacingLimit <= 0 || cfg.PacingWindow <= 0 || cfg.PacingRunN <= 0 {
		return fmt.Errorf("-parallelism, -write-limit, -write-window, -pacing-limit, -pacing-window and -pacing-run-n must be positive")
	}
	if cfg.Root, err = filepath.Abs(cfg.Root); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(cfg.Root, "main.go")); err != nil {
		return fmt.Errorf("-root %s is not the repository root: %w", cfg.Root, err)
	}
	if !filepath.IsAbs(cfg.OutDir) {
		cfg.OutDir = filepath.Join(cfg.Root, cfg.OutDir)
	}
	if cfg.Terraform, err = exec.LookPath(cfg.Terraform); err != nil {
		return err
	}
	// A missing Terraform >= 1.14 is not an error: the query phase says why it did not run.
	switch tf := cfg.TerraformLatest; {
	case tf == "":
	case !strings.Contains(tf, "/"):
		if p, err := exec.LookPath(tf); err == nil {
			cfg.TerraformLatest = p
		}
	case !filepath.IsAbs(tf):
		cfg.TerraformLatest = filepath.Join(cfg.Root, tf)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	_, err = bench.Run(ctx, cfg)
	fmt.Fprintf(os.Stderr, "bench: finished in %s\n", time.Since(start).Round(time.Second))
	return err
}

// counts reads a flag's space- or comma-separated counts. With skipZero a 0 is allowed and left out
// (it skips the phase); without, every count must be positive.
func counts(flagName, v, what string, skipZero bool) ([]int, error) {
	var out []int
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n == 0 && !skipZero {
			return nil, fmt.Errorf("%s: %q is not a %s", flagName, f, what)
		}
		if n > 0 {
			out = append(out, n)
		}
	}
	return out, nil
}
