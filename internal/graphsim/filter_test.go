package graphsim

import (
	"net/url"
	"strings"
	"testing"
)

// filterFixture seeds five tasks of the three types:
//
//	A  sct  "Alpha"  pending  high  due 2027-01-01T00:00:00Z  creator ann@contoso.com  "Patch it"  count 2
//	B  sct  "Beta"   active   low   due 2027-06-30T23:59:59.5Z  assignedTo bob
//	C  avt  "Gamma"  completed      (due unset)  appName Contoso
//	D  uddt "delta"  rejected
//	E  sct  (null)   pending        description "it's"
func filterFixture(t *testing.T, opts Options) *env {
	e := newEnv(t, opts)
	for _, obj := range []map[string]any{
		{"id": "A", "@odata.type": sctTypeName, "displayName": "Alpha", "status": "pending", "priority": "high",
			"dueDateTime": "2027-01-01T00:00:00Z", "creator": "ann@contoso.com", "description": "Patch it", "managedDeviceCount": 2},
		{"id": "B", "@odata.type": sctTypeName, "displayName": "Beta", "status": "active", "priority": "low",
			"dueDateTime": "2027-06-30T23:59:59.5000000Z", "assignedTo": "bob"},
		{"id": "C", "@odata.type": avtTypeName, "displayName": "Gamma", "status": "completed", "appName": "Contoso"},
		{"id": "D", "@odata.type": uddtTypeName, "displayName": "delta", "status": "rejected"},
		{"id": "E", "@odata.type": sctTypeName, "status": "pending", "description": "it's"},
	} {
		e.srv.Seed(obj)
	}
	return e
}

// filtered GETs the collection with $filter (and more query), following
// every page, and returns the ids in order.
func (e *env) filtered(filter, more string) []string {
	e.t.Helper()
	var ids []string
	next := tasksPath + "?$filter=" + url.QueryEscape(filter) + more
	for next != "" {
		p := e.relPage(next)
		for _, v := range p.Value {
			ids = append(ids, v["id"].(string))
		}
		next = p.Next
	}
	return ids
}

