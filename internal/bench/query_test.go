package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

func TestListPagesAndFloor(t *testing.T) {
	for _, c := range []struct{ total, size, pages int }{
		{0, 100, 1}, // an empty collection still takes one request
		{1, 100, 1},
		{100, 100, 1}, // a full last page has no nextLink after it
		{101, 100, 2},
		{1100, 100, 11},
		{5500, 100, 55},
	} {
		if got := listPages(c.total, c.size); got != c.pages {
			t.Errorf("listPages(%d, %d) = %d, want %d", c.total, c.size, got, c.pages)
		}
	}
	if got := pagingFloor(5500, 100, 30*time.Millisecond); got != 1650*time.Millisecond {
		t.Errorf("pagingFloor(5500, 100, 30ms) = %s, want 1.65s", got)
	}
	if got := (QueryResult{Wall: 3300 * time.Millisecond, Floor: 1650 * time.Millisecond}).Ratio(); got != 2 {
		t.Errorf("Ratio = %v, want 2", got)
	}
}

func TestQueryTenant(t *testing.T) {
	for _, n := range []int{0, 9, 10, 1000, 5000} {
		tenant := queryTenant(n)
		types := map[string]int{}
		names := map[string]bool{}
		for _, task := range tenant {
			types[task["@odata.type"].(string)]++
			names[task["displayName"].(string)] = true
		}
		others := n / otherTaskEvery
		if len(tenant) != n+others || types["#microsoft.graph.securityConfigurationTask"] != n ||
			types["#microsoft.graph.appVulnerabilityTask"] != (others+1)/2 || types["#microsoft.graph.unmanagedDeviceDiscoveryTask"] != others/2 {
			t.Errorf("queryTenant(%d): %d tasks, types %v", n, len(tenant), types)
		}
		if len(names) != len(tenant) {
			t.Errorf("queryTenant(%d): display names repeat", n)
		}
	}
	// The other types are spread over every page, not gathered at the end.
	tenant := queryTenant(1000)
	for page := 0; page*graphPageSize < len(tenant); page++ {
		other := 0
		for _, task := range tenant[page*graphPageSize : min(len(tenant), (page+1)*graphPageSize)] {
			if task["@odata.type"] != "#microsoft.graph.securityConfigurationTask" {
				other++
			}
		}
		if other == 0 {
			t.Errorf("page %d holds only security configuration tasks", page+1)
		}
	}
}

