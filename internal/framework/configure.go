package framework

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// RequiredPermission is the Graph application permission every task operation accepts.
var RequiredPermission = graph.TaskPermissions.Required

// ProviderClient is the Graph client the provider's Configure hands to every resource, data
// source, list resource and action. Terraform may call their Configure before the provider's
// (data is nil then), so nil is not an error.
func ProviderClient(data any, diags *diag.Diagnostics) *graph.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*graph.Client)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *graph.Client, got %T. Please report this issue to the provider developers.", data))
	}
	return c
}
