package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

const (
	accPartnerID       = "0f9b2a46-9c55-4a5e-8d6f-3b2c1a0e9d87"
	terraformPartnerID = "222c6c49-1b0a-5959-a213-6608f9eb8820"
)

// uaRE is the User-Agent the provider sends: itself and its version (the factories' "test"),
// then the Terraform version that runs it, then the partner id, if any.
func uaRE(pid string) *regexp.Regexp {
	suffix := ""
	if pid != "" {
		suffix = " pid-" + regexp.QuoteMeta(pid)
	}
	return regexp.MustCompile(`^terraform-provider-intune/test Terraform/\d+\.\d+\.\d+\S*` + suffix + `$`)
}

// checkUserAgents asserts that the latest Graph request the emulator received carried the
// User-Agent want, and that there was one since before. Only the latest: the test framework's
// plans after the previous step's apply ran with that step's configuration.
func checkUserAgents(sim *graphsim.Server, before *int, want *regexp.Regexp) resource.TestCheckFunc {
	return func(*terraform.State) error {
		all := sim.Requests()
		reqs := all[*before:]
		*before = len(all)
		ua := ""
		for _, r := range reqs {
			if r.Route == graphsim.RouteTasks {
				ua = r.Header.Get("User-Agent")
			}
		}
		if ua == "" {
			return fmt.Errorf("no Graph request to look at")
		}
		if !want.MatchString(ua) {
			return fmt.Errorf("Graph received User-Agent %q, want %s", ua, want)
		}
		return nil
	}
}

func TestAccProvider_userAgentPartnerID(t *testing.T) {
	sim, _ := acctest.NewSim(t, graphsim.Options{})
	cfg := func(args string) string {
		return fmt.Sprintf("provider \"intune\" {\n  graph_endpoint = %q\n  authority_host = %q\n%s\n}\n\ndata \"intune_security_configuration_tasks\" \"all\" {}\n",
			sim.URL(), sim.URL()+"/", args)
	}
	t.Setenv("ARM_PARTNER_ID", "")
	t.Setenv("ARM_DISABLE_TERRAFORM_PARTNER_ID", "")
	before := 0
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg(""), Check: checkUserAgents(sim, &before, uaRE(terraformPartnerID))},
			{Config: cfg(fmt.Sprintf("  partner_id = %q", accPartnerID)), Check: checkUserAgents(sim, &before, uaRE(accPartnerID))},
			{Config: cfg(fmt.Sprintf("  partner_id = %q", "pid-"+accPartnerID)), Check: checkUserAgents(sim, &before, uaRE(accPartnerID))},
			{Config: cfg("  disable_terraform_partner_id = true"), Check: checkUserAgents(sim, &before, uaRE(""))},
		},
	})
}

func TestAccProvider_userAgentPartnerIDFromEnv(t *testing.T) {
	sim, block := acctest.NewSim(t, graphsim.Options{})
	t.Setenv("ARM_PARTNER_ID", accPartnerID)
	before := 0
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: block + "\ndata \"intune_security_configuration_tasks\" \"all\" {}\n",
			Check:  checkUserAgents(sim, &before, uaRE(accPartnerID)),
		}},
	})
}

// TestAccProvider_invalidArgumentsAtPlan checks that a wrong value in the provider block fails
// the plan, pointing at the argument, before any request.
func TestAccProvider_invalidArgumentsAtPlan(t *testing.T) {
	sim, _ := acctest.NewSim(t, graphsim.Options{})
	cfg := func(args string) string {
		return fmt.Sprintf("provider \"intune\" {\n  graph_endpoint = %q\n  authority_host = %q\n%s\n}\n\ndata \"intune_security_configuration_tasks\" \"all\" {}\n",
			sim.URL(), sim.URL()+"/", args)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg(`  partner_id = "my-company"`), ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Value Match.*partner_id.*a partner id is a GUID`)},
			{
				Config:      cfg(`  use_msi = true` + "\n" + `  client_id = "c"` + "\n" + `  msi_resource_id = "` + accMSIResourceID + `"`),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*msi_resource_id.*client_id`),
			},
			{Config: cfg(`  msi_resource_id = "/subscriptions/x"`), ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Value Match.*userAssignedIdentities`)},
			{Config: cfg(`  additionally_allowed_tenants = ["ok", "not a tenant"]`), ExpectError: regexp.MustCompile(`(?s)additionally_allowed_tenants.*must be a tenant id`)},
			{Config: cfg(`  environment = "mars"`), ExpectError: regexp.MustCompile(`(?s)Invalid environment.*gcchigh`)},
		},
	})
	if n := len(sim.Requests()); n != 0 {
		t.Fatalf("%d requests reached the emulator", n)
	}
}

const accMSIResourceID = "/subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/resourceGroups/rg-agents/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-terraform"
