package bench

import (
	"fmt"
	"html"
	"math"
	"strings"
	"time"
)

// applyChart draws wall time against N for each scale operation, with the latency floor dashed, as
// a self-contained SVG that GitHub renders in the README.
func applyChart(r *Results) string {
	const (
		w, h                     = 800, 440
		left, right, top, bottom = 70, 210, 50, 60
	)
	pw, ph := float64(w-left-right), float64(h-top-bottom)

	type series struct {
		name   string
		color  string
		dashed bool
		pts    [][2]float64 // N, seconds
	}
	ops := []struct{ name, color string }{
		{OpCreate, "#1f77b4"}, {OpUpdate, "#ff7f0e"}, {OpPlan, "#2ca02c"}, {OpDestroy, "#d62728"},
	}
	var all []series
	for _, o := range ops {
		s := series{name: o.name, color: o.color}
		for _, sc := range r.Scale {
			for _, op := range sc.Ops {
				if op.Name == o.name {
					s.pts = append(s.pts, [2]float64{float64(op.N), op.Wall.Seconds()})
				}
			}
		}
		all = append(all, s)
	}
	floor := series{name: "floor ceil(N/" + fmt.Sprint(r.Config.Parallelism) + ") x " + r.Config.Latency.String(), color: "#555", dashed: true}
	for _, sc := range r.Scale {
		floor.pts = append(floor.pts, [2]float64{float64(sc.N), (time.Duration(ceilDiv(sc.N, r.Config.Parallelism)) * r.Config.Latency).Seconds()})
	}
	all = append(all, floor)

	maxN, maxS := 1.0, 0.1
	for _, s := range all {
		for _, p := range s.pts {
			maxN, maxS = math.Max(maxN, p[0]), math.Max(maxS, p[1])
		}
	}
	xStep, yStep := niceStep(maxN), niceStep(maxS)
	maxN, maxS = math.Ceil(maxN/xStep)*xStep, math.Ceil(maxS/yStep)*yStep
	x := func(n float64) float64 { return float64(left) + n/maxN*pw }
	y := func(s float64) float64 { return float64(top) + ph - s/maxS*ph }

	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="12">`+"\n", w, h, w, h)
	p(`<rect width="100%%" height="100%%" fill="#fff"/>` + "\n")
	p(`<text x="%d" y="24" font-size="15" font-weight="bold">%s</text>`+"\n", left, html.EscapeString(fmt.Sprintf(
		"terraform wall time against N (%s Graph latency, -parallelism=%d)", r.Config.Latency, r.Config.Parallelism)))
	for v := 0.0; v <= maxS+yStep/2; v += yStep {
		p(`<line x1="%d" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e5e5e5"/>`+"\n", left, y(v), float64(left)+pw, y(v))
		p(`<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", left-6, y(v)+4, trimFloat(v))
	}
	for v := 0.0; v <= maxN+xStep/2; v += xStep {
		p(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%.1f" stroke="#e5e5e5"/>`+"\n", x(v), top, x(v), float64(top)+ph)
		p(`<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", x(v), float64(top)+ph+18, trimFloat(v))
	}
	p(`<rect x="%d" y="%d" width="%.1f" height="%.1f" fill="none" stroke="#999"/>`+"\n", left, top, pw, ph)
	p(`<text x="%.1f" y="%d" text-anchor="middle">N (tasks)</text>`+"\n", float64(left)+pw/2, h-18)
	p(`<text transform="translate(20 %.1f) rotate(-90)" text-anchor="middle">seconds</text>`+"\n", float64(top)+ph/2)

	for i, s := range all {
		if len(s.pts) == 0 {
			continue
		}
		dash := ""
		if s.dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		var pts []string
		for _, pt := range s.pts {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(pt[0]), y(pt[1])))
		}
		p(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", strings.Join(pts, " "), s.color, dash)
		for _, pt := range s.pts {
			p(`<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s, N=%g: %.2f s</title></circle>`+"\n",
				x(pt[0]), y(pt[1]), s.color, html.EscapeString(s.name), pt[0], pt[1])
		}
		ly := float64(top) + 10 + float64(i)*22
		lx := float64(w-right) + 16
		p(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"%s/>`+"\n", lx, ly, lx+22, ly, s.color, dash)
		p(`<text x="%.1f" y="%.1f">%s</text>`+"\n", lx+28, ly+4, html.EscapeString(s.name))
	}
	p(`<text x="%d" y="%d" font-size="10" fill="#666">%s</text>`+"\n", left, h-4, html.EscapeString(fmt.Sprintf(
		"make bench, %s, %d CPUs, %s", r.Date.UTC().Format("2006-01-02"), r.Machine.CPUs, r.Machine.Terraform)))
	p("</svg>\n")
	return b.String()
}

// niceStep picks a grid step of 1, 2 or 5 times a power of ten giving about five lines.
func niceStep(top float64) float64 {
	raw := top / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

func trimFloat(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}
