// Package provider is the intune provider: its schema, its configuration (arguments with ARM_*
// fallbacks) and the registration of resources and data sources.
package provider

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
	"github.com/terraform-intune/terraform-provider-intune/internal/service/securityconfigurationtask"
)

var _ provider.Provider = (*intuneProvider)(nil)

// New returns a provider factory for the given version (set by ldflags in release builds).
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &intuneProvider{version: version, getenv: os.Getenv}
	}
}

type intuneProvider struct {
	version string
	// getenv is os.Getenv, replaceable in tests of configuration precedence.
	getenv func(string) string
}

// providerModel is the provider block.
type providerModel struct {
	TenantID      types.String `tfsdk:"tenant_id"`
	ClientID      types.String `tfsdk:"client_id"`
	ClientSecret  types.String `tfsdk:"client_secret"`
	Environment   types.String `tfsdk:"environment"`
	GraphEndpoint types.String `tfsdk:"graph_endpoint"`
	AuthorityHost types.String `tfsdk:"authority_host"`
}

func (p *intuneProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "intune"
	resp.Version = p.version
}

func (p *intuneProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Microsoft Intune objects through the Microsoft Graph beta API.",
		Attributes: map[string]schema.Attribute{
			"tenant_id": schema.StringAttribute{
				MarkdownDescription: "The Entra ID tenant (directory) id. Falls back to `ARM_TENANT_ID`.",
				Optional:            true,
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "The application (client) id of the app registration. Falls back to `ARM_CLIENT_ID`.",
				Optional:            true,
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "A client secret of the app registration. Falls back to `ARM_CLIENT_SECRET`.",
				Optional:            true,
				Sensitive:           true,
			},
			"environment": schema.StringAttribute{
				MarkdownDescription: "The Microsoft cloud: `public` (default, alias `global`), `usgovernment` (alias `usgovernmentl4`), " +
					"`dod` (alias `usgovernmentl5`) or `china`. Sets both the Graph host and the Entra login host. Falls back to `ARM_ENVIRONMENT`.",
				Optional: true,
			},
			"graph_endpoint": schema.StringAttribute{
				MarkdownDescription: "Scheme and host of Microsoft Graph, without `/beta`, e.g. `https://graph.microsoft.com`. " +
					"Overrides `environment`; the token scope becomes `<graph_endpoint>/.default`. Falls back to `ARM_GRAPH_ENDPOINT`.",
				Optional: true,
			},
			"authority_host": schema.StringAttribute{
				MarkdownDescription: "The Entra ID login base URL, e.g. `https://login.microsoftonline.com/`. Overrides `environment`. " +
					"When it is not a Microsoft login host, instance discovery is turned off. Falls back to `ARM_AUTHORITY_HOST`, then `AZURE_AUTHORITY_HOST`.",
				Optional: true,
			},
		},
	}
}

func (p *intuneProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings, diags := resolveSettings(cfg, p.getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cred, err := graph.NewCredential(settings.auth)
	if err != nil {
		resp.Diagnostics.AddError("configuring Microsoft Graph authentication", err.Error())
		return
	}
	client, err := graph.NewClient(graph.ClientConfig{
		GraphEndpoint: settings.graphEndpoint,
		Credential:    cred,
		UserAgent:     fmt.Sprintf("terraform-provider-intune/%s Terraform/%s", p.version, req.TerraformVersion),
	})
	if err != nil {
		resp.Diagnostics.AddError("configuring the Microsoft Graph client", err.Error())
		return
	}
	tflog.Info(ctx, "configured Microsoft Graph client", map[string]any{
		"graph_endpoint": settings.graphEndpoint, "authority_host": settings.auth.AuthorityHost, "tenant_id": settings.auth.TenantID,
	})
	resp.ResourceData = client
	resp.DataSourceData = client
}

func (p *intuneProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{securityconfigurationtask.NewResource}
}

func (p *intuneProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{securityconfigurationtask.NewDataSource, securityconfigurationtask.NewListDataSource}
}
