package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// magicCookie is what terraform (through go-plugin) sets so a provider binary agrees to serve.
const magicCookie = "TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

// StartupResult is how big the release binary is and how fast it serves.
type StartupResult struct {
	Runs int
	Size int64
	// Handshake is the median time from exec to the provider printing its go-plugin handshake line,
	// i.e. listening for terraform's gRPC calls.
	Handshake time.Duration
	// Schema is the median wall time of `terraform providers schema -json` with the provider;
	// Baseline the same command in a configuration without providers (terraform's own cost),
	// Version the median of `terraform version`.
	Schema, Baseline, Version time.Duration
}

// startup measures the release binary's size and start-up times.
func (r *runner) startup(ctx context.Context, bin string) (StartupResult, error) {
	res := StartupResult{Runs: r.cfg.SchemaRuns}
	fi, err := os.Stat(bin)
	if err != nil {
		return res, err
	}
	res.Size = fi.Size()

	logf(r.cfg, "startup: %d runs each of the provider handshake, terraform providers schema -json, and terraform version", res.Runs)
	res.Handshake, err = median(res.Runs, func() (time.Duration, error) { return handshake(ctx, bin) })
	if err != nil {
		return res, fmt.Errorf("provider handshake: %w", err)
	}
	withProvider, err := r.workspace("schema", 1, "")
	if err != nil {
		return res, err
	}
	empty := r.tmp + "/schema-baseline"
	if err := os.MkdirAll(empty, 0o755); err != nil {
		return res, err
	}
	if err := os.WriteFile(empty+"/main.tf", []byte("# no providers: terraform's own cost\n"), 0o644); err != nil {
		return res, err
	}
	tf := func(dir string, args ...string) func() (time.Duration, error) {
		return func() (time.Duration, error) {
			cmd := exec.CommandContext(ctx, r.cfg.Terraform, args...)
			cmd.Dir = dir
			cmd.Env = r.env()
			start := time.Now()
			out, err := cmd.CombinedOutput()
			d := time.Since(start)
			if err != nil {
				return d, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, tail(string(out), 20))
			}
			return d, nil
		}
	}
	// One unmeasured run of each warms the page cache, as it is for a user running terraform twice.
	for _, f := range []func() (time.Duration, error){tf(withProvider, "providers", "schema", "-json"), tf(empty, "providers", "schema", "-json")} {
		if _, err := f(); err != nil {
			return res, err
		}
	}
	if res.Schema, err = median(res.Runs, tf(withProvider, "providers", "schema", "-json")); err != nil {
		return res, err
	}
	if res.Baseline, err = median(res.Runs, tf(empty, "providers", "schema", "-json")); err != nil {
		return res, err
	}
	if res.Version, err = median(res.Runs, tf(empty, "version")); err != nil {
		return res, err
	}
	logf(r.cfg, "startup: %.1f MB, handshake %s, schema %s (terraform alone %s, terraform version %s)", mb(res.Size),
		res.Handshake.Round(time.Millisecond), res.Schema.Round(time.Millisecond), res.Baseline.Round(time.Millisecond),
		res.Version.Round(time.Millisecond))
	return res, nil
}

// handshake starts the provider as terraform does and times it until it prints the go-plugin
// handshake line ("1|6|unix|/tmp/plugin…|grpc|"), which it does once its gRPC server listens.
func handshake(ctx context.Context, bin string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(os.Environ(), magicCookie, "PLUGIN_PROTOCOL_VERSIONS=6")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		// The provider serves until killed; the kill is what ends it, so its error says nothing.
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	d := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("no handshake line: %w", err)
	}
	f := strings.Split(strings.TrimSpace(line), "|")
	if len(f) < 5 || f[0] != "1" || f[1] != "6" {
		return 0, fmt.Errorf("unexpected handshake %q", line)
	}
	if f[2] == "unix" {
		// Killed, the provider cannot remove its socket itself.
		defer os.Remove(f[3])
	}
	return d, nil
}

// median runs f n times and returns the median duration.
func median(n int, f func() (time.Duration, error)) (time.Duration, error) {
	ds := make([]time.Duration, 0, n)
	for range n {
		d, err := f()
		if err != nil {
			return 0, err
		}
		ds = append(ds, d)
	}
	slices.Sort(ds)
	if n%2 == 1 {
		return ds[n/2], nil
	}
	return (ds[n/2-1] + ds[n/2]) / 2, nil
}
