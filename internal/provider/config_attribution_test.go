package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

const testPartnerID = "0f9b2a46-9c55-4a5e-8d6f-3b2c1a0e9d87"

func TestUnitResolveSettings_partnerID(t *testing.T) {
	cases := []struct {
		name string
		set  func(*providerModel)
		env  map[string]string
		want string
	}{
		{"Terraform's partner id by default", nil, nil, terraformPartnerID},
		{"partner_id", func(m *providerModel) { m.PartnerID = types.StringValue(testPartnerID) }, nil, testPartnerID},
		{"partner_id written pid-, upper case", func(m *providerModel) { m.PartnerID = types.StringValue("PID-" + strings.ToUpper(testPartnerID)) }, nil, testPartnerID},
		{"ARM_PARTNER_ID", nil, map[string]string{"ARM_PARTNER_ID": testPartnerID}, testPartnerID},
		{"partner_id beats ARM_PARTNER_ID", func(m *providerModel) { m.PartnerID = types.StringValue(testPartnerID) },
			map[string]string{"ARM_PARTNER_ID": terraformPartnerID}, testPartnerID},
		{"disable_terraform_partner_id", func(m *providerModel) { m.DisableTerraformPartnerID = types.BoolValue(true) }, nil, ""},
		{"ARM_DISABLE_TERRAFORM_PARTNER_ID", nil, map[string]string{"ARM_DISABLE_TERRAFORM_PARTNER_ID": "true"}, ""},
		{"a partner_id is sent even with disable_terraform_partner_id", func(m *providerModel) {
			m.PartnerID, m.DisableTerraformPartnerID = types.StringValue(testPartnerID), types.BoolValue(true)
		}, nil, testPartnerID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := base()
			for k, v := range tc.env {
				env[k] = v
			}
			var m providerModel
			if tc.set != nil {
				tc.set(&m)
			}
			if got := resolveOK(t, m, env).partnerID; got != tc.want {
				t.Fatalf("partner id %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("an invalid ARM_PARTNER_ID is refused naming the variable", func(t *testing.T) {
		env := base()
		env["ARM_PARTNER_ID"] = "my-company"
		_, d := resolveSettings(providerModel{}, envOf(env))
		if !d.HasError() || d[0].Summary() != "Invalid partner_id" || !strings.Contains(d[0].Detail(), "ARM_PARTNER_ID") {
			t.Fatalf("%s", diagText(d))
		}
	})
}

func TestUnitUserAgent(t *testing.T) {
	cases := []struct{ version, tf, pid, want string }{
		{"1.2.3", "1.15.9", testPartnerID, "terraform-provider-intune/1.2.3 Terraform/1.15.9 pid-" + testPartnerID},
		{"1.2.3", "1.11.0", "", "terraform-provider-intune/1.2.3 Terraform/1.11.0"},
		{"dev", "", "", "terraform-provider-intune/dev Terraform/unknown"},
	}
	for _, tc := range cases {
		if got := userAgent(tc.version, tc.tf, tc.pid); got != tc.want {
			t.Errorf("userAgent(%q, %q, %q) = %q, want %q", tc.version, tc.tf, tc.pid, got, tc.want)
		}
	}
}

func TestUnitResolveSettings_additionallyAllowedTenants(t *testing.T) {
	list := func(vs ...string) types.List {
		els := make([]attr.Value, len(vs))
		for i, v := range vs {
			els[i] = types.StringValue(v)
		}
		return types.ListValueMust(types.StringType, els)
	}
	cases := []struct {
		name string
		cfg  types.List
		env  map[string]string
		want []string
	}{
		{"unset", types.ListNull(types.StringType), nil, nil},
		{"ARM_ , ; separated", types.ListNull(types.StringType), map[string]string{"ARM_ADDITIONALLY_ALLOWED_TENANTS": "t1;t2, contoso.onmicrosoft.com"},
			[]string{"t1", "t2", "contoso.onmicrosoft.com"}},
		{"AZURE_ fallback", types.ListNull(types.StringType), map[string]string{"AZURE_ADDITIONALLY_ALLOWED_TENANTS": "*"}, []string{"*"}},
		{"ARM_ before AZURE_", types.ListNull(types.StringType),
			map[string]string{"ARM_ADDITIONALLY_ALLOWED_TENANTS": "arm", "AZURE_ADDITIONALLY_ALLOWED_TENANTS": "azure"}, []string{"arm"}},
		{"configuration wins", list("cfg1", "cfg2"), map[string]string{"ARM_ADDITIONALLY_ALLOWED_TENANTS": "env"}, []string{"cfg1", "cfg2"}},
		{"an empty list in the configuration wins too", list(), map[string]string{"ARM_ADDITIONALLY_ALLOWED_TENANTS": "env"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := base()
			for k, v := range tc.env {
				env[k] = v
			}
			got := resolveOK(t, providerModel{AdditionallyAllowedTenants: tc.cfg}, env).auth.AdditionallyAllowedTenants
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("an invalid tenant from the environment is refused", func(t *testing.T) {
		env := base()
		env["ARM_ADDITIONALLY_ALLOWED_TENANTS"] = "ok;not a tenant"
		_, d := resolveSettings(providerModel{AdditionallyAllowedTenants: types.ListNull(types.StringType)}, envOf(env))
		if !d.HasError() || d[0].Summary() != "Invalid additionally_allowed_tenants" || !strings.Contains(d[0].Detail(), "ARM_ADDITIONALLY_ALLOWED_TENANTS") {
			t.Fatalf("%s", diagText(d))
		}
	})
	t.Run("unknown at plan time", func(t *testing.T) {
		_, d := resolveSettings(providerModel{AdditionallyAllowedTenants: types.ListUnknown(types.StringType)}, envOf(base()))
		if !d.HasError() || !strings.Contains(diagText(d), "ARM_ADDITIONALLY_ALLOWED_TENANTS") {
			t.Fatalf("%s", diagText(d))
		}
	})
}

const testMSIResourceID = "/subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/resourceGroups/rg-agents/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-terraform"

func TestUnitResolveSettings_msiResourceID(t *testing.T) {
	msiEnv := func(vars map[string]string) map[string]string {
		env := map[string]string{"ARM_USE_MSI": "true"}
		for k, v := range vars {
			env[k] = v
		}
		return env
	}
	t.Run("picks the identity by resource id", func(t *testing.T) {
		a := resolveOK(t, providerModel{}, msiEnv(map[string]string{"ARM_MSI_RESOURCE_ID": testMSIResourceID})).auth
		if m, err := graph.ChooseMethod(a); m != graph.MethodManagedIdentity || err != nil || a.MSIResourceID != testMSIResourceID {
			t.Fatalf("method %q, %v, resource id %q", m, err, a.MSIResourceID)
		}
	})
	t.Run("the resource id is matched without case", func(t *testing.T) {
		lower := strings.ToLower(testMSIResourceID)
		if a := resolveOK(t, providerModel{MSIResourceID: types.StringValue(lower)}, msiEnv(nil)).auth; a.MSIResourceID != lower {
			t.Fatalf("%q", a.MSIResourceID)
		}
	})
	t.Run("client id and resource id together are a conflict naming both and their variables", func(t *testing.T) {
		_, d := resolveSettings(providerModel{}, envOf(msiEnv(map[string]string{"ARM_CLIENT_ID": "c", "ARM_MSI_RESOURCE_ID": testMSIResourceID})))
		if len(d) != 1 || d[0].Summary() != "Conflicting client_id and msi_resource_id" {
			t.Fatalf("%s", diagText(d))
		}
		for _, w := range []string{"managed identity", "client_id (ARM_CLIENT_ID)", "msi_resource_id (ARM_MSI_RESOURCE_ID)", "not both"} {
			if !strings.Contains(d[0].Detail(), w) {
				t.Fatalf("lacks %q: %s", w, d[0].Detail())
			}
		}
	})
	t.Run("a resource id of another kind is refused", func(t *testing.T) {
		bad := strings.Replace(testMSIResourceID, "Microsoft.ManagedIdentity/userAssignedIdentities", "Microsoft.Compute/virtualMachines", 1)
		_, d := resolveSettings(providerModel{}, envOf(msiEnv(map[string]string{"ARM_MSI_RESOURCE_ID": bad})))
		if !d.HasError() || d[0].Summary() != "Invalid msi_resource_id" || !strings.Contains(d[0].Detail(), "userAssignedIdentities") {
			t.Fatalf("%s", diagText(d))
		}
	})
	t.Run("without use_msi the resource id is not a conflict", func(t *testing.T) {
		env := base()
		env["ARM_MSI_RESOURCE_ID"] = testMSIResourceID
		if m, _ := graph.ChooseMethod(resolveOK(t, providerModel{}, env).auth); m != graph.MethodClientSecret {
			t.Fatalf("method %q", m)
		}
	})
}

// TestProviderSchemaNamesEnvVars: every argument has environment variables, and its description
// names the first of them, so the docs say how a pipeline sets it.
func TestProviderSchemaNamesEnvVars(t *testing.T) {
	var resp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &resp)
	for name, a := range resp.Schema.Attributes {
		envs, ok := envVars[name]
		if !ok || len(envs) == 0 {
			t.Errorf("%s has no environment variable", name)
			continue
		}
		if !strings.Contains(a.GetMarkdownDescription(), "`"+envs[0]+"`") {
			t.Errorf("the description of %s does not name %s", name, envs[0])
		}
	}
}