func TestQueryConfig(t *testing.T) {
	got := queryConfig(5000, true)
	for _, want := range []string{`list "intune_security_configuration_task" "all" {`, "provider = intune", "limit    = 5000", "include_resource = true"} {
		if !strings.Contains(got, want) {
			t.Errorf("query config lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(queryConfig(1000, false), "include_resource") {
		t.Error("the identities-only config sets include_resource")
	}
}

func TestQueryCounts(t *testing.T) {
	out := `{"@level":"warn","@message":"Warning: Provider development overrides are in effect","type":"diagnostic"}
{"@level":"info","type":"list_start","list_start":{"address":"list.intune_security_configuration_task.all"}}
{"@level":"info","type":"list_resource_found","list_resource_found":{"address":"list.intune_security_configuration_task.all","display_name":"a","identity":{"id":"1"},"resource_object":{"id":"1","status":"pending"}}}
{"@level":"info","type":"list_resource_found","list_resource_found":{"address":"list.intune_security_configuration_task.all","display_name":"b","identity":{"id":"2"}}}
not json: a line terraform wrote to stderr
{"@level":"info","type":"list_complete","list_complete":{"address":"list.intune_security_configuration_task.all","total":2}}
`
	found, withResource, reported := queryCounts([]byte(out))
	if found != 2 || withResource != 1 || reported != 2 {
		t.Errorf("queryCounts = %d, %d, %d; want 2, 1, 2", found, withResource, reported)
	}
	if _, _, reported := queryCounts([]byte("{}\n")); reported != -1 {
		t.Errorf("without list_complete the reported total is %d, want -1", reported)
	}
}

func TestVersionAtLeast(t *testing.T) {
	for line, want := range map[string]bool{
		"Terraform v1.15.9":       true,
		"Terraform v1.14.0":       true,
		"Terraform v1.14.0-beta2": true,
		"Terraform v2.0.0":        true,
		"Terraform v1.11.4":       false,
		"Terraform v1.9.8":        false,
		"OpenTofu v1.11.0":        false,
		"":                        false,
	} {
		if got := versionAtLeast(line, queryMinVersion); got != want {
			t.Errorf("versionAtLeast(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestQueryTerraformMissing(t *testing.T) {
	_, why := queryTerraform(t.Context(), "/nonexistent/terraform-1.15.9")
	if !strings.Contains(why, "no Terraform at /nonexistent/terraform-1.15.9") || !strings.Contains(why, "make terraform-latest") {
		t.Errorf("why = %q", why)
	}
}

func TestReportQuery(t *testing.T) {
	r := &Results{Config: Config{QueryNs: []int{1000}, Latency: 30 * time.Millisecond}, Date: time.Date(2026, 11, 30, 5, 0, 0, 0, time.UTC),
		QueryTerraform: "Terraform v1.15.9"}
	for _, inc := range []bool{false, true} {
		q := QueryResult{N: 1000, Total: 1100, IncludeResource: inc, PageSize: 100, Pages: 11, Floor: 330 * time.Millisecond,
			Wall: 2 * time.Second, Found: 1000, Reported: 1000, EmulatorPage: 30 * time.Millisecond, Calls: Calls{List: 11, Token: 2}, PeakRSS: 80 << 10, Command: "terraform query -json"}
		if inc {
			q.WithResource = 1000
		}
		r.Query = append(r.Query, q)
	}
	md := markdown(r)
	for _, want := range []string{
		"| `terraform query`, N=1000: list requests = pages = ceil(1100 tasks / 100 per page) = 11 | 11 (identities only), 11 (`include_resource = true`) | yes |",
		"| `terraform query`, N=1000: results = N | 1000 (identities only), 1000 (`include_resource = true`, 1000 with the resource) | yes |",
		"| 1000 | 1100 | identities only | 2.00 s | 0.33 s | 6.1 | 11 | 11 | 0.00 s / 0.00 s | 0.33 s (11 x 30 ms) | 0 | 2 | 1000 | 0 | 80 MB |",
		"| Terraform for `terraform query` (`TF_LATEST`) | Terraform v1.15.9 |",
		`BENCH_QUERY_N="1000"`,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("RESULTS.md lacks %q", want)
		}
	}

	// One request too many, or a result short, is a missed goal.
	r.Query[1].Calls.List, r.Query[0].Found = 12, 999
	md = markdown(r)
	for _, want := range []string{"11 (identities only), 12 (`include_resource = true`) | **no** |", "999 (identities only), 1000 (`include_resource = true`, 1000 with the resource) | **no** |"} {
		if !strings.Contains(md, want) {
			t.Errorf("RESULTS.md lacks %q", want)
		}
	}

	// Without a Terraform >= 1.14 the phase says why, in its section and in the goals.
	skipped := &Results{Config: Config{QueryNs: []int{1000, 5000}}, QuerySkipped: "no Terraform at /x (TF_LATEST)"}
	md = markdown(skipped)
	for _, want := range []string{"Not measured in this run: no Terraform at /x (TF_LATEST).", "| not measured: no Terraform at /x (TF_LATEST) | not measured |"} {
		if !strings.Contains(md, want) {
			t.Errorf("RESULTS.md lacks %q", want)
		}
	}
}

func TestListSpan(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 5, 0, 0, 0, time.UTC)
	reqs := []graphsim.LoggedRequest{
		{Method: "POST", Route: graphsim.RouteToken, Time: t0.Add(100 * time.Millisecond)},
		{Method: "GET", Route: graphsim.RouteTasks, Time: t0.Add(400 * time.Millisecond)},
		{Method: "GET", Route: graphsim.RouteTasks, Time: t0.Add(450 * time.Millisecond)},
		{Method: "POST", Route: graphsim.RouteTasks, Time: t0.Add(900 * time.Millisecond)}, // a create is no page
		{Method: "GET", Route: graphsim.RouteTasks, Time: t0.Add(500 * time.Millisecond)},
	}
	first, last := listSpan(reqs, t0)
	if first != 400*time.Millisecond || last != 500*time.Millisecond {
		t.Errorf("listSpan = %s, %s; want 400ms, 500ms", first, last)
	}
}
