package securityconfigurationtask_test

import (
	"testing"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/service/securityconfigurationtask"
)

func TestEnumListsMatchSDK(t *testing.T) {
	row := securityconfigurationtask.Entity.Table.Row
	acctest.CheckEnum(t, row("endpoint_security_policy").Enum, acctest.SDKMembers(func(i int) models.EndpointSecurityConfigurationType {
		return models.EndpointSecurityConfigurationType(i)
	}))
	acctest.CheckEnum(t, row("applicable_platform").Enum, acctest.SDKMembers(func(i int) models.EndpointSecurityConfigurationApplicablePlatform {
		return models.EndpointSecurityConfigurationApplicablePlatform(i)
	}))
	acctest.CheckEnum(t, row("endpoint_security_policy_profile").Enum, acctest.SDKMembers(func(i int) models.EndpointSecurityConfigurationProfileType {
		return models.EndpointSecurityConfigurationProfileType(i)
	}))
}
