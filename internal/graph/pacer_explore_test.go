package graph

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func TestPacerExplore(t *testing.T) {
	if os.Getenv("PACER_EXPLORE") == "" {
		t.Skip()
	}
	type c struct {
		limit  int
		ns     []int
		starts []time.Duration
		ra     string
	}
	ms := time.Millisecond
	var sum float64
	for _, k := range []c{
		{20, []int{60}, []time.Duration{0}, "ceil"},
		{20, []int{300}, []time.Duration{0}, "ceil"},
		{20, []int{1000}, []time.Duration{0}, "ceil"},
		{20, []int{60, 60}, []time.Duration{0, 300 * ms}, "ceil"},
		{20, []int{60, 60, 60}, []time.Duration{0, 300 * ms, 900 * ms}, "ceil"},
		{20, []int{300, 300}, []time.Duration{0, 150 * ms}, "ceil"},
		{20, []int{300, 300}, []time.Duration{0, 1500 * ms}, "ceil"},
		{20, []int{300, 300}, []time.Duration{0, 5000 * ms}, "ceil"},
		{20, []int{300, 300, 300}, []time.Duration{0, 150 * ms, 400 * ms}, "ceil"},
		{20, []int{300, 300, 300}, []time.Duration{0, 1200 * ms, 2500 * ms}, "ceil"},
		{20, []int{60, 60}, []time.Duration{0, 5 * ms}, "ceil"},
		{20, []int{60, 60, 60}, []time.Duration{0, 5 * ms, 10 * ms}, "ceil"},
		{20, []int{300, 300}, []time.Duration{0, 5 * ms}, "ceil"},
		{20, []int{30}, []time.Duration{0}, "0"},
		{20, []int{60, 60}, []time.Duration{0, 300 * ms}, "0"},
		{50, []int{60}, []time.Duration{0}, "ceil"},
		{50, []int{1000}, []time.Duration{0}, "ceil"},
		{50, []int{300, 300}, []time.Duration{0, 150 * ms}, "ceil"},
		{50, []int{300, 300, 300}, []time.Duration{0, 150 * ms, 400 * ms}, "ceil"},
		{50, []int{300, 300}, []time.Duration{0, 3000 * ms}, "ceil"},
	} {
		line := fmt.Sprintf("L=%d ns=%v starts=%v ra=%s:", k.limit, k.ns, k.starts, k.ra)
		for _, busy := range []bool{false, true} {
			worst, late := 0.0, 0.0
			var lim []int
			for seed := uint64(1); seed <= 4; seed++ {
				r := simulateOn(t, busy, k.limit, 10*time.Second, k.ra, k.ns, k.starts, seed)
				after := r.writes - k.limit
				worst = max(worst, r.ratio())
				late = max(late, 100*float64(r.late)/float64(after))
				sum += r.ratio()
				if seed == 1 {
					lim = r.limits
				}
			}
			line += fmt.Sprintf("  busy=%v max %.3fx late %.1f/100 %v", busy, worst, late, lim)
		}
		t.Log(line)
	}
	t.Logf("sum of ratios %.3f", sum)
}

func TestPacerTrace(t *testing.T) {
	if os.Getenv("PACER_TRACE") == "" {
		t.Skip()
	}
	ms := time.Millisecond
	_ = ms
	var seed uint64 = 1
	fmt.Sscan(os.Getenv("PACER_SEED"), &seed)
	busy := os.Getenv("PACER_BUSY") != ""
	simTrace, simTraceUntil = t.Logf, 600*time.Second
	defer func() { simTrace = nil }()
	limit, ra := 20, "ceil"
	var ns []int
	var starts []time.Duration
	for _, f := range strings.Fields(os.Getenv("PACER_CASE")) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "L":
			fmt.Sscan(v, &limit)
		case "ra":
			ra = v
		case "n":
			for _, x := range strings.Split(v, ",") {
				var n int
				fmt.Sscan(x, &n)
				ns = append(ns, n)
			}
		case "s":
			for _, x := range strings.Split(v, ",") {
				d, _ := time.ParseDuration(x)
				starts = append(starts, d)
			}
		}
	}
	r := simulateOn(t, busy, limit, 10*time.Second, ra, ns, starts, seed)
	t.Logf("%.3fx 429s %d late %d limits %v kinds %v finishes %v", r.ratio(), r.throttled, r.late, r.limits, r.kinds, r.finishes)
	for i, tl := range r.timeline {
		t.Logf("proc %d per window: %v", i, tl)
	}
	for i, tl := range r.thrTimeline {
		t.Logf("proc %d 429s per window: %v", i, tl)
	}
}
