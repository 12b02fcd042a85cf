package framework

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int32planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// noteASCII is the validator of updateStatus's note. Graph's metadata declares the parameter
// `Unicode="false"`, which OData's CSDL defines as a string that will only contain and accept
// ASCII characters (graph-behaviour.md §13).
var noteASCII = stringvalidator.RegexMatches(regexp.MustCompile(`^[\x00-\x7F]*$`),
	"must contain only ASCII characters: Graph's metadata declares the note non-Unicode")

// statusNoteDescription is the resource-only status_note attribute's description.
const statusNoteDescription = "A note recorded with a status change. When `status` changes and `status_note` is set, " +
	"the provider changes the status through Graph's `updateStatus` action with this note, instead of " +
	"through the update (PATCH) that carries the other changes. Graph does not return the note, so the " +
	"provider keeps the configured value in state: changing only the note changes nothing in Graph and " +
	"never shows a difference after apply, and it is not read back on import. A create sets the status in its " +
	"own request, which carries no note: a plan that creates a task with `status_note` warns that the note is not recorded. " +
	"ASCII characters only: Graph's metadata declares the note non-Unicode."

// ResourceSchema is the entity's resource schema: every row of its table, status_note, and the
// timeouts block.
func (e *Entity) ResourceSchema(ctx context.Context) schema.Schema {
	attrs := map[string]schema.Attribute{
		"status_note": schema.StringAttribute{MarkdownDescription: statusNoteDescription, Optional: true,
			Validators: []validator.String{noteASCII}},
	}
	for i := range e.Table {
		attrs[e.Table[i].Name] = e.Table[i].resourceAttribute()
	}
	return schema.Schema{
		MarkdownDescription: e.Description + "\n\nRequires the Microsoft Graph application permission `" + RequiredPermission + "`.",
		Attributes:          attrs,
		Blocks: map[string]schema.Block{
			"timeouts": resourceTimeoutsBlock(ctx),
		},
	}
}

func (a *Attr) resourceAttribute() schema.Attribute {
	switch {
	case a.Computed:
		s := schema.StringAttribute{MarkdownDescription: a.Doc, Computed: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
		if a.Kind == KindDateTime {
			s.CustomType = timetypes.RFC3339Type{}
		} else {
			s.MarkdownDescription += " Assigned by Graph on creation."
		}
		return s
	case a.Required:
		return schema.StringAttribute{MarkdownDescription: a.Doc + " Must not be empty.", Required: true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)}}
	}
	switch a.Kind {
	case KindDateTime:
		return schema.StringAttribute{
			CustomType: timetypes.RFC3339Type{},
			MarkdownDescription: a.Doc + " For example `2026-12-31T17:00:00-08:00`. " + dateTimeRules +
				fmt.Sprintf(" Graph's `%s` cannot be null: when it is not set Graph holds `%s`, which the provider shows as no value "+
					"(null), and that instant cannot be configured. **Removing it clears it in Graph** (the provider writes `%s` back).",
					a.JSON, UnsetDateTime, UnsetDateTime),
			Optional:      true,
			Validators:    []validator.String{graphDateTime{}, graphPrecision{}, notUnsetDateTime{}},
			PlanModifiers: []planmodifier.String{sameInstant{}},
		}
	case KindEnum:
		return schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("%s Case-sensitive. Graph's property cannot be null. When omitted, Graph's value "+
				"(`%s` for a new task) is shown in state and not managed: **removing it from the configuration keeps the value "+
				"Graph holds**, it does not reset it.", a.Doc, a.Enum.Unset()),
			Optional:      true,
			Computed:      true,
			Validators:    []validator.String{stringvalidator.OneOf(a.Enum.Values...)},
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	case KindInt32:
		return schema.Int32Attribute{
			MarkdownDescription: a.Doc + fmt.Sprintf(" Graph's `%s` cannot be null. When omitted, Graph's value (0 for a new task) "+
				"is shown in state and not managed: **removing it from the configuration keeps the value Graph holds**, it does "+
				"not reset it.", a.JSON),
			Optional:      true,
			Computed:      true,
			Validators:    a.Int32,
			PlanModifiers: []planmodifier.Int32{int32planmodifier.UseStateForUnknown()},
		}
	case KindObjects:
		elem := map[string]schema.Attribute{}
		for i := range a.Elem {
			elem[a.Elem[i].Name] = a.Elem[i].elementAttribute()
		}
		return schema.ListNestedAttribute{
			MarkdownDescription: a.Doc + " Omitting it and an empty list from Graph are the same. " +
				"**Removing it from the configuration clears the list in Graph** (the provider sends `[]`). An element cannot be null.",
			Optional:     true,
			NestedObject: schema.NestedAttributeObject{Attributes: elem},
			// A null element would reach Graph as an object with nothing set and come back as one,
			// which Terraform reports as a provider bug after the apply: refuse it at plan time.
			Validators: []validator.List{listvalidator.NoNullValues()},
		}
	}
	return schema.StringAttribute{
		MarkdownDescription: a.Doc + " **Removing it from the configuration clears it in Graph** (the provider sends `null`).",
		Optional:            true,
	}
}

