package securityconfigurationtask_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
	"github.com/terraform-intune/terraform-provider-intune/internal/provider"
)

// State written without an identity (by a provider version before identities, or by Terraform
// before 1.12) gets one on the next read, also when the task was deleted outside Terraform and the
// read removes it: the framework refuses a read that ends without an identity ("Missing Resource
// Identity After Read"). This drives the provider's ReadResource directly, with no identity in the
// request, the way such state arrives.
func TestAccSecurityConfigurationTask_readWithoutPriorIdentity(t *testing.T) {
	sim, _ := acctest.NewSim(t, graphsim.Options{})
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	configure(t, server, schemas, sim)

	const typeName = "intune_security_configuration_task"
	schema := schemas.ResourceSchemas[typeName]
	stateType := schema.ValueType()
	present := sim.Seed(map[string]any{"displayName": acctest.RandomName()})
	for name, id := range map[string]string{"task still there": present, "task deleted outside Terraform": "5d630f12-0f12-5d63-120f-635d120f635d"} {
		t.Run(name, func(t *testing.T) {
			state := nullObjectWith(stateType, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, id)})
			dv, err := tfprotov6.NewDynamicValue(stateType, state)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: &dv})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range resp.Diagnostics {
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					t.Fatalf("ReadResource: %s: %s", d.Summary, d.Detail)
				}
			}
			if resp.NewIdentity == nil || resp.NewIdentity.IdentityData == nil {
				t.Fatal("the read returned no identity")
			}
			got, err := resp.NewIdentity.IdentityData.Unmarshal(identityObjectType)
			if err != nil {
				t.Fatal(err)
			}
			var attrs map[string]tftypes.Value
			if err := got.As(&attrs); err != nil {
				t.Fatal(err)
			}
			var gotID string
			if err := attrs["id"].As(&gotID); err != nil || gotID != id {
				t.Fatalf("identity id = %q (%v), want %q", gotID, err, id)
			}
			newState, err := resp.NewState.Unmarshal(stateType)
			if err != nil {
				t.Fatal(err)
			}
			if removed := newState.IsNull(); removed != (id != present) {
				t.Fatalf("state removed = %v for %s", removed, name)
			}
		})
	}
}

// identityObjectType is the resource identity's type: { id = string }.
var identityObjectType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}

// configure configures the provider server against sim, as Terraform would with a provider block
// naming its endpoints.
func configure(t *testing.T, server tfprotov6.ProviderServer, schemas *tfprotov6.GetProviderSchemaResponse, sim *graphsim.Server) {
	t.Helper()
	typ := schemas.Provider.ValueType()
	cfg := nullObjectWith(typ, map[string]tftypes.Value{
		"graph_endpoint": tftypes.NewValue(tftypes.String, sim.URL()),
		"authority_host": tftypes.NewValue(tftypes.String, sim.URL()+"/"),
	})
	dv, err := tfprotov6.NewDynamicValue(typ, cfg)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.15.9", Config: &dv})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("ConfigureProvider: %s: %s", d.Summary, d.Detail)
		}
	}
}

// nullObjectWith is an object of typ with every attribute null but those given.
func nullObjectWith(typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	obj, ok := typ.(tftypes.Object)
	if !ok {
		panic(fmt.Sprintf("%s is not an object type", typ))
	}
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
			continue
		}
		vals[name] = tftypes.NewValue(at, nil)
	}
	return tftypes.NewValue(typ, vals)
}
