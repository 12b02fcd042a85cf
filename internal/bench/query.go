package bench

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// graphPageSize is how many tasks the emulator serves per page of the collection. Graph documents
// no page size for deviceAppManagementTasks; 100 is the emulator's default and a common Graph
// default, and it is an assumption: another size changes the page count and the floor in proportion.
const graphPageSize = 100

// otherTaskEvery is how many security configuration tasks the query tenant holds per task of the
// collection's other two types (appVulnerabilityTask, unmanagedDeviceDiscoveryTask, alternating),
// which the list resource must page through and skip.
const otherTaskEvery = 10

// queryMinVersion is the first Terraform with list blocks and `terraform query`.
var queryMinVersion = [2]int{1, 14}

// QueryResult is one `terraform query` over a tenant of N security configuration tasks.
type QueryResult struct {
	N               int
	Total           int // tasks in the collection, other types included
	IncludeResource bool
	PageSize        int
	Latency         time.Duration
	Pages           int // ceil(Total / PageSize): the list requests one full read takes
	Floor           time.Duration
	Command         string
	Wall            time.Duration
	Exit            int
	Calls           Calls
	Found           int // list_resource_found messages
	WithResource    int // of them, those carrying the resource object
	Reported        int // the total of terraform's list_complete message; -1 when it sent none
	PeakRSS         int64
	Plugins         int
	Seeded          time.Duration // how long seeding the emulator took (not part of Wall)
	// EmulatorPage is the emulator's own time per page at this size, without latency
	// (emulatorPageCost); 0 when it could not be measured.
	EmulatorPage time.Duration
	// FirstList and LastList are when the first and the last list request reached the emulator,
	// from the start of the command: before the first, terraform and the provider start; after
	// the last page, the results travel to terraform and out.
	FirstList, LastList time.Duration
}

// Ratio is wall time over the paging floor.
func (q QueryResult) Ratio() float64 {
	if q.Floor <= 0 {
		return 0
	}
	return float64(q.Wall) / float64(q.Floor)
}

// ListBlock names the list block's variant for the report.
func (q QueryResult) ListBlock() string {
	if q.IncludeResource {
		return "`include_resource = true`"
	}
	return "identities only"
}

// listPages is how many list requests reading a collection of total items takes at pageSize per
// page: a page per pageSize items, and one request even for an empty collection.
func listPages(total, pageSize int) int {
	return max(1, ceilDiv(total, pageSize))
}

// pagingFloor is what the added latency alone costs a full read: the pages follow each other's
// @odata.nextLink, so they cannot overlap.
func pagingFloor(total, pageSize int, latency time.Duration) time.Duration {
	return time.Duration(listPages(total, pageSize)) * latency
}

// queryTenant is what the query phase seeds, in creation order (which is the paging order): n
// security configuration tasks as Defender raises them, and after every otherTaskEvery of them one
// task of another type, so that every page mixes them.
func queryTenant(n int) []map[string]any {
	statuses := []string{"pending", "active", "completed", "rejected", "unknown"}
	priorities := []string{"high", "low", "none"}
	out := make([]map[string]any, 0, n+n/otherTaskEvery)
	others := 0
	for i := range n {
		out = append(out, map[string]any{
			"@odata.type":                   "#microsoft.graph.securityConfigurationTask",
			"displayName":                   fmt.Sprintf("tf-bench-query-%05d", i),
			"description":                   "Defender found devices without real-time protection",
			"creator":                       "defender@contoso.com",
			"category":                      "advancedThreatProtection",
			"priority":                      priorities[i%len(priorities)],
			"status":                        statuses[i%len(statuses)],
			"dueDateTime":                   "2027-06-30T17:00:00Z",
			"endpointSecurityPolicy":        "antivirus",
			"applicablePlatform":            "windows10AndLater",
			"endpointSecurityPolicyProfile": "antivirus",
			"insights":                      "12 devices",
			"managedDeviceCount":            12,
			"intendedSettings":              []any{map[string]any{"name": "RealTimeProtection", "value": "enabled"}},
		})
		if (i+1)%otherTaskEvery != 0 {
			continue
		}
		other := map[string]any{"displayName": fmt.Sprintf("tf-bench-query-other-%05d", others), "status": "pending", "priority": "high"}
		if others%2 == 0 {
			other["@odata.type"] = "#microsoft.graph.appVulnerabilityTask"
			other["appName"] = "Contoso Reader"
		} else {
			other["@odata.type"] = "#microsoft.graph.unmanagedDeviceDiscoveryTask"
		}
		out = append(out, other)
		others++
	}
	return out
}

