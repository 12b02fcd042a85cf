//go:build !race

package acctest_test

// raceBuild: see race_on_test.go.
const raceBuild = false
