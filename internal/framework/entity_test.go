package framework

import "testing"

// Messages about one entity read right whatever the noun starts with ("Not an app vulnerability
// task", never "Not a app vulnerability task").
func TestEntityANoun(t *testing.T) {
	for noun, want := range map[string]string{
		"security configuration task":     "a security configuration task",
		"app vulnerability task":          "an app vulnerability task",
		"unmanaged device discovery task": "an unmanaged device discovery task",
	} {
		if got := (&Entity{Noun: noun}).withArticle(); got != want {
			t.Errorf("aNoun(%q) = %q, want %q", noun, got, want)
		}
	}
}
