// Package provider is the intune provider: its schema, its configuration (arguments with ARM_*
// fallbacks) and the registration of resources and data sources.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
	"github.com/terraform-intune/terraform-provider-intune/internal/service"
	"github.com/terraform-intune/terraform-provider-intune/internal/service/securityconfigurationtask"
	"github.com/terraform-intune/terraform-provider-intune/internal/service/securitytasks"
)

var (
	_ provider.Provider                  = (*intuneProvider)(nil)
	_ provider.ProviderWithListResources = (*intuneProvider)(nil)
	_ provider.ProviderWithActions       = (*intuneProvider)(nil)
)

// New returns a provider factory for the given version (set by ldflags in release builds).
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &intuneProvider{version: version, getenv: os.Getenv, claims: graph.NewClaims()}
	}
}

type intuneProvider struct {
	version string
	// getenv is os.Getenv, replaceable in tests of configuration precedence.
	getenv func(string) string
	// claims outlives each Configure: Terraform configures the provider once per walk of a command,
	// and the task ids read during the refresh must stay claimed while the apply creates.
	claims *graph.Claims
}

// providerModel is the provider block.
type providerModel struct {
	TenantID      types.String `tfsdk:"tenant_id"`
	ClientID      types.String `tfsdk:"client_id"`
	ClientSecret  types.String `tfsdk:"client_secret"`
	Environment   types.String `tfsdk:"environment"`
	GraphEndpoint types.String `tfsdk:"graph_endpoint"`
	AuthorityHost types.String `tfsdk:"authority_host"`

	ClientIDFilePath               types.String `tfsdk:"client_id_file_path"`
	ClientSecretFilePath           types.String `tfsdk:"client_secret_file_path"`
	ClientCertificate              types.String `tfsdk:"client_certificate"`
	ClientCertificatePath          types.String `tfsdk:"client_certificate_path"`
	ClientCertificatePassword      types.String `tfsdk:"client_certificate_password"`
	UseOIDC                        types.Bool   `tfsdk:"use_oidc"`
	OIDCToken                      types.String `tfsdk:"oidc_token"`
	OIDCTokenFilePath              types.String `tfsdk:"oidc_token_file_path"`
	OIDCRequestToken               types.String `tfsdk:"oidc_request_token"`
	OIDCRequestURL                 types.String `tfsdk:"oidc_request_url"`
	ADOPipelineServiceConnectionID types.String `tfsdk:"ado_pipeline_service_connection_id"`
	UseAKSWorkloadIdentity         types.Bool   `tfsdk:"use_aks_workload_identity"`
	UseMSI                         types.Bool   `tfsdk:"use_msi"`
	MSIEndpoint                    types.String `tfsdk:"msi_endpoint"`
	MSIResourceID                  types.String `tfsdk:"msi_resource_id"`
	AdditionallyAllowedTenants     types.List   `tfsdk:"additionally_allowed_tenants"`
	PartnerID                      types.String `tfsdk:"partner_id"`
	DisableTerraformPartnerID      types.Bool   `tfsdk:"disable_terraform_partner_id"`
	UseCLI                         types.Bool   `tfsdk:"use_cli"`
	DisableInstanceDiscovery       types.Bool   `tfsdk:"disable_instance_discovery"`
	WriteRateLimit                 types.Int64  `tfsdk:"write_rate_limit"`
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
				MarkdownDescription: "The Entra ID tenant (directory) id. Falls back to `ARM_TENANT_ID`, and with `use_aks_workload_identity` to `AZURE_TENANT_ID`.",
				Optional:            true,
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "The application (client) id of the app registration (or of a user-assigned managed identity). " +
					"Falls back to `ARM_CLIENT_ID`, then `client_id_file_path`/`ARM_CLIENT_ID_FILE_PATH`, and with `use_aks_workload_identity` to `AZURE_CLIENT_ID`.",
				Optional: true,
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "A client secret of the app registration; used when no client certificate is configured. " +
					"If `client_secret_file_path` is also set the two must agree. Falls back to `ARM_CLIENT_SECRET`.",
				Optional:  true,
				Sensitive: true,
			},
			"environment": schema.StringAttribute{
				MarkdownDescription: "The Microsoft cloud: `public` (the default; also for GCC tenants; aliases " + aliases("public") + "), " +
					"`usgovernment` (GCC High; aliases " + aliases("usgovernment") + "), `dod` (DoD; aliases " + aliases("dod") + ") or " +
					"`china` (operated by 21Vianet; alias " + aliases("china") + "). Case, `-`, `_` and spaces are ignored, so `GCC-High` is `gcchigh`. " +
					"Sets both the Graph host and the Entra login host. Falls back to `ARM_ENVIRONMENT`.",
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
			"client_id_file_path": schema.StringAttribute{
				MarkdownDescription: "Path to a file holding the application (client) id, as HCP Terraform dynamic credentials write it for " +
					"each provider alias. If `client_id` is also set the two must agree. Falls back to `ARM_CLIENT_ID_FILE_PATH`.",
				Optional: true,
			},
			"client_secret_file_path": schema.StringAttribute{
				MarkdownDescription: "Path to a file holding the client secret. If `client_secret` is also set the two must agree. " +
					"Falls back to `ARM_CLIENT_SECRET_FILE_PATH`.",
				Optional: true,
			},
			"client_certificate": schema.StringAttribute{
				MarkdownDescription: "Base64 of a PKCS#12 (PFX) bundle, or of a PEM file, holding the app's certificate and private key. " +
					"**Authentication methods are tried in this order**: client certificate (`client_certificate`/`client_certificate_path`), " +
					"client secret, OIDC (`use_oidc` with `oidc_token`, then `oidc_token_file_path`, then GitHub Actions, then Azure DevOps), " +
					"AKS workload identity, managed identity, and last the Azure CLI (`use_cli`, on by default). The first one configured is used. " +
					"If `client_certificate_path` is also set the two must agree. Falls back to `ARM_CLIENT_CERTIFICATE`.",
				Optional:  true,
				Sensitive: true,
			},
			"client_certificate_path": schema.StringAttribute{
				MarkdownDescription: "Path to a PKCS#12 (`.pfx`/`.p12`) or PEM file holding the certificate and private key. Used first of all methods. " +
					"Falls back to `ARM_CLIENT_CERTIFICATE_PATH`.",
				Optional: true,
			},
			"client_certificate_password": schema.StringAttribute{
				MarkdownDescription: "Password of the PKCS#12 bundle, if it has one. Falls back to `ARM_CLIENT_CERTIFICATE_PASSWORD`.",
				Optional:            true,
				Sensitive:           true,
			},
			"use_oidc": schema.BoolAttribute{
				MarkdownDescription: "Authenticate with a federated (OIDC) token, tried after client certificate and client secret. The token comes from, " +
					"in order: `oidc_token`, `oidc_token_file_path`, the GitHub Actions ID token endpoint (`oidc_request_token`/`oidc_request_url`), " +
					"or the Azure DevOps one when `ado_pipeline_service_connection_id` is set. Tokens are fetched again for each Entra ID token request, " +
					"so short-lived CI tokens do not expire during a long apply. Falls back to `ARM_USE_OIDC`.",
				Optional: true,
			},
			"oidc_token": schema.StringAttribute{
				MarkdownDescription: "A federated ID token (JWT) with audience `api://AzureADTokenExchange`. If `oidc_token_file_path` is also set the two must agree. " +
					"Falls back to `ARM_OIDC_TOKEN`.",
				Optional:  true,
				Sensitive: true,
			},
			"oidc_token_file_path": schema.StringAttribute{
				MarkdownDescription: "Path to a file holding a federated ID token; it is read again at every token request. HCP Terraform dynamic " +
					"credentials and AKS workload identity provide one. Falls back to `ARM_OIDC_TOKEN_FILE_PATH`, and with " +
					"`use_aks_workload_identity` to `AZURE_FEDERATED_TOKEN_FILE`.",
				Optional: true,
			},
			"oidc_request_token": schema.StringAttribute{
				MarkdownDescription: "Bearer token for the CI system's ID token endpoint. Falls back to `ARM_OIDC_REQUEST_TOKEN`, then " +
					"`ACTIONS_ID_TOKEN_REQUEST_TOKEN` (GitHub Actions), or with `ado_pipeline_service_connection_id` to `SYSTEM_ACCESSTOKEN` (Azure DevOps).",
				Optional:  true,
				Sensitive: true,
			},
			"oidc_request_url": schema.StringAttribute{
				MarkdownDescription: "URL of the CI system's ID token endpoint. Falls back to `ARM_OIDC_REQUEST_URL`, then " +
					"`ACTIONS_ID_TOKEN_REQUEST_URL` (GitHub Actions), or with `ado_pipeline_service_connection_id` to `SYSTEM_OIDCREQUESTURI` (Azure DevOps).",
				Optional: true,
			},
			"ado_pipeline_service_connection_id": schema.StringAttribute{
				MarkdownDescription: "Id of an Azure DevOps service connection using workload identity federation; with `use_oidc`, the token is " +
					"requested from the pipeline's OIDC endpoint. Falls back to `ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID`, then `ARM_OIDC_AZURE_SERVICE_CONNECTION_ID`.",
				Optional: true,
			},
			"use_aks_workload_identity": schema.BoolAttribute{
				MarkdownDescription: "Authenticate with AKS workload identity (tried after OIDC): the projected token in `AZURE_FEDERATED_TOKEN_FILE`, " +
					"with `client_id` and `tenant_id` falling back to `AZURE_CLIENT_ID` and `AZURE_TENANT_ID`. Falls back to `ARM_USE_AKS_WORKLOAD_IDENTITY`.",
				Optional: true,
			},
			"use_msi": schema.BoolAttribute{
				MarkdownDescription: "Authenticate with the host's managed identity (tried after AKS workload identity); `client_id` or " +
					"`msi_resource_id` selects a user-assigned identity, neither the system-assigned one. Falls back to `ARM_USE_MSI`.",
				Optional: true,
			},
			"msi_resource_id": schema.StringAttribute{
				MarkdownDescription: "With `use_msi`, the Azure resource id of the user-assigned managed identity to use " +
					"(`/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>`), " +
					"for hosts with several identities whose client ids are not known in advance. Conflicts with `client_id`, " +
					"which picks an identity by its client id. Falls back to `ARM_MSI_RESOURCE_ID` (this provider's own; azuread has no such argument).",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.RegexMatches(msiResourceIDRE, msiResourceIDHint),
					stringvalidator.ConflictsWith(path.MatchRoot("client_id"), path.MatchRoot("client_id_file_path")),
				},
			},
			"additionally_allowed_tenants": schema.ListAttribute{
				MarkdownDescription: "Tenants besides `tenant_id` that the credential may get tokens for when a request names another " +
					"tenant; `[\"*\"]` allows any. Each is a tenant id or domain name. Passed to azidentity's `AdditionallyAllowedTenants` " +
					"(not used by managed identity). Falls back to `ARM_ADDITIONALLY_ALLOWED_TENANTS`, then `AZURE_ADDITIONALLY_ALLOWED_TENANTS`, " +
					"either holding the tenants separated by `;` or `,`.",
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.List{
					listvalidator.ValueStringsAre(stringvalidator.RegexMatches(tenantRE, "must be a tenant id, a tenant domain name or \"*\"")),
				},
			},
			"partner_id": schema.StringAttribute{
				MarkdownDescription: "A Microsoft partner id (a GUID, optionally written `pid-<GUID>`) for customer usage attribution: " +
					"it is sent as `pid-<GUID>` in the User-Agent of every Graph request, as azuread does. Falls back to `ARM_PARTNER_ID`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.RegexMatches(partnerIDRE, partnerIDHint)},
			},
			"disable_terraform_partner_id": schema.BoolAttribute{
				MarkdownDescription: "Without a `partner_id`, the User-Agent carries Terraform's partner id " +
					"(`pid-" + terraformPartnerID + "`, the one azurerm and azuread send) so that Microsoft can count Terraform's use; " +
					"`true` sends none. It gives no one access to the tenant or its data. Falls back to `ARM_DISABLE_TERRAFORM_PARTNER_ID`.",
				Optional: true,
			},
			"msi_endpoint": schema.StringAttribute{
				MarkdownDescription: "An IMDS-compatible managed identity token endpoint to use instead of the one detected on the host. " +
					"Sensitive, since such an endpoint may carry a key in its query; messages show it without its query. " +
					"Falls back to `ARM_MSI_ENDPOINT`.",
				Optional:  true,
				Sensitive: true,
			},
			"use_cli": schema.BoolAttribute{
				MarkdownDescription: "Use the Azure CLI's signed-in account (`az account get-access-token`) when no other method is configured; " +
					"tried last. Defaults to `true`. Falls back to `ARM_USE_CLI`.",
				Optional: true,
			},
			"disable_instance_discovery": schema.BoolAttribute{
				MarkdownDescription: "Skip Entra ID instance discovery, for disconnected or private clouds. Always on when `authority_host` is " +
					"not a Microsoft login host. Falls back to `ARM_DISABLE_INSTANCE_DISCOVERY`.",
				Optional: true,
			},
			"write_rate_limit": schema.Int64Attribute{
				MarkdownDescription: "The most writes (create, update, delete, status change) this provider sends per 20 seconds, " +
					"0 to 1000: a hard ceiling. 0 (the default) sets none. Either way the provider paces its writes to the share of " +
					"Intune's write quota (about 100 writes per 20 seconds per app per tenant, shared by every run that uses the same app) " +
					"it learns from Graph's 429 answers, and honours every `Retry-After`; reads are never held back. Set it to leave room " +
					"for other writers or to stay under the quota from the first write. Falls back to `INTUNE_WRITE_RATE_LIMIT`.",
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
		UserAgent:     userAgent(p.version, req.TerraformVersion, settings.partnerID),
		WritePacer:    pacer(settings.writeRateLimit),
		Claims:        p.claims,
	})
	if err != nil {
		resp.Diagnostics.AddError("configuring the Microsoft Graph client", err.Error())
		return
	}
	tflog.Info(ctx, "configured Microsoft Graph client", map[string]any{
		"graph_endpoint": settings.graphEndpoint, "authority_host": settings.auth.AuthorityHost, "tenant_id": settings.auth.TenantID,
		"auth_method": string(graph.CredentialMethod(cred)), "partner_id": settings.partnerID,
	})
	resp.ResourceData = client
	resp.DataSourceData = client
	resp.ListResourceData = client
	resp.ActionData = client
}

