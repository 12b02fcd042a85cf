package acctest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
)

// Harness runs the CLI the acceptance tests use (TF_ACC_TERRAFORM_PATH, else terraform on PATH)
// against a provider binary built from this tree, reached through a dev_overrides CLI
// configuration: for what terraform-plugin-testing cannot drive itself, such as
// `terraform validate` of the examples, `terraform query -generate-config-out` and
// `terraform apply -invoke`. The provider binary reads the ARM_* variables and SSL_CERT_FILE that
// Main set, so it talks to the shared emulator unless a configuration says otherwise.
type Harness struct {
	Root      string // the repository root
	Terraform string // the CLI binary
	CLIConfig string // dev_overrides pointing at the provider built for this test binary
}

// NewHarness builds the provider once per test binary (with -race under a race test run, so it
// reuses the race-compiled Graph SDK instead of compiling another copy) and returns a harness.
func NewHarness(t *testing.T) *Harness {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("builds the provider and runs the CLI: set TF_ACC=1 to run it")
	}
	h, err := buildHarness()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

var buildHarness = sync.OnceValues(func() (*Harness, error) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err == nil {
		_, err = os.Stat(filepath.Join(root, "go.mod"))
	}
	for err != nil && root != filepath.Dir(root) {
		// Test binaries run in their package's directory; walk up to the module root.
		root = filepath.Dir(root)
		_, err = os.Stat(filepath.Join(root, "go.mod"))
	}
	if err != nil {
		return nil, errors.New("repository root (go.mod) not found from the test's directory")
	}
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		if tf, err = exec.LookPath("terraform"); err != nil {
			return nil, errors.New("terraform not found on PATH and TF_ACC_TERRAFORM_PATH is not set")
		}
	}
	tmp, err := os.MkdirTemp(workDir, "harness-")
	if err != nil {
		return nil, err
	}
	binDir := filepath.Join(tmp, "bin")
	args := []string{"build", "-o", filepath.Join(binDir, "terraform-provider-intune")}
	if raceBuild {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...) //nolint:noctx // a build bounded by the test binary's timeout
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return nil, errors.New("building the provider: " + err.Error() + "\n" + string(out))
	}
	// Both registries' addresses: Terraform resolves terraform-intune/intune against
	// registry.terraform.io, OpenTofu against registry.opentofu.org.
	cliConfig := filepath.Join(tmp, "cli.tfrc")
	rc := `provider_installation {
  dev_overrides {
    "registry.terraform.io/terraform-intune/intune" = "` + filepath.ToSlash(binDir) + `"
    "registry.opentofu.org/terraform-intune/intune" = "` + filepath.ToSlash(binDir) + `"
  }
  direct {}
}
`
	if err := os.WriteFile(cliConfig, []byte(rc), 0o600); err != nil {
		return nil, err
	}
	return &Harness{Root: root, Terraform: tf, CLIConfig: cliConfig}, nil
})

var requiredProvidersRE = regexp.MustCompile(`(?m)^\s*required_providers\s*\{`)

// Dir writes files into a fresh directory, adding a required_providers block for this provider
// when none of the .tf files has one, and returns the directory.
func (h *Harness) Dir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	hasRequired := false
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		hasRequired = hasRequired || filepath.Ext(name) == ".tf" && requiredProvidersRE.MatchString(content)
	}
	if !hasRequired {
		const block = `terraform {
  required_providers {
    intune = {
      source = "terraform-intune/intune"
    }
  }
}
`
		if err := os.WriteFile(filepath.Join(dir, "zz_required_providers.tf"), []byte(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Run runs the CLI with args in dir and returns its combined output; err is non-nil when it exits
// non-zero (an *exec.ExitError carries the code).
func (h *Harness) Run(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	ctx := t.Context()
	cmd := exec.CommandContext(ctx, h.Terraform, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+h.CLIConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		// Reattach settings left by an acceptance test in this process must not redirect the CLI.
		"TF_REATTACH_PROVIDERS=",
	)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("%s %v timed out:\n%s", filepath.Base(h.Terraform), args, out.String())
	}
	return out.String(), err
}
