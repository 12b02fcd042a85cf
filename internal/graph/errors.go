package graph

import "github.com/terraform-intune/terraform-provider-intune/internal/graph/graphhttp"

// The error type and its classification live in graphhttp (standard library only, so they fuzz
// without compiling the SDK); these names keep callers on one package.
type Error = graphhttp.Error

var (
	// Describe turns any error from this package into the detail text of a diagnostic.
	Describe = graphhttp.Describe
	// IsNotFound reports whether err is Graph saying the object does not exist (only a 404).
	IsNotFound = graphhttp.IsNotFound
	// AmbiguousWrite reports whether a failed write may still have been carried out by Graph.
	AmbiguousWrite = graphhttp.AmbiguousWrite
	// WithAdvice attaches advice that Describe shows after the error.
	WithAdvice = graphhttp.WithAdvice
)
