package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// releaseBuildCmd is how .goreleaser.yml and `make build` build the binary users get.
const releaseBuildCmd = `go build -trimpath -ldflags "-s -w" -o terraform-provider-intune .`

// coldBuildCmd reproduces the cold-build figures.
const coldBuildCmd = `GOCACHE=$(mktemp -d) /usr/bin/time -v go build -trimpath -ldflags "-s -w" -o /tmp/terraform-provider-intune .`

// bigCompileRSS is the resident size above which a running compile counts as a cold build of the
// beta SDK's models package. Two of those at once can exhaust a 24 GB machine.
const bigCompileRSS = 3 << 30

// BuildResult is the release build made for the run.
type BuildResult struct {
	Size int64
	Wall time.Duration // with whatever the build cache held; not a cold-build figure
}

// ColdBuildResult is a build of the provider from an empty build cache (the module cache is warm,
// so nothing is downloaded).
type ColdBuildResult struct {
	Wall       time.Duration
	PeakRSSKB  int64 // the largest single process: the compile of the models package
	UserCPU    time.Duration
	SystemCPU  time.Duration
	WaitedIdle time.Duration // time spent waiting for other big compiles to end first
}

// Machine is the shape of the machine the figures come from.
type Machine struct {
	CPUs        int
	CPUModel    string
	MemTotalKB  int64
	GoVersion   string
	Terraform   string
	Kernel      string
	LoadBefore  string
	LoadAfter   string
	GOMAXPROCS  int
	TerraformAt string
}

// Summary is one line for the log.
func (m Machine) Summary() string {
	return fmt.Sprintf("%d CPUs, %.1f GiB, %s, %s, load %s", m.CPUs, float64(m.MemTotalKB)/(1<<20), m.GoVersion, m.Terraform, m.LoadBefore)
}

func describeMachine(ctx context.Context, cfg Config) Machine {
	m := Machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), LoadBefore: loadAverage(), TerraformAt: cfg.Terraform}
	if out, err := exec.CommandContext(ctx, "go", "version").Output(); err == nil {
		m.GoVersion = strings.TrimPrefix(strings.TrimSpace(string(out)), "go version ")
	}
	if out, err := exec.CommandContext(ctx, cfg.Terraform, "version").Output(); err == nil {
		m.Terraform = strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	m.MemTotalKB = procField("/proc/meminfo", "MemTotal")
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		s := bufio.NewScanner(f)
		for s.Scan() {
			if k, v, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	return m
}

// loadAverage is the 1, 5 and 15 minute load average: other work on the machine shows up in it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// procField reads a "Key:   123 kB" line of a /proc status-like file, in kB.
func procField(path, key string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return fieldKB(b, key)
}

func fieldKB(b []byte, key string) int64 {
	for _, line := range bytes.Split(b, []byte("\n")) {
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok || string(k) != key {
			continue
		}
		f := strings.Fields(string(v))
		if len(f) == 0 {
			return 0
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		return n
	}
	return 0
}

// buildRelease builds the provider with the release flags into dir. The -trimpath build shares
// nothing with a plain `go build` in the cache, so the first one on a machine compiles the models
// package from scratch: wait until no other such compile is running.
func buildRelease(ctx context.Context, cfg Config, dir string) (string, BuildResult, error) {
	if _, err := waitForBigCompiles(ctx, cfg, 30*time.Minute); err != nil {
		return "", BuildResult{}, err
	}
	bin := filepath.Join(dir, "terraform-provider-intune")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, ".")
	cmd.Dir = cfg.Root
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		return "", BuildResult{}, fmt.Errorf("%s: %w\n%s", releaseBuildCmd, err, out)
	}
	fi, err := os.Stat(bin)
	if err != nil {
		return "", BuildResult{}, err
	}
	return bin, BuildResult{Size: fi.Size(), Wall: wall}, nil
}

// waitForBigCompiles blocks while any compile process on the machine is bigger than bigCompileRSS,
// so that this run never adds a second cold models compile to one already running.
func waitForBigCompiles(ctx context.Context, cfg Config, limit time.Duration) (time.Duration, error) {
	start := time.Now()
	said := false
	for {
		pid, rss := biggestCompile()
		if rss < bigCompileRSS {
			return time.Since(start), nil
		}
		if !said {
			logf(cfg, "waiting: compile process %d uses %.1f GB (another cold build of the models package is running)", pid, float64(rss)/(1<<30))
			said = true
		}
		if time.Since(start) > limit {
			return time.Since(start), fmt.Errorf("another big compile (pid %d) still running after %s", pid, limit)
		}
		select {
		case <-ctx.Done():
			return time.Since(start), ctx.Err()
		case <-time.After(5 * time.Second):
		}
	}
}

// biggestCompile finds the Go compiler process with the largest resident set, in bytes.
func biggestCompile() (pid int, rss int64) {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		if err != nil || strings.TrimSpace(string(comm)) != "compile" {
			continue
		}
		if kb := procField(filepath.Join("/proc", e.Name(), "status"), "VmRSS"); kb*1024 > rss {
			pid, rss = p, kb*1024
		}
	}
	return pid, rss
}

// coldBuild times a build from an empty, throwaway build cache under /usr/bin/time -v.
func coldBuild(ctx context.Context, cfg Config, tmp string) (*ColdBuildResult, error) {
	logf(cfg, "cold build: waiting until no other big compile runs")
	waited, err := waitForBigCompiles(ctx, cfg, 30*time.Minute)
	if err != nil {
		return nil, err
	}
	cache, err := os.MkdirTemp("", "intune-bench-gocache-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(cache)
	logf(cfg, "cold build: %s (takes minutes)", coldBuildCmd)
	cmd := exec.CommandContext(ctx, "/usr/bin/time", "-v", "go", "build", "-trimpath", "-ldflags", "-s -w",
		"-o", filepath.Join(tmp, "cold", "terraform-provider-intune"), ".")
	cmd.Dir = cfg.Root
	cmd.Env = append(os.Environ(), "GOCACHE="+cache)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%w\n%s", err, tail(stderr.String(), 40))
	}
	r := parseTimeV(stderr.String())
	r.WaitedIdle = waited
	logf(cfg, "cold build: %s wall, peak %.1f GB", r.Wall.Round(time.Second), float64(r.PeakRSSKB)/(1<<20))
	return r, nil
}

// parseTimeV reads GNU time's -v report.
func parseTimeV(s string) *ColdBuildResult {
	r := &ColdBuildResult{}
	for _, line := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "Elapsed (wall clock) time (h:mm:ss or m:ss)":
			r.Wall = parseClock(v)
		case "Maximum resident set size (kbytes)":
			r.PeakRSSKB, _ = strconv.ParseInt(v, 10, 64)
		case "User time (seconds)":
			f, _ := strconv.ParseFloat(v, 64)
			r.UserCPU = seconds(f)
		case "System time (seconds)":
			f, _ := strconv.ParseFloat(v, 64)
			r.SystemCPU = seconds(f)
		}
	}
	return r
}

// parseClock reads h:mm:ss or m:ss.ss.
func parseClock(v string) time.Duration {
	var total float64
	for _, part := range strings.Split(v, ":") {
		f, _ := strconv.ParseFloat(part, 64)
		total = total*60 + f
	}
	return seconds(total)
}

func seconds(f float64) time.Duration { return time.Duration(math.Round(f*1e6)) * time.Microsecond }

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}
