package runners

import (
	"slices"
	"syscall"
	"testing"
)

// TestParseIDMap: root's namespaces mirror the ids of the one gox runs in,
// the whole range on a plain host, only what a container maps in one.
func TestParseIDMap(t *testing.T) {
	tests := []struct {
		text string
		want []syscall.SysProcIDMap
	}{
		{"         0          0 4294967295\n", []syscall.SysProcIDMap{{ContainerID: 0, HostID: 0, Size: 4294967295}}},
		{"0 100000 65536\n", []syscall.SysProcIDMap{{ContainerID: 0, HostID: 0, Size: 65536}}},
		{"0 1000 1\n1 100000 65535\n", []syscall.SysProcIDMap{{ContainerID: 0, HostID: 0, Size: 1}, {ContainerID: 1, HostID: 1, Size: 65535}}},
	}
	for _, tt := range tests {
		got, err := parseIDMap(tt.text)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("parseIDMap(%q) = %v, %v; want %v", tt.text, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "0 0\n", "x 0 1\n", "0 0 0\n"} {
		if got, err := parseIDMap(bad); err == nil {
			t.Errorf("parseIDMap(%q) = %v, want an error", bad, got)
		}
	}
}
