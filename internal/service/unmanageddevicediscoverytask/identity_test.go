package unmanageddevicediscoverytask_test

import (
	"testing"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
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
	acctest.ImportOtherTypeTest(t, taskType, configBasic("imported"))
}