// providerConfig is the main.tf beside the query file: the provider, configured from ARM_*.
const providerConfig = `terraform {
  required_providers {
    intune = {
      source = "terraform-intune/intune"
    }
  }
}

provider "intune" {}
`

// listSpan is when the first and the last GET of the collection arrived, counted from start.
func listSpan(reqs []graphsim.LoggedRequest, start time.Time) (first, last time.Duration) {
	seen := false
	for _, q := range reqs {
		if q.Route != graphsim.RouteTasks || q.Method != http.MethodGet {
			continue
		}
		at := q.Time.Sub(start)
		if !seen {
			first, seen = at, true
		}
		first, last = min(first, at), max(last, at)
	}
	return first, last
}

// queryConfig is the .tfquery.hcl of the phase. Terraform returns at most `limit` results per list
// block, 100 unless set, so the block asks for all n.
func queryConfig(n int, includeResource bool) string {
	inc := ""
	if includeResource {
		inc = "\n  include_resource = true"
	}
	return fmt.Sprintf(`list "intune_security_configuration_task" "all" {
  provider = intune
  limit    = %d%s
}
`, n, inc)
}

// queryCounts reads the output of `terraform query -json`: how many results it reported, how many
// of them carry the resource object, and the total of its list_complete message (-1 if none).
func queryCounts(out []byte) (found, withResource, reported int) {
	reported = -1
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(make([]byte, 0, 1<<16), 16<<20)
	for sc.Scan() {
		var msg struct {
			Type  string `json:"type"`
			Found struct {
				ResourceObject map[string]json.RawMessage `json:"resource_object"`
			} `json:"list_resource_found"`
			Complete struct {
				Total int `json:"total"`
			} `json:"list_complete"`
		}
		if json.Unmarshal(sc.Bytes(), &msg) != nil {
			continue
		}
		switch msg.Type {
		case "list_resource_found":
			found++
			if len(msg.Found.ResourceObject) > 0 {
				withResource++
			}
		case "list_complete":
			reported = max(reported, 0) + msg.Complete.Total
		}
	}
	return found, withResource, reported
}

// terraformVersion matches the first line of `terraform version`.
var terraformVersion = regexp.MustCompile(`^Terraform v(\d+)\.(\d+)\.(\d+)\S*`)

// queryTerraform checks that bin is a Terraform recent enough for `terraform query`. It returns the
// first line of its `terraform version`, and why the phase cannot run ("" when it can).
func queryTerraform(ctx context.Context, bin string) (version, why string) {
	const get = "`make terraform-latest` builds one, or pass `TF_LATEST=/path/to/terraform`"
	if bin == "" {
		return "", "no Terraform >= 1.14 was given (-terraform-latest); " + get
	}
	if fi, err := os.Stat(bin); err != nil || fi.IsDir() {
		return "", fmt.Sprintf("no Terraform at %s (TF_LATEST); %s", bin, get)
	}
	cmd := exec.CommandContext(ctx, bin, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+os.DevNull)
	out, err := cmd.Output()
	version = strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
	if err != nil {
		return version, fmt.Sprintf("%s version failed: %v; %s", bin, err, get)
	}
	if !versionAtLeast(version, queryMinVersion) {
		return version, fmt.Sprintf("%s is %q; `terraform query` needs Terraform %d.%d or later; %s", bin, version,
			queryMinVersion[0], queryMinVersion[1], get)
	}
	return version, ""
}

