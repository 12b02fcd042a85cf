//go:build race

package acctest

// raceBuild is true when the tests run under -race: the provider binary they build then uses -race
// too, so it reuses the race-compiled Graph SDK instead of compiling a second 10 GB copy of it.
const raceBuild = true
