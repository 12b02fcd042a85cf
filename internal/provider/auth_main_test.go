package provider_test

import (
	"os"
	"testing"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
)

// TestMain starts the Graph emulator for the auth tests when TF_ACC is set (acctest.Main).
func TestMain(m *testing.M) {
	os.Exit(acctest.Main(m))
}