// userAgent names the provider, its version and the Terraform version (as azuread's does), then the
// partner id in the pid-<GUID> form Microsoft's usage attribution reads.
func userAgent(version, terraformVersion, partnerID string) string {
	if terraformVersion == "" {
		terraformVersion = "unknown"
	}
	ua := fmt.Sprintf("terraform-provider-intune/%s Terraform/%s", version, terraformVersion)
	if partnerID != "" {
		ua += " pid-" + partnerID
	}
	return ua
}

// aliases lists an environment's aliases for its description.
func aliases(canonical string) string {
	as := graph.EnvironmentAliases(canonical)
	for i, a := range as {
		as[i] = "`" + a + "`"
	}
	return strings.Join(as, ", ")
}

// pacer paces writes to the window it learns from Graph's 429s, under write_rate_limit per
// writeRateWindow when the user set one (0: no ceiling).
func pacer(limit int) *graph.Pacer {
	return graph.NewPacer(max(limit, 0), writeRateWindow)
}

func (p *intuneProvider) Resources(context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, e := range service.TaskTypes {
		out = append(out, framework.NewResource(e))
	}
	return out
}

func (p *intuneProvider) DataSources(context.Context) []func() datasource.DataSource {
	out := []func() datasource.DataSource{securitytasks.NewDataSource, securityconfigurationtask.NewListDataSource}
	for _, e := range service.TaskTypes {
		out = append(out, framework.NewDataSource(e))
	}
	for _, r := range service.Relationships {
		out = append(out, framework.NewRelatedDataSource(r))
	}
	return out
}

// ListResources are for `terraform query` (Terraform 1.14+); older CLIs never ask for them.
func (p *intuneProvider) ListResources(context.Context) []func() list.ListResource {
	var out []func() list.ListResource
	for _, e := range service.TaskTypes {
		out = append(out, framework.NewListResource(e))
	}
	return out
}

// Actions are for `terraform apply -invoke` and `action_trigger` (Terraform 1.14+).
func (p *intuneProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{framework.NewUpdateStatusAction}
}
