// Command removaltables writes each task type's table of what removing an attribute does into its
// resource template (templates/resources/<type>.md.tmpl), between the markers below, from the
// type's attribute table: `make generate` runs it before tfplugindocs.
//
//	go run ./internal/cmd/removaltables templates/resources
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/terraform-intune/terraform-provider-intune/internal/service"
)

const (
	begin = "<!-- removal table: generated from the attribute table by internal/cmd/removaltables -->\n"
	end   = "<!-- end of removal table -->\n"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: removaltables TEMPLATE_DIR")
		os.Exit(2)
	}
	for _, e := range service.TaskTypes {
		path := filepath.Join(os.Args[1], e.TypeName+".md.tmpl")
		if err := rewrite(path, e.Table.RemovalTable()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// rewrite replaces what is between the markers in path with table.
func rewrite(path, table string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		return fmt.Errorf("%s: no %q ... %q markers around the removal table", path, strings.TrimSpace(begin), strings.TrimSpace(end))
	}
	out := s[:i+len(begin)] + table + s[j:]
	if out == s {
		return nil
	}
	return os.WriteFile(path, []byte(out), 0o644)
}
