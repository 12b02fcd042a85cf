package acctest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// CLI is the command-line tool the acceptance tests run: Terraform or OpenTofu.
type CLI struct {
	Path    string // the binary; empty when terraform-plugin-testing installs it
	Name    string // "Terraform" or "OpenTofu"
	Version string // without the v: "1.15.9", "1.14.0-beta2"; empty for the latest release
}

// OpenTofu reports whether the CLI is OpenTofu, which reports its own version numbers and does not
// have every feature of the Terraform release with the same number.
func (c CLI) OpenTofu() bool { return c.Name == cliOpenTofu }

func (c CLI) String() string {
	switch {
	case c.Version == "":
		return "the latest " + c.Name + " release (installed by terraform-plugin-testing)"
	case c.Path == "":
		return c.Name + " " + c.Version + " (installed by terraform-plugin-testing)"
	}
	return fmt.Sprintf("%s %s (%s)", c.Name, c.Version, c.Path)
}

const (
	cliTerraform = "Terraform"
	cliOpenTofu  = "OpenTofu"
)

// SkipUnlessTerraform skips a test of a feature that needs Terraform minVersion or later (list
// resources and `terraform query`, actions, import by identity: "1.14") when the acceptance tests
// run an older Terraform or OpenTofu. The skip message names the feature, the version needed and
// the CLI found: a skip is not a pass, and `make testacc-terraform-latest` runs such tests.
//
// Call it first in the test, before resource.Test. The CLI is the one terraform-plugin-testing runs:
// TF_ACC_TERRAFORM_PATH, else TF_ACC_TERRAFORM_VERSION (which it installs), else terraform on PATH.
// It is asked its version once per test binary. Without TF_ACC nothing is asked (resource.Test
// skips the test anyway), and when none of the three is set or found plugin-testing installs the
// newest Terraform, so the test runs.
func SkipUnlessTerraform(t testing.TB, minVersion, feature string) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		return
	}
	cli, err := acceptanceCLI()
	if err != nil {
		t.Fatalf("%s: cannot tell which Terraform the acceptance tests run: %v", feature, err)
	}
	reason, err := skipReason(cli, minVersion, feature)
	if err != nil {
		t.Fatal(err)
	}
	if reason != "" {
		t.Skip(reason)
	}
}

// acceptanceCLI finds and asks the CLI once per test binary.
var acceptanceCLI = sync.OnceValues(func() (CLI, error) {
	return detectCLI(os.Getenv, exec.LookPath, runVersion)
})

// detectCLI resolves the CLI the way terraform-plugin-testing does (internal/plugintest.DiscoverConfig)
// and asks it its version; getenv, lookPath and version are parameters so tests need no binary.
func detectCLI(getenv func(string) string, lookPath func(string) (string, error),
	version func(path string) (string, error),
) (CLI, error) {
	path := getenv("TF_ACC_TERRAFORM_PATH")
	if path == "" {
		if v := strings.TrimPrefix(getenv("TF_ACC_TERRAFORM_VERSION"), "v"); v != "" {
			if _, err := parseVersion(v); err != nil {
				return CLI{}, fmt.Errorf("TF_ACC_TERRAFORM_VERSION=%q: %w", v, err)
			}
			return CLI{Name: cliTerraform, Version: v}, nil
		}
		var err error
		if path, err = lookPath("terraform"); err != nil {
			// Not an error: terraform-plugin-testing then installs the latest Terraform release.
			return CLI{Name: cliTerraform}, nil //nolint:nilerr // see above
		}
	}
	out, err := version(path)
	if err != nil {
		return CLI{}, fmt.Errorf("%s version: %w", path, err)
	}
	name, v, err := parseVersionOutput(out)
	if err != nil {
		return CLI{}, fmt.Errorf("%s version: %w", path, err)
	}
	return CLI{Path: path, Name: name, Version: v}, nil
}

