package unmanageddevicediscoverytask_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// The resource identity is the task's id (acctest.IdentityTest), with every attribute of this type set.
func TestAccUnmanagedDeviceDiscoveryTask_identity(t *testing.T) {
	name := acctest.RandomName()
	acctest.IdentityTest(t, taskType, configFullNoTimeouts(name, fullA), configFullNoTimeouts(name+"-renamed", fullB))
}

// The collection holds every task type, so an id can belong to a task of another type. Importing
// one is an error that names both types, with terraform import and with an import block, and
// nothing reaches state.
func TestAccUnmanagedDeviceDiscoveryTask_importOtherType(t *testing.T) {
	sim, provider := acctest.NewSim(t, graphsim.Options{})
	t.Cleanup(func() {
		// Refused before anything was written: the other type's tasks are as they were.
		for _, r := range sim.Requests() {
			if r.Method != "GET" && strings.HasPrefix(r.Path, "/beta/") {
				t.Errorf("importing another type's task wrote to Graph: %s %s %s", r.Method, r.Path, r.Body)
			}
		}
	})
	for _, other := range []string{"#microsoft.graph.securityConfigurationTask", "#microsoft.graph.appVulnerabilityTask"} {
		id := sim.Seed(map[string]any{"@odata.type": other, "displayName": acctest.RandomName(), "status": "pending"})
		want := regexp.MustCompile(`Not an unmanaged device discovery task(.|\n)*Graph\s+returned\s+a\s+task\s+of\s+type\s+"` +
			regexp.QuoteMeta(other) + `",\s+not\s+"` + regexp.QuoteMeta(odataType) + `"`)
		t.Run(other[len("#microsoft.graph."):], func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             taskType.CheckDestroyOn(t, sim),
				Steps: []resource.TestStep{
					// The import block first: terraform-plugin-testing copies the state of earlier
					// steps for a later one, and an import step leaves none.
					{
						Config:          provider + configBasic("imported"),
						ResourceName:    resourceName,
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithID,
						ImportStateId:   id,
						ExpectError:     want,
					},
					{
						Config:        provider + configBasic("imported"),
						ResourceName:  resourceName,
						ImportState:   true,
						ImportStateId: id,
						ExpectError:   want,
					},
				},
			})
		})
	}
}
