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

func resourceSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Manages an Intune security configuration task (Microsoft Graph beta " +
			"`securityConfigurationTask`, in the `/deviceAppManagement/deviceAppManagementTasks` collection). " +
			"Security configuration tasks ask an Intune administrator to apply an endpoint security configuration; " +
			"security partners and Microsoft Defender raise them, and security teams track them to completion.\n\n" +
			"Requires the Microsoft Graph application permission `DeviceManagementApps.ReadWrite.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The task's Graph id (`id`), assigned by Graph on creation.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "The task's name (`displayName`). Must not be empty.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description":   optionalString("The task's description (`description`)."),
			"creator":       optionalString("The email address of the task's creator (`creator`)."),
			"creator_notes": optionalString("Notes from the creator (`creatorNotes`)."),
			"assigned_to":   optionalString("The name or email address of the administrator the task is assigned to (`assignedTo`)."),
			"insights":      optionalString("Information about the mitigation (`insights`)."),
			"created_date_time": schema.StringAttribute{
				CustomType:          timetypes.RFC3339Type{},
				MarkdownDescription: "When Graph created the task (`createdDateTime`), RFC 3339 in UTC.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"due_date_time": schema.StringAttribute{
				CustomType: timetypes.RFC3339Type{},
				MarkdownDescription: "When the task is due (`dueDateTime`), as an RFC 3339 date-time such as " +
					"`2026-12-31T17:00:00-08:00`. Graph stores the instant and answers in UTC; a value naming the same " +
					"instant in another offset never shows a difference. Fractional seconds are kept, up to Graph's " +
					"precision of 7 digits (100 ns); more digits are rejected at plan time. Removing it clears the date in Graph.",
				Optional:      true,
				Validators:    []validator.String{graphPrecision{}},
				PlanModifiers: []planmodifier.String{sameInstant{}},
			},
			"category":                         optionalEnum("The task's category (`category`).", categoryEnum),
			"priority":                         optionalEnum("The task's priority (`priority`).", priorityEnum),
			"status":                           optionalEnum("The task's status (`status`). See also `status_note`.", statusEnum),
			"endpoint_security_policy":         optionalEnum("The endpoint security policy type the task is about (`endpointSecurityPolicy`).", endpointSecurityPolicyEnum),
			"applicable_platform":              optionalEnum("The platform the task applies to (`applicablePlatform`).", applicablePlatformEnum),
			"endpoint_security_policy_profile": optionalEnum("The endpoint security policy profile (`endpointSecurityPolicyProfile`).", endpointSecurityPolicyProfileEnum),
			"managed_device_count": schema.Int32Attribute{
				MarkdownDescription: fmt.Sprintf("The number of vulnerable devices (`managedDeviceCount`), 0 to %d. "+
					"When omitted, Graph's value (0 for a new task) is kept in state and not managed.", maxManagedDeviceCount),
				Optional:      true,
				Computed:      true,
				Validators:    []validator.Int32{int32validator.Between(0, maxManagedDeviceCount)},
				PlanModifiers: []planmodifier.Int32{int32planmodifier.UseStateForUnknown()},
			},
			"intended_settings": schema.ListNestedAttribute{
				MarkdownDescription: "The intended settings and their values (`intendedSettings`, a list of Graph `keyValuePair`). " +
					"Omitting it and an empty list from Graph are the same; removing it from the configuration clears the list in Graph.",
				Optional: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"name": schema.StringAttribute{
							MarkdownDescription: "The setting's name (`name`).",
							Required:            true,
						},
						"value": schema.StringAttribute{
							MarkdownDescription: "The setting's value (`value`).",
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

func optionalString(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description + " Removing it from the configuration clears it in Graph.",
		Optional:            true,
	}
}

// optionalEnum is Optional+Computed: Graph fills an omitted enum with its first member, which must
// not show as a difference, and the value stays in state while it is not configured.
func optionalEnum(description string, e enum) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("%s One of %s (case-sensitive). When omitted, Graph's value (`%s` for a new task) "+
			"is kept in state and not managed.", description, e.markdown(), e.values[0]),
		Optional:      true,
		Computed:      true,
		Validators:    []validator.String{stringvalidator.OneOf(e.values...)},
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}