func TestFilterAccepted(t *testing.T) {
	e := filterFixture(t, Options{})
	cases := []struct{ filter, want string }{
		{"displayName eq 'Alpha'", "A"},
		{"displayName ne 'Alpha'", "B,C,D,E"}, // null ne 'Alpha'
		{"'Alpha' eq displayName", "A"},
		{"displayName eq null", "E"},
		{"displayName ne null", "A,B,C,D"},
		{"null eq displayName", "E"},
		{"displayName gt 'B'", "B,C,D"}, // ordinal: 'd' > 'B'; null is never ordered
		{"displayName lt 'a'", "A,B,C"},
		{"displayName ge 'Beta' and displayName le 'Gamma'", "B,C"},
		{"description eq 'it''s'", "E"},
		{"id eq 'C'", "C"},
		{"status eq 'pending'", "A,E"},
		{"status eq microsoft.graph.deviceAppManagementTaskStatus'active'", "B"},
		{"'active' eq status", "B"},
		{"status gt 'active'", "C,D"}, // by the members' values
		{"status ne 'pending' and status le 'completed'", "B,C"},
		{"priority eq 'high' or priority eq 'low'", "A,B"},
		{"category eq 'unknown'", "A,B,C,D,E"},
		{"dueDateTime eq 2027-01-01T01:00:00+01:00", "A"},
		{"dueDateTime eq 2026-12-31T19:00-05:00", "A"},
		{"dueDateTime ge 2027-06-30T23:59:59.5000000Z", "B"},
		{"dueDateTime gt 2027-06-30T23:59:59.4999999Z", "B"},
		{"dueDateTime lt 2027-03-01T00:00:00Z", "A,C,D,E"}, // unset is 0001-01-01
		{"dueDateTime gt 0001-01-01T00:00:00Z", "A,B"},
		{"dueDateTime eq 0001-01-01T00:00:00Z", "C,D,E"},
		{"createdDateTime gt 2020-01-01T00:00:00Z", "A,B,C,D,E"},
		{"startswith(displayName,'A')", "A"},
		{"startswith(displayName,'a')", ""}, // case-sensitive
		{"startswith(displayName, 'Al') eq true", "A"},
		{"endswith(creator,'@contoso.com')", "A"},
		{"contains(description,'it')", "A,E"},
		{"contains(displayName,'ta')", "B,D"},
		{"not contains(displayName,'ta')", "A,C"}, // null stays unknown
		{"isof('microsoft.graph.securityConfigurationTask')", "A,B,E"},
		{"isof('microsoft.graph.deviceAppManagementTask')", "A,B,C,D,E"},
		{"not isof('microsoft.graph.securityConfigurationTask')", "C,D"},
		{"isof('microsoft.graph.appVulnerabilityTask') or isof('microsoft.graph.unmanagedDeviceDiscoveryTask')", "C,D"},
		{"microsoft.graph.appVulnerabilityTask/appName eq 'Contoso'", "C"},
		{"microsoft.graph.appVulnerabilityTask/appName eq null", "A,B,D,E"}, // a cast to another type is null
		{"microsoft.graph.securityConfigurationTask/managedDeviceCount ge 2", "A"},
		{"microsoft.graph.securityConfigurationTask/managedDeviceCount eq 0", "B,E"},
		{"not (displayName eq 'Alpha') and status eq 'pending'", "E"},   // null eq 'Alpha' is false, not null
		{"not startswith(displayName,'A') and status eq 'pending'", ""}, // a function of null is null, and so is not null
		{"not (status eq 'pending')", "B,C,D"},
		{"(status eq 'pending' or status eq 'active') and startswith(displayName,'B')", "B"},
		{"status eq 'pending' and (displayName eq null or displayName eq 'Alpha')", "A,E"},
		{"true", "A,B,C,D,E"},
		{"false", ""},
		{"null eq null", "A,B,C,D,E"},
		{"  displayName   eq\t'Alpha'  ", "A"},
	}
	for _, c := range cases {
		if got := strings.Join(e.filtered(c.filter, ""), ","); got != c.want {
			t.Errorf("%s: %q, want %q", c.filter, got, c.want)
		}
	}
	// A value planted outside the enum is compared by name, never ordered.
	e.srv.SetRaw("D", "status", "inReview")
	if got := strings.Join(e.filtered("status gt 'unknown'", ""), ","); got != "A,B,C,E" {
		t.Errorf("planted enum: %q", got)
	}
	// SetRaw can plant a value of another JSON type: it equals nothing, not
	// even null.
	e.srv.SetRaw("A", "displayName", 42)
	if got := strings.Join(e.filtered("displayName eq null or startswith(displayName,'A') or displayName eq 'Alpha'", ""), ","); got != "E" {
		t.Errorf("planted number: %q", got)
	}
	if got := strings.Join(e.filtered("displayName ne null", ""), ","); got != "A,B,C,D" {
		t.Errorf("planted number, ne null: %q", got)
	}
}

