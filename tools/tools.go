//go:build generate

// Package tools holds the `go generate` steps that write docs/. It is a module of its own so the
// documentation generator's dependencies stay out of the provider's go.mod; tfplugindocs is pinned
// by the tool directive in tools/go.mod. `go generate` sets the generate build tag; a plain build
// never sees this file.
package tools

// Examples are shown verbatim in the docs, so they are formatted first.
//go:generate terraform fmt -recursive ../examples/

// The schema comes from the provider built from this tree through a dev_overrides CLI
// configuration, so generation needs no network and no terraform init.
//go:generate ../scripts/providers-schema.sh ../.cache/providers-schema.json

// Each resource template's table of what removing an attribute does comes from its attribute table.
//go:generate sh -c "cd .. && go run ./internal/cmd/removaltables templates/resources"

//go:generate go tool tfplugindocs generate --provider-dir .. --provider-name intune --rendered-provider-name "Microsoft Intune" --providers-schema ../.cache/providers-schema.json