// dateTimeRules is how every configurable date-time is compared and validated.
const dateTimeRules = "Graph stores the instant and answers in UTC; a value naming the same instant in another offset never " +
	"shows a difference. Fractional seconds are kept, up to Graph's precision of 7 digits (100 ns); more digits are rejected " +
	"at plan time. Graph's `Edm.DateTimeOffset` also limits the offset to `Z` or `-14:00` through `+14:00`, wants a period " +
	"(not a comma) before the fractional seconds, and holds instants from `" + UnsetDateTime + "` to `" + MaxDateTime +
	"` in UTC, written in years 0001 to 9999; anything else is rejected at plan time."

// elementAttribute is a row of a complex value's table in the resource schema.
func (a *Attr) elementAttribute() schema.Attribute {
	switch {
	case a.Kind == KindDateTime:
		return schema.StringAttribute{
			CustomType: timetypes.RFC3339Type{},
			MarkdownDescription: a.Doc + " " + dateTimeRules + fmt.Sprintf(" Graph's `%s` cannot be null: when it is not set Graph "+
				"holds `%s`, which the provider shows as no value (null), and that instant cannot be configured.", a.JSON, UnsetDateTime),
			Optional:      true,
			Validators:    []validator.String{graphDateTime{}, graphPrecision{}, notUnsetDateTime{Meaning: "an unset " + a.JSON}},
			PlanModifiers: []planmodifier.String{sameInstant{}},
		}
	case a.Required:
		return schema.StringAttribute{MarkdownDescription: a.Doc, Required: true}
	}
	return schema.StringAttribute{MarkdownDescription: a.Doc, Optional: true}
}

// DataSourceAttributes is every row of the table as a computed data-source attribute.
func (t Table) DataSourceAttributes() map[string]dsschema.Attribute {
	out := map[string]dsschema.Attribute{}
	for i := range t {
		out[t[i].Name] = t[i].dataSourceAttribute()
	}
	return out
}

func (a *Attr) dataSourceAttribute() dsschema.Attribute {
	switch a.Kind {
	case KindDateTime:
		return dsschema.StringAttribute{MarkdownDescription: a.Doc, Computed: true, CustomType: timetypes.RFC3339Type{}}
	case KindInt32:
		return dsschema.Int32Attribute{MarkdownDescription: a.Doc, Computed: true}
	case KindObjects:
		return dsschema.ListNestedAttribute{
			MarkdownDescription: a.Doc,
			Computed:            true,
			NestedObject:        dsschema.NestedAttributeObject{Attributes: Table(a.Elem).DataSourceAttributes()},
		}
	}
	return dsschema.StringAttribute{MarkdownDescription: a.Doc, Computed: true}
}
