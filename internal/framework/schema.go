package framework

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
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
		attrs[e.Table[i].name] = e.Table[i].kind.resourceAttribute(&e.Table[i])
	}
	return schema.Schema{
		MarkdownDescription: e.Description + "\n\nRequires the Microsoft Graph application permission `" + RequiredPermission + "`.",
		Attributes:          attrs,
		Blocks: map[string]schema.Block{
			"timeouts": resourceTimeoutsBlock(ctx),
		},
	}
}

// dateTimeRules is how every configurable date-time is compared and validated.
const dateTimeRules = "Graph stores the instant and answers in UTC; a value naming the same instant in another offset never " +
	"shows a difference. Fractional seconds are kept, up to Graph's precision of 7 digits (100 ns); more digits are rejected " +
	"at plan time. Graph's `Edm.DateTimeOffset` also limits the offset to `Z` or `-14:00` through `+14:00`, wants a period " +
	"(not a comma) before the fractional seconds, and holds instants from `" + UnsetDateTime + "` to `" + MaxDateTime +
	"` in UTC, written in years 0001 to 9999; anything else is rejected at plan time."

// DataSourceAttributes is every row of the table as a computed data-source attribute.
func (t Table) DataSourceAttributes() map[string]dsschema.Attribute {
	out := map[string]dsschema.Attribute{}
	for i := range t {
		out[t[i].name] = t[i].kind.dataSourceAttribute(&t[i])
	}
	return out
}

// RemovalTable is the docs' table of what removing each optional attribute does, one line per
// kind of removal, in the table's order: generated from the kinds (Removal), so the docs cannot
// drift from what Expand sends.
func (t Table) RemovalTable() string {
	var b strings.Builder
	b.WriteString("| attributes | when removed from the configuration |\n|---|---|\n")
	for _, r := range []Removal{RemovalSendsNull, RemovalWritesUnset, RemovalSendsEmptyList, RemovalKeeps} {
		var names []string
		for i := range t {
			if a := &t[i]; !a.computed && !a.required && a.Removal() == r {
				names = append(names, "`"+a.name+"`")
			}
		}
		if len(names) > 0 {
			fmt.Fprintf(&b, "| %s | %s |\n", strings.Join(names, ", "), r.Markdown())
		}
	}
	return b.String()
}
