package acctest

import (
	"errors"
	"strings"
	"testing"
)

// Outputs as the CLIs print them (standard output only).
const (
	terraform1114Out = "Terraform v1.11.4\non linux_amd64\n"
	terraform1159Out = `Terraform v1.15.9
on linux_amd64
+ provider registry.terraform.io/terraform-intune/intune v0.1.0

Your version of Terraform is out of date! The latest version
is 1.16.0. You can update by downloading from https://developer.hashicorp.com/terraform/install
`
	terraformBetaOut = "Terraform v1.14.0-beta2\non darwin_arm64\n"
	terraformDevOut  = "Terraform v1.16.0-dev\non linux_amd64\n"
	tofu1110Out      = "OpenTofu v1.11.0\non linux_amd64\n"
	tofuAlphaOut     = "\nOpenTofu v1.12.0-alpha1\non linux_amd64\n+ provider registry.opentofu.org/hashicorp/intune v0.1.0\n"
)

func TestParseVersionOutput(t *testing.T) {
	for _, tc := range []struct {
		name, out, wantName, wantVersion string
	}{
		{"terraform 1.11.4", terraform1114Out, "Terraform", "1.11.4"},
		{"terraform 1.15.9 with providers and notice", terraform1159Out, "Terraform", "1.15.9"},
		{"terraform beta", terraformBetaOut, "Terraform", "1.14.0-beta2"},
		{"terraform dev build", terraformDevOut, "Terraform", "1.16.0-dev"},
		{"windows line endings", "Terraform v1.14.3\r\non windows_amd64\r\n", "Terraform", "1.14.3"},
		{"opentofu 1.11.0", tofu1110Out, "OpenTofu", "1.11.0"},
		{"opentofu alpha after a blank line", tofuAlphaOut, "OpenTofu", "1.12.0-alpha1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name, version, err := parseVersionOutput(tc.out)
			if err != nil {
				t.Fatal(err)
			}
			if name != tc.wantName || version != tc.wantVersion {
				t.Fatalf("got %q %q, want %q %q", name, version, tc.wantName, tc.wantVersion)
			}
		})
	}

	for _, out := range []string{
		"",
		"\n\n",
		"Usage: terraform [global options] <subcommand> [args]\n",
		"Terraform v1.11\n",                  // not major.minor.patch
		"terraform v1.11.4\n",                // not how either CLI writes its name
		"OpenTF v1.6.0-alpha\n",              // the fork's pre-release name: neither CLI
		"Warning: x\nTerraform v1.11.4\n",    // the version line is not first
		"Terraform v1.11.4 (something)\n",    // trailing text
		"Terraform 1.11.4\non linux_amd64\n", // no v
	} {
		if name, version, err := parseVersionOutput(out); err == nil {
			t.Errorf("parseVersionOutput(%q) = %q %q, want an error", out, name, version)
		}
	}
}

func TestParseVersion(t *testing.T) {
	for _, s := range []string{"1.14", "1.14.0", "v1.14.0", "1.14.0+build.5"} {
		v, err := parseVersion(s)
		if err != nil {
			t.Fatalf("parseVersion(%q): %v", s, err)
		}
		if v.num != [3]int{1, 14, 0} || len(v.pre) != 0 {
			t.Errorf("parseVersion(%q) = %+v, want 1.14.0", s, v)
		}
	}
	for _, s := range []string{"", "1", "1.x", "1.14.0.1", "1.-4.0", "01.14.0", "latest", "1..0"} {
		if v, err := parseVersion(s); err == nil {
			t.Errorf("parseVersion(%q) = %+v, want an error", s, v)
		}
	}
}

func TestVersionOrder(t *testing.T) {
	// Each version is below every later one (semantic versioning 2.0.0 precedence).
	ordered := []string{
		"1.5.7",
		"1.11.4",
		"1.14.0-alpha20250911",
		"1.14.0-beta1",
		"1.14.0-beta1.2",
		"1.14.0-beta2",
		"1.14.0-rc1",
		"1.14.0",
		"1.14.1",
		"1.15.0-dev",
		"1.15.9",
		"2.0.0",
	}
	for i, a := range ordered {
		va, err := parseVersion(a)
		if err != nil {
			t.Fatal(err)
		}
		for j, b := range ordered {
			vb, err := parseVersion(b)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := va.less(vb), i < j; got != want {
				t.Errorf("%s < %s = %v, want %v", a, b, got, want)
			}
		}
	}
	// Numeric identifiers compare as numbers, and before alphanumeric ones.
	for _, p := range [][2]string{{"1.0.0-2", "1.0.0-10"}, {"1.0.0-10", "1.0.0-a"}, {"1.0.0-a", "1.0.0-a.1"}} {
		a, _ := parseVersion(p[0])
		b, _ := parseVersion(p[1])
		if !a.less(b) || b.less(a) {
			t.Errorf("want %s < %s", p[0], p[1])
		}
	}
}

