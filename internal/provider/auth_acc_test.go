package provider_test

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// These tests run terraform with a provider block that sets one method's arguments, with every
// other auth variable blank. t.Setenv keeps them serial: the provider runs in this process.

// configList is a provider block plus a read of the task list: one Graph call per plan/apply.
func configList(providerArgs string) string {
	return fmt.Sprintf(`
provider "intune" {
%s
}

data "intune_security_configuration_tasks" "all" {}
`, providerArgs)
}

// checkCount asserts that route was hit at least once more than before the step.
func checkCount(sim *graphsim.Server, method, route string, before int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := sim.Count(method, route); n <= before {
			return fmt.Errorf("%s %s was not called (count %d)", method, route, n)
		}
		return nil
	}
}

func TestAccAuth_clientSecretFile(t *testing.T) {
	sim := onlyAuthEnv(t, map[string]string{"ARM_CLIENT_ID": graphsim.DefaultClientID})
	secretFile := writeFile(t, "secret", sim.Options().ClientSecret+"\n")
	before := sim.Count("POST", graphsim.RouteToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: configList(fmt.Sprintf("  client_secret_file_path = %q", secretFile)),
			Check:  checkCount(sim, "POST", graphsim.RouteToken, before),
		}},
	})
}

func TestAccAuth_clientCertificate(t *testing.T) {
	const appID = "c0000000-0000-4000-8000-00000000ce01"
	sim := onlyAuthEnv(t, nil)
	pemPath, key, cert := newClientCertificate(t, sim, appID)
	// Password-protected PFX files of both kinds: what OpenSSL 3 and current Windows export
	// (AES-256-CBC, PBKDF2, SHA-256 MAC), base64 inline as pipelines pass it, and the legacy
	// SHA-1/3DES kind (`az ad sp create-for-rbac --create-cert`, older Windows tooling) from a file.
	modern := base64.StdEncoding.EncodeToString(pfxOf(t, pkcs12.Modern2023, key, cert, "pfx-password"))
	legacyPath := writeFile(t, "legacy.pfx", string(pfxOf(t, pkcs12.LegacyDES, key, cert, "pfx-password")))
	// With every other auth variable blank, a step passes only if its certificate authenticates.
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: []resource.TestStep{
		{
			Config: configList(fmt.Sprintf("  client_id = %q\n  client_certificate_path = %q", appID, pemPath)),
			Check:  checkCount(sim, "POST", graphsim.RouteToken, sim.Count("POST", graphsim.RouteToken)),
		},
		{
			Config: configList(fmt.Sprintf("  client_id = %q\n  client_certificate = %q\n  client_certificate_password = \"pfx-password\"", appID, modern)),
		},
		{
			Config: configList(fmt.Sprintf("  client_id = %q\n  client_certificate_path = %q\n  client_certificate_password = \"pfx-password\"", appID, legacyPath)),
		},
	}})
}

func TestAccAuth_oidcTokenFile(t *testing.T) {
	const appID = "c0000000-0000-4000-8000-00000000f11e"
	sim := onlyAuthEnv(t, nil)
	// HCP Terraform's shape: the token and the client id each in a file named in the block.
	iss := newIssuer(t, sim, "organization:org:project:p:workspace:w:run_phase:apply", appID)
	tokenFile := writeFile(t, "tfc-token", iss.sign(t, "organization:org:project:p:workspace:w:run_phase:apply"))
	idFile := writeFile(t, "client-id", appID)
	before := sim.Count("POST", graphsim.RouteToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: configList(fmt.Sprintf("  use_oidc = true\n  oidc_token_file_path = %q\n  client_id_file_path = %q", tokenFile, idFile)),
			Check:  checkCount(sim, "POST", graphsim.RouteToken, before),
		}},
	})
}

func TestAccAuth_gitHubActions(t *testing.T) {
	const appID = "c0000000-0000-4000-8000-000000006170"
	acctest.RequireEmulator(t)
	url := acctest.Sim.EnableGitHubOIDC("gh-request-token-acc", "repo:org/infra:environment:prod", appID)
	// Exactly what a job with `permissions: id-token: write` has, plus ARM_* from the workflow.
	sim := onlyAuthEnv(t, map[string]string{
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN": "gh-request-token-acc", "ACTIONS_ID_TOKEN_REQUEST_URL": url,
		"ARM_CLIENT_ID": appID, "ARM_USE_OIDC": "true",
	})
	before := sim.Count("GET", graphsim.RouteOIDCGitHub)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: configList(""),
			Check:  checkCount(sim, "GET", graphsim.RouteOIDCGitHub, before),
		}},
	})
}

// TestAccAuth_secretsNotInTraceLog applies a resource with TF_LOG=TRACE going to a file (through
// TF_ACC_LOG_PATH, which terraform-plugin-testing passes to the terraform CLI and which
// terraform-plugin-log's test sink uses for the in-process provider), then scans the file.
func TestAccAuth_secretsNotInTraceLog(t *testing.T) {
	sim := onlyAuthEnv(t, map[string]string{"ARM_CLIENT_ID": graphsim.DefaultClientID})
	secret := sim.Options().ClientSecret
	t.Setenv("ARM_CLIENT_SECRET", secret)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "intune" {}

resource "intune_security_configuration_task" "test" {
  display_name = %q
}
`, acctest.RandomName()),
		}},
	})
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	// The scan proves something only if the provider's own lines are in the file.
	for _, want := range []string{"configured Microsoft Graph client", "got a Microsoft Graph token", "Graph request", "auth_method"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the log file lacks the provider line %q; it holds %d bytes", want, len(log))
		}
	}
	if strings.Contains(log, secret) {
		t.Fatal("the TRACE log holds the client secret")
	}
	toks := append(sim.IssuedTokens(), sim.IssuedIDTokens()...)
	if len(toks) == 0 {
		t.Fatal("no tokens issued: nothing to look for")
	}
	for _, tok := range toks {
		// The signature part alone is enough to identify a token and cannot match by accident.
		sig := tok[strings.LastIndex(tok, ".")+1:]
		if strings.Contains(log, sig) {
			t.Fatal("the TRACE log holds a token the emulator issued")
		}
	}
	t.Logf("scanned %d bytes of TRACE log for the secret and %d tokens", len(log), len(toks))
}
