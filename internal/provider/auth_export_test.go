package provider

import (
	"errors"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// ResolveFromEnv exposes the provider's resolution of an empty provider block (everything from
// the environment, as pipelines configure it) to the external auth tests.
func ResolveFromEnv(getenv func(string) string) (graphEndpoint string, auth graph.AuthConfig, err error) {
	s, d := resolveSettings(providerModel{}, getenv)
	if d.HasError() {
		for _, x := range d.Errors() {
			err = errors.Join(err, errors.New(x.Summary()+": "+x.Detail()))
		}
	}
	return s.graphEndpoint, s.auth, err
}
