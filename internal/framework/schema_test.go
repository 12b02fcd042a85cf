package framework

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The unset instant is refused wherever a date-time is configured; the detail says what the instant
// stands for: a task's due date, or the date of a complex value's row.
func TestNotUnsetDateTimeMeaning(t *testing.T) {
	cases := []struct {
		v    notUnsetDateTime
		path path.Path
		want string
	}{
		{notUnsetDateTime{}, path.Root("due_date_time"), "For a task without a due date, leave due_date_time out of the configuration."},
		{notUnsetDateTime{Meaning: "an unset lastSeenDateTime"}, path.Root("unmanaged_devices").AtListIndex(1).AtName("last_seen_date_time"),
			"the value Graph holds for an unset lastSeenDateTime (the property cannot be null). For an unset lastSeenDateTime, " +
				"leave unmanaged_devices[1].last_seen_date_time out of the configuration."},
	}
	for _, c := range cases {
		for _, value := range []string{"0001-01-01T00:00:00Z", "0001-01-01T01:00:00.0+01:00"} {
			resp := &validator.StringResponse{}
			c.v.ValidateString(context.Background(), validator.StringRequest{Path: c.path, ConfigValue: types.StringValue(value)}, resp)
			if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary() != `Date-time means "no date" in Graph` ||
				!strings.Contains(resp.Diagnostics[0].Detail(), c.want) {
				t.Errorf("%s = %s: %v", c.path, value, resp.Diagnostics)
			}
		}
		resp := &validator.StringResponse{}
		c.v.ValidateString(context.Background(), validator.StringRequest{Path: c.path, ConfigValue: types.StringValue("0001-01-01T00:00:00.0000001Z")}, resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%s: a real instant refused: %v", c.path, resp.Diagnostics)
		}
	}
}

// A list of complex values refuses a null element at plan time: it would be sent as an object with
// nothing set and read back as one, which Terraform reports as a provider bug after the apply.
func TestObjectsRefuseNullElements(t *testing.T) {
	type kv = interface{ GetName() *string }
	e := &Entity{Table: Table{Objects("items", "items", "Items.", func(any) []kv { return nil },
		String("name", "name", "Name.", kv.GetName))}}
	list, ok := e.ResourceSchema(context.Background()).Attributes["items"].(schema.ListNestedAttribute)
	if !ok {
		t.Fatalf("items is %T", e.ResourceSchema(context.Background()).Attributes["items"])
	}
	et := e.Table[0].ElemType()
	item, _ := types.ObjectValue(et.AttrTypes, map[string]attr.Value{"name": types.StringValue("a")})
	for _, c := range []struct {
		elems []attr.Value
		bad   bool
	}{
		{[]attr.Value{item}, false},
		{[]attr.Value{item, types.ObjectNull(et.AttrTypes)}, true},
	} {
		v, _ := types.ListValue(et, c.elems)
		resp := &validator.ListResponse{}
		for _, lv := range list.ListValidators() {
			lv.ValidateList(context.Background(), validator.ListRequest{Path: path.Root("items"), ConfigValue: v}, resp)
		}
		if resp.Diagnostics.HasError() != c.bad || c.bad && resp.Diagnostics[0].Summary() != "Null List Value" {
			t.Errorf("%v: %v", v, resp.Diagnostics)
		}
	}
}