// The filter is applied before paging, carried in the nextLinks, and counted
// by $count=true and /$count.
func TestFilterPagingAndCount(t *testing.T) {
	e := filterFixture(t, Options{PageSize: 1})
	filter := "status eq 'pending' or dueDateTime eq 2027-06-30T23:59:59.5+00:00"
	first := e.relPage(tasksPath + "?$filter=" + url.QueryEscape(filter) + "&$count=true")
	if first.Count == nil || *first.Count != 3 || len(first.Value) != 1 || first.Value[0]["id"] != "A" {
		t.Fatalf("first page %+v", first)
	}
	u, err := url.Parse(first.Next)
	if err != nil || u.Query().Get("$filter") != filter || u.Query().Get("$skiptoken") == "" {
		t.Fatalf("nextLink %q", first.Next)
	}
	if got := strings.Join(e.filtered(filter, "&$top=1&$select=id"), ","); got != "A,B,E" {
		t.Fatalf("pages: %q", got)
	}
	for f, want := range map[string]string{filter: "3", "isof('microsoft.graph.appVulnerabilityTask')": "1", "false": "0"} {
		resp, b := e.do("GET", tasksPath+"/$count?$filter="+url.QueryEscape(f), nil)
		if resp.StatusCode != 200 || string(b) != want {
			t.Errorf("$count %s: %d %s", f, resp.StatusCode, b)
		}
	}
	if resp, b := e.do("GET", tasksPath+"/$count?$filter="+url.QueryEscape("foo eq 1"), nil); resp.StatusCode != 400 ||
		graphErr(t, b).Error.Message != "Could not find a property named 'foo' on type 'microsoft.graph.deviceAppManagementTask'." {
		t.Errorf("$count bad filter: %d %s", resp.StatusCode, b)
	}
	// The dollar is optional on beta, like for the other options.
	if ids := e.relPage(tasksPath + "?filter=" + url.QueryEscape("id eq 'D'")); len(ids.Value) != 1 {
		t.Errorf("filter without $: %+v", ids)
	}
	// Faults that shape lists still apply under a filter.
	e.srv.SetFaults(Faults{ListLag: 1 << 40})
	if got := e.filtered("true", ""); len(got) != 0 {
		t.Errorf("ListLag with a filter: %v", got)
	}
}