// versionAtLeast reports whether a `terraform version` line names Terraform least[0].least[1] or later.
func versionAtLeast(line string, least [2]int) bool {
	m := terraformVersion.FindStringSubmatch(line)
	if m == nil {
		return false
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	return major > least[0] || major == least[0] && minor >= least[1]
}

// seedQuery empties the emulator and seeds it with the query tenant of n security tasks.
func (r *runner) seedQuery(n int) (total int, took time.Duration) {
	r.sim.Reset()
	start := time.Now()
	tenant := queryTenant(n)
	for _, t := range tenant {
		r.sim.Seed(t)
	}
	return len(tenant), time.Since(start)
}

// emulatorPageCost is the median time the emulator itself takes to answer one page of the
// collection as it now stands, with no latency added, asked for from this process over TLS (the
// emulator's CA verified) with a token it minted. It grows with the collection, as the emulator
// reads the whole store for each page, and it is part of every query's wall time above the floor.
func (r *runner) emulatorPageCost(ctx context.Context) (time.Duration, error) {
	pem, err := os.ReadFile(r.sim.CAFile())
	if err != nil {
		return 0, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return 0, fmt.Errorf("no certificate in %s", r.sim.CAFile())
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	defer client.CloseIdleConnections()
	token, _ := r.sim.MintToken(r.sim.Options().ClientID)
	get := func() (time.Duration, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.sim.URL()+tasksPath, nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s: %s", tasksPath, resp.Status)
		}
		return time.Since(start), err
	}
	if _, err := get(); err != nil { // the TLS handshake is not the page's cost
		return 0, err
	}
	const runs = 5
	d, err := median(runs, get)
	// The emulator logs an exchange after its last byte is sent, so the client can be done first:
	// wait for all of them, so that none lands in the log of the query that follows.
	for deadline := time.Now().Add(5 * time.Second); r.sim.Count(http.MethodGet, graphsim.RouteTasks) < 1+runs && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	r.sim.ResetLog()
	return d, err
}

// tasksPath is the collection the list resource pages through.
const tasksPath = "/beta/deviceAppManagement/deviceAppManagementTasks"

// query runs `terraform query -json` with tf over the tenant seedQuery made, through the
// dev_overrides provider, with the scale phase's latency added to every Graph call.
func (r *runner) query(ctx context.Context, tf string, n, total int, seeded, emulatorPage time.Duration, includeResource bool) (QueryResult, error) {
	res := QueryResult{N: n, Total: total, IncludeResource: includeResource, PageSize: graphPageSize, Latency: r.cfg.Latency,
		Pages: listPages(total, graphPageSize), Floor: pagingFloor(total, graphPageSize, r.cfg.Latency), Seeded: seeded,
		EmulatorPage: emulatorPage, Reported: -1}
	name := fmt.Sprintf("query-%d", n)
	if includeResource {
		name += "-resource"
	}
	dir := filepath.Join(r.tmp, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(providerConfig), 0o644); err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(dir, "all.tfquery.hcl"), []byte(queryConfig(n, includeResource)), 0o644); err != nil {
		return res, err
	}
	r.sim.SetFaults(graphsim.Faults{Latency: r.cfg.Latency})
	args := []string{"query", "-json"}
	logf(r.cfg, "query N=%d (%d tasks, %d pages, %s): %s", n, total, res.Pages, res.ListBlock(), shellJoin(append([]string{"terraform"}, args...)))
	rn, err := r.terraformWith(ctx, tf, dir, args...)
	res.Command, res.Wall, res.Exit, res.PeakRSS, res.Plugins = shellJoin(rn.Args), rn.Wall, rn.Exit, rn.PeakRSS, rn.Plugins
	res.Calls = classify(rn.Requests)
	res.FirstList, res.LastList = listSpan(rn.Requests, rn.Start)
	if err != nil {
		return res, err
	}
	if out, err := os.ReadFile(rn.Output); err == nil {
		res.Found, res.WithResource, res.Reported = queryCounts(out)
	}
	logf(r.cfg, "query N=%d: %s (floor %s), %d list requests, %d results, provider peak RSS %.0f MB", n, rn.Wall.Round(time.Millisecond),
		res.Floor, res.Calls.List, res.Found, float64(rn.PeakRSS)/1024)
	return res, rn.failure(0)
}
