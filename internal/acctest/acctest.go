// Package acctest runs the acceptance tests: it starts the Graph emulator for the test binary (or,
// when real credentials are set, points the tests at a real tenant), and holds the provider
// factories, configuration builders and checks the tests share.
package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"

	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
	"github.com/terraform-intune/terraform-provider-intune/internal/provider"
)

// Sim is the emulator the tests run against, or nil when they run against a real tenant.
var Sim *graphsim.Server

// workDir is a directory for the test binary's files (the CA, built binaries), removed when Main
// returns; empty without TF_ACC.
var workDir string

// ca is the CA every emulator of this test binary chains to: Go reads SSL_CERT_FILE once per
// process, so per-test emulators (NewSim) must be trusted through the same file.
var ca *graphsim.CA

// ProtoV6ProviderFactories serve the provider in-process to the terraform binary.
// Each terraform command gets a provider of its own, as each run of the real binary does, so no
// state of the provider process (its registry of claimed task ids) carries from one command to the
// next or from one test to another.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"intune": func() (tfprotov6.ProviderServer, error) {
		return providerserver.NewProtocol6WithError(provider.New("test")())()
	},
}

// RealTenant reports whether the ARM_* variables point the tests at a real Microsoft tenant: the
// client-secret credentials are set and ARM_GRAPH_ENDPOINT is not.
func RealTenant() bool {
	return os.Getenv("ARM_TENANT_ID") != "" && os.Getenv("ARM_CLIENT_ID") != "" &&
		os.Getenv("ARM_CLIENT_SECRET") != "" && os.Getenv("ARM_GRAPH_ENDPOINT") == ""
}

// Main is the TestMain of every package with acceptance tests. Unless a real tenant is configured,
// it starts the emulator, trusts its CA through SSL_CERT_FILE (never by turning verification off)
// and exports the ARM_* variables the provider reads, so the same tests run unchanged against both.
func Main(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "acctest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	workDir = dir
	if RealTenant() {
		return m.Run()
	}
	if ca, err = graphsim.NewCA(); err != nil {
		fmt.Fprintln(os.Stderr, "making the emulators' CA:", err)
		return 1
	}
	Sim, err = graphsim.Start(graphsim.Options{CAFile: dir + "/ca.pem", PageSize: 5, CA: ca})
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the Graph emulator:", err)
		return 1
	}
	defer Sim.Close()
	// An empty CLI configuration keeps terraform from warning about a missing ~/.terraformrc.
	cliConfig := dir + "/terraformrc"
	if err := os.WriteFile(cliConfig, nil, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	o := Sim.Options()
	for k, v := range map[string]string{
		// Go reads SSL_CERT_FILE once, on first use of the system pool: this runs before any TLS.
		"SSL_CERT_FILE":      Sim.CAFile(),
		"ARM_TENANT_ID":      o.TenantID,
		"ARM_CLIENT_ID":      o.ClientID,
		"ARM_CLIENT_SECRET":  o.ClientSecret,
		"ARM_GRAPH_ENDPOINT": Sim.URL(),
		"ARM_AUTHORITY_HOST": Sim.URL(),
		"TF_CLI_CONFIG_FILE": cliConfig,
	} {
		os.Setenv(k, v)
	}
	return m.Run()
}

// PreCheck fails early with a clear message when the acceptance environment is incomplete.
func PreCheck(t *testing.T) {
	t.Helper()
	for _, k := range []string{"ARM_TENANT_ID", "ARM_CLIENT_ID", "ARM_CLIENT_SECRET"} {
		if os.Getenv(k) == "" {
			t.Fatalf("%s must be set for acceptance tests (TestMain sets it when it starts the emulator)", k)
		}
	}
}

// RequireEmulator skips a test that needs the emulator's switches or counters when the suite runs
// against a real tenant. It says so in the test output: such a skip is not a pass.
func RequireEmulator(t *testing.T) *graphsim.Server {
	t.Helper()
	if Sim == nil {
		t.Skip("needs the Graph emulator (fault switches or request counters); skipped against a real tenant")
	}
	return Sim
}

// NewSim starts an emulator of the test's own and returns it with the provider block that points
// the provider at it. Its faults, counters and request log belong to this test alone, so tests that
// set faults or count requests can run in parallel with everything else. The test is skipped
// against a real tenant, saying so. Give opts.PageSize to page small collections.
func NewSim(t *testing.T, opts graphsim.Options) (*graphsim.Server, string) {
	t.Helper()
	RequireEmulator(t)
	opts.CA = ca
	s, err := graphsim.Start(opts)
	if err != nil {
		t.Fatalf("starting an emulator for this test: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, ProviderBlock(s)
}

// ProviderBlock is a provider configuration pointing at emulator s; tenant, client and secret come
// from the ARM_* variables Main set, which every emulator accepts.
func ProviderBlock(s *graphsim.Server) string {
	return fmt.Sprintf("provider \"intune\" {\n  graph_endpoint = %q\n  authority_host = %q\n}\n", s.URL(), s.URL()+"/")
}

// RemoteTask returns task id as Graph holds it, as JSON decoded into a map, and false when Graph
// has no such task. Against an emulator it reads the emulator's own store, so a check never
// depends on the provider's client or parser; against a real tenant it asks Graph with a plain GET
// and decodes the raw answer.
func RemoteTask(t *testing.T, sim *graphsim.Server, id string) (map[string]any, bool, error) {
	t.Helper()
	if sim != nil {
		m, ok := sim.Task(id)
		return m, ok, nil
	}
	body, err := Client(t).GetJSON(Context(t), framework.AllTasks(), id)
	if graph.IsNotFound(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading task %s from Graph: %s", id, graph.Describe(err))
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, false, fmt.Errorf("decoding task %s: %w", id, err)
	}
	return m, true, nil
}

// RandomName is a display name carrying the tf-acc-test- prefix, so leftovers in a real tenant are
// easy to find.
func RandomName() string {
	return acctest.RandomWithPrefix("tf-acc-test")
}

// Client is a Graph client configured like the provider, for checks made behind Terraform's back.
func Client(t *testing.T) *graph.Client {
	t.Helper()
	endpoint := os.Getenv("ARM_GRAPH_ENDPOINT")
	authority := os.Getenv("ARM_AUTHORITY_HOST")
	if endpoint == "" {
		endpoint = "https://graph.microsoft.com"
	}
	if authority == "" {
		authority = "https://login.microsoftonline.com/"
	}
	cred, err := graph.NewCredential(graph.AuthConfig{
		TenantID: os.Getenv("ARM_TENANT_ID"), ClientID: os.Getenv("ARM_CLIENT_ID"),
		ClientSecret: os.Getenv("ARM_CLIENT_SECRET"), AuthorityHost: strings.TrimRight(authority, "/") + "/",
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := graph.NewClient(graph.ClientConfig{GraphEndpoint: endpoint, Credential: cred, UserAgent: "terraform-provider-intune-acctest"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Context is a bounded context for checks.
func Context(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
