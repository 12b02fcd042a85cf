package provider_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// ownSimEnv is simEnv for an emulator of the test's own.
func ownSimEnv(sim *graphsim.Server, vars map[string]string) func(string) string {
	m := map[string]string{
		"ARM_TENANT_ID": sim.Options().TenantID, "ARM_GRAPH_ENDPOINT": sim.URL(), "ARM_AUTHORITY_HOST": sim.URL(), "ARM_USE_CLI": "false",
	}
	for k, v := range vars {
		m[k] = v
	}
	return func(k string) string { return m[k] }
}

// TestAuth_managedIdentityByResourceID picks a user-assigned identity by its resource id at an
// IMDS-shaped endpoint: the request carries msi_res_id and no client_id, and Graph accepts the
// token of that identity.
func TestAuth_managedIdentityByResourceID(t *testing.T) {
	t.Parallel()
	const appID = "c0000000-0000-4000-8000-0000000000b2"
	sim, _ := acctest.NewSim(t, graphsim.Options{})
	ep := sim.EnableUserAssignedIdentity(appID, accMSIResourceID)
	cred, endpoint := credentialFromEnv(t, ownSimEnv(sim, map[string]string{"ARM_USE_MSI": "true", "ARM_MSI_ENDPOINT": ep,
		"ARM_MSI_RESOURCE_ID": accMSIResourceID}), graph.MethodManagedIdentity)
	listTasks(t, cred, endpoint)
	var q url.Values
	for _, r := range sim.Requests() {
		if r.Route == graphsim.RouteManagedIdentity {
			q, _ = url.ParseQuery(r.RawQuery)
		}
	}
	if q == nil || q.Get("msi_res_id") != accMSIResourceID || q.Has("client_id") {
		t.Fatalf("the managed identity request's query: %v", q)
	}
}

// TestAuth_additionallyAllowedTenants asks the credential for a token in a tenant other than
// tenant_id, as a request naming another tenant does: azidentity refuses it without sending
// anything unless the tenant is in additionally_allowed_tenants, and then asks that tenant.
func TestAuth_additionallyAllowedTenants(t *testing.T) {
	t.Parallel()
	const guest = "99999999-8888-4777-8666-555555555555"
	sim, _ := acctest.NewSim(t, graphsim.Options{GuestTenantIDs: []string{guest}})
	secret := map[string]string{"ARM_CLIENT_ID": sim.Options().ClientID, "ARM_CLIENT_SECRET": sim.Options().ClientSecret}
	guestToken := func(vars map[string]string) error {
		for k, v := range secret {
			vars[k] = v
		}
		cred, _ := credentialFromEnv(t, ownSimEnv(sim, vars), graph.MethodClientSecret)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{sim.URL() + "/.default"}, TenantID: guest})
		return err
	}
	guestRequests := func() int {
		n := 0
		for _, r := range sim.Requests() {
			if r.Route == graphsim.RouteToken && strings.HasPrefix(r.Path, "/"+guest+"/") {
				n++
			}
		}
		return n
	}
	err := guestToken(map[string]string{})
	if err == nil || !strings.Contains(err.Error(), "AdditionallyAllowedTenants") {
		t.Fatalf("a token for another tenant without additionally_allowed_tenants: %v", err)
	}
	if n := guestRequests(); n != 0 {
		t.Fatalf("%d token requests reached the other tenant", n)
	}
	for _, allowed := range []string{guest, "*", "contoso.onmicrosoft.com;" + guest} {
		if err := guestToken(map[string]string{"ARM_ADDITIONALLY_ALLOWED_TENANTS": allowed}); err != nil {
			t.Fatalf("with ARM_ADDITIONALLY_ALLOWED_TENANTS=%s: %v", allowed, err)
		}
	}
	if n := guestRequests(); n != 3 {
		t.Fatalf("%d token requests reached the other tenant, want 3", n)
	}
}
