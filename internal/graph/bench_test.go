package graph

import (
	"github.com/terraform-intune/terraform-provider-intune/internal/graph/graphhttp"
	"net/http"
	"strings"
	"testing"
)

// These benchmarks time the error-to-diagnostic path: parsing Graph's error answer (with Intune's
// JSON-in-message unwrapped) and describing it. make bench runs them and puts the figures in
// bench/RESULTS.md.

// benchIntuneError is a 404 as Intune sends it: OData error JSON whose message is itself escaped JSON.
const benchIntuneError = `{"error":{"code":"ResourceNotFound","message":"{\r\n  \"_version\": 3,\r\n  \"Message\": \"An error has occurred - Operation ID (for customer support): 11111111-2222-3333-4444-555555555555 - Activity ID: 66666666-7777-8888-9999-000000000000 - Url: https://fef.msua06.manage.microsoft.com/TrafficGateway/TrafficRoutingService/DeviceAppManagement/StatelessDeviceAppManagementFEService/deviceAppManagement/deviceAppManagementTasks('x')?api-version=5024-05-29\",\r\n  \"CustomApiErrorPhrase\": \"\",\r\n  \"RetryAfter\": null,\r\n  \"ErrorSourceService\": \"\",\r\n  \"HttpHeaders\": \"{}\"\r\n}","innerError":{"date":"2026-11-29T16:33:23","request-id":"inner-rid","client-request-id":"inner-crid"}}}`

func benchErrorHeader() http.Header {
	return http.Header{
		"Content-Type":      {"application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8"},
		"Request-Id":        {"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"},
		"Client-Request-Id": {"1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809"},
	}
}

func BenchmarkNewHTTPErrorDescribe_intune(b *testing.B) {
	header := benchErrorHeader()
	body := []byte(benchIntuneError)
	b.ReportAllocs()
	for b.Loop() {
		e := graphhttp.NewHTTPError(http.MethodGet, "/beta/deviceAppManagement/deviceAppManagementTasks/x", http.StatusNotFound, header, body, "")
		if d := Describe(e); !strings.Contains(d, "Activity ID") {
			b.Fatal(d)
		}
	}
}

// A 429 answered by a gateway as HTML: the non-JSON branch (tags stripped into a snippet).
func BenchmarkNewHTTPErrorDescribe_html(b *testing.B) {
	header := http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Retry-After": {"17"}}
	body := []byte("<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1>" +
		strings.Repeat("<p>The request has been throttled by the gateway.</p>", 20) + "</body></html>")
	b.ReportAllocs()
	for b.Loop() {
		e := graphhttp.NewHTTPError(http.MethodPost, "/beta/deviceAppManagement/deviceAppManagementTasks", http.StatusTooManyRequests, header, body, "crid")
		if d := Describe(e); !strings.Contains(d, "Retry-After") && !strings.Contains(d, "17") {
			b.Fatal(d)
		}
	}
}
