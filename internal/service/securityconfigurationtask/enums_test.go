package securityconfigurationtask

import (
	"fmt"
	"slices"
	"testing"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
)

// sdkMembers walks an SDK enum from 0 upwards until String() runs off the end of its table
// (it panics there: graph-behaviour.md §4), returning every member the SDK can print.
func sdkMembers[T interface{ String() string }](conv func(int) T) (out []string) {
	for i := 0; ; i++ {
		s, ok := func() (s string, ok bool) {
			defer func() {
				if recover() != nil {
					ok = false
				}
			}()
			return conv(i).String(), true
		}()
		if !ok {
			return out
		}
		out = append(out, s)
	}
}

func TestEnumListsMatchSDK(t *testing.T) {
	cases := []struct {
		enum enum
		sdk  []string
	}{
		{categoryEnum, sdkMembers(func(i int) models.DeviceAppManagementTaskCategory { return models.DeviceAppManagementTaskCategory(i) })},
		{priorityEnum, sdkMembers(func(i int) models.DeviceAppManagementTaskPriority { return models.DeviceAppManagementTaskPriority(i) })},
		{statusEnum, sdkMembers(func(i int) models.DeviceAppManagementTaskStatus { return models.DeviceAppManagementTaskStatus(i) })},
		{endpointSecurityPolicyEnum, sdkMembers(func(i int) models.EndpointSecurityConfigurationType {
			return models.EndpointSecurityConfigurationType(i)
		})},
		{applicablePlatformEnum, sdkMembers(func(i int) models.EndpointSecurityConfigurationApplicablePlatform {
			return models.EndpointSecurityConfigurationApplicablePlatform(i)
		})},
		{endpointSecurityPolicyProfileEnum, sdkMembers(func(i int) models.EndpointSecurityConfigurationProfileType {
			return models.EndpointSecurityConfigurationProfileType(i)
		})},
	}
	for _, c := range cases {
		t.Run(c.enum.json, func(t *testing.T) {
			if !slices.Equal(c.enum.values, c.sdk) {
				t.Fatalf("allowed values %v differ from the SDK's String() members %v", c.enum.values, c.sdk)
			}
			for _, v := range c.enum.values {
				got, err := c.enum.parse(v)
				if err != nil || got == nil {
					t.Errorf("SDK Parse(%q) = %v, %v; want a value", v, got, err)
					continue
				}
				if s := fmt.Sprint(got.(fmt.Stringer).String()); s != v {
					t.Errorf("SDK Parse(%q).String() = %q", v, s)
				}
			}
			// Graph and the SDK are case-sensitive; so are the validators.
			for _, bad := range []string{"Bogus", "", upperFirst(c.enum.values[1])} {
				if got, _ := c.enum.parse(bad); got != nil {
					t.Errorf("SDK Parse(%q) accepted a value outside the list", bad)
				}
			}
		})
	}
}

func upperFirst(s string) string {
	return string(s[0]-'a'+'A') + s[1:]
}
