package acctest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
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
	Provider  string // the provider binary
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
	return &Harness{Root: root, Terraform: tf, CLIConfig: cliConfig, Provider: filepath.Join(binDir, "terraform-provider-intune")}, nil
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
// non-zero (an *exec.ExitError carries the code). The CLI starts the provider binary itself, a
// process per walk of the command, as it does for users.
func (h *Harness) Run(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	return h.RunAttached(t, dir, "", args...)
}

// RunAttached is Run with the CLI attached to a provider process started by Serve (reattach is its
// TF_REATTACH_PROVIDERS value; empty means none).
func (h *Harness) RunAttached(t *testing.T, dir, reattach string, args ...string) (string, error) {
	t.Helper()
	return h.run(t, dir, reattach, nil, args...)
}

// RunEnv is Run with env ("NAME=value") added to the CLI's environment, and so to the provider
// processes it starts: for what a process reads once (HTTPS_PROXY, SSL_CERT_FILE), which the
// in-process provider of the other tests cannot be given per test. An entry overrides a variable
// of the test process; "NAME=" blanks it.
func (h *Harness) RunEnv(t *testing.T, dir string, env []string, args ...string) (string, error) {
	t.Helper()
	return h.run(t, dir, "", env, args...)
}

func (h *Harness) run(t *testing.T, dir, reattach string, env []string, args ...string) (string, error) {
	t.Helper()
	ctx := t.Context()
	cmd := exec.CommandContext(ctx, h.Terraform, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+h.CLIConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		// Reattach settings left by an acceptance test in this process must not redirect the CLI.
		"TF_REATTACH_PROVIDERS="+reattach,
	)
	// exec uses the last value of a variable given twice.
	cmd.Env = append(cmd.Env, env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("%s %v timed out:\n%s", filepath.Base(h.Terraform), args, out.String())
	}
	return out.String(), err
}

var reattachRE = regexp.MustCompile(`TF_REATTACH_PROVIDERS='([^']+)'`)

// Serve starts the provider binary as one long-lived process (its -debug mode) and returns the
// TF_REATTACH_PROVIDERS value that makes the CLI use that process for every walk of a command (the
// refresh and plan of `terraform apply`, then its apply), where it would otherwise start a process
// per walk. The process ends with the test.
func (h *Harness) Serve(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, h.Provider, "-debug")
	cmd.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS=")
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		buf := make([]byte, 0, 4096)
		chunk := make([]byte, 1024)
		for {
			n, err := out.Read(chunk)
			buf = append(buf, chunk[:n]...)
			if m := reattachRE.FindSubmatch(buf); m != nil {
				found <- string(m[1])
				_, _ = io.Copy(io.Discard, out)
				return
			}
			if err != nil {
				close(found)
				return
			}
		}
	}()
	select {
	case v, ok := <-found:
		if !ok {
			t.Fatal("the provider started with -debug printed no TF_REATTACH_PROVIDERS")
		}
		return v
	case <-time.After(time.Minute):
		t.Fatal("the provider started with -debug printed no TF_REATTACH_PROVIDERS within a minute")
	}
	return ""
}

// Warnings returns the warnings whose summary starts with prefix in the machine-readable output of
// a terraform command run with -json, each once, as "summary\ndetail", in the order they came.
func Warnings(jsonOut, prefix string) []string {
	var out []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(jsonOut))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct {
			Type       string `json:"type"`
			Diagnostic struct {
				Severity, Summary, Detail string
			} `json:"diagnostic"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil || line.Type != "diagnostic" || line.Diagnostic.Severity != "warning" ||
			!strings.HasPrefix(line.Diagnostic.Summary, prefix) {
			continue
		}
		if w := line.Diagnostic.Summary + "\n" + line.Diagnostic.Detail; !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