// What the evaluator refuses: ODataLib's own messages for what ODataLib
// refuses, positions counted as ODataLib counts them, and the emulator's for
// what the subset leaves out.
func TestFilterRefused(t *testing.T) {
	e := filterFixture(t, Options{})
	cases := []struct{ filter, msg string }{
		// Shapes of real ODataLib answers from Graph: "Invalid filter clause:
		// Syntax error at position 17 in 'jobtitle ge '!' , accountenabled eq
		// true'." (microsoftgraph/microsoft-graph-explorer-v4#3227; the
		// directory's Graph adds the prefix), and "The $filter expression must
		// evaluate to a single boolean value." (microsoftgraph/msgraph-sdk-android#29).
		{"jobtitle ge '!' , accountenabled eq true", "Syntax error at position 17 in 'jobtitle ge '!' , accountenabled eq true'."},
		{"displayName", "The $filter expression must evaluate to a single boolean value."},
		{"status", "The $filter expression must evaluate to a single boolean value."},

		// The lexer.
		{"displayName eq 'x", "There is an unterminated string literal at position 17 in 'displayName eq 'x'."},
		{"displayName eq 'it''s", "There is an unterminated string literal at position 21 in 'displayName eq 'it''s'."},
		{"displayName eq #", "Syntax error: character '#' is not valid at position 15 in 'displayName eq #'."},
		{"displayName eq \"x\"", "Syntax error: character '\"' is not valid at position 15 in 'displayName eq \"x\"'."},

		// The parser.
		{"displayName eq 'x' and", "Expression expected at position 22 in 'displayName eq 'x' and'."},
		{"displayName eq", "Expression expected at position 14 in 'displayName eq'."},
		{"displayName eq 'x' foo", "Syntax error at position 22 in 'displayName eq 'x' foo'."},
		{"displayName EQ 'x'", "Syntax error at position 14 in 'displayName EQ 'x''."},
		{"(displayName eq 'x'", "')' or operator expected at position 19 in '(displayName eq 'x''."},
		{"startswith(displayName 'x')", "')' or ',' expected at position 23 in 'startswith(displayName 'x')'."},
		// As in ODataLib, keywords are identifiers where a name may stand: this is the property 'eq'.
		{"microsoft.graph.appVulnerabilityTask/ eq 'x'", "Syntax error at position 44 in 'microsoft.graph.appVulnerabilityTask/ eq 'x''."},
		{"microsoft.graph.appVulnerabilityTask/ 'x'", "Syntax error at position 41 in 'microsoft.graph.appVulnerabilityTask/ 'x''."},
		{"dueDateTime gt 2027-13-01T00:00:00Z", "Unrecognized 'Edm.DateTimeOffset' literal '2027-13-01T00:00:00Z' at '15' in 'dueDateTime gt 2027-13-01T00:00:00Z'."},
		// A '+' the client did not encode is a space.
		{"dueDateTime eq 2027-01-01T01:00:00 01:00", "Syntax error at position 28 in 'dueDateTime eq 2027-01-01T01:00:00 01:00'."},

		// The binder: properties, types, functions.
		{"foo eq 'x'", "Could not find a property named 'foo' on type 'microsoft.graph.deviceAppManagementTask'."},
		{"DisplayName eq 'x'", "Could not find a property named 'DisplayName' on type 'microsoft.graph.deviceAppManagementTask'."},
		{"appName eq 'Contoso'", "Could not find a property named 'appName' on type 'microsoft.graph.deviceAppManagementTask'."},
		{"microsoft.graph.appVulnerabilityTask/foo eq 1", "Could not find a property named 'foo' on type 'microsoft.graph.appVulnerabilityTask'."},
		{"displayName/length eq 1", "Could not find a property named 'length' on type 'Edm.String'."},
		{"microsoft.graph.foo/bar eq 1", "The child type 'microsoft.graph.foo' in a cast was not an entity type. Casts can only be performed on entity types."},
		{"microsoft.graph.vulnerableManagedDevice/displayName eq 'x'", "Encountered invalid type cast. 'microsoft.graph.vulnerableManagedDevice' is not assignable from 'microsoft.graph.deviceAppManagementTask'."},
		{"status eq 3", "A binary operator with incompatible types was detected. Found operand types 'microsoft.graph.deviceAppManagementTaskStatus' and 'Edm.Int32' for operator kind 'Equal'."},
		{"dueDateTime eq 'x'", "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'Equal'."},
		{"dueDateTime gt 2027-01-01", "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.Date' for operator kind 'GreaterThan'."},
		{"displayName lt 5", "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'LessThan'."},
		{"status eq priority", "A binary operator with incompatible types was detected. Found operand types 'microsoft.graph.deviceAppManagementTaskStatus' and 'microsoft.graph.deviceAppManagementTaskPriority' for operator kind 'Equal'."},
		{"status eq microsoft.graph.deviceAppManagementTaskPriority'high'", "A binary operator with incompatible types was detected. Found operand types 'microsoft.graph.deviceAppManagementTaskStatus' and 'microsoft.graph.deviceAppManagementTaskPriority' for operator kind 'Equal'."},
		{"displayName eq 'x' and status", "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'microsoft.graph.deviceAppManagementTaskStatus' for operator kind 'And'."},
		{"displayName or true", "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Boolean' for operator kind 'Or'."},
		{"not displayName eq 'x'", "A unary operator with an incompatible type was detected. Found operand type 'Edm.String' for operator kind 'Not'."},
		{"status eq 'inReview'", "The string 'inReview' is not a valid enumeration type constant."},
		{"status eq 'Pending'", "The string 'Pending' is not a valid enumeration type constant."},
		{"microsoft.graph.securityConfigurationTask/intendedSettings eq null", "The operand for a binary operator 'Equal' is not a single value. Binary operators require both operands to be single values."},
		{"microsoft.graph.securityConfigurationTask/managedDevices eq null", "The operand for a binary operator 'Equal' is not a single value. Binary operators require both operands to be single values."},
		{"microsoft.graph.securityConfigurationTask/intendedSettings/name eq 'x'", "The parent value for a property access of a property 'name' is not a single value. Property access can only be applied to a single value."},
		{"foo(displayName)", "An unknown function with name 'foo' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed."},
		{"StartsWith(displayName,'A')", "An unknown function with name 'StartsWith' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed."},
		{"startswith(status,'p')", "No function signature for the function with name 'startswith' matches the specified arguments. The function signatures considered are: startswith(Edm.String Nullable=true, Edm.String Nullable=true)."},
		{"contains(displayName)", "No function signature for the function with name 'contains' matches the specified arguments. The function signatures considered are: contains(Edm.String Nullable=true, Edm.String Nullable=true)."},
		{"endswith(displayName,1)", "No function signature for the function with name 'endswith' matches the specified arguments. The function signatures considered are: endswith(Edm.String Nullable=true, Edm.String Nullable=true)."},
		{"isof('microsoft.graph.foo')", "Cast or IsOf Function must have a type in its arguments."},
		{"isof(displayName)", "Cast or IsOf Function must have a type in its arguments."},
		{"isof()", "The Cast or IsOf expression has an invalid number of operands: number of operands is '0' and it should be 1 or 2."},

		// What ODataLib accepts and the subset does not evaluate.
		{"microsoft.graph.securityConfigurationTask/managedDeviceCount add 1 eq 2", "Invalid filter clause: the arithmetic operator 'add' at position 61 in 'microsoft.graph.securityConfigurationTask/managedDeviceCount add 1 eq 2' is not supported."},
		{"-1 mul 2 eq -2", "Invalid filter clause: the arithmetic operator 'mul' at position 3 in '-1 mul 2 eq -2' is not supported."},
		{"-displayName eq 'x'", "Invalid filter clause: the arithmetic operator '-' at position 0 in '-displayName eq 'x'' is not supported."},
		{"status has 'pending'", "Invalid filter clause: the operator 'has' at position 7 in 'status has 'pending'' is not supported."},
		{"status in ('pending','active')", "Invalid filter clause: the operator 'in' at position 7 in 'status in ('pending','active')' is not supported."},
		{"microsoft.graph.securityConfigurationTask/intendedSettings/any(s:s/name eq 'x')", "Invalid filter clause: the lambda operator 'any' at position 59 in 'microsoft.graph.securityConfigurationTask/intendedSettings/any(s:s/name eq 'x')' is not supported."},
		{"microsoft.graph.unmanagedDeviceDiscoveryTask/unmanagedDevices/all(d:d/os eq 'Linux')", "Invalid filter clause: the lambda operator 'all' at position 62 in 'microsoft.graph.unmanagedDeviceDiscoveryTask/unmanagedDevices/all(d:d/os eq 'Linux')' is not supported."},
		{"tolower(displayName) eq 'alpha'", "Invalid filter clause: the function 'tolower' at position 0 in 'tolower(displayName) eq 'alpha'' is not supported."},
		{"isof(displayName,'Edm.String')", "Invalid filter clause: isof with two arguments at position 0 in 'isof(displayName,'Edm.String')' is not supported."},
	}
	for _, c := range cases {
		f := c.filter
		resp, b := e.do("GET", tasksPath+"?$filter="+url.QueryEscape(f), nil)
		if resp.StatusCode != 400 {
			t.Errorf("%s: %d %s", f, resp.StatusCode, b)
			continue
		}
		if ge := graphErr(t, b); ge.Error.Code != "BadRequest" || ge.Error.Message != c.msg {
			t.Errorf("%s:\n got %s\nwant %s", f, ge.Error.Message, c.msg)
		}
	}
	// Positions count characters, as .NET's strings do (UTF-16 code units,
	// which for this text are its characters), not bytes.
	if _, err := parseFilter("displayName eq 'Æble' foo"); err == nil || err.msg != "Syntax error at position 25 in 'displayName eq 'Æble' foo'." {
		t.Errorf("rune positions: %v", err)
	}
}
