package acctest

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

// CheckRemote reads the task that resource addr holds in state as Graph holds it (emulator sim's
// own store, or a plain GET against a real tenant), checks it is of odataType, and runs f on its
// JSON.
func CheckRemote(t *testing.T, sim *graphsim.Server, addr, odataType string, f func(task map[string]any) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		task, found, err := RemoteTask(t, sim, rs.Primary.ID)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("task %s is not in Graph", rs.Primary.ID)
		}
		if typ := task["@odata.type"]; typ != odataType {
			return fmt.Errorf("task %s is %v, want %s", rs.Primary.ID, typ, odataType)
		}
		return f(task)
	}
}

// CheckDestroy asks Graph (sim, or a real tenant) that no task of the resources of resourceType in
// state is left.
func CheckDestroy(t *testing.T, sim *graphsim.Server, resourceType string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != resourceType {
				continue
			}
			_, found, err := RemoteTask(t, sim, rs.Primary.ID)
			if err != nil {
				return err
			}
			if found {
				return fmt.Errorf("task %s still exists", rs.Primary.ID)
			}
		}
		return nil
	}
}

// Instant reads a date-time Graph returned; Graph's spelling varies (UTC, up to seven fractional
// digits, trailing zeros dropped), so checks compare instants.
func Instant(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("%v is not a date-time string", v)
	}
	return time.Parse(time.RFC3339Nano, s)
}

// WantInstant checks that the date-time Graph holds in property (of task or of one of its complex
// values) names the instant want.
func WantInstant(obj map[string]any, property, want string) error {
	got, err := Instant(obj[property])
	if err != nil {
		return fmt.Errorf("%s at Graph: %w", property, err)
	}
	w, _ := time.Parse(time.RFC3339Nano, want)
	if !got.Equal(w) {
		return fmt.Errorf("%s at Graph = %v, want the instant %s", property, obj[property], want)
	}
	return nil
}