// runVersion runs `CLI version` and returns its standard output. The CLI configuration may warn on
// standard error; that is not part of the answer.
func runVersion(path string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "version")
	// No release check over the network, and no plugin reattach left by a test in this process.
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_REATTACH_PROVIDERS=")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// versionLineRE matches the line `terraform version` and `tofu version` start with:
// "Terraform v1.15.9", "Terraform v1.14.0-beta2", "OpenTofu v1.11.0", "OpenTofu v1.12.0-dev".
var versionLineRE = regexp.MustCompile(`^(Terraform|OpenTofu) v(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)\s*$`)

// parseVersionOutput reads the CLI's name and version from the output of `terraform version` or
// `tofu version`: the first non-empty line. Further lines (platform, providers, an "out of date"
// notice) are ignored.
func parseVersionOutput(out string) (name, version string, err error) {
	for line := range strings.Lines(out) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		m := versionLineRE.FindStringSubmatch(line)
		if m == nil {
			return "", "", fmt.Errorf("unexpected version output %q: want \"Terraform vX.Y.Z\" or \"OpenTofu vX.Y.Z\"", line)
		}
		return m[1], m[2], nil
	}
	return "", "", errors.New("empty version output")
}

// semver is major.minor.patch and the pre-release identifiers (after "-"); build metadata (after
// "+") is dropped, as it does not order versions.
type semver struct {
	num [3]int
	pre []string
}

// parseVersion reads "1.14", "1.14.0", "v1.15.9" or "1.14.0-beta2" (a missing patch is 0).
func parseVersion(s string) (semver, error) {
	var v semver
	s = strings.TrimPrefix(s, "v")
	s, _, _ = strings.Cut(s, "+")
	s, pre, hasPre := strings.Cut(s, "-")
	if hasPre {
		v.pre = strings.Split(pre, ".")
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return v, fmt.Errorf("version %q: want MAJOR.MINOR[.PATCH]", s)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p != strconv.Itoa(n) {
			return v, fmt.Errorf("version %q: %q is not a number", s, p)
		}
		v.num[i] = n
	}
	return v, nil
}

// less orders versions as semantic versioning 2.0.0 does. A pre-release sorts before its release,
// so 1.14.0-beta2 (or a 1.14.0-dev build) does not satisfy 1.14.0.
func (v semver) less(w semver) bool {
	for i := range v.num {
		if v.num[i] != w.num[i] {
			return v.num[i] < w.num[i]
		}
	}
	if len(v.pre) == 0 || len(w.pre) == 0 {
		return len(v.pre) > len(w.pre)
	}
	for i := 0; i < len(v.pre) && i < len(w.pre); i++ {
		a, b := v.pre[i], w.pre[i]
		if a == b {
			continue
		}
		an, aErr := strconv.Atoi(a)
		bn, bErr := strconv.Atoi(b)
		switch {
		case aErr == nil && bErr == nil:
			return an < bn
		case aErr == nil || bErr == nil: // numeric identifiers sort before alphanumeric ones
			return aErr == nil
		}
		return a < b
	}
	return len(v.pre) < len(w.pre)
}

// skipReason is why a test of feature, which needs Terraform minVersion, cannot run on cli; "" if it can.
func skipReason(cli CLI, minVersion, feature string) (string, error) {
	need, err := parseVersion(minVersion)
	if err != nil {
		return "", fmt.Errorf("SkipUnlessTerraform(%q): %w", feature, err)
	}
	if cli.OpenTofu() {
		return fmt.Sprintf("%s needs Terraform %s or later; the acceptance tests run %s, and OpenTofu does not support it", feature, minVersion, cli), nil
	}
	if cli.Version == "" { // the latest release
		return "", nil
	}
	have, err := parseVersion(cli.Version)
	if err != nil {
		return "", fmt.Errorf("%s: %w", cli, err)
	}
	if have.less(need) {
		return fmt.Sprintf("%s needs Terraform %s or later; the acceptance tests run %s; make testacc-terraform-latest runs a newer one", feature, minVersion, cli), nil
	}
	return "", nil
}
