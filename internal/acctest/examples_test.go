package acctest_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
)

// TestExamples builds the provider and runs `terraform validate` on every example under examples/,
// the files the registry docs show (`validate -query` for .tfquery.hcl files). Examples of features
// a CLI does not have (actions, list resources, import by identity) are skipped on it, saying so. Each file is validated in a directory of its own, so an example
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
	h := acctest.NewHarness(t)

	// The harness must be able to fail: a config with an unknown attribute has to be rejected, or
	// validation is not reaching this provider's schema and every pass below would mean nothing.
	t.Run("self-check/unknown-attribute", func(t *testing.T) {
		out, err := validate(t, h, map[string]string{"main.tf": `
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

	cases := exampleCases(t, filepath.Join(h.Root, "examples"))
	if len(cases) == 0 {
		t.Fatal("no examples found under examples/")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"validate", "-no-color"}
			switch {
			case strings.HasSuffix(c.name, ".tfquery.hcl"):
				acctest.SkipUnlessTerraform(t, "1.14.0", "list resources (terraform validate -query)")
				args = append(args, "-query")
			case strings.HasPrefix(c.name, "actions/"):
				acctest.SkipUnlessTerraform(t, "1.14.0", "actions")
			case strings.HasSuffix(c.name, "import-by-identity.tf"):
				acctest.SkipUnlessTerraform(t, "1.12.0", "import blocks with identity")
			}
			t.Parallel()
			files := map[string]string{}
			for _, f := range c.files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				files[filepath.Base(f)] = string(b)
			}
			if out, err := h.Run(t, h.Dir(t, files), args...); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
		})
	}
}

type exampleCase struct {
	name  string   // path of the example relative to examples/
	files []string // absolute paths, validated together
}

// exampleCases lists one case per .tf or .tfquery.hcl file, except that import*.tf files join the resource*.tf
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
		if !d.IsDir() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tfquery.hcl")) {
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

// validate writes files into a fresh directory and runs validate there. It returns the CLI's
// output and a non-nil error when validation fails.
func validate(t *testing.T, h *acctest.Harness, files map[string]string) (string, error) {
	t.Helper()
	return h.Run(t, h.Dir(t, files), "validate", "-no-color")
}
