package framework_test

import (
	"testing"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/acctest"
	"github.com/terraform-intune/terraform-provider-intune/internal/framework"
)

func TestBaseEnumListsMatchSDK(t *testing.T) {
	acctest.CheckEnum(t, framework.CategoryEnum, acctest.SDKMembers(func(i int) models.DeviceAppManagementTaskCategory {
		return models.DeviceAppManagementTaskCategory(i)
	}))
	acctest.CheckEnum(t, framework.PriorityEnum, acctest.SDKMembers(func(i int) models.DeviceAppManagementTaskPriority {
		return models.DeviceAppManagementTaskPriority(i)
	}))
	acctest.CheckEnum(t, framework.StatusEnum, acctest.SDKMembers(func(i int) models.DeviceAppManagementTaskStatus {
		return models.DeviceAppManagementTaskStatus(i)
	}))
}
