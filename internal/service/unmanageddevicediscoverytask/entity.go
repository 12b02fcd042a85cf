// Package unmanageddevicediscoverytask is the unmanaged device discovery task (Graph beta
// unmanagedDeviceDiscoveryTask): its own property, the list of unmanaged devices. Everything else
// (the resource, the data source, the list resource, create recovery, the consistency waits) is
// the shared core in internal/framework, driven by the attribute table below.
package unmanageddevicediscoverytask

import (
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
)

type (
	task   = models.UnmanagedDeviceDiscoveryTaskable
	device = models.UnmanagedDeviceable
)

// Entity is the unmanaged device discovery task: the base task table and the list of devices.
var Entity = &framework.Entity{
	TypeName:  "unmanaged_device_discovery_task",
	Noun:      "unmanaged device discovery task",
	ODataType: "#microsoft.graph.unmanagedDeviceDiscoveryTask",
	Description: "Manages an Intune unmanaged device discovery task (Microsoft Graph beta " +
		"`unmanagedDeviceDiscoveryTask`, in the `/deviceAppManagement/deviceAppManagementTasks` collection). " +
		"Microsoft Defender for Endpoint's device discovery raises these tasks for devices it finds on the network " +
		"that Intune does not manage, listing each device, so that an Intune administrator onboards them.",
	New: func() models.DeviceAppManagementTaskable { return models.NewUnmanagedDeviceDiscoveryTask() },
	Table: append(framework.TaskBase(),
		framework.Objects("unmanaged_devices", "unmanagedDevices",
			"The unmanaged devices discovered in the network (`unmanagedDevices`, a list of Graph `unmanagedDevice`), "+
				"in the order Graph holds them.", task.GetUnmanagedDevices,
			framework.String("device_name", "deviceName", "The device's name (`deviceName`).", device.GetDeviceName),
			framework.String("domain", "domain", "The device's domain (`domain`).", device.GetDomain),
			framework.String("ip_address", "ipAddress", "The device's IP address (`ipAddress`).", device.GetIpAddress),
			framework.String("mac_address", "macAddress", "The device's MAC address (`macAddress`).", device.GetMacAddress),
			framework.String("last_logged_on_user", "lastLoggedOnUser", "The user who last logged on to the device (`lastLoggedOnUser`).",
				device.GetLastLoggedOnUser),
			framework.DateTime("last_seen_date_time", "lastSeenDateTime", "When the device was last seen (`lastSeenDateTime`), RFC 3339.",
				device.GetLastSeenDateTime),
			framework.String("location", "location", "The device's location (`location`).", device.GetLocation),
			framework.String("manufacturer", "manufacturer", "The device's manufacturer (`manufacturer`).", device.GetManufacturer),
			framework.String("model", "model", "The device's model (`model`).", device.GetModel),
			framework.String("os", "os", "The device's operating system (`os`).", device.GetOs),
			framework.String("os_version", "osVersion", "The device's operating system version (`osVersion`).", device.GetOsVersion),
		),
	),
}
