package acctest_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/terraform-intune/terraform-provider-intune/internal/provider"
)

// TestSchemaDescriptions fails when the provider, a resource, a data source, a list resource, an
// action or any attribute at any
// depth (nested attributes, attributes of blocks) has no description. The registry docs are
// generated from these descriptions, so an empty one is an undocumented argument.
//
// A nested block's own description is not required: framework helpers such as the timeouts block
// leave it empty and tfplugindocs links to the block's attributes instead.
func TestSchemaDescriptions(t *testing.T) {
	server, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("GetProviderSchema: %s: %s", d.Summary, d.Detail)
		}
	}

	schemas := map[string]*tfprotov6.Schema{"provider": resp.Provider}
	for kind, m := range map[string]map[string]*tfprotov6.Schema{
		"resource":           resp.ResourceSchemas,
		"data source":        resp.DataSourceSchemas,
		"ephemeral resource": resp.EphemeralResourceSchemas,
		"list resource":      resp.ListResourceSchemas,
	} {
		for name, s := range m {
			schemas[kind+" "+name] = s
		}
	}
	for name, a := range resp.ActionSchemas {
		schemas["action "+name] = a.Schema
	}
	if len(resp.ListResourceSchemas) == 0 || len(resp.ActionSchemas) == 0 {
		t.Fatal("the provider reports no list resource or no action: the walk below would not reach them")
	}
	if len(resp.ResourceSchemas) == 0 {
		t.Fatal("the provider reports no resources: the walk below would prove nothing")
	}

	var missing []string
	for where, s := range schemas {
		if s == nil || s.Block == nil {
			missing = append(missing, where+": no schema")
			continue
		}
		if strings.TrimSpace(s.Block.Description) == "" {
			missing = append(missing, where)
		}
		missing = append(missing, undescribedInBlock(where, s.Block)...)
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no description: %s", m)
	}
}

func undescribedInBlock(path string, b *tfprotov6.SchemaBlock) []string {
	var missing []string
	for _, a := range b.Attributes {
		missing = append(missing, undescribedAttribute(path, a)...)
	}
	for _, nb := range b.BlockTypes {
		if nb.Block != nil {
			missing = append(missing, undescribedInBlock(path+"."+nb.TypeName, nb.Block)...)
		}
	}
	return missing
}

func undescribedAttribute(path string, a *tfprotov6.SchemaAttribute) []string {
	var missing []string
	p := path + "." + a.Name
	if strings.TrimSpace(a.Description) == "" {
		missing = append(missing, p)
	}
	if a.NestedType != nil {
		for _, na := range a.NestedType.Attributes {
			missing = append(missing, undescribedAttribute(p, na)...)
		}
	}
	return missing
}

// TestSchemaDescriptions_walk proves the walk reaches nested attributes and attributes of blocks,
// so that a pass of TestSchemaDescriptions means something.
func TestSchemaDescriptions_walk(t *testing.T) {
	b := &tfprotov6.SchemaBlock{
		Attributes: []*tfprotov6.SchemaAttribute{
			{Name: "described", Description: "yes"},
			{Name: "top"},
			{Name: "list", Description: "yes", NestedType: &tfprotov6.SchemaObject{
				Attributes: []*tfprotov6.SchemaAttribute{{Name: "inner", Description: " "}},
			}},
		},
		BlockTypes: []*tfprotov6.SchemaNestedBlock{{
			TypeName: "timeouts",
			Block:    &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{{Name: "create"}}},
		}},
	}
	got := undescribedInBlock("r", b)
	sort.Strings(got)
	want := []string{"r.list.inner", "r.timeouts.create", "r.top"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("undescribed = %v, want %v", got, want)
	}
}
