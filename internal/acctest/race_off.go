//go:build !race

package acctest

// raceBuild: see race_on.go.
const raceBuild = false
