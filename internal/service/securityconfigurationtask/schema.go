package securityconfigurationtask

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int32validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int32planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// maxManagedDeviceCount is Graph's documented upper bound for managedDeviceCount.
const maxManagedDeviceCount = 65536

// docs holds each attribute's base description, shared by the resource and the data sources.
var docs = map[string]string{
	"id":                               "The task's Graph id (`id`).",
	"display_name":                     "The task's name (`displayName`).",
	"description":                      "The task's description (`description`).",
	"creator":                          "The email address of the task's creator (`creator`).",
	"creator_notes":                    "Notes from the creator (`creatorNotes`).",
	"assigned_to":                      "The name or email address of the administrator the task is assigned to (`assignedTo`).",
	"insights":                         "Information about the mitigation (`insights`).",
	"created_date_time":                "When Graph created the task (`createdDateTime`), RFC 3339 in UTC.",
	"due_date_time":                    "When the task is due (`dueDateTime`), RFC 3339.",
	"category":                         "The task's category (`category`): " + categoryEnum.markdown() + ".",
	"priority":                         "The task's priority (`priority`): " + priorityEnum.markdown() + ".",
	"status":                           "The task's status (`status`): " + statusEnum.markdown() + ".",
	"endpoint_security_policy":         "The endpoint security policy type the task is about (`endpointSecurityPolicy`): " + endpointSecurityPolicyEnum.markdown() + ".",
	"applicable_platform":              "The platform the task applies to (`applicablePlatform`): " + applicablePlatformEnum.markdown() + ".",
	"endpoint_security_policy_profile": "The endpoint security policy profile (`endpointSecurityPolicyProfile`): " + endpointSecurityPolicyProfileEnum.markdown() + ".",
	"managed_device_count":             fmt.Sprintf("The number of vulnerable devices (`managedDeviceCount`), 0 to %d.", maxManagedDeviceCount),
	"intended_settings":                "The intended settings and their values (`intendedSettings`, a list of Graph `keyValuePair`).",
	"intended_settings.name":           "The setting's name (`name`).",
	"intended_settings.value":          "The setting's value (`value`).",
}

func resourceSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Manages an Intune security configuration task (Microsoft Graph beta " +
			"`securityConfigurationTask`, in the `/deviceAppManagement/deviceAppManagementTasks` collection). " +
			"Security configuration tasks ask an Intune administrator to apply an endpoint security configuration; " +
			"security partners and Microsoft Defender raise them, and security teams track them to completion.\n\n" +
			"Requires the Microsoft Graph application permission `DeviceManagementApps.ReadWrite.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: docs["id"] + " Assigned by Graph on creation.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: docs["display_name"] + " Must not be empty.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description":   optionalString("description"),
			"creator":       optionalString("creator"),
			"creator_notes": optionalString("creator_notes"),
			"assigned_to":   optionalString("assigned_to"),
			"insights":      optionalString("insights"),
			"created_date_time": schema.StringAttribute{
				CustomType:          timetypes.RFC3339Type{},
				MarkdownDescription: docs["created_date_time"],
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"due_date_time": schema.StringAttribute{
				CustomType: timetypes.RFC3339Type{},
				MarkdownDescription: docs["due_date_time"] + " For example " +
					"`2026-12-31T17:00:00-08:00`. Graph stores the instant and answers in UTC; a value naming the same " +
					"instant in another offset never shows a difference. Fractional seconds are kept, up to Graph's " +
					"precision of 7 digits (100 ns); more digits are rejected at plan time. Graph's `dueDateTime` cannot be " +
					"null: a task without a due date holds `" + unsetDateTime + "`, which the provider shows as no value " +
					"(null), and that instant cannot be configured. **Removing it clears the due date in Graph** (the provider " +
					"writes `" + unsetDateTime + "` back).",
				Optional:      true,
				Validators:    []validator.String{graphPrecision{}, notUnsetDateTime{}},
				PlanModifiers: []planmodifier.String{sameInstant{}},
			},
			"category":                         optionalEnum("category", categoryEnum),
			"priority":                         optionalEnum("priority", priorityEnum),
			"status":                           optionalEnum("status", statusEnum),
			"endpoint_security_policy":         optionalEnum("endpoint_security_policy", endpointSecurityPolicyEnum),
			"applicable_platform":              optionalEnum("applicable_platform", applicablePlatformEnum),
			"endpoint_security_policy_profile": optionalEnum("endpoint_security_policy_profile", endpointSecurityPolicyProfileEnum),
			"managed_device_count": schema.Int32Attribute{
				MarkdownDescription: docs["managed_device_count"] + " Graph's `managedDeviceCount` cannot be null. When omitted, " +
					"Graph's value (0 for a new task) is shown in state and not managed: **removing it from the configuration keeps " +
					"the value Graph holds**, it does not reset it.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.Int32{int32validator.Between(0, maxManagedDeviceCount)},
				PlanModifiers: []planmodifier.Int32{int32planmodifier.UseStateForUnknown()},
			},
			"intended_settings": schema.ListNestedAttribute{
				MarkdownDescription: docs["intended_settings"] + " Omitting it and an empty list from Graph are the same. " +
					"**Removing it from the configuration clears the list in Graph** (the provider sends `[]`).",
				Optional: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"name": schema.StringAttribute{
							MarkdownDescription: docs["intended_settings.name"],
							Required:            true,
						},
						"value": schema.StringAttribute{
							MarkdownDescription: docs["intended_settings.value"],
							Optional:            true,
						},
					},
				},
			},
			"status_note": schema.StringAttribute{
				MarkdownDescription: "A note recorded with a status change. When `status` changes and `status_note` is set, " +
					"the provider changes the status through Graph's `updateStatus` action with this note, instead of " +
					"through the update (PATCH) that carries the other changes. Graph does not return the note, so the " +
					"provider keeps the configured value in state: changing only the note changes nothing in Graph and " +
					"never shows a difference after apply, and it is not read back on import.",
				Optional: true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func optionalString(name string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: docs[name] + " **Removing it from the configuration clears it in Graph** (the provider sends `null`).",
		Optional:            true,
	}
}

// optionalEnum is Optional+Computed: the enums are non-nullable, Graph fills an omitted one with its
// first member, which must not show as a difference, and the value stays in state while it is not
// configured (graph-behaviour.md §2.5).
func optionalEnum(name string, e enum) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("%s Case-sensitive. Graph's property cannot be null. When omitted, Graph's value "+
			"(`%s` for a new task) is shown in state and not managed: **removing it from the configuration keeps the value "+
			"Graph holds**, it does not reset it.", docs[name], e.unset()),
		Optional:      true,
		Computed:      true,
		Validators:    []validator.String{stringvalidator.OneOf(e.values...)},
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}
