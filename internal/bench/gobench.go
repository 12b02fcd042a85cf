package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// goBenchPkgs hold the mapping (expand/flatten) and error-to-diagnostic benchmarks.
var goBenchPkgs = []string{"./internal/service/securityconfigurationtask/", "./internal/graph/"}

var goBenchArgs = append([]string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-count", "1"}, goBenchPkgs...)

var goBenchCmd = "go " + shellJoin(goBenchArgs)

// GoBenchmark is one line of `go test -bench` output.
type GoBenchmark struct {
	Package     string
	Name        string
	Iterations  int
	NsPerOp     float64
	BytesPerOp  int64
	AllocsPerOp int64
}

// Command reproduces this one benchmark.
func (g GoBenchmark) Command() string {
	return fmt.Sprintf("go test -run '^$' -bench '^%s$' -benchmem %s", strings.TrimSuffix(g.Name, cpuSuffix(g.Name)), g.Package)
}

// runGoBench runs the Go benchmarks. Plain `go test` (no -race, -cover or -fuzz) reuses the build
// cache of the models package, so only the two test binaries are built.
func runGoBench(ctx context.Context, cfg Config) ([]GoBenchmark, error) {
	cmd := exec.CommandContext(ctx, "go", goBenchArgs...)
	cmd.Dir = cfg.Root
	// TF_ACC would make the packages' TestMain start an emulator the benchmarks do not need.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_ACC=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s: %w\n%s", goBenchCmd, err, tail(string(out), 30))
	}
	return parseGoBench(string(out)), nil
}

// parseGoBench reads the benchmark lines of `go test -bench -benchmem` output.
func parseGoBench(out string) []GoBenchmark {
	var res []GoBenchmark
	pkg := ""
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "pkg:" {
			pkg = f[1]
			continue
		}
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		b := GoBenchmark{Package: relPackage(pkg), Name: f[0]}
		b.Iterations, _ = strconv.Atoi(f[1])
		for i := 2; i+1 < len(f); i += 2 {
			switch f[i+1] {
			case "ns/op":
				b.NsPerOp, _ = strconv.ParseFloat(f[i], 64)
			case "B/op":
				b.BytesPerOp, _ = strconv.ParseInt(f[i], 10, 64)
			case "allocs/op":
				b.AllocsPerOp, _ = strconv.ParseInt(f[i], 10, 64)
			}
		}
		res = append(res, b)
	}
	return res
}

// relPackage turns an import path of this module into a ./ path.
func relPackage(pkg string) string {
	const module = "github.com/terraform-intune/terraform-provider-intune/"
	if strings.HasPrefix(pkg, module) {
		return "./" + strings.TrimPrefix(pkg, module) + "/"
	}
	return pkg
}

// cpuSuffix is the "-2" GOMAXPROCS suffix go test appends to a benchmark name.
func cpuSuffix(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return ""
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return ""
	}
	return name[i:]
}
