// Package service lists the task types this provider has resources for. The provider registers a
// resource, a data source and a list resource for each, and intune_security_tasks names each
// type's resource: a new type is added here, once.
package service

import (
	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
	"github.com/terraform-intune/terraform-provider-intune/internal/service/appvulnerabilitytask"
	"github.com/terraform-intune/terraform-provider-intune/internal/service/securityconfigurationtask"
	"github.com/terraform-intune/terraform-provider-intune/internal/service/unmanageddevicediscoverytask"
)

// TaskTypes are the task types with a resource, in the order the docs and filters list them.
var TaskTypes = []*framework.Entity{
	securityconfigurationtask.Entity,
	appvulnerabilitytask.Entity,
	unmanageddevicediscoverytask.Entity,
}
