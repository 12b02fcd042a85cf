// Package service lists the task types this provider has resources for. The provider registers a
// resource, a data source and a list resource for each, intune_security_tasks names each type's
// resource, and a resource or data source given a task of another of these types names the one to
// use instead: a new type is added here, once.
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

// Relationships are the task types' relationships with a data source each (the devices and apps a
// task is about).
var Relationships = []*framework.Related{
	securityconfigurationtask.ManagedDevices,
	appvulnerabilitytask.ManagedDevices,
	appvulnerabilitytask.MobileApps,
}

// The types know of each other, for the messages about a task of another type.
func init() {
	framework.Register(TaskTypes...)
	framework.RegisterRelated(Relationships...)
}
