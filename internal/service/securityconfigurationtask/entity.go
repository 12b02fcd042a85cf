// Package securityconfigurationtask is the security configuration task (Graph beta
// securityConfigurationTask): its own properties and enums. Everything else (the resource, the
// data sources, the list resource, create recovery, the consistency waits) is the shared core in
// internal/framework, driven by the attribute table below.
package securityconfigurationtask

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int32validator"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
)

// maxManagedDeviceCount is Graph's documented upper bound for managedDeviceCount.
const maxManagedDeviceCount = 65536

// The type's own enums (the base ones are the framework's).
var (
	endpointSecurityPolicyEnum        = framework.NewEnum[models.EndpointSecurityConfigurationType]("endpointSecurityPolicy", models.ParseEndpointSecurityConfigurationType)
	applicablePlatformEnum            = framework.NewEnum[models.EndpointSecurityConfigurationApplicablePlatform]("applicablePlatform", models.ParseEndpointSecurityConfigurationApplicablePlatform)
	endpointSecurityPolicyProfileEnum = framework.NewEnum[models.EndpointSecurityConfigurationProfileType]("endpointSecurityPolicyProfile", models.ParseEndpointSecurityConfigurationProfileType)
)

type task = models.SecurityConfigurationTaskable

// Entity is the security configuration task: the base task table and the type's own rows.
var Entity = &framework.Entity{
	TypeName:  "security_configuration_task",
	Noun:      "security configuration task",
	ODataType: "#microsoft.graph.securityConfigurationTask",
	Description: "Manages an Intune security configuration task (Microsoft Graph beta " +
		"`securityConfigurationTask`, in the `/deviceAppManagement/deviceAppManagementTasks` collection). " +
		"Security configuration tasks ask an Intune administrator to apply an endpoint security configuration; " +
		"security partners and Microsoft Defender raise them, and security teams track them to completion.",
	New: func() models.DeviceAppManagementTaskable { return models.NewSecurityConfigurationTask() },
	Table: append(framework.TaskBase(),
		framework.String("insights", "insights", "Information about the mitigation (`insights`).", task.GetInsights),
		framework.EnumOf("endpoint_security_policy", endpointSecurityPolicyEnum,
			"The endpoint security policy type the task is about (`endpointSecurityPolicy`)", task.GetEndpointSecurityPolicy),
		framework.EnumOf("applicable_platform", applicablePlatformEnum,
			"The platform the task applies to (`applicablePlatform`)", task.GetApplicablePlatform),
		framework.EnumOf("endpoint_security_policy_profile", endpointSecurityPolicyProfileEnum,
			"The endpoint security policy profile (`endpointSecurityPolicyProfile`)", task.GetEndpointSecurityPolicyProfile),
		framework.Int32("managed_device_count", "managedDeviceCount",
			fmt.Sprintf("The number of vulnerable devices (`managedDeviceCount`), 0 to %d.", maxManagedDeviceCount),
			task.GetManagedDeviceCount, int32validator.Between(0, maxManagedDeviceCount)),
		framework.Objects("intended_settings", "intendedSettings",
			"The intended settings and their values (`intendedSettings`, a list of Graph `keyValuePair`).", task.GetIntendedSettings,
			framework.Required(framework.String("name", "name", "The setting's name (`name`).", models.KeyValuePairable.GetName)),
			framework.String("value", "value", "The setting's value (`value`).", models.KeyValuePairable.GetValue)),
	),
}

// NewListDataSource is intune_security_configuration_tasks, the one type with a plural data source
// of its own (older than intune_security_tasks, which lists every type); registered by the provider.
var NewListDataSource = framework.NewListDataSource(Entity)

// ManagedDevices are the devices a security configuration task is about (Graph's managedDevices,
// vulnerableManagedDevice items): the data source intune_security_configuration_task_managed_devices.
var ManagedDevices = &framework.Related{
	Owner: Entity, Nav: "managedDevices", Attribute: "managed_devices", Noun: "managed device",
	ItemType: "#microsoft.graph.vulnerableManagedDevice", Factory: models.CreateVulnerableManagedDeviceFromDiscriminatorValue,
	Items: framework.ManagedDeviceItems[models.VulnerableManagedDeviceable](),
}