func TestSkipReason(t *testing.T) {
	const feature = "list resource intune_security_configuration_task"
	for _, tc := range []struct {
		name       string
		cli        CLI
		minVersion string
		// skip: words the skip message must hold; nil when the test must run.
		skip []string
	}{
		{"terraform 1.15.9", CLI{"/x/terraform-1.15.9", "Terraform", "1.15.9"}, "1.14", nil},
		{"terraform 1.14.0 exactly", CLI{"/usr/bin/terraform", "Terraform", "1.14.0"}, "1.14.0", nil},
		{"terraform dev build above min", CLI{"/x/terraform", "Terraform", "1.16.0-dev"}, "1.14", nil},
		{"latest release, installed by plugin-testing", CLI{Name: "Terraform"}, "1.14", nil},
		{"installed by TF_ACC_TERRAFORM_VERSION", CLI{Name: "Terraform", Version: "1.14.2"}, "1.14", nil},
		{
			"terraform 1.11.4", CLI{"/usr/local/bin/terraform", "Terraform", "1.11.4"}, "1.14",
			[]string{feature, "needs Terraform 1.14 or later", "Terraform 1.11.4 (/usr/local/bin/terraform)"},
		},
		{
			"terraform 1.14 beta", CLI{"/x/terraform", "Terraform", "1.14.0-beta2"}, "1.14.0",
			[]string{feature, "Terraform 1.14.0 or later", "Terraform 1.14.0-beta2"},
		},
		{
			"terraform 1.5 installed by TF_ACC_TERRAFORM_VERSION", CLI{Name: "Terraform", Version: "1.5.7"}, "1.14",
			[]string{feature, "Terraform 1.5.7 (installed by terraform-plugin-testing)"},
		},
		{
			"opentofu 1.11", CLI{"/x/.cache/bin/tofu", "OpenTofu", "1.11.0"}, "1.14",
			[]string{feature, "needs Terraform 1.14 or later", "OpenTofu 1.11.0 (/x/.cache/bin/tofu)", "OpenTofu does not support it"},
		},
		{
			// OpenTofu's numbers are its own: a higher one does not mean Terraform's features.
			"opentofu numbered above min", CLI{"/x/tofu", "OpenTofu", "1.15.0"}, "1.14",
			[]string{feature, "OpenTofu 1.15.0", "OpenTofu does not support it"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reason, err := skipReason(tc.cli, tc.minVersion, feature)
			if err != nil {
				t.Fatal(err)
			}
			if tc.skip == nil {
				if reason != "" {
					t.Fatalf("skipped (%s), want the test to run", reason)
				}
				return
			}
			if reason == "" {
				t.Fatal("not skipped")
			}
			for _, w := range tc.skip {
				if !strings.Contains(reason, w) {
					t.Errorf("skip message %q does not contain %q", reason, w)
				}
			}
		})
	}

	if _, err := skipReason(CLI{"/x/terraform", "Terraform", "1.11.4"}, "1.x", feature); err == nil {
		t.Error("an invalid minimum version is not an error")
	}
}

func TestDetectCLI(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	onPath := func(p string) func(string) (string, error) {
		return func(name string) (string, error) {
			if name != "terraform" {
				t.Errorf("looked up %q on PATH, want terraform", name)
			}
			if p == "" {
				return "", errors.New("executable file not found in $PATH")
			}
			return p, nil
		}
	}
	outputs := map[string]string{
		"/opt/terraform-1.15.9": terraform1159Out,
		"/usr/bin/terraform":    terraform1114Out,
		"/repo/.cache/bin/tofu": tofu1110Out,
		"/bin/echo":             "hello\n",
	}
	version := func(path string) (string, error) {
		out, ok := outputs[path]
		if !ok {
			return "", errors.New("no such file")
		}
		return out, nil
	}
	noRun := func(path string) (string, error) {
		t.Errorf("ran %s, want no CLI run", path)
		return "", errors.New("not run")
	}

	for _, tc := range []struct {
		name    string
		getenv  func(string) string
		path    func(string) (string, error)
		version func(string) (string, error)
		want    CLI
	}{
		{
			"TF_ACC_TERRAFORM_PATH wins over PATH and TF_ACC_TERRAFORM_VERSION",
			env("TF_ACC_TERRAFORM_PATH", "/opt/terraform-1.15.9", "TF_ACC_TERRAFORM_VERSION", "1.5.7"),
			onPath("/usr/bin/terraform"), version,
			CLI{"/opt/terraform-1.15.9", "Terraform", "1.15.9"},
		},
		{
			"OpenTofu through TF_ACC_TERRAFORM_PATH",
			env("TF_ACC_TERRAFORM_PATH", "/repo/.cache/bin/tofu"), onPath("/usr/bin/terraform"), version,
			CLI{"/repo/.cache/bin/tofu", "OpenTofu", "1.11.0"},
		},
		{
			"TF_ACC_TERRAFORM_VERSION: installed by plugin-testing, nothing to run",
			env("TF_ACC_TERRAFORM_VERSION", "v1.14.2"), onPath("/usr/bin/terraform"), noRun,
			CLI{Name: "Terraform", Version: "1.14.2"},
		},
		{
			"terraform on PATH",
			env(), onPath("/usr/bin/terraform"), version,
			CLI{"/usr/bin/terraform", "Terraform", "1.11.4"},
		},
		{
			"nothing found: plugin-testing installs the latest release",
			env(), onPath(""), noRun,
			CLI{Name: "Terraform"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := detectCLI(tc.getenv, tc.path, tc.version)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}

	for _, tc := range []struct {
		name   string
		getenv func(string) string
	}{
		{"binary that does not run", env("TF_ACC_TERRAFORM_PATH", "/nowhere/terraform")},
		{"binary that is not a Terraform CLI", env("TF_ACC_TERRAFORM_PATH", "/bin/echo")},
		{"invalid TF_ACC_TERRAFORM_VERSION", env("TF_ACC_TERRAFORM_VERSION", "1.x")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := detectCLI(tc.getenv, onPath("/usr/bin/terraform"), version); err == nil {
				t.Fatalf("got %+v, want an error", got)
			}
		})
	}
}

func TestSkipUnlessTerraformWithoutTFACC(t *testing.T) {
	// Without TF_ACC no CLI is looked for or run, and nothing is skipped here: resource.Test does it.
	t.Setenv("TF_ACC", "")
	t.Setenv("TF_ACC_TERRAFORM_PATH", "/nowhere/terraform")
	SkipUnlessTerraform(t, "99.0", "a feature of the future")
}
