package acctest_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestExamples builds the provider and runs `terraform validate` on every example under examples/,
// the files the registry docs show. Each file is validated in a directory of its own, so an example
// that only works next to another one fails; the exception is an import block, which needs the
// resource it imports into and is validated together with the resource*.tf files beside it.
//
// The provider is reached through a dev_overrides CLI configuration: validate then needs neither
// `terraform init` nor the network. TF_ACC_TERRAFORM_PATH selects the CLI (make testacc-opentofu
// points it at tofu), as it does for the acceptance tests.
func TestExamples(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("builds the provider and runs terraform validate on every example: set TF_ACC=1 to run it")
	}
	h := newValidateHarness(t)

	// The harness must be able to fail: a config with an unknown attribute has to be rejected, or
	// validation is not reaching this provider's schema and every pass below would mean nothing.
	t.Run("self-check/unknown-attribute", func(t *testing.T) {
		out, err := h.validate(t, map[string]string{"main.tf": `
resource "intune_security_configuration_task" "x" {
  display_name          = "x"
  no_such_attribute_123 = true
}
`})
		if err == nil {
			t.Fatalf("validate accepted an unknown attribute:\n%s", out)
		}
		if !strings.Contains(out, "no_such_attribute_123") {
			t.Fatalf("validate failed, but not on the unknown attribute:\n%s", out)
		}
	})

	cases := exampleCases(t, filepath.Join(h.root, "examples"))
	if len(cases) == 0 {
		t.Fatal("no examples found under examples/")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{}
			for _, f := range c.files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				files[filepath.Base(f)] = string(b)
			}
			if out, err := h.validate(t, files); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
		})
	}
}

type exampleCase struct {
	name  string   // path of the example relative to examples/
	files []string // absolute paths, validated together
}

// exampleCases lists one case per .tf file, except that import*.tf files join the resource*.tf
// files of their directory.
func exampleCases(t *testing.T, examples string) []exampleCase {
	t.Helper()
	byDir := map[string][]string{}
	err := filepath.WalkDir(examples, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".terraform" || strings.HasPrefix(d.Name(), ".") && p != examples) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".tf") {
			byDir[filepath.Dir(p)] = append(byDir[filepath.Dir(p)], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var cases []exampleCase
	for _, files := range byDir {
		var resources []string
		for _, f := range files {
			if strings.HasPrefix(filepath.Base(f), "resource") {
				resources = append(resources, f)
			}
		}
		for _, f := range files {
			rel, err := filepath.Rel(examples, f)
			if err != nil {
				t.Fatal(err)
			}
			c := exampleCase{name: filepath.ToSlash(rel), files: []string{f}}
			if strings.HasPrefix(filepath.Base(f), "import") {
				c.files = append(c.files, resources...)
			}
			cases = append(cases, c)
		}
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].name < cases[j].name })
	return cases
}

type validateHarness struct {
	root      string // repository root
	terraform string // the CLI binary
	cliConfig string // dev_overrides pointing at the freshly built provider
}

func newValidateHarness(t *testing.T) *validateHarness {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found from %s: %v", root, err)
	}

	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Fatalf("terraform not found on PATH and TF_ACC_TERRAFORM_PATH is not set: %v", err)
		}
	}

	tmp := t.TempDir()
	binDir := filepath.Join(tmp, "bin")
	args := []string{"build", "-o", filepath.Join(binDir, "terraform-provider-intune")}
	if raceBuild {
		args = append(args, "-race")
	}
	build := exec.CommandContext(t.Context(), "go", append(args, ".")...)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
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
		t.Fatal(err)
	}
	return &validateHarness{root: root, terraform: tf, cliConfig: cliConfig}
}

var requiredProvidersRE = regexp.MustCompile(`(?m)^\s*required_providers\s*\{`)

// validate writes files into a fresh directory, adds the required_providers block when none of
// them has one, and runs validate there. It returns the CLI's output and a non-nil error when
// validation fails.
func (h *validateHarness) validate(t *testing.T, files map[string]string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	hasRequired := false
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		hasRequired = hasRequired || requiredProvidersRE.MatchString(content)
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

	ctx := t.Context()
	cmd := exec.CommandContext(ctx, h.terraform, "validate", "-no-color")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+h.cliConfig,
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
		t.Fatalf("validate timed out:\n%s", out.String())
	}
	return out.String(), err
}
