package acctest_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/terraform-intune/terraform-provider-intune/internal/provider"
)

// TestTimeoutsRefuseNonPositive fails when a resource or data source with a timeouts block accepts
// a zero or negative timeout at validation (plan) time: such a value would end the operation before
// it began. Every resource and data source the provider registers is checked, so a new one cannot
// forget the check.
func TestTimeoutsRefuseNonPositive(t *testing.T) {
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	validate := map[string]func(name string, config *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic{
		"resource": func(name string, config *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
			r, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: name, Config: config})
			if err != nil {
				t.Fatal(err)
			}
			return r.Diagnostics
		},
		"data source": func(name string, config *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
			r, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: name, Config: config})
			if err != nil {
				t.Fatal(err)
			}
			return r.Diagnostics
		},
	}
	checked := 0
	for kind, schemas := range map[string]map[string]*tfprotov6.Schema{"resource": resp.ResourceSchemas, "data source": resp.DataSourceSchemas} {
		for name, s := range schemas {
			var block *tfprotov6.SchemaNestedBlock
			for _, b := range s.Block.BlockTypes {
				if b.TypeName == "timeouts" {
					block = b
				}
			}
			if block == nil {
				continue
			}
			checked++
			config, want := nonPositiveTimeouts(t, s, block)
			got := map[string]bool{}
			for _, d := range validate[kind](name, config) {
				if d.Severity == tfprotov6.DiagnosticSeverityError && d.Attribute != nil {
					got[d.Summary+" at "+d.Attribute.String()] = true
				}
			}
			for _, w := range want {
				if !got[w] {
					t.Errorf("%s %s: no error %q", kind, name, w)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no resource or data source has a timeouts block: the check proved nothing")
	}
}

// nonPositiveTimeouts is a configuration of schema s with every attribute null except the
// timeouts block, whose every attribute is "0s", and the errors its validation must report.
func nonPositiveTimeouts(t *testing.T, s *tfprotov6.Schema, timeouts *tfprotov6.SchemaNestedBlock) (*tfprotov6.DynamicValue, []string) {
	t.Helper()
	typ := s.ValueType().(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	tt := typ.AttributeTypes["timeouts"].(tftypes.Object)
	tvals := map[string]tftypes.Value{}
	var want []string
	for _, a := range timeouts.Block.Attributes {
		tvals[a.Name] = tftypes.NewValue(tftypes.String, "0s")
		want = append(want, "timeouts."+a.Name+" must be a positive duration at "+
			tftypes.NewAttributePath().WithAttributeName("timeouts").WithAttributeName(a.Name).String())
	}
	vals["timeouts"] = tftypes.NewValue(tt, tvals)
	config, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &config, want
}
