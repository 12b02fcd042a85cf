package securitytasks_test

import (
	"os"
	"testing"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
)

func TestMain(m *testing.M) {
	os.Exit(acctest.Main(m))
}
