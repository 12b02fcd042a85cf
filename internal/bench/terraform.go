package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// runner drives terraform against the emulator.
type runner struct {
	cfg    Config
	sim    *graphsim.Server
	binDir string // holds the provider binary dev_overrides points at
	tmp    string
	seq    int
}

// run is one terraform command: how long it took and what the provider cost.
type run struct {
	Args     []string
	Start    time.Time
	Wall     time.Duration
	Exit     int
	Output   string // path of the combined output
	PeakRSS  int64  // kB, the largest VmHWM of the provider processes terraform started
	Plugins  int    // how many provider processes it started
	Requests []graphsim.LoggedRequest
}

func (r *runner) writeCLIConfig() error {
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    %q = %q
  }
  direct {}
}
`, providerAddress, r.binDir)
	return os.WriteFile(filepath.Join(r.tmp, "terraformrc"), []byte(rc), 0o600)
}

// env is terraform's environment: the emulator's credentials and CA, dev_overrides, and nothing of
// the caller's Azure or Terraform settings that could change what is measured.
func (r *runner) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "ARM_") || strings.HasPrefix(k, "AZURE_") || strings.HasPrefix(k, "TF_") || strings.HasPrefix(k, "INTUNE_") ||
			k == "SSL_CERT_FILE" || k == "SSL_CERT_DIR" || k == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	o := r.sim.Options()
	return append(env,
		"TF_CLI_CONFIG_FILE="+filepath.Join(r.tmp, "terraformrc"),
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1", // no call home to HashiCorp inside the timings
		"ARM_TENANT_ID="+o.TenantID,
		"ARM_CLIENT_ID="+o.ClientID,
		"ARM_CLIENT_SECRET="+o.ClientSecret,
		"ARM_GRAPH_ENDPOINT="+r.sim.URL(),
		"ARM_AUTHORITY_HOST="+r.sim.URL(),
		"ARM_USE_CLI=false",
		"SSL_CERT_FILE="+r.sim.CAFile(),
	)
}

// workspace writes a configuration of n tasks into a fresh directory. provider holds extra
// provider arguments.
func (r *runner) workspace(name string, n int, provider string) (string, error) {
	dir := filepath.Join(r.tmp, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tasksConfig(n, provider)), 0o644)
}

// tasksConfig is n tasks with every commonly set argument, as a user would write them.
func tasksConfig(n int, provider string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    intune = {
      source = "terraform-intune/intune"
    }
  }
}

provider "intune" {%s}

variable "description" {
  type    = string
  default = "Created by make bench."
}

resource "intune_security_configuration_task" "bench" {
  count = %d

  display_name  = "tf-bench-${count.index}"
  description   = var.description
  priority      = "high"
  status        = "pending"
  due_date_time = "2027-01-15T17:00:00Z"

  endpoint_security_policy         = "antivirus"
  applicable_platform              = "windows10AndLater"
  endpoint_security_policy_profile = "antivirus"

  intended_settings = [
    { name = "RealTimeProtection", value = "enabled" },
  ]
}
`, provider, n)
}

// terraform runs one command in dir, sampling the provider processes' peak memory, and returns the
// emulator's request log for it (the log is cleared first).
func (r *runner) terraform(ctx context.Context, dir string, args ...string) (run, error) {
	return r.terraformWith(ctx, r.cfg.Terraform, dir, args...)
}

// terraformWith is terraform with another terraform binary (the query phase's Terraform >= 1.14).
func (r *runner) terraformWith(ctx context.Context, tf, dir string, args ...string) (run, error) {
	r.sim.ResetLog()
	r.seq++
	res, err := r.command(ctx, tf, dir, fmt.Sprintf("%02d-%s", r.seq, args[0]), args...)
	res.Requests = r.sim.Requests()
	return res, err
}

// command runs one terraform command in dir with its output in dir/<logName>.log, sampling the
// provider processes' peak memory. It leaves the emulator's request log alone, so that several
// can run at once.
func (r *runner) command(ctx context.Context, tf, dir, logName string, args ...string) (run, error) {
	out := filepath.Join(dir, logName+".log")
	f, err := os.Create(out)
	if err != nil {
		return run{}, err
	}
	defer f.Close()
	cmd := exec.CommandContext(ctx, tf, args...)
	cmd.Dir = dir
	cmd.Env = r.env()
	cmd.Stdout, cmd.Stderr = f, f
	res := run{Args: append([]string{"terraform"}, args...), Output: out}

	res.Start = time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	sampler := startProviderSampler(cmd.Process.Pid)
	err = cmd.Wait()
	res.Wall = time.Since(res.Start)
	res.PeakRSS, res.Plugins = sampler.stop()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.Exit = exit.ExitCode()
	case err != nil:
		return res, err
	}
	return res, nil
}

// failure explains an unexpected exit with the end of terraform's output.
func (rn run) failure(want ...int) error {
	for _, w := range want {
		if rn.Exit == w {
			return nil
		}
	}
	b, _ := os.ReadFile(rn.Output)
	return fmt.Errorf("%s exited %d (output %s):\n%s", shellJoin(rn.Args), rn.Exit, rn.Output, tail(string(b), 30))
}

// hasProviderArgument reports whether the provider's schema has the named argument.
func (r *runner) hasProviderArgument(ctx context.Context, name string) bool {
	dir, err := r.workspace("schema-probe", 0, "")
	if err != nil {
		return false
	}
	cmd := exec.CommandContext(ctx, r.cfg.Terraform, "providers", "schema", "-json")
	cmd.Dir = dir
	cmd.Env = r.env()
	out, err := cmd.Output()
	if err != nil {
		return false
	}
	var schema struct {
		ProviderSchemas map[string]struct {
			Provider struct {
				Block struct {
					Attributes map[string]struct {
						Type json.RawMessage `json:"type"`
					} `json:"attributes"`
				} `json:"block"`
			} `json:"provider"`
		} `json:"provider_schemas"`
	}
	if json.Unmarshal(out, &schema) != nil {
		return false
	}
	a, ok := schema.ProviderSchemas[providerAddress].Provider.Block.Attributes[name]
	return ok && string(a.Type) == `"number"`
}
